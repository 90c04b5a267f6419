"""The roadmap's fixed vocabularies: the four areas of the master plan (4.3, tables 4.1–4.4), the derived
status of an output, and the states of a yearly progress report."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The areas in which the master plan (4.3) sets out its strategy, one table each (4.1–4.4)."""

    GOVERNANCE = "tata_kelola", _("SPBE governance")
    SERVICES = "layanan", _("SPBE services")
    ICT = "tik", _("Information and communication technology")
    PEOPLE = "sdm", _("SPBE human resources")


# How the plan itself titles each area's table, e.g. "Tabel 4.1 Tata Kelola SPBE": the words the XLSX
# layout writes and reads in its area column, whatever the language of the page.
AREA_PLAN_TITLES = {
    Area.GOVERNANCE: "Tata Kelola SPBE",
    Area.SERVICES: "Layanan SPBE",
    Area.ICT: "Teknologi Informasi dan Komunikasi",
    Area.PEOPLE: "Sumber Daya Manusia SPBE",
}
AREA_ORDER = {area: index for index, area in enumerate(Area.values)}


class OutputStatus(models.TextChoices):
    """Where an output stands, derived from its target years and accepted progress (never typed in);
    the rules are `simpul.roadmap.status.status_of` and docs/roadmap/status.md."""

    NOT_STARTED = "belum_mulai", _("Not started")
    ON_TRACK = "berjalan", _("On track")
    LATE = "terlambat", _("Late")
    DONE = "selesai", _("Done")
    NOT_ACHIEVED = "tidak_tercapai", _("Not achieved")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with a note")


# A report its OPD may still write (and add evidence to); once submitted it is the reviewer's.
REPORT_EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class EvidenceKind(models.TextChoices):
    FILE = "file", _("file")
    RECORD = "record", _("Simpul record")
    URL = "url", _("web address")
