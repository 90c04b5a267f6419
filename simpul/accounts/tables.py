import django_tables2 as tables

from simpul.core.models import ApiKey
from simpul.core.tables import BaseTable


class ApiKeyTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ApiKey
        fields = [
            "name",
            "prefix",
            "instansi",
            "owner",
            "external_system",
            "user",
            "expires_at",
            "revoked_at",
            "last_used_at",
        ]

    default_columns = ("name", "prefix", "owner", "external_system", "user", "revoked_at", "last_used_at")
