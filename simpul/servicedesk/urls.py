from django.urls import path

from simpul.servicedesk import views

app_name = "servicedesk"

urlpatterns = [
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="ticketattachment_download"),
    *views.TicketViews.urls(),
    *views.AssignmentGroupViews.urls(),
    *views.InstansiDayOffViews.urls(),
]
