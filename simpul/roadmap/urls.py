from django.urls import path

from simpul.roadmap import views

app_name = "roadmap"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("owed/", views.OwedView.as_view(), name="owed"),
    path("versions/compare/", views.CompareView.as_view(), name="compare"),
    path("versions/import-plan/", views.ImportPlanView.as_view(), name="import_plan"),
    path("versions/<int:pk>/new-version/", views.NewVersionView.as_view(), name="roadmap_new_version"),
    path("versions/<int:pk>/make-current/", views.MakeCurrentView.as_view(), name="roadmap_make_current"),
    path("versions/<int:pk>/plan.xlsx", views.ExportPlanView.as_view(), name="roadmap_export_plan"),
    path("outputs/<int:pk>/links/", views.OutputLinkAddView.as_view(), name="output_link"),
    path("outputs/links/<int:pk>/remove/", views.OutputLinkRemoveView.as_view(), name="outputlink_remove"),
    path("outputs/<int:pk>/reports/<int:year>/", views.ReportFileView.as_view(), name="output_report"),
    path("reports/<int:pk>/step/", views.ReportStepView.as_view(), name="progressreport_step"),
    path("reports/<int:pk>/evidence/<str:kind>/", views.EvidenceAddView.as_view(), name="progressreport_evidence"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="progressevidence_download"),
    path("evidence/<int:pk>/remove/", views.EvidenceRemoveView.as_view(), name="progressevidence_remove"),
    *views.RoadmapViews.urls(),
    *views.InitiativeViews.urls(),
    *views.OutputViews.urls(),
    *views.OutputBudgetViews.urls(),
    *views.ProgressReportViews.urls(),
]
