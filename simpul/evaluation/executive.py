"""The evaluation's part of the executive dashboard (`SimpulModule.executive_sections`).

Two sections, computed from the records the user may view:

- **Indeks SPBE**: the latest year whose result is complete, the value standing for that year
  (`results.pick`: national, else final internal, else self-assessment) with its basis; the year in
  progress beside it (its value is provisional while items lack a level, and says so); the target; the
  change from the year before only when both years are complete on the same basis; and the trend, one point
  per year, each carrying its basis (the chart joins two points as one measure only on the same basis).
- **Indicators** of the latest period by state (for an OPD's report card: the indicators the OPD is PIC
  of), with those overdue and the open improvement actions.

Every figure links to the page that explains it (the period, filtered to the state or the OPD).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.core.executive import Figure, Section
from simpul.evaluation.models import (
    SELF_EDITABLE,
    ActionStatus,
    AssessmentStatus,
    EvaluationPeriod,
    ImprovementAction,
    IndicatorAssessment,
    PeriodScore,
)
from simpul.evaluation.results import YearResult, format_index, pick

OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
# How each state of an indicator reads on the dashboard: done, waiting for others, or to be done.
STATUS_TONES = {
    AssessmentStatus.NOT_STARTED: "warn",
    AssessmentStatus.DRAFT: "",
    AssessmentStatus.SUBMITTED: "",
    AssessmentStatus.RETURNED: "bad",
    AssessmentStatus.ACCEPTED: "good",
}


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def sections(user, instansi, opd=None) -> list[Section]:
    """The Indeks SPBE and the indicators' states of `instansi` (or of `opd`, a PerangkatDaerah, as PIC)."""
    if not permissions.has_model_permission(user, "view", EvaluationPeriod):
        return []
    periods = list(
        permissions.restrict(EvaluationPeriod.objects.filter(instansi=instansi), user, "view")
        .select_related("framework")
        .order_by("year")
    )
    if not periods:
        overview = reverse("evaluation:overview")
        return [
            Section(
                "evaluation",
                _("Indeks SPBE"),
                figures=[
                    Figure(
                        _("Indeks SPBE"),
                        None,
                        overview,
                        _("No evaluation period yet: the Admin SPBE starts one on the evaluation page."),
                    )
                ],
                url=overview,
                order=10,
            )
        ]
    results = _year_results(user, periods)
    return [index_section(periods, results, opd), indicator_section(user, periods[-1], opd)]


def _year_results(user, periods: list[EvaluationPeriod]) -> dict[int, YearResult]:
    """The result standing for each period's year (`results.pick`), among the scores the user may view."""
    scores = permissions.restrict(PeriodScore.objects.filter(period__in=periods), user, "view").defer(
        "domains", "aspects"
    )
    grouped: dict[int, list[PeriodScore]] = {}
    for score in scores:
        grouped.setdefault(score.period_id, []).append(score)
    return {period_id: result for period_id, found in grouped.items() if (result := pick(found)) is not None}


def _tone(result: YearResult, target) -> str:
    if target is None or result.provisional:
        return ""
    return "good" if result.index >= target else "warn"


def index_section(periods: list[EvaluationPeriod], results: dict[int, YearResult], opd=None) -> Section:
    """The latest complete Indeks SPBE, the year in progress, the target, the change and the trend."""
    detail = {period.pk: reverse("evaluation:evaluationperiod_detail", args=[period.pk]) for period in periods}
    complete = [period for period in periods if period.pk in results and results[period.pk].complete]
    with_result = [period for period in periods if period.pk in results]
    # The headline is the latest complete year; without one, the latest year with any value (provisional).
    headline = (complete or with_result or [None])[-1]
    latest = periods[-1]
    figures = []
    if headline is None:
        figures.append(
            Figure(
                _("Indeks SPBE"),
                None,
                detail[latest.pk],
                _("No level has been recorded yet, so there is no index."),
            )
        )
    else:
        result = results[headline.pk]
        figures.append(
            Figure(
                _("Indeks SPBE %(year)s") % {"year": headline.year},
                result.value_text,
                detail[headline.pk],
                result.basis_text,
                _tone(result, headline.target_index),
            )
        )
    if headline is not None and latest.pk != headline.pk:
        current = results.get(latest.pk)
        stage = _("stage: %(stage)s") % {"stage": latest.get_status_display()}
        figures.append(
            Figure(
                _("Evaluation %(year)s (in progress)") % {"year": latest.year},
                current.value_text if current else None,
                detail[latest.pk],
                f"{current.basis_text if current else _('no level recorded yet')} · {stage}",
            )
        )
    target_period = latest if latest.target_index is not None else headline
    if target_period is not None and target_period.target_index is not None:
        figures.append(
            Figure(
                _("Target %(year)s") % {"year": target_period.year},
                format_index(target_period.target_index),
                detail[target_period.pk],
                _("the target index of the evaluation period"),
            )
        )
    change = _change(complete, results)
    if change is not None:
        figures.append(change)
    trend = [
        {
            "label": str(period.year),
            "value": float(results[period.pk].index) if period.pk in results else None,
            "basis": results[period.pk].basis_label if period.pk in results else "",
            "display": results[period.pk].value_text if period.pk in results else "",
            "note": results[period.pk].basis_text if period.pk in results else _("no level recorded yet"),
            "provisional": period.pk in results and results[period.pk].provisional,
            "url": detail[period.pk],
        }
        for period in periods
    ]
    note = _("The index of the whole instansi.") if opd is not None else ""
    return Section(
        "evaluation",
        _("Indeks SPBE"),
        figures=figures,
        url=_url("evaluation:trend", instansi=periods[0].instansi_id),
        trend=trend,
        order=10,
        note=note,
    )


