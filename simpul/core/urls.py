from django.urls import path

from simpul.core.views import apikeys, audit

app_name = "core"

urlpatterns = [
    *audit.AuditEntryViews.urls(),
    *apikeys.ApiKeyViews.urls(),
    path(
        "api-keys/<int:pk>/revoke/",
        apikeys.ApiKeyRevokeView.as_view(config=apikeys.ApiKeyViews),
        name="apikey_revoke",
    ),
]
