import django_filters
from django.utils.translation import gettext_lazy as _

from simpul.core.filters import BaseFilterSet
from simpul.core.models import ApiKey


class ApiKeyFilterSet(BaseFilterSet):
    """The list page's and the API's filters alike, so `?q=` and the rest find the same keys in both."""

    search_fields = ("name", "external_system", "prefix")
    revoked = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", exclude=True, label=_("Revoked")
    )

    class Meta:
        model = ApiKey
        fields = ["instansi", "owner", "user"]
