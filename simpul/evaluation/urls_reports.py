"""URL patterns of the evaluation module's reports pages (included by urls.py)."""

from django.urls import path

from simpul.evaluation.views_reports import PeriodReportView

urlpatterns: list = [
    path("periods/<int:pk>/report.pdf", PeriodReportView.as_view(export_format="pdf"), name="period_report_pdf"),
    path("periods/<int:pk>/report.xlsx", PeriodReportView.as_view(export_format="xlsx"), name="period_report_xlsx"),
]
