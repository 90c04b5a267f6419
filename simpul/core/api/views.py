from simpul.core.api.serializers import AuditEntrySerializer, WorkflowEventSerializer
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet
from simpul.core.models import AuditEntry, WorkflowEvent
from simpul.core.views.audit import AuditEntryFilterSet
from simpul.core.views.workflow_events import WorkflowEventFilterSet


class AuditEntryViewSet(ReadOnlyScopedModelViewSet):
    """The hash-chained audit trail, read-only: entries of the instansi or OPD the user may audit."""

    queryset = AuditEntry.objects.select_related("content_type")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    ordering_fields = ["id", "timestamp"]


class WorkflowEventViewSet(ReadOnlyScopedModelViewSet):
    """Workflow events, read-only: each step taken on a record the caller may view, newest first.

    `?content_type=<app.model>&object_id=<id>` gives one record's events.
    """

    queryset = WorkflowEvent.objects.select_related("content_type")
    serializer_class = WorkflowEventSerializer
    filterset_class = WorkflowEventFilterSet
    ordering_fields = ["id", "timestamp"]