def _change(complete: list[EvaluationPeriod], results: dict[int, YearResult]) -> Figure | None:
    """The change of the latest complete year from the complete year before it, only on the same basis."""
    if len(complete) < 2:
        return None
    before, after = results[complete[-2].pk], results[complete[-1].pk]
    if before.basis != after.basis:
        return None
    delta = after.index - before.index
    sign = "+" if delta > 0 else ""
    return Figure(
        _("Change from %(year)s") % {"year": complete[-2].year},
        f"{sign}{format_index(delta)}",
        _url("evaluation:trend", instansi=complete[-1].instansi_id, basis=after.basis),
        _("both years on the basis: %(basis)s") % {"basis": after.basis_label},
        "good" if delta > 0 else ("bad" if delta < 0 else ""),
    )


def indicator_section(user, period: EvaluationPeriod, opd=None) -> Section:
    """The indicators of the latest period by state (the OPD's as PIC), the overdue ones and open actions."""
    visible = permissions.restrict(IndicatorAssessment.objects.filter(period=period), user, "view")
    if opd is not None:
        visible = visible.filter(pic=opd)
    today = timezone.localdate()
    late = Q(status__in=SELF_EDITABLE) & (
        Q(due_date__lt=today) | Q(due_date__isnull=True, period__self_assessment_due__lt=today)
    )
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    overdue = 0 if period.is_closed else visible.filter(late).count()
    pic = opd.pk if opd is not None else None
    detail = "evaluation:evaluationperiod_detail"
    if opd is None:
        title = _("Evaluation %(year)s: indicators") % {"year": period.year}
    else:
        title = _("Evaluation %(year)s: indicators of %(opd)s as PIC") % {"year": period.year, "opd": opd}
    figures = [
        Figure(
            _("Indicators") if opd is None else _("Indicators as PIC"),
            str(total),
            _url(detail, period.pk, pic=pic),
            _("stage: %(stage)s") % {"stage": period.get_status_display()},
        ),
        Figure(
            _("Accepted"),
            _("%(count)s of %(total)s") % {"count": counts.get(AssessmentStatus.ACCEPTED, 0), "total": total},
            _url(detail, period.pk, pic=pic, status=AssessmentStatus.ACCEPTED),
            _("final internal level fixed"),
            "good" if total and counts.get(AssessmentStatus.ACCEPTED, 0) == total else "",
        ),
    ]
    if not period.is_closed:
        figures.append(
            Figure(
                _("Overdue"),
                str(overdue),
                _url(detail, period.pk, pic=pic),
                _("past the self-assessment deadline and not yet submitted"),
                "bad" if overdue else "good",
            )
        )
    figures.append(_actions_figure(user, period, opd))
    rows = [
        {
            "label": str(status.label),
            "value": counts.get(status, 0),
            "max": total,
            "url": _url(detail, period.pk, pic=pic, status=status),
            "tone": STATUS_TONES[status] if counts.get(status, 0) else "",
        }
        for status in AssessmentStatus
    ]
    empty = (
        _("%(opd)s is PIC of no indicator of this period.") % {"opd": opd}
        if opd is not None
        else _("No indicator of this period is visible to you.")
    )
    return Section(
        "evaluation.indicators",
        title,
        figures=figures,
        url=_url(detail, period.pk, pic=pic),
        rows=rows if total else [],
        order=20,
        note="" if total else empty,
        row_headers=(_("State"), _("Indicators")),
    )


def _actions_figure(user, period: EvaluationPeriod, opd=None) -> Figure:
    """The open improvement actions of the instansi (the OPD's own), with how many are past their due date."""
    actions = permissions.restrict(
        ImprovementAction.objects.filter(period__instansi_id=period.instansi_id, status__in=OPEN_ACTIONS),
        user,
        "view",
    )
    if opd is not None:
        actions = actions.filter(owner=opd)
    today = timezone.localdate()
    summary = actions.aggregate(
        total=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)), periods=Count("period", distinct=True)
    )
    # The actions page is per period: the latest period that has open actions, else the current one.
    where = actions.order_by("-period__year").values_list("period_id", flat=True).first() or period.pk
    note = _("%(late)s past their due date") % {"late": summary["late"]}
    if summary["periods"] > 1:
        note = f"{note} · " + _("planned in %(count)s periods") % {"count": summary["periods"]}
    return Figure(
        _("Open improvement actions"),
        str(summary["total"]),
        _url("evaluation:period_actions", where, owner=opd.pk if opd is not None else None),
        note,
        "bad" if summary["late"] else "",
    )
