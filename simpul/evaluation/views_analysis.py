"""Analysis pages of the evaluation: charts of a period, the trend of an instansi, the comparison between
instansi, the history of one indicator across frameworks, the planner with "what if", and the action list.

What a user sees comes from `permissions.restrict`; the index is always `scoring.compute` (through
`planner`), and actions are created and changed through `simpul.core.services`.
"""

from __future__ import annotations

import datetime
import itertools
from collections import deque
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.core import permissions
from simpul.core import services as core_services
from simpul.evaluation import charts, planner, scoring, services
from simpul.evaluation.models import (
    Crosswalk,
    EvaluationPeriod,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    PeriodScore,
    ScoreBasis,
)
from simpul.organizations.models import Instansi, PerangkatDaerah

BASIS_ORDER = (ScoreBasis.SELF, ScoreBasis.INTERNAL, ScoreBasis.NATIONAL)
# The "best available" result of a period: the national one once there is one, else the internal one.
BEST_FIRST = (ScoreBasis.NATIONAL, ScoreBasis.INTERNAL, ScoreBasis.SELF)
BASIS_COLOURS = dict(zip(BASIS_ORDER, charts.SERIES_COLOURS, strict=False))
LEVEL_FIELDS = {"self": "self_level", "internal": "final_level", "national": "national_level"}
MAX_EFFORT = 10


def _period_for(user, pk: int) -> EvaluationPeriod:
    queryset = EvaluationPeriod.objects.select_related("instansi", "framework")
    return get_object_or_404(permissions.restrict(queryset, user, "view"), pk=pk)


def _sees_every_indicator(user, period: EvaluationPeriod) -> bool:
    """The planner shows every indicator's level, so it is for those who may view all of them."""
    every = IndicatorAssessment.objects.filter(period=period)
    return permissions.restrict(every, user, "view").count() == every.count()


def _best_score(scores, basis: str = "best") -> PeriodScore | None:
    by_basis = {score.basis: score for score in scores}
    if basis != "best":
        return by_basis.get(basis)
    return next((by_basis[b] for b in BEST_FIRST if b in by_basis), None)


def _basis_choices(best: bool = True) -> list[tuple[str, str]]:
    choices = [(basis.value, basis.label) for basis in BEST_FIRST]
    return (
        [("best", gettext_lazy("latest available (national, else internal, else self)")), *choices] if best else choices
    )


# --- Analysis of a period -------------------------------------------------------------------------


class PeriodAnalysisView(LoginRequiredMixin, View):
    """Domain and aspect values per basis, as bars side by side and as a table."""

    template_name = "evaluation/analysis_period.html"

    def get(self, request, pk):
        period = _period_for(request.user, pk)
        spec = period.framework.spec
        scores = {score.basis: score for score in period.scores.all()}
        present = [basis for basis in BASIS_ORDER if basis in scores]
        bands = charts.predicate_bands(spec)
        series_of = {
            level: [
                charts.Series(basis.value, basis.label, getattr(scores[basis], level), BASIS_COLOURS[basis])
                for basis in present
            ]
            for level in ("domains", "aspects")
        }
        domain_chart = aspect_chart = None
        if present and spec.domains:
            domain_chart = charts.grouped_bars(
                _("Index per domain"),
                [(domain.code, domain.name) for domain in spec.domains],
                series_of["domains"],
                spec.scale_min,
                spec.scale_max,
                bands,
            )
        if present:
            aspect_chart = charts.grouped_bars(
                _("Index per aspect"),
                [(aspect.code, aspect.name) for aspect in spec.aspects],
                series_of["aspects"],
                spec.scale_min,
                spec.scale_max,
                bands,
            )
        value_rows = []
        for domain in spec.domains or [None]:
            if domain is not None:
                value_rows.append(_value_row(domain, "domains", scores, domain=True))
            for aspect in spec.aspects:
                if domain is None or aspect.domain == domain.code:
                    value_rows.append(_value_row(aspect, "aspects", scores))
        context = {
            "period": period,
            "spec": spec,
            "value_rows": value_rows,
            "scores": [{"basis": basis, "label": basis.label, "score": scores.get(basis)} for basis in BASIS_ORDER],
            "domain_chart": domain_chart,
            "aspect_chart": aspect_chart,
            "bands": bands,
            "can_plan": _sees_every_indicator(request.user, period),
        }
        return render(request, self.template_name, context)


