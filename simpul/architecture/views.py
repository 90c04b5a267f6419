from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.architecture import compliance, filters, forms, impact, models, services, tables
from simpul.architecture.choices import Domain
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES
from simpul.core import files as core_files
from simpul.core import permissions
from simpul.core.models import AuditEntry
from simpul.core.queries import record_id
from simpul.core.views.generic import (
    ModelViewMixin,
    ModelViews,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    object_timeline,
)
from simpul.core.workflow import NOT_PERMITTED, NOTE_REQUIRED, TransitionError
from simpul.organizations.models import Instansi, PerangkatDaerah

ELEMENT_IMPORT_LOOKUPS = {
    "owner": "short_name",
    "reference": "code",
    "developer": "short_name",
    "producer": "short_name",
}


def relationship_rows(element: models.Element, user) -> list[dict]:
    """The element's links in both directions, each read from this element's side."""
    visible = permissions.restrict(models.Relationship.objects.all(), user, "view")
    rows = []
    outgoing = visible.filter(source=element).select_related("target", "target__owner")
    incoming = visible.filter(target=element).select_related("source", "source__owner")
    for rel in outgoing:
        rows.append({"relationship": rel, "label": rel.get_kind_display(), "other": rel.target, "direction": "out"})
    for rel in incoming:
        rows.append(
            {
                "relationship": rel,
                "label": RELATIONSHIP_TYPES[rel.kind].inverse_label,
                "other": rel.source,
                "direction": "in",
            }
        )
    return sorted(rows, key=lambda row: (str(row["label"]), str(row["other"])))


class ElementDetailView(ObjectDetailView):
    template_name = "architecture/element_detail.html"

    def get(self, request, pk):
        element = get_object_or_404(
            permissions.restrict(models.Element.objects.select_related("owner", "reference"), request.user, "view"),
            pk=pk,
        )
        typed = element.typed
        config = TYPED_VIEWS.get(element.domain, ElementViews)
        user = request.user
        can_review = services.may_review(user, element)
        proposals = permissions.restrict(element.proposals.select_related("proposed_by"), user, "view")
        context = {
            "config": config,
            "model_meta": type(typed)._meta,
            "verbose_name": type(typed)._meta.verbose_name,
            "verbose_name_plural": type(typed)._meta.verbose_name_plural,
            "urls": config.url_names(),
            "object": typed,
            "element": element,
            "fields": _element_fields(typed, config),
            "relationships": relationship_rows(element, user),
            "history": element_timeline(element),
            "proposals": proposals[:10],
            "can_change": permissions.can(user, "change", element),
            "can_delete": permissions.can(user, "delete", element),
            "can_review": can_review,
            "can_publish": can_review and not element.published,
            "needs_review": services.needs_review(user, element),
            "can_link": permissions.has_model_permission(user, "add", models.Relationship)
            and permissions.can(user, "change", element),
            "related": [],
        }
        return render(request, self.template_name, context)


class PublicationEventRow:
    """An element's publication event as the history panel shows it: the element's `published` is a
    boolean, so the states' names come from `PublicationState` rather than from a field's choices."""

    is_workflow_event = True

    def __init__(self, event):
        self._event = event

    def __getattr__(self, name):
        return getattr(self._event, name)

    @property
    def from_state_label(self) -> str:
        return _publication_label(self._event.from_state)

    @property
    def to_state_label(self) -> str:
        return _publication_label(self._event.to_state)


def _publication_label(value: str) -> str:
    return str(dict(models.PublicationState.choices).get(value, value or "—"))


def element_timeline(element: models.Element) -> list:
    """The element's audit entries and its own workflow events (publication), newest first."""
    return [
        PublicationEventRow(item)
        if getattr(item, "is_workflow_event", False) and item.workflow == services.PUBLICATION_WORKFLOW
        else item
        for item in object_timeline(element)
    ]


def _element_fields(typed, config) -> list[dict]:
    from simpul.core.display import object_fields

    names = [name for name in config.form._meta.fields if name != "description"]
    names += ["domain", "archimate_type", "published"]
    return object_fields(typed, list(dict.fromkeys(names)))


