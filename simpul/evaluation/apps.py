from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.links import LinkableType
from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import ALL, VIEW

# The evaluation frameworks are national data: read by all, loaded by the Admin SPBE.
_FRAMEWORKS_READ_ONLY = {
    "evaluation.framework": VIEW,
    "evaluation.domain": VIEW,
    "evaluation.aspect": VIEW,
    "evaluation.indicator": VIEW,
    "evaluation.crosswalk": VIEW,
}
# Reviewers accept or return self-assessments and assign PICs ("review"), but do not write them ("change").
_REVIEW_ONLY = frozenset({"view", "review"})
# The evaluator team collects evidence for an indicator; removing it stays with those who may change
# the assessment (its PIC's operator, the Admin SPBE), so that what is judged is what the PIC handed in.
_EVIDENCE_COLLECTOR = frozenset({"view", "add"})


class EvaluationConfig(SimpulModule, AppConfig):
    """The internal SPBE evaluation: periods, self-assessments with evidence, review, index, follow-up."""

    name = "simpul.evaluation"
    label = "evaluation"
    verbose_name = _("SPBE evaluation")

    order = 20
    navigation = (NavEntry(_("Evaluation"), "evaluation:overview", "evaluation.evaluationperiod"),)
    grants = {
        "admin_spbe": {"evaluation.*": ALL | {"review"}},
        "koordinator": {"evaluation.*": VIEW},
        "evaluator_pj": {
            "evaluation.*": ALL | {"review"},
            **_FRAMEWORKS_READ_ONLY,
            "evaluation.indicatorassessment": _REVIEW_ONLY,
            "evaluation.evidence": _EVIDENCE_COLLECTOR,
        },
        "evaluator_pengumpul": {"evaluation.*": VIEW, "evaluation.evidence": _EVIDENCE_COLLECTOR},
        "evaluator_analis": {
            "evaluation.*": VIEW,
            "evaluation.indicatorassessment": _REVIEW_ONLY,
            "evaluation.improvementaction": ALL,
        },
        "evaluator_operator": {
            "evaluation.*": VIEW,
            "evaluation.nationalstageresult": ALL,
            "evaluation.evidence": _EVIDENCE_COLLECTOR,
        },
        # As PIC of evaluation indicators: fills in its own, with evidence; the rest is read-only.
        "operator_opd": {
            "evaluation.*": VIEW,
            "evaluation.indicatorassessment": frozenset({"view", "change"}),
            "evaluation.evidence": ALL,
            "evaluation.improvementaction": frozenset({"view", "change"}),
        },
        "pimpinan": {"evaluation.*": VIEW},
        "auditor": {"evaluation.*": VIEW},
        "asn": _FRAMEWORKS_READ_ONLY,
    }
    home_cards = "simpul.evaluation.cards.evaluation_cards"
    executive_sections = "simpul.evaluation.executive.sections"
    demo_loader = "simpul.evaluation.demo.load"
    demo_requires = ("organizations", "architecture")
    # Indicators other modules link to: a roadmap output names the indicators it should raise.
    linkable_types = (
        LinkableType(
            "evaluation.indicator",
            "evaluation.Indicator",
            _("Evaluation: indicators"),
            search_fields=("name", "code"),
            filters={"framework__is_active": True},
            detail="framework",
            select_related=("framework",),
        ),
    )
    urls = "simpul.evaluation.urls"
    api_urls = "simpul.evaluation.api.urls"
