"""Internal SPBE evaluation: frameworks (as data), evaluation periods, indicator assessments, evidence.

A framework is national data loaded from a file (`simpul.evaluation.frameworks` checks it); its domains,
aspects and indicators are also kept as rows so that assessments, crosswalks and filters can refer to
them. An evaluation period is one instansi's evaluation of one year under one framework. Each indicator
is assessed by its PIC (an OPD), reviewed internally, and then given levels at the national stages.

One module per subject: `frameworks` (the framework and its domains, aspects, indicators, crosswalks),
`periods` (the period and its stages), `assessments` (the indicator assessments, their workflow and the
national stage results), `evidence`, `scores` (the stored index of a period) and `actions` (improvement
actions). Import from here: `simpul.evaluation.models.X`; migrations refer to `evidence_file_path` here.
"""

# Not sorted: Django registers the models in the order they are imported, and the permission page
# (docs/permissions.md) and the backup list them in that order.
# isort: off
from simpul.evaluation.models.frameworks import (
    _SPEC_CACHE,
    Aspect,
    Crosswalk,
    Domain,
    Framework,
    FrameworkDocument,
    Indicator,
    VerificationStatus,
)
from simpul.evaluation.models.periods import (
    OPEN_PERIOD_STATUSES,
    PERIOD_CLOSED,
    PERIOD_WORKFLOW,
    EvaluationPeriod,
    PeriodStatus,
    ensure_open,
)
from simpul.evaluation.models.assessments import (
    ASSESSMENT_WORKFLOW,
    NATIONAL_STAGE_ORDER,
    SELF_EDITABLE,
    AssessmentStatus,
    IndicatorAssessment,
    NationalStage,
    NationalStageResult,
    _period_open,
)
from simpul.evaluation.models.evidence import Evidence, evidence_file_path
from simpul.evaluation.models.scores import BASES_BEST_FIRST, PeriodScore, ScoreBasis
from simpul.evaluation.models.actions import ACTION_WORKFLOW, ActionStatus, ImprovementAction
# isort: on

__all__ = [
    "ACTION_WORKFLOW",
    "ASSESSMENT_WORKFLOW",
    "BASES_BEST_FIRST",
    "NATIONAL_STAGE_ORDER",
    "OPEN_PERIOD_STATUSES",
    "PERIOD_CLOSED",
    "PERIOD_WORKFLOW",
    "SELF_EDITABLE",
    "_SPEC_CACHE",
    "ActionStatus",
    "Aspect",
    "AssessmentStatus",
    "Crosswalk",
    "Domain",
    "EvaluationPeriod",
    "Evidence",
    "Framework",
    "FrameworkDocument",
    "ImprovementAction",
    "Indicator",
    "IndicatorAssessment",
    "NationalStage",
    "NationalStageResult",
    "PeriodScore",
    "PeriodStatus",
    "ScoreBasis",
    "VerificationStatus",
    "_period_open",
    "ensure_open",
    "evidence_file_path",
]