class ElementEditView(ObjectEditView):
    """Edits go straight in for drafts and for reviewers; for a published element an operator's edit
    becomes a change proposal that the Admin SPBE reviews."""

    def post(self, request, pk=None):
        if pk is None:
            return super().post(request, pk)
        obj = self.get_object(pk)
        if not services.needs_review(request.user, obj):
            return super().post(request, pk)
        form = self.config.form(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            # The generic element form (/elements/<id>/edit/) also offers the ArchiMate type, which a typed
            # element's own form, the one proposals are checked with, does not: only its fields are proposed.
            typed_fields = forms.form_for(obj).base_fields
            values = {name: value for name, value in services.form_values(form).items() if name in typed_fields}
            try:
                proposal = services.propose_change(request.user, obj, values)
            except TransitionError as error:
                refusal(form, error)
            else:
                messages.success(request, _("Your change was sent to the Admin SPBE for review."))
                return HttpResponseRedirect(proposal.get_absolute_url())
        return self.render_form(form, obj, status=400)

    def render_form(self, form, obj, status=200):
        if obj.pk and services.needs_review(self.request.user, obj):
            messages.info(self.request, _("This element is published: saving sends your change for review."))
        return super().render_form(form, obj, status)


class ElementDeleteView(ObjectDeleteView):
    """Deleting a published element is for reviewers; an OPD proposes to retire it instead."""

    def get_object(self, pk):
        element = super().get_object(pk)
        services.ensure_direct_change_allowed(self.request.user, element)
        return element


class TypedElementViews(ModelViews):
    """Shared configuration of the six element types."""

    import_lookups = ELEMENT_IMPORT_LOOKUPS
    detail_view = ElementDetailView
    edit_view = ElementEditView
    delete_view = ElementDeleteView


class ElementViews(TypedElementViews):
    model = models.Element
    url_prefix = "elements"
    queryset = models.Element.objects.select_related("owner", "reference")
    table = tables.ElementTable
    filterset = filters.ElementFilterSet
    form = forms.ElementForm


def _typed(model_class, prefix, table, filterset, form):
    return type(
        f"{model_class.__name__}Views",
        (TypedElementViews,),
        {
            "model": model_class,
            "url_prefix": prefix,
            "queryset": model_class.objects.select_related("owner", "reference"),
            "table": table,
            "filterset": filterset,
            "form": form,
        },
    )


BusinessProcessViews = _typed(
    models.BusinessProcess,
    "processes",
    tables.BusinessProcessTable,
    filters.BusinessProcessFilterSet,
    forms.BusinessProcessForm,
)
DataSetViews = _typed(models.DataSet, "data", tables.DataSetTable, filters.DataSetFilterSet, forms.DataSetForm)
ServiceViews = _typed(models.Service, "services", tables.ServiceTable, filters.ServiceFilterSet, forms.ServiceForm)
ApplicationViews = _typed(
    models.Application, "applications", tables.ApplicationTable, filters.ApplicationFilterSet, forms.ApplicationForm
)
InfrastructureComponentViews = _typed(
    models.InfrastructureComponent,
    "infrastructure",
    tables.InfrastructureComponentTable,
    filters.InfrastructureComponentFilterSet,
    forms.InfrastructureComponentForm,
)
SecurityControlViews = _typed(
    models.SecurityControl,
    "security",
    tables.SecurityControlTable,
    filters.SecurityControlFilterSet,
    forms.SecurityControlForm,
)
ApplicationViews.queryset = models.Application.objects.select_related("owner", "reference", "developer")
DataSetViews.queryset = models.DataSet.objects.select_related("owner", "reference", "producer")

TYPED_VIEWS = {
    Domain.BUSINESS: BusinessProcessViews,
    Domain.DATA: DataSetViews,
    Domain.SERVICE: ServiceViews,
    Domain.APPLICATION: ApplicationViews,
    Domain.INFRASTRUCTURE: InfrastructureComponentViews,
    Domain.SECURITY: SecurityControlViews,
    Domain.OTHER: ElementViews,
}


class RelationshipViews(ModelViews):
    model = models.Relationship
    url_prefix = "relationships"
    queryset = models.Relationship.objects.select_related("source", "target")
    table = tables.RelationshipTable
    filterset = filters.RelationshipFilterSet
    form = forms.RelationshipForm
    import_lookups = {"source": "name", "target": "name"}


class ReferenceCodeViews(ModelViews):
    model = models.ReferenceCode
    url_prefix = "reference-codes"
    queryset = models.ReferenceCode.objects.select_related("parent")
    table = tables.ReferenceCodeTable
    filterset = filters.ReferenceCodeFilterSet
    # The national tables are data the Admin SPBE may correct or extend (the module's grants; OPD roles
    # only read). Deleting is not offered: elements keep pointing at the codes they were given.
    form = forms.ReferenceCodeForm
    import_lookups = {"parent": "code"}
    deletable = False
    related = [
        (gettext_lazy("Sub-codes"), lambda obj: obj.children.all()),
        (gettext_lazy("Elements"), lambda obj: obj.elements.all()),
    ]


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


def refusal(form, error: TransitionError) -> None:
    """Show a refused step on the form it came from: beside the field it names, else above the form."""
    placed = False
    for name, messages_ in error.fields.items():
        if name in form.fields:
            form.add_error(name, messages_)
            placed = True
    if not placed:
        form.add_error(None, error.detail)


class ChangeProposalDetailView(ModelViewMixin, View):
    """A proposal: what it changes (or the draft it would publish), its files, its history, and the steps
    the user may take now: the reviewer's approve / return, the proposer's revise / resubmit / withdraw."""

    template_name = "architecture/changeproposal_detail.html"

    def get(self, request, pk):
        return self.render_page(get_object_or_404(self.get_queryset(), pk=pk))

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
        removable = set(permissions.restrict(proposal.attachments.all(), user, "delete").values_list("pk", flat=True))
        may_attach = services.may_attach(user, proposal)
        context = {
            "object": proposal,
            "element": element,
            "urls": self.config.url_names(),
            "verbose_name_plural": self.model._meta.verbose_name_plural,
            "diff": services.proposal_diff(proposal) if proposal.kind == models.ProposalKind.CHANGE else [],
            "element_fields": _element_fields(element, TYPED_VIEWS.get(element.domain, ElementViews))
            if proposal.kind == models.ProposalKind.PUBLISH
            else [],
            "steps": steps,
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
        element = proposal.element.typed
        form = forms.form_for(element)(instance=element, initial=proposal.data, user=request.user)
        return self.render_form(proposal, form)

    def post(self, request, pk):
        proposal = self.get_proposal(pk)
        element = proposal.element.typed
        form = forms.form_for(element)(request.POST, instance=element, user=request.user)
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


class PublishRequestView(ModelViewMixin, View):
    """An operator asks for their draft element to be published."""

    config = ElementViews

    def post(self, request, pk):
        element = get_object_or_404(self.get_queryset("change"), pk=pk)
        try:
            proposal = services.request_publication(request.user, element)
        except TransitionError as error:
            messages.error(request, error.detail)
            return redirect(element.get_absolute_url())
        messages.success(request, _("Publication was requested from the Admin SPBE."))
        return redirect(proposal.get_absolute_url())


class PublishView(ModelViewMixin, View):
    """The Admin SPBE publishes a draft directly (approving a publication request that waits for it)."""

    config = ElementViews

    def post(self, request, pk):
        element = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            services.publish_element(request.user, element)
        except TransitionError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("%(name)s is published.") % {"name": element})
        return redirect(element.get_absolute_url())


class ImpactView(ModelViewMixin, View):
    """What depends on an element (or what it needs): the nearest reached elements a page at a time,
    counted per distance and domain, with the OPDs affected.

    A reach can hold ~100,000 elements, so the page lists `page_size` of them, by distance and then
    name, and the counts come from the database (`impact.VisibleReach`): the queries and the page's
    size stay the same whatever the reach.
    """

    config = ElementViews
    template_name = "architecture/impact.html"
    page_size = impact.PAGE_SIZE

    def get(self, request, pk):
        element = get_object_or_404(self.get_queryset(), pk=pk)
        direction = request.GET.get("direction", "dependents")
        if direction not in ("dependents", "dependencies"):
            direction = "dependents"
        reach = impact.VisibleReach(impact.analyse(element, direction), request.user)
        page = Paginator(reach, self.page_size).get_page(request.GET.get("page"))
        owners = Q(pk__in=reach.owner_ids())
        if direction == "dependents":
            owners |= Q(pk=element.owner_id)
        return render(
            request,
            self.template_name,
            {
                "element": element,
                "direction": direction,
                "page": page,
                "page_size": self.page_size,
                "page_urls": _page_urls(request, page),
                "rows": [{"element": e, "depth": distance} for e, distance in page.object_list],
                "by_distance": list(reach.by_distance.items()),
                "hidden_count": reach.hidden,
                "affected_opds": sorted(PerangkatDaerah.objects.filter(owners), key=str),
                "by_domain": sorted((str(Domain(d).label), n) for d, n in reach.by_domain().items()),
            },
        )


def _page_urls(request, page) -> dict[str, str]:
    """Links to the first, previous, next and last page, keeping the other parameters (direction)."""
    numbers = {}
    if page.has_previous():
        numbers.update(first=1, previous=page.previous_page_number())
    if page.has_next():
        numbers.update(next=page.next_page_number(), last=page.paginator.num_pages)
    urls = {}
    for name, number in numbers.items():
        query = request.GET.copy()
        query["page"] = number
        urls[name] = f"?{query.urlencode()}"
    return urls


class ComplianceView(ModelViewMixin, View):
    """The master plan's rules, computed for an instansi, each finding linking to the record to fix."""

    config = ElementViews
    template_name = "architecture/compliance.html"

    def get(self, request):
        instansi_qs = permissions.restrict(Instansi.objects.all(), request.user, "view")
        requested = record_id(request.GET.get("instansi"))
        instansi = (instansi_qs.filter(pk=requested).first() if requested else None) or instansi_qs.first()
        if instansi is None:
            raise PermissionDenied
        report = compliance.check(request.user, instansi)
        return render(
            request,
            self.template_name,
            {"instansi": instansi, "instansi_choices": instansi_qs, "report": report, "rules": compliance.RULES},
        )


class OverviewView(ModelViewMixin, View):
    """The repository's entry page: counts per domain, links to each element type and the tools."""

    config = ElementViews

    def get(self, request):
        elements = self.get_queryset()
        counts = {row["domain"]: row["n"] for row in _domain_counts(elements)}
        sections = [
            {"domain": domain, "label": Domain(domain).label, "count": counts.get(domain, 0), "urls": views.url_names()}
            for domain, views in TYPED_VIEWS.items()
        ]
        return render(request, "architecture/overview.html", {"sections": sections, "total": sum(counts.values())})


def _domain_counts(queryset):
    from django.db.models import Count

    return queryset.order_by().values("domain").annotate(n=Count("pk"))
