import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from simpul.core.tables import BaseTable
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User


class InstansiTable(BaseTable):
    name = tables.Column(linkify=True)
    opd_count = tables.Column(verbose_name=_("OPDs"), orderable=True)

    class Meta(BaseTable.Meta):
        model = Instansi
        fields = ["name", "kind", "slug", "region_code", "official_domain", "opd_count"]

    default_columns = ("name", "kind", "region_code", "official_domain", "opd_count")


class PerangkatDaerahTable(BaseTable):
    short_name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)
    instansi = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PerangkatDaerah
        fields = [
            "short_name",
            "name",
            "kind",
            "parent",
            "instansi",
            "head_name",
            "email",
            "website",
            "is_active",
        ]

    default_columns = ("short_name", "name", "kind", "parent", "instansi", "is_active")


class UserTable(BaseTable):
    username = tables.Column(linkify=True)
    opd = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = User
        fields = [
            "username",
            "full_name",
            "nip",
            "position",
            "email",
            "instansi",
            "opd",
            "is_active",
            "last_login",
        ]

    default_columns = ("username", "full_name", "position", "opd", "is_active", "last_login")


class RoleAssignmentTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    user = tables.Column(linkify=True)
    opd = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = RoleAssignment
        fields = ["id", "user", "role", "instansi", "opd"]

    default_columns = ("id", "user", "role", "instansi", "opd")