def _value_row(part, level: str, scores: dict, domain: bool = False) -> dict:
    values = [getattr(scores[basis], level).get(part.code) if basis in scores else None for basis in BASIS_ORDER]
    return {"code": part.code, "name": part.name, "domain": domain, "values": values}


# --- Trend of an instansi -------------------------------------------------------------------------


class TrendForm(forms.Form):
    instansi = forms.ModelChoiceField(label=gettext_lazy("Instansi"), queryset=Instansi.objects.none(), required=False)
    basis = forms.ChoiceField(label=gettext_lazy("Basis"), choices=(), required=False)

    def __init__(self, *args, instansi_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = instansi_queryset
        self.fields["instansi"].empty_label = None
        self.fields["basis"].choices = _basis_choices()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


def _visible_periods(user):
    return permissions.restrict(
        EvaluationPeriod.objects.select_related("instansi", "framework").prefetch_related("scores"), user, "view"
    )


class TrendView(LoginRequiredMixin, View):
    """The index of one instansi over its evaluation years, with the change of framework marked."""

    template_name = "evaluation/analysis_trend.html"

    def get(self, request):
        periods = _visible_periods(request.user)
        instansi_qs = Instansi.objects.filter(pk__in=periods.values("instansi_id")).order_by("name")
        form = TrendForm(request.GET or None, instansi_queryset=instansi_qs)
        instansi, basis = None, "best"
        if form.is_bound and form.is_valid():
            instansi, basis = form.cleaned_data["instansi"], form.cleaned_data["basis"] or "best"
        if instansi is None:
            own = getattr(request.user, "instansi_id", None)
            instansi = instansi_qs.filter(pk=own).first() or instansi_qs.first()
        rows, chart = [], None
        if instansi is not None:
            form.initial = {"instansi": instansi.pk, "basis": basis}
            points = []
            for period in sorted(periods.filter(instansi=instansi), key=lambda p: p.year):
                spec = period.framework.spec
                score = _best_score(period.scores.all(), basis)
                value = float(score.index) if score else None
                rows.append({"period": period, "score": score})
                provisional = score is not None and not score.complete
                note = score.get_basis_display() if score else ""
                if provisional:
                    note = _("%(basis)s, provisional: %(assessed)s of %(total)s items assessed") % {
                        "basis": note,
                        "assessed": score.assessed,
                        "total": score.total,
                    }
                points.append(
                    charts.TrendPoint(
                        label=str(period.year),
                        value=value,
                        predicate=score.predicate if score else "",
                        framework=period.framework.title,
                        bands=charts.predicate_bands(spec),
                        note=note,
                        provisional=provisional,
                    )
                )
            if points:
                frameworks = [row["period"].framework for row in rows]
                chart = charts.trend(
                    _("Indeks SPBE of %(instansi)s per year") % {"instansi": instansi.name},
                    points,
                    min(f.scale_min for f in frameworks),
                    max(f.scale_max for f in frameworks),
                )
        changes = [
            (before["period"], after["period"])
            for before, after in itertools.pairwise(rows)
            if before["period"].framework_id != after["period"].framework_id
        ]
        context = {
            "form": form,
            "instansi": instansi,
            "rows": rows,
            "chart": chart,
            "framework_changes": changes,
            "provisional": any(row["score"] is not None and not row["score"].complete for row in rows),
        }
        return render(request, self.template_name, context)


# --- Comparison between instansi ------------------------------------------------------------------


class ComparisonForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None)
    framework = forms.ModelChoiceField(
        label=gettext_lazy("Framework"), queryset=Framework.objects.none(), required=False
    )
    basis = forms.ChoiceField(label=gettext_lazy("Basis"), choices=(), required=False)

    def __init__(self, *args, years, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("latest of each instansi")), *[(y, str(y)) for y in years]]
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].empty_label = _("all frameworks")
        self.fields["basis"].choices = _basis_choices()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ComparisonView(LoginRequiredMixin, View):
    """The latest index of every instansi the user may view, highest first (e.g. the regencies of a province)."""

    template_name = "evaluation/analysis_comparison.html"

    def get(self, request):
        periods = _visible_periods(request.user)
        years = sorted(set(periods.values_list("year", flat=True)), reverse=True)
        frameworks = Framework.objects.filter(pk__in=periods.values("framework_id"))
        form = ComparisonForm(request.GET or None, years=years, frameworks=frameworks)
        year = framework = None
        basis = "best"
        if form.is_bound and form.is_valid():
            year, framework = form.cleaned_data["year"], form.cleaned_data["framework"]
            basis = form.cleaned_data["basis"] or "best"
        if year:
            periods = periods.filter(year=year)
        if framework:
            periods = periods.filter(framework=framework)
        latest: dict[int, tuple[EvaluationPeriod, PeriodScore]] = {}
        for period in periods.order_by("-year"):
            score = _best_score(period.scores.all(), basis)
            if score is not None and period.instansi_id not in latest:
                latest[period.instansi_id] = (period, score)
        ordered = sorted(latest.values(), key=lambda pair: (-pair[1].index, pair[0].instansi.name))
        ranked = []
        for period, score in ordered:
            bands = charts.predicate_bands(period.framework.spec)
            band = charts.band_for(bands, float(score.index))
            ranked.append(
                charts.Ranked(
                    label=period.instansi.name,
                    value=float(score.index),
                    predicate=score.predicate,
                    colour=band.colour if band else charts.SERIES_COLOURS[0],
                    detail=f"{period.year} · {score.get_basis_display()} · {period.framework.title}",
                    provisional=not score.complete,
                )
            )
        chart = None
        mixed = len({period.framework_id for period, _score in ordered}) > 1
        if ranked:
            used = [period.framework for period, _score in ordered]
            chart = charts.ranking(
                _("Indeks SPBE per instansi"),
                ranked,
                min(f.scale_min for f in used),
                max(f.scale_max for f in used),
            )
        context = {
            "form": form,
            "chart": chart,
            "rows": [{"period": period, "score": score} for period, score in ordered],
            "mixed_frameworks": mixed,
            "provisional": any(not score.complete for _period, score in ordered),
        }
        return render(request, self.template_name, context)


