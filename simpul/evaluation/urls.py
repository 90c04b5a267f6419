from django.urls import path

from simpul.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("frameworks/upload/", views.FrameworkUploadView.as_view(), name="framework_upload"),
    *views.FrameworkViews.urls(),
    # Named `_status` since the stage select it replaced; it takes one workflow step now.
    path("periods/<int:pk>/stage/", views.PeriodTransitionView.as_view(), name="evaluationperiod_status"),
    path("periods/<int:pk>/assign/", views.PeriodAssignView.as_view(), name="evaluationperiod_assign"),
    *views.PeriodViews.urls(),
    path("assessments/<int:pk>/self/", views.SelfAssessmentView.as_view(), name="indicatorassessment_self"),
    path("assessments/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="indicatorassessment_withdraw"),
    path("assessments/<int:pk>/review/", views.ReviewView.as_view(), name="indicatorassessment_review"),
    path("assessments/<int:pk>/national/", views.NationalResultView.as_view(), name="indicatorassessment_national"),
    *views.AssessmentViews.urls(),
    path("assessments/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("assessments/<int:pk>/evidence/add/<str:kind>/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path("assessments/<int:pk>/evidence/records/", views.RecordSearchView.as_view(), name="evidence_records"),
    path("assessments/<int:pk>/hints/", views.HintsView.as_view(), name="evidence_hints"),
    path("assessments/<int:pk>/hints/accept/", views.HintAcceptView.as_view(), name="evidence_hint_accept"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("periods/<int:pk>/analysis/", views.PeriodAnalysisView.as_view(), name="period_analysis"),
    path("periods/<int:pk>/planner/", views.PlannerView.as_view(), name="period_planner"),
    path("periods/<int:pk>/planner/whatif/", views.WhatIfView.as_view(), name="period_whatif"),
    path("periods/<int:pk>/planner/efforts/", views.EffortView.as_view(), name="period_efforts"),
    path("periods/<int:pk>/planner/actions/", views.PlanToActionsView.as_view(), name="period_plan_actions"),
    path("periods/<int:pk>/actions/", views.ActionListView.as_view(), name="period_actions"),
    path("actions/<int:pk>/status/", views.ActionStatusView.as_view(), name="action_status"),
    path(
        "periods/<int:pk>/indicators/<str:item_key>/history/",
        views.IndicatorHistoryView.as_view(),
        name="indicator_history",
    ),
    path("trend/", views.TrendView.as_view(), name="trend"),
    path("comparison/", views.ComparisonView.as_view(), name="comparison"),
    path("periods/<int:pk>/report.pdf", views.PeriodReportView.as_view(export_format="pdf"), name="period_report_pdf"),
    path(
        "periods/<int:pk>/report.xlsx", views.PeriodReportView.as_view(export_format="xlsx"), name="period_report_xlsx"
    ),
]
