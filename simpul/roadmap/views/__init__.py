"""The roadmap's pages, one module per subject (see each module's docstring)."""

from simpul.roadmap.views.outputs import OutputDetailView, OutputLinkAddView, OutputLinkRemoveView, OutputViews
from simpul.roadmap.views.overview import OverviewView, OwedView
from simpul.roadmap.views.records import InitiativeViews, OutputBudgetViews, RoadmapViews
from simpul.roadmap.views.reports import (
    EvidenceAddView,
    EvidenceDownloadView,
    EvidenceRemoveView,
    ProgressReportViews,
    ReportFileView,
    ReportStepView,
)
from simpul.roadmap.views.versions import CompareView, ExportPlanView, ImportPlanView, MakeCurrentView, NewVersionView

__all__ = [
    "CompareView",
    "EvidenceAddView",
    "EvidenceDownloadView",
    "EvidenceRemoveView",
    "ExportPlanView",
    "ImportPlanView",
    "InitiativeViews",
    "MakeCurrentView",
    "NewVersionView",
    "OutputBudgetViews",
    "OutputDetailView",
    "OutputLinkAddView",
    "OutputLinkRemoveView",
    "OutputViews",
    "OverviewView",
    "OwedView",
    "ProgressReportViews",
    "ReportFileView",
    "ReportStepView",
    "RoadmapViews",
]
