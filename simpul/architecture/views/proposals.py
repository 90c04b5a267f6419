"""Change proposal pages: a proposal with its difference, files and history, the reviewer's and the
proposer's steps on it, revising a returned proposal, and adding, downloading and removing its files."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.architecture import filters, forms, models, services, tables
from simpul.architecture.views.elements import TYPED_VIEWS, ElementViews, element_fields, refusal
from simpul.core import files as core_files
from simpul.core import permissions
from simpul.core.models import AuditEntry
from simpul.core.views.generic import ModelViewMixin, ModelViews, object_timeline
from simpul.core.workflow import NOT_PERMITTED, NOTE_REQUIRED, TransitionError


def proposal_history(proposal: models.ChangeProposal):
    """The audit entries of a proposal and of its attachments (files added and removed), newest first."""
    own = ContentType.objects.get_for_model(models.ChangeProposal)
    attachments = ContentType.objects.get_for_model(models.ProposalAttachment)
    attachment_ids = [str(pk) for pk in proposal.attachments.values_list("pk", flat=True)]
    removed = AuditEntry.objects.filter(
        content_type=attachments, action="delete", changes__proposal_id__0=proposal.pk
    ).values_list("object_id", flat=True)
    return (
        AuditEntry.objects.filter(
            Q(content_type=own, object_id=str(proposal.pk))
            | Q(content_type=attachments, object_id__in=[*attachment_ids, *removed])
        )
        .select_related("actor", "content_type")
        .order_by("-id")
    )


class ChangeProposalDetailView(ModelViewMixin, View):
    """A proposal: what it changes (or the draft it would publish), its files, its history, and the steps
    the user may take now: the reviewer's approve / return, the proposer's revise / resubmit / withdraw."""

    template_name = "architecture/changeproposal_detail.html"

    def get(self, request, pk):
        return self.render_page(get_object_or_404(self.get_queryset(), pk=pk))

    def get_queryset(self, action: str | None = None):
        """The proposals the user may view (a correction also by its proposing OPD, `scope_viewer_opd_path`);
        every step on it is checked by the workflow."""
        return permissions.restrict(self.config.get_queryset(), self.request.user, action or self.action)

    def post(self, request, pk):
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        step = request.POST.get("decision", "")
        if step not in services.PROPOSAL_STEPS:
            raise Http404
        by_reviewer = step in ("approve", "return")
        form = forms.ProposalReviewForm(request.POST) if by_reviewer else proposer_note_form(request.POST)
        form.is_valid()
        try:
            services.PROPOSAL_STEPS[step](request.user, proposal, note=form.cleaned_data.get("note", ""))
        except TransitionError as error:
            # A missing note is said beside the note box; other refusals above the page, as the step's
            # buttons may no longer be there (the proposal was decided meanwhile).
            reason = error.detail
            if error.code == NOTE_REQUIRED:
                form.add_error("note", error.detail)
                reason = ""
            page_forms = {"review_form": form} if by_reviewer else {"note_form": form}
            return self.render_page(proposal, status=error.status, refused=reason, **page_forms)
        messages.success(request, STEP_MESSAGES[step])
        return redirect(proposal.get_absolute_url())

    def render_page(self, proposal, *, status=200, refused="", review_form=None, note_form=None, attachment_form=None):
        user = self.request.user
        element = proposal.element.typed
        steps = {step.name for step in models.ChangeProposal.workflow.allowed(user, proposal)}
        attachments = permissions.restrict(proposal.attachments.select_related("added_by"), user, "view")
        removable = services.removable_attachment_ids(user, proposal)
        may_attach = services.may_attach(user, proposal)
        context = {
            "object": proposal,
            "element": element,
            "urls": self.config.url_names(),
            "verbose_name_plural": self.model._meta.verbose_name_plural,
            "diff": services.proposal_diff(proposal) if proposal.kind == models.ProposalKind.CHANGE else [],
            "element_fields": element_fields(element, TYPED_VIEWS.get(element.domain, ElementViews))
            if proposal.kind == models.ProposalKind.PUBLISH
            else [],
            "steps": steps,
            "correction": services.correction_of(proposal),
            "refused": refused,
            "can_review": bool(steps & {"approve", "return"}),
            "can_act": bool(steps & {"revise", "resubmit", "withdraw"}),
            "review_form": review_form or forms.ProposalReviewForm(),
            "note_form": note_form or proposer_note_form(),
            "attachments": [(item, proposal.is_open and item.pk in removable) for item in attachments],
            "attachment_form": (attachment_form or forms.ProposalAttachmentForm()) if may_attach else None,
            "history": object_timeline(proposal, entries=proposal_history(proposal)),
        }
        return render(self.request, self.template_name, context, status=status)


class ProposeCorrectionView(LoginRequiredMixin, View):
    """Another OPD proposes a correction of a published element it sees but may not change: the element's
    edit form, prefilled, with a required note; the proposal goes to the owner OPD and the Admin SPBE."""

    template_name = "architecture/element_correction.html"

    def get_element(self, pk) -> models.Element:
        visible = permissions.restrict(models.Element.objects.select_related("owner"), self.request.user, "view")
        element = get_object_or_404(visible, pk=pk).typed
        refusal_ = services.correction_refusal(self.request.user, element)
        if refusal_ is not None:
            raise PermissionDenied(refusal_.detail)
        return element

    def get(self, request, pk):
        element = self.get_element(pk)
        return self.render_form(element, services.correction_form(request.user, element), forms.CorrectionNoteForm())

    def post(self, request, pk):
        element = self.get_element(pk)
        form = services.correction_form(request.user, element, request.POST)
        note_form = forms.CorrectionNoteForm(request.POST)
        valid = form.is_valid()
        if note_form.is_valid() and valid:
            try:
                proposal = services.propose_correction(
                    request.user, element, services.form_values(form), note_form.cleaned_data["note"]
                )
            except TransitionError as error:
                if error.code == NOTE_REQUIRED:
                    note_form.add_error("note", error.detail)
                else:
                    refusal(form, error)
                return self.render_form(element, form, note_form, status=error.status)
            messages.success(request, _("Your correction was sent to the owner OPD and the Admin SPBE."))
            return redirect(proposal.get_absolute_url())
        return self.render_form(element, form, note_form, status=400)

    def render_form(self, element, form, note_form, status=200):
        config = TYPED_VIEWS.get(element.domain, ElementViews)
        context = {
            "object": element,
            "form": form,
            "note_form": note_form,
            "urls": config.url_names(),
            "verbose_name_plural": type(element)._meta.verbose_name_plural,
        }
        return render(self.request, self.template_name, context, status=status)


def proposer_note_form(data=None) -> forms.ProposalNoteForm:
    return forms.ProposalNoteForm(data, label=_("Note to the reviewer (optional)"))


STEP_MESSAGES = {
    "approve": gettext_lazy("The proposal was approved and applied."),
    "return": gettext_lazy("The proposal was returned to its proposer."),
    "resubmit": gettext_lazy("The proposal was sent for review again."),
    "withdraw": gettext_lazy("The proposal was withdrawn."),
}


class ChangeProposalViews(ModelViews):
    model = models.ChangeProposal
    url_prefix = "proposals"
    queryset = models.ChangeProposal.objects.select_related("element", "proposed_by", "reviewed_by")
    table = tables.ChangeProposalTable
    filterset = filters.ChangeProposalFilterSet
    form = None
    importable = False
    deletable = False
    detail_view = ChangeProposalDetailView


class ProposalReviseView(ModelViewMixin, View):
    """The proposer of a returned change proposal edits its proposed values in the element's own form."""

    config = ChangeProposalViews
    template_name = "architecture/changeproposal_revise.html"

    def get(self, request, pk):
        proposal = self.get_proposal(pk)
        return self.render_form(proposal, services.revision_form(request.user, proposal))

    def post(self, request, pk):
        proposal = self.get_proposal(pk)
        form = services.revision_form(request.user, proposal, request.POST)
        if form.is_valid():
            try:
                services.revise_proposal(request.user, proposal, services.form_values(form))
            except TransitionError as error:
                refusal(form, error)
                return self.render_form(proposal, form, status=error.status)
            messages.success(request, _("The proposed values were revised. Resubmit the proposal when it is ready."))
            return redirect(proposal.get_absolute_url())
        return self.render_form(proposal, form, status=400)

    def get_proposal(self, pk) -> models.ChangeProposal:
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        if "revise" not in {step.name for step in models.ChangeProposal.workflow.allowed(self.request.user, proposal)}:
            raise PermissionDenied(_("Only the proposer may revise a returned change proposal."))
        return proposal

    def render_form(self, proposal, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "object": proposal,
                "form": form,
                "urls": self.config.url_names(),
                "verbose_name_plural": models.ChangeProposal._meta.verbose_name_plural,
            },
            status=status,
        )


