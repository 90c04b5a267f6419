"""Meetings, their decisions and the follow-up actions: a meeting with its agenda, attendance, minutes and
decisions; an action with its owner OPD's report and the team's steps; creating and changing an action
through the services that tell its owner OPD."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import permissions
from simpul.core.views.generic import ModelViews, ObjectEditView
from simpul.governance import filters, forms, models, services, tables
from simpul.governance.views.common import DetailPage, DocumentDownloadView


class MeetingDetailView(DetailPage):
    template_name = "governance/meeting_detail.html"

    def extra_context(self, obj, forms_):
        user = self.request.user
        decisions = list(permissions.restrict(obj.decisions.all(), user, "view").order_by("number", "pk"))
        actions = permissions.restrict(
            models.FollowUpAction.objects.filter(decision__meeting=obj).select_related("owner"), user, "view"
        )
        by_decision: dict[int, list] = {}
        for action in actions.order_by("due_date", "pk"):
            by_decision.setdefault(action.decision_id, []).append(action)
        present = list(obj.attendees.select_related("opd").order_by("order", "pk"))
        absent = [member for member in obj.members_then().order_by("order", "pk") if member not in present]
        return {
            "decisions": [(decision, by_decision.get(decision.pk, [])) for decision in decisions],
            "present": present,
            "absent": absent,
            "guests": [line.strip() for line in obj.guests.splitlines() if line.strip()],
            "can_add_decision": permissions.can_add(user, models.Decision, obj.team.instansi_id, None),
            "can_add_action": permissions.has_model_permission(user, "add", models.FollowUpAction),
        }


class MeetingViews(ModelViews):
    model = models.Meeting
    url_prefix = "meetings"
    queryset = models.Meeting.objects.select_related("team")
    table = tables.MeetingTable
    filterset = filters.MeetingFilterSet
    form = forms.MeetingForm
    importable = False
    detail_view = MeetingDetailView


class MeetingDownloadView(DocumentDownloadView):
    model = models.Meeting


class DecisionViews(ModelViews):
    model = models.Decision
    url_prefix = "decisions"
    queryset = models.Decision.objects.select_related("meeting__team")
    table = tables.DecisionTable
    filterset = filters.DecisionFilterSet
    form = forms.DecisionForm
    importable = False
    related = [(gettext_lazy("Follow-up actions"), lambda decision: decision.actions.select_related("owner"))]


def may_assign(user, action) -> bool:
    """Whoever may review the action decides what it asks, of whom and by when."""
    return permissions.can(user, "review", action)


class FollowUpActionDetailView(DetailPage):
    template_name = "governance/followupaction_detail.html"

    steps = services.ACTION_STEPS
    STEP_FORMS = {"complete": forms.CompleteForm, "cancel": forms.NoteForm, "reopen": forms.NoteForm}
    step_messages = {
        "complete": gettext_lazy("The action was reported done."),
        "cancel": gettext_lazy("The action was cancelled."),
        "reopen": gettext_lazy("The action was reopened."),
    }
    STEP_LABELS = {
        "complete": gettext_lazy("What was done (required)"),
        "cancel": gettext_lazy("Why it is cancelled (required)"),
        "reopen": gettext_lazy("What is still missing (required)"),
    }

    def may_change(self, obj) -> bool:
        return may_assign(self.request.user, obj)

    def make_step_form(self, name, obj, data=None):
        return self.STEP_FORMS[name](data, label=self.STEP_LABELS[name])

    def extra_context(self, obj, forms_):
        user = self.request.user
        meeting = obj.decision.meeting
        return {
            "meeting": meeting,
            "meeting_visible": permissions.can(user, "view", meeting),
            "decision_visible": permissions.can(user, "view", obj.decision),
        }


class FollowUpActionEditView(ObjectEditView):
    """The generic add and edit pages, saving through the services that tell the owner OPD; only the team
    (who may review the action) edits what an action asks, of whom and by when."""

    create_record = staticmethod(services.assign_action)
    update_record = staticmethod(services.update_action)

    def get_object(self, pk):
        obj = super().get_object(pk)
        if pk is not None and not may_assign(self.request.user, obj):
            raise PermissionDenied(_("Only the team may change what an action asks, of whom and by when."))
        return obj


class FollowUpActionViews(ModelViews):
    model = models.FollowUpAction
    url_prefix = "actions"
    queryset = models.FollowUpAction.objects.select_related("owner", "decision__meeting__team")
    table = tables.FollowUpActionTable
    filterset = filters.FollowUpActionFilterSet
    form = forms.FollowUpActionForm
    importable = False
    detail_view = FollowUpActionDetailView
    edit_view = FollowUpActionEditView
