"""Pages of the evaluation module, one module per part of it; `urls.py` takes the views from here.

The views stay thin: what a user may see comes from `permissions.restrict`, every change from
`simpul.evaluation.services` (evidence: `simpul.evaluation.evidence`).
"""

from simpul.evaluation.views.actions import ActionListView, ActionStatusView
from simpul.evaluation.views.analysis import ComparisonView, IndicatorHistoryView, PeriodAnalysisView, TrendView
from simpul.evaluation.views.assessments import (
    AssessmentViews,
    NationalResultView,
    ReviewView,
    SelfAssessmentView,
    WithdrawView,
)
from simpul.evaluation.views.evidence import (
    EvidenceAddView,
    EvidenceDeleteView,
    EvidenceDownloadView,
    EvidenceView,
    HintAcceptView,
    HintsView,
    RecordSearchView,
)
from simpul.evaluation.views.frameworks import FrameworkUploadView, FrameworkViews
from simpul.evaluation.views.overview import OverviewView
from simpul.evaluation.views.periods import PeriodAssignView, PeriodTransitionView, PeriodViews
from simpul.evaluation.views.planner import EffortView, PlannerView, PlanToActionsView, WhatIfView
from simpul.evaluation.views.reports import PeriodReportView

__all__ = [
    "ActionListView",
    "ActionStatusView",
    "AssessmentViews",
    "ComparisonView",
    "EffortView",
    "EvidenceAddView",
    "EvidenceDeleteView",
    "EvidenceDownloadView",
    "EvidenceView",
    "FrameworkUploadView",
    "FrameworkViews",
    "HintAcceptView",
    "HintsView",
    "IndicatorHistoryView",
    "NationalResultView",
    "OverviewView",
    "PeriodAnalysisView",
    "PeriodAssignView",
    "PeriodReportView",
    "PeriodTransitionView",
    "PeriodViews",
    "PlanToActionsView",
    "PlannerView",
    "RecordSearchView",
    "ReviewView",
    "SelfAssessmentView",
    "TrendView",
    "WhatIfView",
    "WithdrawView",
]