class ProposalAttachmentAddView(ChangeProposalDetailView):
    """Attach a file to an open proposal; a refused file stores nothing and says why beside the field."""

    config = ChangeProposalViews
    http_method_names = ["post"]

    def post(self, request, pk):
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        form = forms.ProposalAttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(proposal, attachment_form=form, status=400)
        try:
            services.add_attachment(request.user, proposal, form.cleaned_data["file"], form.cleaned_data["title"])
        except ValidationError as error:
            form.add_error("file", error)
            return self.render_page(proposal, attachment_form=form, status=400)
        except TransitionError as error:
            if error.code == NOT_PERMITTED:
                raise PermissionDenied(error.detail) from error
            messages.error(request, error.detail)
            return redirect(proposal.get_absolute_url())
        messages.success(request, _("The file was attached."))
        return redirect(proposal.get_absolute_url())


def visible_attachments(user):
    """Attachments of the proposals the user may view (a file is never more visible than its proposal)."""
    proposals = permissions.restrict(models.ChangeProposal.objects.all(), user, "view")
    return permissions.restrict(
        models.ProposalAttachment.objects.filter(proposal__in=proposals).select_related("proposal"), user, "view"
    )


class ProposalAttachmentDownloadView(LoginRequiredMixin, View):
    """The only way to a stored attachment: after the view permission on it and its proposal."""

    def get(self, request, pk):
        item = get_object_or_404(visible_attachments(request.user), pk=pk)
        if not item.file or not item.file.storage.exists(item.file.name):
            raise Http404(_("The stored file is missing."))
        return core_files.serve_file(item.file, filename=item.original_name, content_type=item.content_type)


class ProposalAttachmentRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(visible_attachments(request.user), pk=pk)
        try:
            services.remove_attachment(request.user, item)
        except TransitionError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("The file “%(title)s” was removed.") % {"title": item.title})
        return redirect(item.proposal.get_absolute_url())
