"""Evaluation periods: one instansi's evaluation of one year under one framework, and its stages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ChangeLoggedModel
from simpul.core.workflow import Transition, TransitionError, Workflow
from simpul.evaluation.models.frameworks import Framework


class PeriodStatus(models.TextChoices):
    PREPARATION = "preparation", _("preparation")
    SELF_ASSESSMENT = "self_assessment", _("self-assessment")
    INTERNAL_REVIEW = "internal_review", _("internal review")
    NATIONAL = "national", _("national evaluation")
    CLOSED = "closed", _("closed")


OPEN_PERIOD_STATUSES = (
    PeriodStatus.PREPARATION,
    PeriodStatus.SELF_ASSESSMENT,
    PeriodStatus.INTERNAL_REVIEW,
    PeriodStatus.NATIONAL,
)

# The error code of any change refused because its period is closed (a guard of the workflows, and the
# services that are not transitions: PIC assignment, national results).
PERIOD_CLOSED = "period_closed"


def ensure_open(period: EvaluationPeriod) -> None:
    """Refuse a change inside a closed period: its levels are final."""
    if period.is_closed:
        raise TransitionError(
            PERIOD_CLOSED, gettext("This evaluation period is closed; its assessments can no longer change.")
        )


# The stages are a signpost for everyone; only "closed" locks, and it is final. Going back a stage is
# possible while the period is open, with a note saying why.
PERIOD_WORKFLOW = Workflow(
    "evaluation_period",
    field="status",
    transitions=[
        Transition(
            "start_self_assessment",
            [PeriodStatus.PREPARATION],
            PeriodStatus.SELF_ASSESSMENT,
            label=_("Start the self-assessment"),
        ),
        Transition(
            "start_review",
            [PeriodStatus.SELF_ASSESSMENT],
            PeriodStatus.INTERNAL_REVIEW,
            label=_("Start the internal review"),
        ),
        Transition(
            "start_national",
            [PeriodStatus.INTERNAL_REVIEW],
            PeriodStatus.NATIONAL,
            label=_("Start the national evaluation"),
        ),
        Transition("close", OPEN_PERIOD_STATUSES, PeriodStatus.CLOSED, label=_("Close the period")),
        Transition(
            "back_to_preparation",
            [PeriodStatus.SELF_ASSESSMENT],
            PeriodStatus.PREPARATION,
            requires_note=True,
            label=_("Back to preparation"),
        ),
        Transition(
            "back_to_self_assessment",
            [PeriodStatus.INTERNAL_REVIEW, PeriodStatus.NATIONAL],
            PeriodStatus.SELF_ASSESSMENT,
            requires_note=True,
            label=_("Back to the self-assessment"),
        ),
        Transition(
            "back_to_review",
            [PeriodStatus.NATIONAL],
            PeriodStatus.INTERNAL_REVIEW,
            requires_note=True,
            label=_("Back to the internal review"),
        ),
    ],
)


class EvaluationPeriod(ChangeLoggedModel):
    """One instansi's SPBE evaluation of one year, under one framework."""

    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2015), MaxValueValidator(2100)])
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="periods"
    )
    status = models.CharField(_("stage"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.PREPARATION)
    self_assessment_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    review_due = models.DateField(_("internal review due"), null=True, blank=True)
    target_index = models.DecimalField(_("target index"), max_digits=4, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("notes"), blank=True)

    scope_instansi_path = "instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["-year", "instansi__name"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year"], name="evaluation_period_unique_year"),
        ]

    workflow = PERIOD_WORKFLOW

    def __str__(self) -> str:
        return _("SPBE evaluation %(year)s, %(instansi)s") % {"year": self.year, "instansi": self.instansi}

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED

    def clean(self):
        super().clean()
        if self.target_index is not None and self.framework_id:
            low, high = self.framework.scale_min, self.framework.scale_max
            if not low <= float(self.target_index) <= high:
                raise ValidationError(
                    {
                        "target_index": _("The target must lie on the framework's scale, %(low)s to %(high)s.")
                        % {"low": low, "high": high}
                    }
                )