# --- History of one indicator ---------------------------------------------------------------------


def corresponding_indicators(indicator_id: int) -> set[int]:
    """The indicator and every indicator linked to it through the crosswalk, in any direction and hops.

    Another indicator of the indicator's own framework is never one of them: two hops through a framework
    that merged them (59/2020 #4 → Pemdi #x → 59/2020 #7) would otherwise show #7's levels as #4's history,
    two rows for the same year.
    """
    edges: dict[int, set[int]] = {}
    framework_of: dict[int, int] = {}
    for source, target, source_fw, target_fw in Crosswalk.objects.values_list(
        "from_indicator_id", "to_indicator_id", "from_indicator__framework_id", "to_indicator__framework_id"
    ):
        edges.setdefault(source, set()).add(target)
        edges.setdefault(target, set()).add(source)
        framework_of[source], framework_of[target] = source_fw, target_fw
    own_framework = framework_of.get(indicator_id)
    found, queue = {indicator_id}, deque([indicator_id])
    while queue:
        for neighbour in edges.get(queue.popleft(), ()):
            if neighbour not in found and framework_of.get(neighbour) != own_framework:
                found.add(neighbour)
                queue.append(neighbour)
    return found


class IndicatorHistoryView(LoginRequiredMixin, View):
    """The levels of one indicator over the years; earlier frameworks through the crosswalk."""

    template_name = "evaluation/analysis_indicator_history.html"

    def get(self, request, pk, item_key):
        user = request.user
        period = _period_for(user, pk)
        assessment = get_object_or_404(
            permissions.restrict(
                IndicatorAssessment.objects.filter(period=period).select_related("indicator"), user, "view"
            ),
            item_key=item_key,
        )
        related = corresponding_indicators(assessment.indicator_id)
        statuses = {
            (row.from_indicator_id, row.to_indicator_id): row
            for row in Crosswalk.objects.filter(from_indicator_id__in=related, to_indicator_id__in=related)
        }
        history = permissions.restrict(
            IndicatorAssessment.objects.filter(
                period__instansi=period.instansi, indicator_id__in=related, period__in=_visible_periods(user)
            ).select_related("period__framework", "indicator"),
            user,
            "view",
        ).order_by("period__year", "item_key")
        rows = []
        for row in history:
            link = statuses.get((row.indicator_id, assessment.indicator_id)) or statuses.get(
                (assessment.indicator_id, row.indicator_id)
            )
            rows.append(
                {
                    "assessment": row,
                    "crosswalk": row.indicator_id != assessment.indicator_id,
                    "link": link,
                    "level": next(
                        (
                            getattr(row, LEVEL_FIELDS[b])
                            for b in BEST_FIRST
                            if getattr(row, LEVEL_FIELDS[b]) is not None
                        ),
                        None,
                    ),
                }
            )
        points = [
            charts.TrendPoint(
                label=f"{row['assessment'].period.year}"
                + (f" ({row['assessment'].item_key})" if row["assessment"].is_part else ""),
                value=float(row["level"]) if row["level"] is not None else None,
                predicate="",
                framework=row["assessment"].period.framework.title,
            )
            for row in rows
        ]
        frameworks = {row["assessment"].period.framework for row in rows}
        chart = None
        if points:
            chart = charts.trend(
                _("Level of indicator %(number)s per year") % {"number": assessment.indicator.number},
                points,
                min(f.scale_min for f in frameworks),
                max(f.scale_max for f in frameworks),
            )
        context = {"period": period, "assessment": assessment, "rows": rows, "chart": chart}
        return render(request, self.template_name, context)


