"""The improvement actions of a period; the owner OPD (or the evaluator team) moves their status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.core.workflow import TransitionError
from simpul.evaluation import filters, planning, services
from simpul.evaluation.models import ImprovementAction
from simpul.evaluation.views.common import period_for
from simpul.organizations.models import PerangkatDaerah


class ActionListView(LoginRequiredMixin, View):
    """The improvement actions of a period, filtered as the API filters them."""

    template_name = "evaluation/planner_actions.html"

    def get(self, request, pk):
        user = request.user
        period = period_for(user, pk)
        visible = permissions.restrict(
            ImprovementAction.objects.filter(period=period).select_related("owner", "indicator"), user, "view"
        )
        filterset = filters.ImprovementActionFilterSet(request.GET or None, queryset=visible, request=request)
        del filterset.filters["period"]
        filterset.filters["owner"].queryset = PerangkatDaerah.objects.filter(
            pk__in=visible.values("owner_id")
        ).order_by("name")
        actions = filterset.qs if filterset.is_bound and filterset.is_valid() else visible
        actions = list(actions.order_by("due_date", "indicator__number", "from_level"))
        changeable = set(
            permissions.restrict(ImprovementAction.objects.filter(period=period), user, "change").values_list(
                "pk", flat=True
            )
        )
        for action in actions:
            if action.pk in changeable:
                # The statuses the action can move to from where it is (its own first, selected).
                workflow = ImprovementAction.workflow
                action.status_choices = [(action.status, action.get_status_display())] + [
                    (step.target, ImprovementAction.Status(step.target).label)
                    for step in workflow.transitions
                    if action.status in step.source
                ]
        context = {
            "period": period,
            "form": filterset.form,
            "actions": actions,
            "filtered": any(request.GET.get(name) for name in filterset.filters),
            "changeable": changeable,
            "any_visible": visible.exists(),
            "can_plan": planning.sees_every_indicator(user, period),
        }
        return render(request, self.template_name, context)


class ActionStatusView(LoginRequiredMixin, View):
    """Moves one action to the status chosen in its row, by the transition that leads there."""

    def post(self, request, pk):
        user = request.user
        action = get_object_or_404(
            permissions.restrict(ImprovementAction.objects.select_related("period"), user, "view"), pk=pk
        )
        back = reverse("evaluation:period_actions", args=[action.period_id])
        status = request.POST.get("status", "")
        if status == action.status:
            return HttpResponseRedirect(back)
        try:
            action = services.set_action_status(user, action, status, note=request.POST.get("note", ""))
        except TransitionError as error:
            if error.code == "not_permitted":
                messages.error(request, _("Only the owner OPD or the evaluator team may change this action."))
            else:
                messages.error(request, error.detail)
        else:
            messages.success(request, _("The action is now: %(status)s.") % {"status": action.get_status_display()})
        return HttpResponseRedirect(back)
