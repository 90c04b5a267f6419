"""Indicator assessments: the PIC's self-assessment, its internal review, and the national stages' levels."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ChangeLoggedModel
from simpul.core.workflow import Transition, Workflow
from simpul.evaluation.models.frameworks import Indicator
from simpul.evaluation.models.periods import EvaluationPeriod, ensure_open


def _period_open(user, assessment: IndicatorAssessment) -> None:
    ensure_open(assessment.period)


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")


# The states in which the PIC writes the self-assessment.
SELF_EDITABLE = (AssessmentStatus.NOT_STARTED, AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)

# The PIC ("change") writes and submits; a reviewer ("review") accepts or returns. Nothing moves once the
# period is closed: that is the step that makes every level final.
ASSESSMENT_WORKFLOW = Workflow(
    "indicator_assessment",
    field="status",
    transitions=[
        Transition("save_draft", SELF_EDITABLE, AssessmentStatus.DRAFT, guard=_period_open, label=_("Save draft")),
        Transition(
            "submit", SELF_EDITABLE, AssessmentStatus.SUBMITTED, guard=_period_open, label=_("Submit for review")
        ),
        # Taking a submission back before anyone reviewed it, e.g. to add evidence that was forgotten.
        Transition(
            "withdraw",
            [AssessmentStatus.SUBMITTED],
            AssessmentStatus.DRAFT,
            guard=_period_open,
            label=_("Withdraw the submission"),
        ),
        Transition(
            "accept",
            [AssessmentStatus.SUBMITTED],
            AssessmentStatus.ACCEPTED,
            permission="review",
            guard=_period_open,
            label=_("Accept"),
        ),
        Transition(
            "return",
            [AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED],
            AssessmentStatus.RETURNED,
            permission="review",
            requires_note=True,
            guard=_period_open,
            label=_("Return to the PIC"),
        ),
    ],
)


class IndicatorAssessment(ChangeLoggedModel):
    """One indicator (or one part of it, e.g. 5/2018 #35-2) of one evaluation period.

    The PIC records the self-assessment; a reviewer accepts it (fixing the final internal level) or
    returns it with a note. Changes go through `simpul.evaluation.services`, which enforce that order.
    """

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="assessments"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(
        _("item"), max_length=16, help_text=_("The indicator number, or its part (e.g. 35-2) when assessed in parts.")
    )
    pic = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("person in charge (OPD)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pic_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(
        _("due"),
        null=True,
        blank=True,
        help_text=_("The self-assessment deadline of this indicator; empty: the period's."),
    )
    subject = models.CharField(
        _("assessed subject"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the public service assessed for this part."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.NOT_STARTED
    )
    self_level = models.DecimalField(_("self-assessed level"), max_digits=4, decimal_places=2, null=True, blank=True)
    self_justification = models.TextField(_("justification"), blank=True)
    self_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("self-assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    final_level = models.DecimalField(_("final internal level"), max_digits=4, decimal_places=2, null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    national_level = models.DecimalField(
        _("national level"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The level of the latest national stage recorded."),
    )
    effort = models.PositiveSmallIntegerField(
        _("effort per level"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How hard one level up is, from 1 (easy) to 10 (very hard); used by the planner."),
    )
    satisfaction_x = models.DecimalField(
        _("satisfaction value x"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-4), MaxValueValidator(4)],
        help_text=_("Mean perceived benefit minus mean perceived cost (−4 to +4), for survey-scored indicators."),
    )

    scope_instansi_path = "period__instansi"
    scope_opd_path = "pic"

    class Meta:
        verbose_name = _("indicator assessment")
        verbose_name_plural = _("indicator assessments")
        ordering = ["period", "indicator__number", "item_key"]
        constraints = [
            models.UniqueConstraint(fields=["period", "item_key"], name="evaluation_assessment_unique_item"),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    workflow = ASSESSMENT_WORKFLOW

    def __str__(self) -> str:
        return f"{self.item_key}. {self.indicator.name}"

    @property
    def is_part(self) -> bool:
        return self.item_key != str(self.indicator.number)

    @property
    def effective_due(self):
        """The self-assessment deadline: the indicator's own, else its period's (None: no deadline)."""
        return self.due_date or self.period.self_assessment_due

    @property
    def overdue(self) -> bool:
        """Past its deadline and not yet handed over (submitted or accepted)."""
        due = self.effective_due
        return bool(due and due < timezone.localdate() and self.status in SELF_EDITABLE)


class NationalStage(models.TextChoices):
    DOCUMENT = "document", _("document assessment")
    INTERVIEW = "interview", _("interview")
    FIELD = "field", _("field validation")


# The stages in the order they happen: the latest one recorded gives the national level.
NATIONAL_STAGE_ORDER = (NationalStage.DOCUMENT, NationalStage.INTERVIEW, NationalStage.FIELD)


class NationalStageResult(ChangeLoggedModel):
    """What the national evaluators gave an indicator at one stage."""

    assessment = models.ForeignKey(
        IndicatorAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="national_results"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=NationalStage.choices)
    level = models.DecimalField(_("level"), max_digits=4, decimal_places=2)
    notes = models.TextField(_("evaluator's notes"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    assessed_on = models.DateField(_("date"), null=True, blank=True)

    scope_instansi_path = "assessment__period__instansi"
    scope_opd_path = "assessment__pic"

    class Meta:
        verbose_name = _("national stage result")
        verbose_name_plural = _("national stage results")
        ordering = ["assessment", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "stage"], name="evaluation_national_unique_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.get_stage_display()}"
