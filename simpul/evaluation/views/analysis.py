"""Analysis pages of the evaluation: charts of a period, the trend of an instansi, the comparison between
instansi, and the history of one indicator across frameworks.

What a user sees comes from `permissions.restrict`; every index is a stored `scoring.compute` result.
"""

from __future__ import annotations

import itertools
from collections import deque

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.evaluation import charts, planning, results
from simpul.evaluation.forms import ComparisonForm, TrendForm
from simpul.evaluation.models import (
    BASES_BEST_FIRST,
    Crosswalk,
    EvaluationPeriod,
    Framework,
    IndicatorAssessment,
)
from simpul.evaluation.views.common import BASIS_ORDER, period_for
from simpul.organizations.models import Instansi

BASIS_COLOURS = dict(zip(BASIS_ORDER, charts.SERIES_COLOURS, strict=False))


# --- Analysis of a period -------------------------------------------------------------------------


class PeriodAnalysisView(LoginRequiredMixin, View):
    """Domain and aspect values per basis, as bars side by side and as a table."""

    template_name = "evaluation/analysis_period.html"

    def get(self, request, pk):
        period = period_for(request.user, pk)
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
            "result": results.pick(scores.values()),
            "domain_chart": domain_chart,
            "aspect_chart": aspect_chart,
            "bands": bands,
            "can_plan": planning.sees_every_indicator(request.user, period),
        }
        return render(request, self.template_name, context)


def _value_row(part, level: str, scores: dict, domain: bool = False) -> dict:
    values = [getattr(scores[basis], level).get(part.code) if basis in scores else None for basis in BASIS_ORDER]
    return {"code": part.code, "name": part.name, "domain": domain, "values": values}


# --- Trend of an instansi -------------------------------------------------------------------------


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
                # "best" is the value standing for each year (`results.pick`); a chosen basis keeps to it.
                result = results.on_basis(period.scores.all(), basis)
                rows.append({"period": period, "result": result})
                points.append(
                    charts.TrendPoint(
                        label=str(period.year),
                        value=float(result.index) if result else None,
                        predicate=result.predicate if result else "",
                        framework=period.framework.title,
                        bands=charts.predicate_bands(period.framework.spec),
                        provisional=result is not None and result.provisional,
                        basis=result.basis if result else "",
                        basis_label=result.basis_text if result else "",
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
        shown = [row["result"] for row in rows if row["result"] is not None]
        # The line joins values of more than one basis: said above the chart, not only by its marks.
        mixed_bases = sorted({result.basis_label for result in shown}) if len({r.basis for r in shown}) > 1 else []
        context = {
            "form": form,
            "instansi": instansi,
            "rows": rows,
            "chart": chart,
            "framework_changes": changes,
            "provisional": any(result.provisional for result in shown),
            "mixed_bases": mixed_bases,
        }
        return render(request, self.template_name, context)


# --- Comparison between instansi ------------------------------------------------------------------


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
        latest: dict[int, tuple[EvaluationPeriod, results.YearResult]] = {}
        for period in periods.order_by("-year"):
            result = results.on_basis(period.scores.all(), basis)
            if result is not None and period.instansi_id not in latest:
                latest[period.instansi_id] = (period, result)
        ordered = sorted(latest.values(), key=lambda pair: (-pair[1].index, pair[0].instansi.name))
        ranked = []
        for period, result in ordered:
            bands = charts.predicate_bands(period.framework.spec)
            band = charts.band_for(bands, float(result.index))
            ranked.append(
                charts.Ranked(
                    label=period.instansi.name,
                    value=float(result.index),
                    predicate=result.predicate,
                    colour=band.colour if band else charts.SERIES_COLOURS[0],
                    detail=f"{period.year} · {result.basis_text} · {period.framework.title}",
                    provisional=result.provisional,
                )
            )
        chart = None
        mixed = len({period.framework_id for period, _result in ordered}) > 1
        if ranked:
            used = [period.framework for period, _result in ordered]
            chart = charts.ranking(
                _("Indeks SPBE per instansi"),
                ranked,
                min(f.scale_min for f in used),
                max(f.scale_max for f in used),
            )
        context = {
            "form": form,
            "chart": chart,
            "rows": [{"period": period, "result": result} for period, result in ordered],
            "mixed_frameworks": mixed,
            "mixed_bases": len({result.basis for _period, result in ordered}) > 1,
            "provisional": any(result.provisional for _period, result in ordered),
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
        period = period_for(user, pk)
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
            # The same rule as for the index of a year: the national level, else the final, else the self.
            basis = next((b for b in BASES_BEST_FIRST if getattr(row, planning.LEVEL_FIELDS[b]) is not None), None)
            rows.append(
                {
                    "assessment": row,
                    "crosswalk": row.indicator_id != assessment.indicator_id,
                    "link": link,
                    "level": getattr(row, planning.LEVEL_FIELDS[basis]) if basis else None,
                    "basis": basis,
                }
            )
        points = [
            charts.TrendPoint(
                label=f"{row['assessment'].period.year}"
                + (f" ({row['assessment'].item_key})" if row["assessment"].is_part else ""),
                value=float(row["level"]) if row["level"] is not None else None,
                predicate="",
                framework=row["assessment"].period.framework.title,
                basis=row["basis"] or "",
                basis_label=charts.basis_name(row["basis"] or ""),
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
