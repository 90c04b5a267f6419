from django.urls import path

from simpul.evaluation import urls_analysis, urls_evidence, urls_reports, views

app_name = "evaluation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    *views.extra_urls(),
    *views.FrameworkViews.urls(),
    *views.PeriodViews.urls(),
    *views.AssessmentViews.urls(),
    *urls_evidence.urlpatterns,
    *urls_analysis.urlpatterns,
    *urls_reports.urlpatterns,
]
