import django_filters
from django.utils.translation import gettext_lazy as _

from simpul.architecture import choices, models
from simpul.architecture.vocabulary import RelationshipKind
from simpul.core import permissions
from simpul.core.filters import BaseFilterSet
from simpul.core.queries import pk_in
from simpul.organizations.models import Instansi, PerangkatDaerah

ELEMENT_SEARCH = ("name", "code", "description", "owner__short_name", "owner__name", "reference__code")


class ElementFilterSet(BaseFilterSet):
    search_fields = ELEMENT_SEARCH
    domain = django_filters.ChoiceFilter(choices=choices.Domain.choices, label=_("Domain"))
    status = django_filters.ChoiceFilter(choices=choices.ElementStatus.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("Owner OPD"))
    instansi = django_filters.ModelChoiceFilter(
        field_name="owner__instansi", queryset=Instansi.objects.all(), label=_("Instansi")
    )
    published = django_filters.BooleanFilter(label=_("Published"))
    archimate_type = django_filters.CharFilter(label=_("ArchiMate type"))
    reference = django_filters.CharFilter(
        field_name="reference__code", lookup_expr="istartswith", label=_("Reference code")
    )

    class Meta:
        model = models.Element
        fields = ["domain", "status", "owner", "published"]

    def match_pool(self, queryset):
        if queryset.model is models.Element or self._user() is None:
            return super().match_pool(queryset)
        return self._same_elements(queryset.model)

    def same_rows(self):
        # A typed list joins every typed row to its element, for the count and for every row a deep page
        # skips. When only element filters are active the element table alone holds the same rows, and
        # is counted and paged instead (docs/benchmarks.md). A search counts in as the ids it collected;
        # a search with too many matches to collect is left out.
        model = self.queryset.model
        if model is models.Element or self._user() is None or not self.is_valid():
            return None
        active = self.active_filter_names()
        if not active - {"q"} <= set(ElementFilterSet.base_filters):
            return None
        if "q" in active and self.collected_ids is None:
            return None
        data = self.data.copy()
        data.pop("q", None)
        rows = ElementFilterSet(data, queryset=self._same_elements(model), request=self.request).qs
        return rows.filter(pk_in(self.collected_ids)) if "q" in active else rows

    def _same_elements(self, model):
        """The visible records of typed `model`, read from the element table alone.

        A typed element's row and its element row always exist together, and the element row carries the
        type's domain (Element.save); the scope is the typed model's own rule, over fields both tables share.
        """
        elements = models.Element.objects.filter(domain=model.spbe_domain)
        scope = permissions.scope_filter(model, self._user(), "view")
        return elements if scope is None else elements.filter(scope)

    def _user(self):
        return getattr(self.request, "user", None)


def typed_filterset(model_class, extra: dict):
    """A filter set for one element type: the element filters plus the type's own."""
    attrs = {"Meta": type("Meta", (), {"model": model_class, "fields": ["status", "owner", "published"]}), **extra}
    return type(f"{model_class.__name__}FilterSet", (ElementFilterSet,), attrs)


BusinessProcessFilterSet = typed_filterset(
    models.BusinessProcess, {"sector": django_filters.CharFilter(lookup_expr="icontains", label=_("Sector"))}
)
DataSetFilterSet = typed_filterset(
    models.DataSet,
    {
        "classification": django_filters.ChoiceFilter(
            choices=choices.DataClassification.choices, label=_("Classification")
        ),
        "producer": django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("Producer OPD")),
        "interoperable": django_filters.BooleanFilter(label=_("Shared through interoperability")),
    },
)
ServiceFilterSet = typed_filterset(
    models.Service,
    {"service_type": django_filters.ChoiceFilter(choices=choices.ServiceType.choices, label=_("Service type"))},
)
ApplicationFilterSet = typed_filterset(
    models.Application,
    {
        "kind": django_filters.ChoiceFilter(choices=choices.ApplicationKind.choices, label=_("Kind")),
        "hosting": django_filters.ChoiceFilter(choices=choices.Hosting.choices, label=_("Hosting")),
        "developer": django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("Developer OPD")),
        "single_window": django_filters.BooleanFilter(label=_("Integrated with the single window")),
    },
)
InfrastructureComponentFilterSet = typed_filterset(
    models.InfrastructureComponent,
    {"kind": django_filters.ChoiceFilter(choices=choices.InfrastructureKind.choices, label=_("Kind"))},
)
SecurityControlFilterSet = typed_filterset(models.SecurityControl, {})


class RelationshipFilterSet(BaseFilterSet):
    search_fields = ("source__name", "target__name", "description")
    kind = django_filters.ChoiceFilter(choices=RelationshipKind.choices, label=_("Relationship"))
    source = django_filters.NumberFilter(label=_("From (id)"))
    target = django_filters.NumberFilter(label=_("To (id)"))

    class Meta:
        model = models.Relationship
        fields = ["kind"]


class ChangeProposalFilterSet(BaseFilterSet):
    search_fields = ("element__name", "note")
    status = django_filters.ChoiceFilter(choices=models.ProposalStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=models.ProposalKind.choices, label=_("Kind"))

    class Meta:
        model = models.ChangeProposal
        fields = ["status", "kind"]


class ReferenceCodeFilterSet(BaseFilterSet):
    search_fields = ("code", "name")
    tree = django_filters.ChoiceFilter(choices=models.ReferenceTree.choices, label=_("Reference tree"))
    level = django_filters.NumberFilter(label=_("Level"))
    status = django_filters.ChoiceFilter(choices=models.VerificationStatus.choices, label=_("Verification"))

    class Meta:
        model = models.ReferenceCode
        fields = ["tree", "level", "status"]