# --- Planner --------------------------------------------------------------------------------------

PLAN_BASES = {
    "current": gettext_lazy("final internal level, else self-assessed"),
    "internal": gettext_lazy("final internal levels only"),
    "self": gettext_lazy("self-assessed levels only"),
    "national": gettext_lazy("national levels"),
}


def planner_rows(period: EvaluationPeriod) -> list[IndicatorAssessment]:
    return list(
        IndicatorAssessment.objects.filter(period=period)
        .select_related("indicator", "pic")
        .order_by("indicator__number", "item_key")
    )


def levels_on(rows, basis: str) -> dict[str, float]:
    """The levels the plan starts from; items without one count at the scale minimum (in `planner`)."""
    levels = {}
    for row in rows:
        if basis == "current":
            value = row.final_level if row.final_level is not None else row.self_level
        else:
            value = getattr(row, LEVEL_FIELDS[basis])
        if value is not None:
            levels[row.item_key] = float(value)
    return levels


def may_edit_effort(user, period: EvaluationPeriod) -> bool:
    return (
        permissions.can(user, "change", period)
        or permissions.restrict(period.assessments.all(), user, "review").exists()
    )


def action_title(spec, indicator_number: int, from_level: int, to_level: int) -> str:
    return _("Raise indicator %(number)s %(name)s from level %(from)s to %(to)s") % {
        "number": indicator_number,
        "name": spec.indicator(indicator_number).name,
        "from": from_level,
        "to": to_level,
    }


def may_add_actions(user, period: EvaluationPeriod) -> bool:
    return bool(_action_owners(user, period).exists())


def _action_owners(user, period: EvaluationPeriod):
    opds = PerangkatDaerah.objects.filter(instansi=period.instansi).order_by("name")
    return permissions.allowed_owner_opds(user, "add", ImprovementAction, opds)


