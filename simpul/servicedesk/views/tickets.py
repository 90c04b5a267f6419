"""The agents' pages: ticket lists and edit pages (ModelViews), and a ticket's page with its conversation,
attachments, SLA state, the steps its life cycle allows now, re-assignment and escalation. Every POST calls
the service the API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.core import files, permissions
from simpul.core.display import object_fields
from simpul.core.views.generic import ModelViewMixin, ModelViews, ObjectEditView, object_timeline
from simpul.core.workflow import NOT_PERMITTED, NOTE_REQUIRED, TransitionError
from simpul.servicedesk import filters, forms, models, services, tables
from simpul.servicedesk.choices import CLOSED_STATUSES
from simpul.servicedesk.services import clock

NOTE_OPTIONAL = gettext_lazy("Note (optional)")
NOTE_REQUIRED_LABEL = gettext_lazy("Note (required)")

# Each step's form on the ticket's page, and the label of its note.
STEP_FORMS = {
    "assign": (forms.AssignForm, NOTE_OPTIONAL),
    "start": (forms.NoteForm, NOTE_OPTIONAL),
    "wait": (forms.NoteForm, gettext_lazy("What the reporter is asked (required)")),
    "resume": (forms.NoteForm, NOTE_OPTIONAL),
    "resolve": (forms.NoteForm, gettext_lazy("Resolution (required)")),
    "reopen": (forms.NoteForm, gettext_lazy("Why it is reopened (required)")),
    "close": (forms.NoteForm, NOTE_OPTIONAL),
    "investigate": (forms.NoteForm, NOTE_OPTIONAL),
    "record_known_error": (forms.KnownErrorForm, NOTE_OPTIONAL),
    "assess": (forms.AssessForm, NOTE_OPTIONAL),
    "approve": (forms.NoteForm, NOTE_OPTIONAL),
    "reject": (forms.NoteForm, gettext_lazy("Why it is rejected (required)")),
    "schedule": (forms.ScheduleForm, NOTE_OPTIONAL),
    "implement": (forms.NoteForm, NOTE_OPTIONAL),
    "review": (forms.NoteForm, gettext_lazy("Post-implementation review (required)")),
}
# Actions on the page beside the life cycle: (form, note label, service, label).
HANDOVER = {
    "reassign": (forms.AssignForm, NOTE_OPTIONAL, services.reassign, gettext_lazy("Reassign")),
    "escalate": (forms.EscalateForm, NOTE_REQUIRED_LABEL, services.escalate, gettext_lazy("Escalate to another OPD")),
}


class TicketDetailView(ModelViewMixin, View):
    template_name = "servicedesk/ticket_detail.html"

    def get_object(self, pk):
        return get_object_or_404(self.get_queryset(), pk=pk)

    def get(self, request, pk):
        return self.render_page(self.get_object(pk))

    def make_form(self, name, ticket, data=None):
        if name == "reply":
            return forms.ReplyForm(data)
        form_class, label = STEP_FORMS[name] if name in STEP_FORMS else HANDOVER[name][:2]
        # Several forms share the page: each names its fields' ids after its step.
        return form_class(data, ticket=ticket, label=label, user=self.request.user, auto_id=f"id_{name}_%s")

    def action_forms(self, ticket, bound: dict) -> dict:
        user = self.request.user
        workflow = models.Ticket.workflow
        names = [step.name for step in workflow.allowed(user, ticket)]
        may_change = permissions.can(user, "change", ticket)
        if may_change and ticket.status not in CLOSED_STATUSES:
            names += list(HANDOVER)
        return {name: bound.get(name) or self.make_form(name, ticket) for name in names}

    def render_page(self, ticket, *, status=200, bound: dict | None = None, refused: str = ""):
        user = self.request.user
        bound = bound or {}
        action_forms = self.action_forms(ticket, bound)
        steps = []
        for name, form in action_forms.items():
            label = models.Ticket.workflow.get(name, ticket).label if name in STEP_FORMS else HANDOVER[name][3]
            steps.append({"name": name, "form": form, "label": label})
        may_reply = permissions.can_add(user, models.TicketReply, ticket.instansi_id, ticket.opd_id)
        may_attach = permissions.can_add(user, models.TicketAttachment, ticket.instansi_id, ticket.opd_id)
        context = self.base_context() | {
            "object": ticket,
            "fields": object_fields(ticket, self.config.detail_fields),
            "history": object_timeline(ticket),
            "can_change": permissions.can(user, "change", ticket),
            "can_delete": False,
            "steps": steps,
            "refused": refused,
            "sla": clock.states(ticket),
            "replies": permissions.restrict(ticket.replies.select_related("author"), user, "view"),
            "attachments": permissions.restrict(ticket.attachments.all(), user, "view"),
            "incidents": permissions.restrict(ticket.incidents.all(), user, "view"),
            "reply_form": bound.get("reply") or (forms.ReplyForm() if may_reply else None),
            "may_attach": may_attach,
            "attach_error": bound.get("attach_error", ""),
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        ticket = self.get_object(pk)
        name = request.POST.get("step", "")
        if name == "attach":
            return self.attach(request, ticket)
        if name not in STEP_FORMS and name not in HANDOVER and name != "reply":
            raise Http404
        form = self.make_form(name, ticket, request.POST)
        if not form.is_valid():
            return self.render_page(ticket, status=400, bound={name: form})
        try:
            if name == "reply":
                services.add_reply(request.user, ticket, **form.cleaned_data)
            elif name in HANDOVER:
                HANDOVER[name][2](request.user, ticket, **form.cleaned_data)
            else:
                services.STEPS[name](request.user, ticket, **form.cleaned_data)
        except TransitionError as error:
            if error.status == 403 and error.code == NOT_PERMITTED:
                raise PermissionDenied(error.detail) from error
            refused = error.detail
            for field, problems in error.fields.items():
                form.add_error(field if field in form.fields else None, problems)
                refused = ""
            if error.code == NOTE_REQUIRED and "note" in form.fields:
                refused = ""
            return self.render_page(ticket, status=error.status, bound={name: form}, refused=refused)
        except ValidationError as error:
            add_errors(form, error)
            return self.render_page(ticket, status=400, bound={name: form})
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(ticket.get_absolute_url())

    def attach(self, request, ticket):
        upload = request.FILES.get("file")
        if upload is None:
            return self.render_page(ticket, status=400, bound={"attach_error": _("Choose a file to upload.")})
        try:
            services.add_attachment(request.user, ticket, upload)
        except ValidationError as error:
            return self.render_page(ticket, status=400, bound={"attach_error": " ".join(error.messages)})
        messages.success(request, _("The file was attached."))
        return HttpResponseRedirect(ticket.get_absolute_url())


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


class TicketEditView(ObjectEditView):
    """The add and edit pages, saving through the services that route a new ticket and keep its SLA."""

    create_record = staticmethod(services.open_ticket)
    update_record = staticmethod(services.update_ticket)


class TicketViews(ModelViews):
    model = models.Ticket
    url_prefix = "tickets"
    queryset = models.Ticket.objects.select_related("opd", "group", "assignee", "element", "instansi").prefetch_related(
        "pauses"
    )
    table = tables.TicketTable
    filterset = filters.TicketFilterSet
    form = forms.TicketForm
    importable = False
    deletable = False
    detail_view = TicketDetailView
    edit_view = TicketEditView


class AssignmentGroupViews(ModelViews):
    model = models.AssignmentGroup
    url_prefix = "groups"
    queryset = models.AssignmentGroup.objects.select_related("opd")
    table = tables.AssignmentGroupTable
    filterset = filters.AssignmentGroupFilterSet
    form = forms.AssignmentGroupForm
    importable = False


class InstansiDayOffViews(ModelViews):
    model = models.InstansiDayOff
    url_prefix = "days-off"
    queryset = models.InstansiDayOff.objects.select_related("instansi")
    table = tables.InstansiDayOffTable
    filterset = filters.InstansiDayOffFilterSet
    form = forms.InstansiDayOffForm
    importable = False


class AttachmentDownloadView(LoginRequiredMixin, View):
    """The only way to an attachment: after the view permission on it (that is, on its ticket)."""

    def get(self, request, pk):
        queryset = permissions.restrict(models.TicketAttachment.objects.all(), request.user, "view")
        attachment = get_object_or_404(queryset, pk=pk)
        if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
            raise Http404(_("This record has no stored document."))
        return files.serve_file(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )
