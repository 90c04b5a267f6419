import django_filters
from django.utils.translation import gettext_lazy as _

from simpul.core.filters import BaseFilterSet
from simpul.organizations.choices import InstansiKind, OpdKind
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User
from simpul.organizations.roles import ROLES


class InstansiFilterSet(BaseFilterSet):
    search_fields = ("name", "slug", "region_code", "official_domain")
    kind = django_filters.ChoiceFilter(choices=InstansiKind.choices, label=_("Kind"))

    class Meta:
        model = Instansi
        fields = ["kind"]


class PerangkatDaerahFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name", "head_name")
    kind = django_filters.ChoiceFilter(choices=OpdKind.choices, label=_("Kind"))
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = PerangkatDaerah
        fields = ["instansi", "kind", "is_active", "parent"]


class UserFilterSet(BaseFilterSet):
    search_fields = ("username", "full_name", "nip", "email", "position")
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))
    opd = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("OPD"))
    role = django_filters.ChoiceFilter(
        field_name="role_assignments__role",
        choices=[(k, r.label) for k, r in ROLES.items()],
        label=_("Role"),
        distinct=True,
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["instansi", "opd", "is_active"]


class RoleAssignmentFilterSet(BaseFilterSet):
    search_fields = ("user__username", "user__full_name")
    role = django_filters.ChoiceFilter(choices=[(k, r.label) for k, r in ROLES.items()], label=_("Role"))
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))
    opd = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("OPD"))

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "instansi", "opd"]
