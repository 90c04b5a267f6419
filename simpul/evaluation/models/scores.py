"""The index of a period, stored per basis (self-assessment, final internal, national)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.evaluation.models.periods import EvaluationPeriod


class ScoreBasis(models.TextChoices):
    SELF = "self", _("self-assessment")
    INTERNAL = "internal", _("final internal")
    NATIONAL = "national", _("national")


# The most authoritative result of a period first: the national one once there is one, else the internal one.
BASES_BEST_FIRST = (ScoreBasis.NATIONAL, ScoreBasis.INTERNAL, ScoreBasis.SELF)


class PeriodScore(models.Model):
    """The index of a period on one basis, stored on every change so history and charts read it directly."""

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="scores"
    )
    basis = models.CharField(_("basis"), max_length=10, choices=ScoreBasis.choices)
    index = models.DecimalField(_("index"), max_digits=5, decimal_places=2)
    raw_index = models.FloatField(_("unrounded index"))
    predicate = models.CharField(_("predicate"), max_length=40, blank=True)
    domains = models.JSONField(_("domain indices"), default=dict)
    aspects = models.JSONField(_("aspect indices"), default=dict)
    assessed = models.PositiveSmallIntegerField(_("items with a level"))
    total = models.PositiveSmallIntegerField(_("items"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    scope_instansi_path = "period__instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("index result")
        verbose_name_plural = _("index results")
        constraints = [models.UniqueConstraint(fields=["period", "basis"], name="evaluation_score_unique_basis")]

    @property
    def complete(self) -> bool:
        return self.assessed == self.total
