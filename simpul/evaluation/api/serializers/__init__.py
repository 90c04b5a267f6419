"""Serializers of the evaluation API.

Framework details come from the framework document (`Framework.spec`), the same object the scoring
and the UI read, so the API shows exactly the weights and level texts that are used to compute.
Workflow inputs are plain serializers whose data is handed to `simpul.evaluation.services`.

One module per subject: `frameworks`, `periods`, `assessments` (with their step inputs and the national
stage results), `evidence`, `scores` (stored and computed indices), `actions` (with planning them),
`workflow` (step inputs, workflow events, refusing status writes) and `common` (shared fields and bases).
Import from here: `serializers.X`.
"""

from simpul.evaluation.api.serializers.actions import (
    ImprovementActionSerializer,
    PlanActionsInputSerializer,
    PlannedActionsSerializer,
    PlannedRaiseSerializer,
)
from simpul.evaluation.api.serializers.assessments import (
    AssignInputSerializer,
    BulkAssignInputSerializer,
    IndicatorAssessmentSerializer,
    NationalResultInputSerializer,
    NationalStageResultSerializer,
    ReviewInputSerializer,
    SelfAssessmentInputSerializer,
)
from simpul.evaluation.api.serializers.common import ScopedInputSerializer, _level_field
from simpul.evaluation.api.serializers.evidence import EvidenceSerializer
from simpul.evaluation.api.serializers.frameworks import (
    EvaluationAspectSerializer,
    EvaluationDomainSerializer,
    EvaluationIndicatorSerializer,
    EvaluationLevelSerializer,
    EvaluationPredicateSerializer,
    FrameworkDetailSerializer,
    FrameworkSerializer,
)
from simpul.evaluation.api.serializers.periods import EvaluationPeriodSerializer
from simpul.evaluation.api.serializers.scores import (
    ComputeRequestSerializer,
    ComputeResultSerializer,
    PeriodScoreSerializer,
    PeriodScoreSummarySerializer,
    YearResultSerializer,
)
from simpul.evaluation.api.serializers.workflow import (
    NoteInputSerializer,
    TransitionInputSerializer,
    WorkflowEventSerializer,
    refuse_status_change,
)

__all__ = [
    "AssignInputSerializer",
    "BulkAssignInputSerializer",
    "ComputeRequestSerializer",
    "ComputeResultSerializer",
    "EvaluationAspectSerializer",
    "EvaluationDomainSerializer",
    "EvaluationIndicatorSerializer",
    "EvaluationLevelSerializer",
    "EvaluationPeriodSerializer",
    "EvaluationPredicateSerializer",
    "EvidenceSerializer",
    "FrameworkDetailSerializer",
    "FrameworkSerializer",
    "ImprovementActionSerializer",
    "IndicatorAssessmentSerializer",
    "NationalResultInputSerializer",
    "NationalStageResultSerializer",
    "NoteInputSerializer",
    "PeriodScoreSerializer",
    "PeriodScoreSummarySerializer",
    "PlanActionsInputSerializer",
    "PlannedActionsSerializer",
    "PlannedRaiseSerializer",
    "ReviewInputSerializer",
    "ScopedInputSerializer",
    "SelfAssessmentInputSerializer",
    "TransitionInputSerializer",
    "WorkflowEventSerializer",
    "YearResultSerializer",
    "_level_field",
    "refuse_status_change",
]
