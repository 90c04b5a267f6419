from simpul.core.api.serializers_core import AuditEntrySerializer
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet
from simpul.core.models import AuditEntry
from simpul.core.views.audit import AuditEntryFilterSet


class AuditEntryViewSet(ReadOnlyScopedModelViewSet):
    """The hash-chained audit trail, read-only: entries of the instansi or OPD the user may audit."""

    queryset = AuditEntry.objects.select_related("content_type")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    ordering_fields = ["id", "timestamp"]
