from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.architecture import compliance, filters, forms, impact, models, services, tables
from simpul.architecture.choices import Domain
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES
from simpul.core import permissions
from simpul.core.queries import record_id
from simpul.core.views.generic import (
    ModelViewMixin,
    ModelViews,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    object_timeline,
)
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
        pending = element.proposals.filter(status=models.ProposalStatus.PENDING).select_related("proposed_by")
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
            "history": object_timeline(element),
            "proposals": pending,
            "can_change": permissions.can(user, "change", element),
            "can_delete": permissions.can(user, "delete", element),
            "can_review": services.may_review(user, element),
            "needs_review": services.needs_review(user, element),
            "can_link": permissions.has_model_permission(user, "add", models.Relationship)
            and permissions.can(user, "change", element),
            "related": [],
        }
        return render(request, self.template_name, context)


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
            try:
                proposal = services.propose_change(request.user, obj, form)
            except PermissionDenied as error:
                form.add_error(None, str(error))
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


class ChangeProposalDetailView(ModelViewMixin, View):
    template_name = "architecture/changeproposal_detail.html"

    def get(self, request, pk, review_form=None, status=200):
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        form_class = TYPED_VIEWS[proposal.element.domain].form
        return render(
            request,
            self.template_name,
            {
                "object": proposal,
                "urls": self.config.url_names(),
                "verbose_name_plural": self.model._meta.verbose_name_plural,
                "diff": services.proposal_diff(proposal, form_class)
                if proposal.kind == models.ProposalKind.CHANGE
                else [],
                "can_review": proposal.status == models.ProposalStatus.PENDING
                and services.may_review(request.user, proposal.element),
                "review_form": review_form or forms.ProposalReviewForm(),
                "history": object_timeline(proposal),
            },
            status=status,
        )

    def post(self, request, pk):
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        form = forms.ProposalReviewForm(request.POST)
        form.is_valid()
        try:
            if request.POST.get("decision") == "approve":
                services.approve_proposal(request.user, proposal, TYPED_VIEWS[proposal.element.domain].form)
                messages.success(request, _("The proposal was approved and applied."))
            else:
                services.return_proposal(request.user, proposal, form.cleaned_data.get("note", ""))
                messages.success(request, _("The proposal was returned to its proposer."))
        except ValidationError as error:
            form.add_error(None, error)
            return self.get(request, pk, review_form=form, status=400)
        return redirect(proposal.get_absolute_url())


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


class PublishRequestView(ModelViewMixin, View):
    """An operator asks for their draft element to be published."""

    config = ElementViews

    def post(self, request, pk):
        element = get_object_or_404(self.get_queryset("change"), pk=pk)
        try:
            proposal = services.request_publication(request.user, element)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(element.get_absolute_url())
        messages.success(request, _("Publication was requested from the Admin SPBE."))
        return redirect(proposal.get_absolute_url())


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
