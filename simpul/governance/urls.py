from django.urls import path

from simpul.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("policies/<int:pk>/document/", views.PolicyDownloadView.as_view(), name="policy_download"),
    path("decrees/<int:pk>/document/", views.DecreeDownloadView.as_view(), name="decree_download"),
    path("decrees/<int:pk>/grant-roles/", views.GrantRolesView.as_view(), name="decree_grant_roles"),
    path("meetings/<int:pk>/minutes/", views.MeetingDownloadView.as_view(), name="meeting_download"),
    *views.PolicyViews.urls(),
    *views.TeamViews.urls(),
    *views.DecreeViews.urls(),
    *views.TeamMemberViews.urls(),
    *views.MeetingViews.urls(),
    *views.DecisionViews.urls(),
    *views.FollowUpActionViews.urls(),
]
