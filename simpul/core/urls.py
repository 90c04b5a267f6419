from django.urls import path

from simpul.core.views import audit, imports, inbox, workflow_events

app_name = "core"

urlpatterns = [
    *audit.AuditEntryViews.urls(),
    *workflow_events.WorkflowEventViews.urls(),
    path("imports/", imports.ImportJobListView.as_view(), name="importjob_list"),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/read-all/", inbox.MarkAllReadView.as_view(), name="inbox_read_all"),
    path("inbox/<int:pk>/open/", inbox.OpenNotificationView.as_view(), name="notification_open"),
    path("imports/<int:pk>/", imports.ImportJobDetailView.as_view(), name="importjob_detail"),
]
