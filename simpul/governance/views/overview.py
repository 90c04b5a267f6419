"""The module's start page: the policy registry and its coverage, the teams with their current decree,
the latest meetings, and the open and late follow-up actions, each as far as the user may see them."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from simpul.core import permissions
from simpul.governance import coverage, models, services
from simpul.governance.choices import ActionStatus, PolicyStatus
from simpul.governance.views.common import instansi_for


class OverviewView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        may = {
            name: permissions.has_model_permission(user, "view", model)
            for name, model in (
                ("policies", models.Policy),
                ("teams", models.Team),
                ("meetings", models.Meeting),
                ("actions", models.FollowUpAction),
            )
        }
        if not any(may.values()):
            raise PermissionDenied
        instansi = instansi_for(request)
        today = timezone.localdate()
        context = {"may": may, "instansi": instansi, "today": today}
        if may["policies"]:
            policies = permissions.restrict(models.Policy.objects.all(), user, "view")
            counts = dict(policies.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
            context["policy_counts"] = [(status, status.label, counts.get(status, 0)) for status in PolicyStatus]
            context["coverage"] = coverage.coverage(user, instansi.pk) if instansi else None
            context["can_add_policy"] = permissions.has_model_permission(user, "add", models.Policy)
        if may["teams"]:
            teams = permissions.restrict(models.Team.objects.select_related("instansi"), user, "view")
            context["teams"] = [(team, team.current_decree(today)) for team in teams.order_by("kind")]
        if may["meetings"]:
            meetings = permissions.restrict(models.Meeting.objects.select_related("team"), user, "view")
            context["meetings"] = list(meetings.order_by("-date", "-pk")[:5])
        if may["actions"]:
            actions = permissions.restrict(models.FollowUpAction.objects.all(), user, "view")
            context["action_counts"] = actions.aggregate(
                open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
                late=Count("pk", filter=services.late_q(today)),
                done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            )
            context["late_actions"] = list(
                actions.filter(services.late_q(today)).select_related("owner").order_by("due_date", "pk")[:5]
            )
        return render(request, "governance/overview.html", context)
