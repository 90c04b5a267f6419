"""The planner page of a period: the cheapest raises to a target index, the efforts they weigh, "what if",
and turning the chosen raises into improvement actions (`services.plan_actions`)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import formats
from simpul.evaluation import charts, planner, planning, scoring, services
from simpul.evaluation.forms import PlannerForm
from simpul.evaluation.models import EvaluationPeriod, IndicatorAssessment
from simpul.evaluation.views.common import period_for


def planner_context(request, period: EvaluationPeriod, whatif: dict[str, float] | None = None) -> dict:
    user = request.user
    spec = period.framework.spec
    rows = planning.planner_rows(period)
    form = PlannerForm(request.GET or None, spec=spec, defaults=planner.default_limits())
    if form.is_bound:
        # A wrong value leaves only its own field out (the form shows the error and keeps the input).
        form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    basis = data.get("basis") or "current"
    levels = planning.levels_on(rows, basis)
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
    limits = form.limits()
    plan = planner.plan(spec, levels, target, efforts, limits)
    by_key = {row.item_key: row for row in rows}
    # One row per indicator (its raise over one or more levels), as the plan orders them.
    raise_rows = [
        {
            "raise": item,
            "number": position,
            "row": by_key.get(item.item_key),
            "value": f"{item.item_key}:{item.from_level:g}:{item.to_level:g}",
            "title": planning.action_title(
                spec, item.indicator_number, int(item.from_level), planning.ceil_level(item.to_level)
            ),
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
                    f"{n['number']}. #{n['raise'].item_key} {formats.number_text(n['raise'].from_level)} → "
                    f"{formats.number_text(n['raise'].to_level)}",
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
        if planning.may_edit_effort(user, period)
        else set()
    )
    can_add = planning.may_add_actions(user, period)
    return {
        "period": period,
        "spec": spec,
        "form": form,
        "basis": basis,
        "basis_label": planning.PLAN_BASES[basis],
        "start": start,
        "target": target,
        "plan": plan,
        "raise_rows": raise_rows,
        "chart": chart,
        "effort_rows": [{"row": row, "editable": row.item_key in editable} for row in rows],
        "can_edit_effort": bool(editable),
        "max_effort": planning.MAX_EFFORT,
        "can_add_actions": can_add,
        "owners": list(planning.action_owners(user, period)) if can_add else [],
        "whatif": planning.whatif_context(period, rows, basis, whatif or {}),
        "query": request.GET.urlencode(),
        "limits": limits,
        "limits_text": planner.describe_limits(spec, limits),
        "defaults_summary": planner.defaults_summary(),
        "advanced_open": form.advanced_errors or form.advanced_changed,
        "effort_fields": [form[name] for name in form.effort_fields],
        "max_level_effort": planning.MAX_LEVEL_EFFORT,
        **_cycles_link(request, period, plan),
    }


def _cycles_link(request, period: EvaluationPeriod, plan: planner.Plan) -> dict:
    """For a target that more cycles reach: the plan over them, as the planner with a wider rise."""
    if plan.cycles is None or plan.limits.max_rise is None:
        return {"cycles_url": None, "cycles_rise": None}
    spec = period.framework.spec
    span = spec.scale_max - spec.scale_min
    widened = plan.limits.widened(plan.cycles, span)
    rise = widened.max_rise if widened.max_rise is not None else span
    query = request.GET.copy()
    query["max_rise"] = str(rise)
    query["target"] = f"{plan.target:.2f}"
    query.pop("predicate", None)
    url = reverse("evaluation:period_planner", args=[period.pk])
    return {"cycles_url": f"{url}?{query.urlencode()}#plan", "cycles_rise": rise}


def _planner_period(request, pk) -> EvaluationPeriod:
    period = period_for(request.user, pk)
    if not planning.sees_every_indicator(request.user, period):
        raise PermissionDenied(
            _("The planner shows the levels of every indicator; ask the evaluator team, who see all of them.")
        )
    return period


def _query(request) -> str:
    query = request.POST.get("query", "")
    return "?" + query if query and "\n" not in query else ""


class PlannerView(LoginRequiredMixin, View):
    template_name = "evaluation/planner.html"

    def get(self, request, pk):
        period = _planner_period(request, pk)
        changes = planning.parse_whatif(request.GET, period.framework.spec)
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
        basis = request.GET.get("basis") if request.GET.get("basis") in planning.PLAN_BASES else "current"
        rows = IndicatorAssessment.objects.filter(period=period).only(
            "item_key", "self_level", "final_level", "national_level"
        )
        levels = planner.full_levels(spec, planning.levels_on(rows, basis))
        context = planning.whatif_result(spec, levels, planning.parse_whatif(request.GET, spec))
        return render(request, "evaluation/_whatif_result.html", {"whatif": context})


class EffortView(LoginRequiredMixin, View):
    """Saves the effort per indicator from the planner page (those who may change or review the period)."""

    def post(self, request, pk):
        period = _planner_period(request, pk)
        if not planning.may_edit_effort(request.user, period):
            raise PermissionDenied(_("You may not change the planner's efforts."))
        efforts = {}
        for name, value in request.POST.items():
            if name.startswith("effort_"):
                try:
                    efforts[name[7:]] = int(value)
                except ValueError:
                    efforts[name[7:]] = 0  # out of range: the service names it with the others
        back = reverse("evaluation:period_planner", args=[pk]) + _query(request) + "#efforts"
        try:
            changed = services.set_efforts(request.user, period, efforts)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error) + " " + _("Nothing was saved."))
        else:
            messages.success(request, _("%(count)s effort value(s) were saved.") % {"count": changed})
        return HttpResponseRedirect(back)


class PlanToActionsView(LoginRequiredMixin, View):
    """Turns the ticked raises of a plan into improvement actions (`services.plan_actions`)."""

    def post(self, request, pk):
        user = request.user
        period = _planner_period(request, pk)
        back = reverse("evaluation:period_planner", args=[pk]) + _query(request) + "#plan"
        owner = None
        if request.POST.get("owner"):
            owner = planning.action_owners(user, period).filter(pk=request.POST["owner"]).first()
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
        chosen = request.POST.getlist("step")
        raises = [planning.parse_raise(value) for value in chosen]
        malformed = [value for value, parsed in zip(chosen, raises, strict=True) if parsed is None]
        if malformed:
            messages.error(
                request,
                _("These steps are not part of this evaluation: %(steps)s.") % {"steps": ", ".join(malformed)},
            )
            return HttpResponseRedirect(back)
        try:
            result = services.plan_actions(user, period, raises, owner=owner, due_date=due)
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
        if result.created:
            messages.success(request, _("%(count)s action(s) were created.") % {"count": len(result.created)})
        if result.skipped:
            messages.info(
                request, _("%(count)s step(s) already had an action and were skipped.") % {"count": result.skipped}
            )
        return HttpResponseRedirect(reverse("evaluation:period_actions", args=[pk]))
