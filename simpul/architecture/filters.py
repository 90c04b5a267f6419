import django_filters
from django.utils.translation import gettext_lazy as _

from simpul.architecture import choices, models
from simpul.architecture.vocabulary import RelationshipKind
from simpul.core import permissions
from simpul.core.filters import BaseFilterSet
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
        # A typed element's row and its element row always exist together, and the element row carries
        # the type's domain (Element.save); so the visible elements of that domain are the same records,
        # read from one table (the join under a LIMIT is what PostgreSQL misjudges, see the base class).
        model = queryset.model
        user = getattr(self.request, "user", None)
        if model is models.Element or user is None:
            return super().match_pool(queryset)
        return permissions.restrict(models.Element.objects.filter(domain=model.spbe_domain), user, "view")


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
