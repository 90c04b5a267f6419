from simpul.core.api.viewsets import ScopedModelViewSet
from simpul.organizations import filters
from simpul.organizations.api import serializers
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User


class InstansiViewSet(ScopedModelViewSet):
    """Governments (Pemda) using Simpul; each user sees their own."""

    queryset = Instansi.objects.all()
    serializer_class = serializers.InstansiSerializer
    filterset_class = filters.InstansiFilterSet
    ordering_fields = ["name", "slug"]


class PerangkatDaerahViewSet(ScopedModelViewSet):
    """Regional departments (OPD) of the instansi the user works in; filter with ?instansi=, ?kind=, ?q=."""

    queryset = PerangkatDaerah.objects.select_related("instansi", "parent")
    serializer_class = serializers.PerangkatDaerahSerializer
    filterset_class = filters.PerangkatDaerahFilterSet
    ordering_fields = ["name", "short_name"]


class UserViewSet(ScopedModelViewSet):
    """Accounts within the user's scope; the password is write-only."""

    queryset = User.objects.select_related("instansi", "opd")
    serializer_class = serializers.UserSerializer
    filterset_class = filters.UserFilterSet
    ordering_fields = ["username", "full_name"]


class RoleAssignmentViewSet(ScopedModelViewSet):
    """Roles held by users, each for a whole instansi or one of its OPDs."""

    queryset = RoleAssignment.objects.select_related("user", "instansi", "opd")
    serializer_class = serializers.RoleAssignmentSerializer
    filterset_class = filters.RoleAssignmentFilterSet
