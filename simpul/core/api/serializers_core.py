from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.core.models import AuditEntry


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
