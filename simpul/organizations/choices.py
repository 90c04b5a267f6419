from django.db import models
from django.utils.translation import gettext_lazy as _


class InstansiKind(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")
    PUSAT = "pusat", _("Central government agency")


class OpdKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Secretariat")
    BAGIAN = "bagian", _("Section of the secretariat")
    DINAS = "dinas", _("Service office (dinas)")
    BADAN = "badan", _("Agency (badan)")
    INSPEKTORAT = "inspektorat", _("Inspectorate")
    KANTOR = "kantor", _("Office")
    SATUAN = "satuan", _("Unit (satuan)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    RSUD = "rsud", _("Regional hospital")
    LAINNYA = "lainnya", _("Other")
