"""Improvement actions: the planned one-level raises of indicators, with their owner OPD and status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import OwnedModel
from simpul.core.workflow import Transition, Workflow
from simpul.evaluation.models.frameworks import Indicator
from simpul.evaluation.models.periods import EvaluationPeriod


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


# The owner OPD (or the evaluator team) moves its actions; actions outlive the period they were planned
# from (they raise next year's levels), so a closed period does not stop them.
ACTION_WORKFLOW = Workflow(
    "improvement_action",
    field="status",
    transitions=[
        Transition("start", [ActionStatus.PLANNED], ActionStatus.IN_PROGRESS, label=_("Start")),
        Transition(
            "complete",
            [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
            ActionStatus.DONE,
            label=_("Mark as done"),
        ),
        Transition("drop", [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS], ActionStatus.DROPPED, label=_("Drop")),
        Transition("reopen", [ActionStatus.DONE], ActionStatus.IN_PROGRESS, label=_("Reopen")),
        Transition("restore", [ActionStatus.DROPPED], ActionStatus.PLANNED, label=_("Plan again")),
    ],
)


class ImprovementAction(OwnedModel):
    """A planned one-level raise of an indicator, with an owner OPD and a due date.

    It is the plain action list of the planner; once the roadmap module exists, actions move there.
    """

    Status = ActionStatus

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="actions"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(_("item"), max_length=16)
    from_level = models.PositiveSmallIntegerField(_("from level"))
    to_level = models.PositiveSmallIntegerField(_("to level"))
    title = models.CharField(_("action"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_date", "indicator__number"]

    workflow = ACTION_WORKFLOW

    def __str__(self) -> str:
        return self.title
