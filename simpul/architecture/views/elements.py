"""Element pages: the list, form and delete pages of every element type, relationship and reference code
(`ModelViews` configurations), and an element's own page with its links, history and proposals."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.architecture import filters, forms, models, services, tables
from simpul.architecture.choices import Domain
from simpul.architecture.vocabulary import RELATIONSHIP_TYPES
from simpul.core import permissions
from simpul.core.views.generic import (
    ModelViews,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    object_timeline,
)
from simpul.core.workflow import TransitionError

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
        proposals = list(permissions.restrict(element.proposals.select_related("proposed_by"), user, "view")[:10])
        corrections = services.corrections_of(proposals)
        for proposal in proposals:
            proposal.correction = corrections.get(proposal.pk)
        context = {
            "config": config,
            "model_meta": type(typed)._meta,
            "verbose_name": type(typed)._meta.verbose_name,
            "verbose_name_plural": type(typed)._meta.verbose_name_plural,
            "urls": config.url_names(),
            "object": typed,
            "element": element,
            "fields": element_fields(typed, config),
            "relationships": relationship_rows(element, user),
            "history": element_timeline(element),
            "proposals": proposals,
            "can_change": permissions.can(user, "change", element),
            "can_delete": permissions.can(user, "delete", element),
            "can_review": can_review,
            "can_publish": can_review and not element.published,
            "needs_review": services.needs_review(user, element),
            "can_propose_correction": services.may_propose_correction(user, element),
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
    """The element's audit entries, those of its typed record (an Application's create and updates), and
    its workflow events (publication, recorded on the element), newest first."""
    return [
        PublicationEventRow(item)
        if getattr(item, "is_workflow_event", False) and item.workflow == services.PUBLICATION_WORKFLOW
        else item
        for item in object_timeline(element)
    ]


def element_fields(typed, config) -> list[dict]:
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


def refusal(form, error: TransitionError) -> None:
    """Show a refused step on the form it came from: beside the field it names, else above the form."""
    placed = False
    for name, messages_ in error.fields.items():
        if name in form.fields:
            form.add_error(name, messages_)
            placed = True
    if not placed:
        form.add_error(None, error.detail)
