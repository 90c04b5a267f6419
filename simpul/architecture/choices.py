"""Fixed vocabularies of the architecture repository."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    """The six domains of the SPBE architecture, plus elements of an imported model with no SPBE counterpart."""

    BUSINESS = "bisnis", _("Business process")
    DATA = "data", _("Data and information")
    SERVICE = "layanan", _("SPBE service")
    APPLICATION = "aplikasi", _("SPBE application")
    INFRASTRUCTURE = "infrastruktur", _("Infrastructure")
    SECURITY = "keamanan", _("Security")
    OTHER = "lainnya", _("Other (ArchiMate)")


class ElementStatus(models.TextChoices):
    PLANNED = "rencana", _("Planned")
    DEVELOPMENT = "pengembangan", _("In development")
    OPERATIONAL = "operasi", _("Operational")
    RETIRED = "dihentikan", _("Retired")


class ServiceType(models.TextChoices):
    G2G = "g2g", _("G2G — government to government")
    G2E = "g2e", _("G2E — government to employee")
    G2C = "g2c", _("G2C — government to citizen")
    G2B = "g2b", _("G2B — government to business")


class ApplicationKind(models.TextChoices):
    GENERAL = "umum", _("General application (aplikasi umum)")
    SPECIFIC = "khusus", _("Specific application (aplikasi khusus)")


class Hosting(models.TextChoices):
    DATA_CENTRE = "pusat_data", _("Regional data centre (Pusat Data)")
    OPD_SERVER_ROOM = "ruang_server_opd", _("OPD's own server room")
    NATIONAL = "pdn", _("National data centre (PDN)")
    THIRD_PARTY = "pihak_ketiga", _("Third-party / commercial cloud")
    CENTRAL_GOVERNMENT = "pusat", _("Central government (application provided nationally)")
    NOT_HOSTED = "tidak_ada", _("Not a hosted system (e.g. telephone)")


class DataClassification(models.TextChoices):
    PUBLIC = "terbuka", _("Public")
    LIMITED = "terbatas", _("Limited (internal)")
    CONFIDENTIAL = "rahasia", _("Confidential")
    SECRET = "sangat_rahasia", _("Highly confidential")


class UpdateFrequency(models.TextChoices):
    REALTIME = "realtime", _("Real time")
    DAILY = "harian", _("Daily")
    WEEKLY = "mingguan", _("Weekly")
    MONTHLY = "bulanan", _("Monthly")
    QUARTERLY = "triwulanan", _("Quarterly")
    SEMESTER = "semesteran", _("Every six months")
    YEARLY = "tahunan", _("Yearly")
    IRREGULAR = "tidak_tentu", _("Irregular")


class InfrastructureKind(models.TextChoices):
    DATA_CENTRE = "pusat_data", _("Data centre (Pusat Data)")
    SERVER_ROOM = "ruang_server", _("OPD server room")
    NETWORK_NODE = "simpul_jaringan", _("Intra-network node (simpul)")
    LINK = "tautan", _("Network link")
    LAN = "lan", _("OPD local network (LAN)")
    SERVER = "server", _("Server")
    VIRTUAL_MACHINE = "vm", _("Virtual machine")
    SERVICE_BUS = "sistem_penghubung", _("Service connector system (SPLP)")
    INTERNET = "internet", _("Internet link")
    CLOUD = "cloud", _("Cloud service")
    OTHER = "lainnya", _("Other")


class ApprovalStatus(models.TextChoices):
    NOT_NEEDED = "tidak_perlu", _("Not needed")
    PENDING = "diajukan", _("Requested")
    APPROVED = "disetujui", _("Approved")
    REJECTED = "ditolak", _("Rejected")
