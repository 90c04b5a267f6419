"""The teams' pages: a team with its current decree's members by position, its decrees and meetings; a
decree with its members and file; and granting the members' roles from a decree (preview, then apply)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.core import permissions
from simpul.core.views.generic import ModelViewMixin, ModelViews
from simpul.core.workflow import TransitionError
from simpul.governance import filters, forms, models, positions, services, tables
from simpul.governance.models.teams import may_grant_roles
from simpul.governance.views.common import DetailPage, DocumentDownloadView


def members_by_position(decree, team_kind: str) -> list[tuple[str, list]]:
    """A decree's members grouped by position, in the order the master plan lists the positions."""
    if decree is None:
        return []
    members = list(decree.members.select_related("user", "opd").order_by("order", "pk"))
    order = positions.positions_of(team_kind)
    groups = []
    for position in order + sorted({m.position for m in members} - set(order)):
        in_position = [member for member in members if member.position == position]
        if in_position:
            groups.append((models.TeamMember(position=position).get_position_display(), in_position))
    return groups


class TeamDetailView(DetailPage):
    template_name = "governance/team_detail.html"

    def extra_context(self, obj, forms_):
        user = self.request.user
        today = timezone.localdate()
        current = obj.current_decree(today)
        decrees = permissions.restrict(obj.decrees.all(), user, "view")
        meetings = permissions.restrict(obj.meetings.all(), user, "view")
        return {
            "today": today,
            "current": current,
            "groups": members_by_position(current, obj.kind),
            "decrees": list(decrees.order_by("-valid_from", "-pk")),
            "meetings": list(meetings.order_by("-date")[:10]),
            "meeting_count": meetings.count(),
            "can_add_decree": permissions.can_add(user, models.Decree, obj.instansi_id, None),
            "can_add_meeting": permissions.can_add(user, models.Meeting, obj.instansi_id, None),
        }


class TeamViews(ModelViews):
    model = models.Team
    url_prefix = "teams"
    queryset = models.Team.objects.select_related("instansi")
    table = tables.TeamTable
    filterset = filters.TeamFilterSet
    form = forms.TeamForm
    importable = False
    detail_view = TeamDetailView


class DecreeDetailView(DetailPage):
    template_name = "governance/decree_detail.html"

    def extra_context(self, obj, forms_):
        user = self.request.user
        return {
            "groups": members_by_position(obj, obj.team.kind),
            "is_current": obj.is_current(),
            "earlier": obj.earlier,
            "later": obj.later,
            "may_grant": may_grant_roles(user, obj),
            "can_add_member": permissions.can_add(user, models.TeamMember, obj.team.instansi_id, None),
            "policy": permissions.restrict(models.Policy.objects.filter(pk=obj.policy_id), user, "view").first(),
        }


class DecreeViews(ModelViews):
    model = models.Decree
    url_prefix = "decrees"
    queryset = models.Decree.objects.select_related("team", "policy")
    table = tables.DecreeTable
    filterset = filters.DecreeFilterSet
    form = forms.DecreeForm
    importable = False
    detail_view = DecreeDetailView


class DecreeDownloadView(DocumentDownloadView):
    model = models.Decree


class TeamMemberViews(ModelViews):
    model = models.TeamMember
    url_prefix = "members"
    queryset = models.TeamMember.objects.select_related("decree__team", "user", "opd")
    table = tables.TeamMemberTable
    filterset = filters.TeamMemberFilterSet
    form = forms.TeamMemberForm
    import_lookups = {"decree": "number", "opd": "short_name", "user": "username"}


class GrantRolesView(ModelViewMixin, View):
    """Grant the members' roles from a decree: the preview of what changes (GET, optionally with
    `remove_previous=1`), then one POST that applies it."""

    config = DecreeViews
    template_name = "governance/decree_grant_roles.html"

    def get_decree(self, pk):
        decree = get_object_or_404(self.get_queryset(), pk=pk)
        if not may_grant_roles(self.request.user, decree):
            raise PermissionDenied(_("You may not grant roles from this decree."))
        return decree

    def get(self, request, pk):
        decree = self.get_decree(pk)
        form = forms.GrantRolesForm(request.GET or None)
        remove_previous = bool(form.is_valid() and form.cleaned_data["remove_previous"])
        plan = services.plan_role_grants(request.user, decree, remove_previous=remove_previous)
        return render(request, self.template_name, {"object": decree, "plan": plan, "form": form})

    def post(self, request, pk):
        decree = self.get_decree(pk)
        form = forms.GrantRolesForm(request.POST)
        form.is_valid()
        try:
            plan = services.grant_roles(
                request.user, decree, remove_previous=bool(form.cleaned_data.get("remove_previous"))
            )
        except TransitionError as error:
            if error.status == 403:
                raise PermissionDenied(error.detail) from error
            messages.error(request, error.detail)
            return redirect("governance:decree_grant_roles", pk=decree.pk)
        if plan.applied:
            messages.success(request, GRANTED.format(summary=plan.summary()))
        else:
            messages.info(request, _("Nothing to change: every member already holds the role the decree gives."))
        return redirect(decree.get_absolute_url())


GRANTED = gettext_lazy("Roles granted from the decree: {summary}")
