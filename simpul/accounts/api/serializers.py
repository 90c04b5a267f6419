from simpul.core.api.serializers import ScopedModelSerializer
from simpul.core.models import ApiKey


class ApiKeySerializer(ScopedModelSerializer):
    class Meta:
        model = ApiKey
        fields = [
            "id",
            "url",
            "name",
            "prefix",
            "instansi",
            "owner",
            "external_system",
            "user",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "created_at",
        ]
        read_only_fields = fields
