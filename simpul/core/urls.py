from django.urls import path

from simpul.core.views import audit, imports, workflow_events

app_name = "core"

urlpatterns = [
    *audit.AuditEntryViews.urls(),
    *workflow_events.WorkflowEventViews.urls(),
    path("imports/", imports.ImportJobListView.as_view(), name="importjob_list"),
    path("imports/<int:pk>/", imports.ImportJobDetailView.as_view(), name="importjob_detail"),
]
