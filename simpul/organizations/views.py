from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from simpul.core.views import ModelViews
from simpul.organizations import filters, forms, tables
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User


class InstansiViews(ModelViews):
    model = Instansi
    queryset = Instansi.objects.annotate(opd_count=Count("perangkat_daerah"))
    table = tables.InstansiTable
    filterset = filters.InstansiFilterSet
    form = forms.InstansiForm
    related = [(_("Regional departments (OPD)"), lambda obj: obj.perangkat_daerah.all())]


class PerangkatDaerahViews(ModelViews):
    model = PerangkatDaerah
    url_prefix = "opd"
    queryset = PerangkatDaerah.objects.select_related("instansi", "parent")
    table = tables.PerangkatDaerahTable
    filterset = filters.PerangkatDaerahFilterSet
    form = forms.PerangkatDaerahForm
    import_lookups = {"instansi": "slug", "parent": "short_name"}
    related = [
        (_("Sub-units"), lambda obj: obj.children.all()),
        (_("Users"), lambda obj: obj.users.all()),
    ]


class UserViews(ModelViews):
    model = User
    url_prefix = "users"
    queryset = User.objects.select_related("instansi", "opd")
    table = tables.UserTable
    filterset = filters.UserFilterSet
    form = forms.UserForm
    import_lookups = {"instansi": "slug", "opd": "short_name"}
    detail_fields = [
        "username",
        "full_name",
        "nip",
        "position",
        "email",
        "phone",
        "instansi",
        "opd",
        "is_active",
        "last_login",
    ]
    related = [(_("Roles"), lambda obj: obj.role_assignments.select_related("instansi", "opd"))]


class RoleAssignmentViews(ModelViews):
    model = RoleAssignment
    url_prefix = "roles"
    queryset = RoleAssignment.objects.select_related("user", "instansi", "opd")
    table = tables.RoleAssignmentTable
    filterset = filters.RoleAssignmentFilterSet
    form = forms.RoleAssignmentForm
    import_lookups = {"user": "username", "instansi": "slug", "opd": "short_name"}
