"""Home-page cards of the SPBE evaluation: what a PIC has to fill in, what waits for review, and the
latest Indeks SPBE for those who steer. Each card is one scoped query (counts ride along as window
aggregates), whatever the number of indicators.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, Count, IntegerField, Q, Sum, When, Window
from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.core.cards import Card
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    IndicatorAssessment,
    PeriodScore,
    PeriodStatus,
)
from simpul.evaluation.results import BASIS_RANK, YearResult, pick
from simpul.evaluation.services import SELF_EDITABLE

ITEMS_SHOWN = 5


def evaluation_cards(request) -> list[Card]:
    user = request.user
    if not permissions.has_model_permission(user, "view", EvaluationPeriod):
        return []
    cards = [pic_card(user), review_card(user), index_card(user)]
    return [card for card in cards if card is not None]


def _grants_for(user, action: str, model) -> list[permissions.Grant]:
    label = permissions.model_label(model)
    return [g for g in permissions.user_grants(user) if action in permissions.role_actions(g.role, label)]


def _open(queryset):
    return queryset.exclude(period__status=PeriodStatus.CLOSED)


def _period_url(period_id: int, **filters) -> str:
    url = reverse("evaluation:evaluationperiod_detail", args=[period_id])
    return f"{url}?{urlencode(filters)}" if filters else url


def _item(assessment: IndicatorAssessment, with_status: bool = False) -> tuple[str, str]:
    label = f"{assessment.period.year} · {assessment.item_key}. {assessment.indicator.name}"
    if with_status:
        label = f"{label} ({assessment.get_status_display()})"
    return label, reverse("evaluation:indicatorassessment_detail", args=[assessment.pk])


def pic_card(user) -> Card | None:
    """For an operator OPD as PIC: its indicators not started, in draft or returned, in open periods."""
    opd_ids = {g.opd_id for g in _grants_for(user, "change", IndicatorAssessment) if g.opd_id is not None}
    if not opd_ids:
        return None
    mine = permissions.restrict(IndicatorAssessment.objects.all(), user, "change").filter(
        Q(pic_id__in=opd_ids) | Q(pic_user=user), status__in=SELF_EDITABLE
    )
    rows = list(
        _open(mine)
        .select_related("indicator", "period")
        .annotate(
            total=Window(Count("pk")),
            returned=Window(
                Sum(Case(When(status=AssessmentStatus.RETURNED, then=1), default=0, output_field=IntegerField()))
            ),
        )
        # Returned ones first: a reviewer waits for them.
        .order_by(
            Case(When(status=AssessmentStatus.RETURNED, then=0), default=1, output_field=IntegerField()),
            "-period__year",
            "indicator__number",
            "item_key",
        )[:ITEMS_SHOWN]
    )
    count = rows[0].total if rows else 0
    returned = rows[0].returned if rows else 0
    if not rows:
        text, url = _("Every indicator of your OPD has been submitted."), reverse("evaluation:overview")
    else:
        text = _("Give each a level, a justification and evidence, then submit it for review.")
        if returned:
            first = _("%(returned)d returned with a reviewer's note: correct and resubmit them first.")
            text = f"{first % {'returned': returned}} {text}"
        filters = {"pic": next(iter(opd_ids))} if len(opd_ids) == 1 else {}
        url = _period_url(rows[0].period_id, **filters)
    return Card(
        _("Evaluation indicators for you to fill in"),
        count,
        text,
        url,
        "warning" if returned else ("primary" if count else "success"),
        items=[_item(a, with_status=a.status == AssessmentStatus.RETURNED) for a in rows],
    )


def review_card(user) -> Card | None:
    """For the internal evaluators: self-assessments submitted and waiting for a decision."""
    if not _grants_for(user, "review", IndicatorAssessment):
        return None
    waiting = permissions.restrict(IndicatorAssessment.objects.all(), user, "review").filter(
        status=AssessmentStatus.SUBMITTED
    )
    rows = list(
        _open(waiting)
        .select_related("indicator", "period")
        .annotate(total=Window(Count("pk")))
        .order_by("submitted_at", "pk")[:ITEMS_SHOWN]
    )
    count = rows[0].total if rows else 0
    if rows:
        text = _("Accept each, or return it to its PIC with a note.")
        url = _period_url(rows[0].period_id, status=AssessmentStatus.SUBMITTED)
    else:
        text, url = _("No self-assessment waits for review."), reverse("evaluation:overview")
    return Card(
        _("Assessments waiting for review"),
        count,
        text,
        url,
        "warning" if count else "success",
        items=[_item(a) for a in rows],
    )


def index_card(user) -> Card | None:
    """For the Tim Koordinasi, pimpinan and evaluators: the Indeks SPBE of the latest year of their instansi
    whose result is complete, the value standing for that year (`results.pick`) with its basis."""
    instansi_ids = {g.instansi_id for g in _grants_for(user, "view", PeriodScore) if g.opd_id is None}
    if not instansi_ids:
        return None
    # Every score of the instansi's periods, each period's best basis first: the rule of `results.pick`
    # applied in one query, then the latest period whose standing result is complete.
    scores = (
        permissions.restrict(PeriodScore.objects.all(), user, "view")
        .filter(period__instansi_id__in=instansi_ids)
        .select_related("period__instansi")
        .defer("domains", "aspects")
        .order_by("period__instansi__name", "period__instansi_id", "-period__year", "period_id", BASIS_RANK)
    )
    by_period: dict[int, list[PeriodScore]] = {}
    for score in scores:
        by_period.setdefault(score.period_id, []).append(score)
    latest: dict[int, tuple[PeriodScore, YearResult]] = {}
    for period_scores in by_period.values():
        result = pick(period_scores)
        instansi_id = period_scores[0].period.instansi_id
        if result is not None and result.complete and instansi_id not in latest:
            latest[instansi_id] = (period_scores[0], result)
    if not latest:
        return Card(
            _("SPBE index"),
            "–",
            _("No evaluation has a complete result yet. Start one on the evaluation page."),
            reverse("evaluation:overview"),
            "secondary",
        )
    several = len(latest) > 1
    lines = []
    for score, result in latest.values():
        line = f"{score.period.year} · {result.label}"
        lines.append((f"{score.period.instansi}: {line}" if several else line, result))
    first = lines[0][1]
    return Card(
        _("SPBE index"),
        first.index_text,
        lines[0][0],
        _period_url(first.period_id),
        "info",
        items=[(text, _period_url(result.period_id)) for text, result in lines[1:]],
    )
