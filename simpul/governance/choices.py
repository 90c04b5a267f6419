"""The enumerations of the governance module: kinds of policy and team, their states, team positions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyKind(models.TextChoices):
    """The legal form of a policy (Kebijakan SPBE), from the widest to the narrowest."""

    PERDA = "perda", _("Regional regulation (Perda)")
    PERBUP = "perbup", _("Regent regulation (Perbup)")
    KEPBUP = "kepbup", _("Regent decree (Keputusan Bupati)")
    SURAT_EDARAN = "surat_edaran", _("Circular (Surat Edaran)")
    SOP = "sop", _("Standard operating procedure (SOP)")
    OTHER = "other", _("Other")


class PolicyStatus(models.TextChoices):
    """A policy is drafted, then enacted; an enacted policy is revoked or replaced by another."""

    RANCANGAN = "rancangan", _("Draft (rancangan)")
    DITETAPKAN = "ditetapkan", _("Enacted (ditetapkan)")
    DICABUT = "dicabut", _("Revoked (dicabut)")
    DIGANTI = "diganti", _("Replaced (diganti)")


class TopicGroup(models.TextChoices):
    """The master plan's two outputs of "Penguatan Kebijakan" (table 4.1)."""

    TATA_KELOLA = "tata_kelola", _("Governance policy (Kebijakan Tata Kelola)")
    LAYANAN = "layanan", _("Service policy (Kebijakan Layanan)")


class TeamKind(models.TextChoices):
    """The two SPBE teams the master plan sets up by a Keputusan Bupati (4.2.1.1, 4.2.1.2)."""

    TIM_KOORDINASI = "tim_koordinasi", _("Tim Koordinasi SPBE")
    TIM_EVALUATOR = "tim_evaluator_internal", _("Tim Evaluator Internal SPBE")


class Position(models.TextChoices):
    """A member's place in a team, as the master plan lists the composition of each team; which team each
    position belongs to and the Simpul role it maps to are data (data/positions.json)."""

    PENGARAH = "pengarah", _("Steering team (Tim Pengarah)")
    KETUA = "ketua", _("Chair (Ketua Tim)")
    KOORDINATOR = "koordinator_tim", _("Coordinator (Koordinator)")
    SEKRETARIAT = "sekretariat", _("Secretariat (Sekretariat SPBE)")
    KELOMPOK_KERJA = "kelompok_kerja", _("Working group (Kelompok Kerja)")
    PENANGGUNG_JAWAB = "penanggung_jawab", _("Person in charge (penanggung jawab)")
    PENGUMPUL_DATA = "pengumpul_data", _("Data collector (anggota pengumpul data)")
    PENGANALISIS_DATA = "penganalisis_data", _("Data analyst (anggota penganalisis data)")
    OPERATOR = "operator", _("Data entry operator (anggota pelaksana entri data)")


class ActionStatus(models.TextChoices):
    """A follow-up action is open until its owner OPD reports it done, or the team cancels it."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class RolesState(models.TextChoices):
    """Whether the roles a decree's members are to hold were granted from it (`services.grant_roles`)."""

    NOT_GRANTED = "not_granted", _("Roles not granted")
    GRANTED = "granted", _("Roles granted")
