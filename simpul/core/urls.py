from django.urls import path

from simpul.core.views import apikeys, audit, imports

app_name = "core"

urlpatterns = [
    *audit.AuditEntryViews.urls(),
    *apikeys.ApiKeyViews.urls(),
    path(
        "api-keys/<int:pk>/revoke/",
        apikeys.ApiKeyRevokeView.as_view(config=apikeys.ApiKeyViews),
        name="apikey_revoke",
    ),
    path("imports/", imports.ImportJobListView.as_view(), name="importjob_list"),
    path("imports/<int:pk>/", imports.ImportJobDetailView.as_view(), name="importjob_detail"),
]