class PlannerForm(forms.Form):
    target = forms.DecimalField(
        label=gettext_lazy("Target index"), required=False, max_digits=4, decimal_places=2, min_value=0, max_value=5
    )
    predicate = forms.ChoiceField(label=gettext_lazy("or target predicate"), required=False, choices=())
    basis = forms.ChoiceField(label=gettext_lazy("Start from"), required=False, choices=())

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predicate"].choices = [("", "—"), *[(p.name, p.name) for p in reversed(spec.predicates)]]
        self.fields["basis"].choices = list(PLAN_BASES.items())
        self.fields["target"].min_value = spec.scale_min
        self.fields["target"].widget.attrs.update(
            {"class": "form-control form-control-sm", "step": "0.01", "min": spec.scale_min, "max": spec.scale_max}
        )
        for name in ("predicate", "basis"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"


def planner_context(request, period: EvaluationPeriod, whatif: dict[str, float] | None = None) -> dict:
    user = request.user
    spec = period.framework.spec
    rows = planner_rows(period)
    form = PlannerForm(request.GET or None, spec=spec)
    valid = form.is_valid() if form.is_bound else False
    data = form.cleaned_data if valid else {}
    basis = data.get("basis") or "current"
    levels = levels_on(rows, basis)
    start = scoring.compute(spec, planner.full_levels(spec, levels))
    target, predicate = None, data.get("predicate") or ""
    if predicate:
        target = planner.target_for_predicate(spec, predicate)
    elif data.get("target") is not None:
        target = float(data["target"])
    elif period.target_index is not None and float(period.target_index) > start.index:
        target = float(period.target_index)
    else:
        following = planner.next_predicate_target(spec, start.index)
        target = following[1] if following else float(spec.scale_max)
    if not form.is_bound:
        form.initial = {"target": f"{target:.2f}", "basis": basis}
    efforts = {row.item_key: row.effort for row in rows}
    plan = planner.plan(spec, levels, target, efforts)
    by_key = {row.item_key: row for row in rows}
    # One row per indicator (its raise over one or more levels), as the plan orders them.
    raise_rows = [
        {
            "raise": item,
            "number": position,
            "row": by_key.get(item.item_key),
            "value": f"{item.item_key}:{item.from_level:g}:{item.to_level:g}",
            "title": action_title(spec, item.indicator_number, int(item.from_level), _ceil(item.to_level)),
        }
        for position, item in enumerate(planner.item_raises(spec, levels, plan), start=1)
    ]
    chart = None
    if raise_rows:
        chart = charts.steps(
            _("Index after each indicator's raise"),
            plan.start_index,
            [
                (
                    f"{n['number']}. #{n['raise'].item_key} {n['raise'].from_level:g} → {n['raise'].to_level:g}",
                    n["raise"].index_after,
                )
                for n in raise_rows
            ],
            target,
            spec.scale_min,
            spec.scale_max,
            label_header=_("Indicator"),
        )
    editable = (
        set(services.effort_editable(user, period).values_list("item_key", flat=True))
        if may_edit_effort(user, period)
        else set()
    )
    can_add = may_add_actions(user, period)
    return {
        "period": period,
        "spec": spec,
        "form": form,
        "basis": basis,
        "basis_label": PLAN_BASES[basis],
        "start": start,
        "target": target,
        "plan": plan,
        "raise_rows": raise_rows,
        "chart": chart,
        "effort_rows": [{"row": row, "editable": row.item_key in editable} for row in rows],
        "can_edit_effort": bool(editable),
        "max_effort": MAX_EFFORT,
        "can_add_actions": can_add,
        "owners": list(_action_owners(user, period)) if can_add else [],
        "whatif": whatif_context(period, rows, basis, whatif or {}),
        "query": request.GET.urlencode(),
    }


def _ceil(value: float) -> int:
    return int(-(-value // 1))


def whatif_result(spec, levels: dict[str, float], changes: dict[str, float]) -> dict:
    """Index, predicate, domains and aspects before and after the changed levels (`levels` complete)."""
    before, after = scoring.compute(spec, levels), planner.what_if(spec, levels, changes)
    return {
        "before": before,
        "after": after,
        "changed": [
            {"key": key, "from": levels[key], "to": value} for key, value in changes.items() if value != levels[key]
        ],
        "domains": [
            {"code": d.code, "name": d.name, "before": before.domains[d.code], "after": after.domains[d.code]}
            for d in spec.domains
        ],
        "aspects": [
            {"code": a.code, "name": a.name, "before": before.aspects[a.code], "after": after.aspects[a.code]}
            for a in spec.aspects
        ],
    }


def whatif_context(period: EvaluationPeriod, rows, basis: str, changes: dict[str, float]) -> dict:
    spec = period.framework.spec
    levels = planner.full_levels(spec, levels_on(rows, basis))
    fractional = scoring.compile_framework(spec).fractional_items
    aspect_of = {indicator.number: indicator.aspect for indicator in spec.indicators}
    by_aspect: dict[str, list[dict]] = {}
    for row in rows:
        by_aspect.setdefault(aspect_of[row.indicator.number], []).append(
            {
                "row": row,
                "name": f"level_{row.item_key}",
                "value": changes.get(row.item_key, levels[row.item_key]),
                "start": levels[row.item_key],
                "step": "0.5" if row.item_key in fractional else "1",
            }
        )
    result = whatif_result(spec, levels, changes)
    # One group of sliders per aspect, in the framework's order, headed by the aspect's index now: a flat
    # list of 47 sliders gave no bearings.
    groups = [
        {
            "code": aspect.code,
            "name": aspect.name,
            "index": result["before"].aspects[aspect.code],
            "sliders": by_aspect[aspect.code],
            "changed": any(slider["value"] != slider["start"] for slider in by_aspect[aspect.code]),
        }
        for aspect in spec.aspects
        if aspect.code in by_aspect
    ]
    return result | {
        "groups": groups,
        "scale_min": spec.scale_min,
        "scale_max": spec.scale_max,
        "ticks": list(range(spec.scale_min, spec.scale_max + 1)),
        "basis": basis,
    }


def parse_whatif(params, spec) -> dict[str, float]:
    """The slider values of a what-if request; values that are not numbers are left out."""
    keys = set(scoring.compile_framework(spec).item_keys)
    changes = {}
    for name, value in params.items():
        if not name.startswith("level_") or name[6:] not in keys:
            continue
        try:
            number = float(Decimal(value))
        except (InvalidOperation, ValueError):
            continue
        changes[name[6:]] = min(max(number, spec.scale_min), spec.scale_max)
    return changes


def _planner_period(request, pk) -> EvaluationPeriod:
    period = _period_for(request.user, pk)
    if not _sees_every_indicator(request.user, period):
        raise PermissionDenied(
            _("The planner shows the levels of every indicator; ask the evaluator team, who see all of them.")
        )
    return period


class PlannerView(LoginRequiredMixin, View):
    template_name = "evaluation/planner.html"

    def get(self, request, pk):
        period = _planner_period(request, pk)
        changes = parse_whatif(request.GET, period.framework.spec)
        return render(request, self.template_name, planner_context(request, period, changes))


class WhatIfView(LoginRequiredMixin, View):
    """The index, predicate, domains and aspects with the sliders' levels; htmx gets only the result panel."""

    def get(self, request, pk):
        period = _planner_period(request, pk)
        spec = period.framework.spec
        if not request.htmx:
            return HttpResponseRedirect(
                reverse("evaluation:period_planner", args=[pk]) + "?" + request.GET.urlencode() + "#whatif"
            )
        basis = request.GET.get("basis") if request.GET.get("basis") in PLAN_BASES else "current"
        rows = IndicatorAssessment.objects.filter(period=period).only(
            "item_key", "self_level", "final_level", "national_level"
        )
        levels = planner.full_levels(spec, levels_on(rows, basis))
        context = whatif_result(spec, levels, parse_whatif(request.GET, spec))
        return render(request, "evaluation/_whatif_result.html", {"whatif": context})


class EffortView(LoginRequiredMixin, View):
    """Saves the effort per indicator from the planner page (those who may change or review the period)."""

    def post(self, request, pk):
        period = _planner_period(request, pk)
        if not may_edit_effort(request.user, period):
            raise PermissionDenied(_("You may not change the planner's efforts."))
        efforts, errors = {}, []
        for name, value in request.POST.items():
            if not name.startswith("effort_"):
                continue
            key = name[7:]
            try:
                effort = int(value)
            except ValueError:
                effort = 0
            if not 1 <= effort <= MAX_EFFORT:
                errors.append(key)
                continue
            efforts[key] = effort
        back = reverse("evaluation:period_planner", args=[pk]) + _query(request) + "#efforts"
        if errors:
            messages.error(
                request,
                _("The effort must be a whole number from 1 to %(max)s (check: %(items)s). Nothing was saved.")
                % {"max": MAX_EFFORT, "items": ", ".join(errors)},
            )
            return HttpResponseRedirect(back)
        try:
            changed = services.set_efforts(request.user, period, efforts)
        except PermissionDenied as error:
            messages.error(request, str(error) + " " + _("Nothing was saved."))
        else:
            messages.success(request, _("%(count)s effort value(s) were saved.") % {"count": changed})
        return HttpResponseRedirect(back)


def _query(request) -> str:
    query = request.POST.get("query", "")
    return "?" + query if query and "\n" not in query else ""


class PlanToActionsView(LoginRequiredMixin, View):
    """Turns the ticked indicators of a plan into improvement actions, all in one transaction.

    An action is one level up (as the model describes it): an indicator raised from 2 to 4 becomes the
    actions 2→3 and 3→4, so the owner reports progress level by level and an action that exists already
    for one of those levels is not made twice.
    """

    def post(self, request, pk):
        user = request.user
        period = _planner_period(request, pk)
        spec = period.framework.spec
        back = reverse("evaluation:period_planner", args=[pk]) + _query(request) + "#plan"
        rows = {row.item_key: row for row in planner_rows(period)}
        chosen = request.POST.getlist("step")
        owner = None
        if request.POST.get("owner"):
            owner = _action_owners(user, period).filter(pk=request.POST["owner"]).first()
            if owner is None:
                messages.error(request, _("Choose an OPD of this instansi for which you may plan actions."))
                return HttpResponseRedirect(back)
        due = None
        if request.POST.get("due_date"):
            try:
                due = datetime.date.fromisoformat(request.POST["due_date"])
            except ValueError:
                messages.error(request, _("Enter the due date as a date (YYYY-MM-DD)."))
                return HttpResponseRedirect(back)
        steps, errors = [], []
        for value in chosen:
            parsed = _parse_raise(value, rows, spec)
            if parsed is None:
                errors.append(value)
            else:
                steps.extend(parsed)
        if not steps or errors:
            messages.error(
                request,
                _("Tick at least one indicator of the plan.")
                if not errors
                else _("These steps are not part of this evaluation: %(steps)s.") % {"steps": ", ".join(errors)},
            )
            return HttpResponseRedirect(back)
        missing_owner = list(
            dict.fromkeys(row.item_key for row, _f, _t in steps if owner is None and row.pic_id is None)
        )
        if missing_owner:
            messages.error(
                request,
                _("Indicators %(items)s have no PIC: choose the OPD that will own the actions.")
                % {"items": ", ".join(missing_owner)},
            )
            return HttpResponseRedirect(back)
        existing = set(
            ImprovementAction.objects.filter(period=period)
            .exclude(status=ImprovementAction.Status.DROPPED)
            .values_list("item_key", "from_level", "to_level")
        )
        created = skipped = 0
        try:
            with transaction.atomic():
                for row, from_level, to_level in steps:
                    if (row.item_key, from_level, to_level) in existing:
                        skipped += 1
                        continue
                    action = ImprovementAction(
                        owner=owner or row.pic,
                        period=period,
                        indicator=row.indicator,
                        item_key=row.item_key,
                        from_level=from_level,
                        to_level=to_level,
                        title=action_title(spec, row.indicator.number, from_level, to_level),
                        due_date=due,
                    )
                    action.full_clean()
                    core_services.create_object(user, action)
                    # Overlapping ticked ranges of one indicator make each level's action once.
                    existing.add((row.item_key, from_level, to_level))
                    created += 1
        except PermissionDenied:
            messages.error(
                request,
                _(
                    "You may not create actions for every chosen OPD; nothing was created. Choose an OPD you may plan for."
                ),
            )
            return HttpResponseRedirect(back)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages) + " " + _("Nothing was created."))
            return HttpResponseRedirect(back)
        if created:
            messages.success(request, _("%(count)s action(s) were created.") % {"count": created})
        if skipped:
            messages.info(request, _("%(count)s step(s) already had an action and were skipped.") % {"count": skipped})
        return HttpResponseRedirect(reverse("evaluation:period_actions", args=[pk]))


def _parse_raise(value: str, rows: dict, spec) -> list[tuple] | None:
    """'<item>:<from>:<to>', an item's raise by one or more levels, as its one-level steps (row, from, to).

    Steps are between whole levels: a survey-scored level is rounded outwards (2.5 → 4 gives 2→3, 3→4).
    """
    try:
        key, low, high = value.split(":")
        low_value, high_value = float(low), float(high)
    except ValueError:
        return None
    row = rows.get(key)
    if row is None or not spec.scale_min <= low_value < high_value <= spec.scale_max:
        return None
    return [(row, level, level + 1) for level in range(int(low_value // 1), _ceil(high_value))]


# --- Actions --------------------------------------------------------------------------------------


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=())
    owner = forms.ModelChoiceField(label=gettext_lazy("OPD"), required=False, queryset=PerangkatDaerah.objects.none())

    def __init__(self, *args, opds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), *ImprovementAction.Status.choices]
        self.fields["owner"].queryset = opds
        self.fields["owner"].empty_label = _("all")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ActionListView(LoginRequiredMixin, View):
    """The improvement actions of a period; the owner OPD updates their status."""

    template_name = "evaluation/planner_actions.html"

    def get(self, request, pk):
        user = request.user
        period = _period_for(user, pk)
        visible = permissions.restrict(
            ImprovementAction.objects.filter(period=period).select_related("owner", "indicator"), user, "view"
        )
        opds = PerangkatDaerah.objects.filter(pk__in=visible.values("owner_id")).order_by("name")
        form = ActionFilterForm(request.GET or None, opds=opds)
        actions = visible
        if form.is_bound and form.is_valid():
            if form.cleaned_data["status"]:
                actions = actions.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["owner"]:
                actions = actions.filter(owner=form.cleaned_data["owner"])
        actions = list(actions.order_by("due_date", "indicator__number", "from_level"))
        changeable = set(
            permissions.restrict(ImprovementAction.objects.filter(period=period), user, "change").values_list(
                "pk", flat=True
            )
        )
        context = {
            "period": period,
            "form": form,
            "actions": actions,
            "filtered": bool(form.is_bound and any(request.GET.get(name) for name in form.fields)),
            "changeable": changeable,
            "statuses": ImprovementAction.Status.choices,
            "any_visible": visible.exists(),
            "can_plan": _sees_every_indicator(user, period),
        }
        return render(request, self.template_name, context)


class ActionStatusView(LoginRequiredMixin, View):
    def post(self, request, pk):
        user = request.user
        action = get_object_or_404(
            permissions.restrict(ImprovementAction.objects.select_related("period"), user, "view"), pk=pk
        )
        status = request.POST.get("status")
        back = reverse("evaluation:period_actions", args=[action.period_id])
        if status not in ImprovementAction.Status.values:
            messages.error(request, _("Choose a status."))
            return HttpResponseRedirect(back)
        action.status = status
        try:
            core_services.update_object(user, action)
        except PermissionDenied:
            messages.error(request, _("Only the owner OPD or the evaluator team may change this action."))
        else:
            messages.success(request, _("The action is now: %(status)s.") % {"status": action.get_status_display()})
        return HttpResponseRedirect(back)
