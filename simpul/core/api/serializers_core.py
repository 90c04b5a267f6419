from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.core.models import AuditEntry, WorkflowEvent


class AuditEntrySerializer(ScopedModelSerializer):
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "url",
            "timestamp",
            "actor",
            "actor_repr",
            "source",
            "ip_address",
            "request_id",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "instansi_id",
            "opd_id",
            "changes",
            "prev_hash",
            "hash",
        ]

    def get_content_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


# Named apart from the evaluation's per-record timeline component ("WorkflowEvent"), which has no record.
@extend_schema_serializer(component_name="WorkflowEventWithRecord")
class WorkflowEventSerializer(serializers.ModelSerializer):
    """One step taken on a record, with the record it was taken on."""

    content_type = serializers.SerializerMethodField(
        help_text=_('The type of the record, as "app.model", e.g. "architecture.element".')
    )
    from_state_label = serializers.CharField(read_only=True)
    to_state_label = serializers.CharField(read_only=True)

    class Meta:
        model = WorkflowEvent
        fields = [
            "id",
            "timestamp",
            "content_type",
            "object_id",
            "object_repr",
            "workflow",
            "transition",
            "from_state",
            "from_state_label",
            "to_state",
            "to_state_label",
            "actor",
            "actor_repr",
            "note",
            "payload",
        ]
        read_only_fields = fields

    def get_content_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"
