from django.core.validators import slug_re
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from simpul.architecture import compliance, filters, impact, models, services
from simpul.architecture.api import serializers
from simpul.core import permissions
from simpul.core.api.pagination import MAX_OFFSET, choice_parameter, whole_number_parameter
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.organizations.models import Instansi, PerangkatDaerah

MAX_IMPACT_LIMIT = 1000  # elements one impact response lists at most; page on with offset
IMPACT_DIRECTIONS = ("dependents", "dependencies")


class ReviewedElementViewSet(ScopedModelViewSet):
    """Like the edit page: a published element changes only through the Admin SPBE's review."""

    def perform_update(self, serializer):
        services.ensure_direct_change_allowed(self.request.user, serializer.instance)
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        services.ensure_direct_change_allowed(self.request.user, instance)
        super().perform_destroy(instance)


class ElementViewSet(ReviewedElementViewSet):
    """All elements of every domain (search with ?q=, filter by domain, owner, status)."""

    queryset = models.Element.objects.select_related("owner", "reference")
    serializer_class = serializers.ElementSerializer
    filterset_class = filters.ElementFilterSet
    ordering_fields = ["name", "domain", "updated_at"]

    @extend_schema(
        parameters=[
            OpenApiParameter("direction", str, enum=list(IMPACT_DIRECTIONS)),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 0},
                description=f"Elements listed; more than {MAX_IMPACT_LIMIT} lists {MAX_IMPACT_LIMIT}.",
            ),
            OpenApiParameter(
                "offset",
                {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
                description="Elements skipped, in order of distance and then name.",
            ),
        ],
        responses=serializers.ImpactSerializer,
    )
    @action(detail=True, methods=["get"])
    def impact(self, request, pk=None):
        """What depends on this element (or, with direction=dependencies, what it needs), transitively.

        Lists `limit` of the reached elements from `offset`, by distance and then name; `count` and
        `by_distance` count all of those the user may see, `hidden` the others."""
        element = self.get_object()
        direction = choice_parameter(request, "direction", IMPACT_DIRECTIONS, "dependents")
        # As in the lists: above the maximum reads as the maximum, anything else invalid is refused.
        limit = min(whole_number_parameter(request, "limit", impact.PAGE_SIZE, minimum=0), MAX_IMPACT_LIMIT)
        offset = whole_number_parameter(request, "offset", 0, minimum=0, maximum=MAX_OFFSET)
        reach = impact.VisibleReach(impact.analyse(element, direction), request.user)
        owners = PerangkatDaerah.objects.filter(Q(pk__in=reach.owner_ids()) | Q(pk=element.owner_id))
        data = {
            "root": element.pk,
            "direction": direction,
            "count": reach.count,
            "by_distance": {str(distance): n for distance, n in reach.by_distance.items()},
            "limit": limit,
            "offset": offset,
            "elements": [
                {"id": e.pk, "name": e.name, "domain": e.domain, "owner": str(e.owner), "depth": distance}
                for e, distance in reach.page(offset, limit)
            ],
            "affected_opds": sorted(str(opd) for opd in owners),
            "hidden": reach.hidden,
        }
        return Response(serializers.ImpactSerializer(data).data)


def _typed_viewset(model_class, serializer_class, filterset_class):
    return type(
        f"{model_class.__name__}ViewSet",
        (ReviewedElementViewSet,),
        {
            "queryset": model_class.objects.select_related("owner", "reference"),
            "serializer_class": serializer_class,
            "filterset_class": filterset_class,
            "ordering_fields": ["name", "updated_at"],
        },
    )


BusinessProcessViewSet = _typed_viewset(
    models.BusinessProcess, serializers.BusinessProcessSerializer, filters.BusinessProcessFilterSet
)
DataSetViewSet = _typed_viewset(models.DataSet, serializers.DataSetSerializer, filters.DataSetFilterSet)
ServiceViewSet = _typed_viewset(models.Service, serializers.ServiceSerializer, filters.ServiceFilterSet)
ApplicationViewSet = _typed_viewset(models.Application, serializers.ApplicationSerializer, filters.ApplicationFilterSet)
InfrastructureComponentViewSet = _typed_viewset(
    models.InfrastructureComponent,
    serializers.InfrastructureComponentSerializer,
    filters.InfrastructureComponentFilterSet,
)
SecurityControlViewSet = _typed_viewset(
    models.SecurityControl, serializers.SecurityControlSerializer, filters.SecurityControlFilterSet
)


class RelationshipViewSet(ScopedModelViewSet):
    queryset = models.Relationship.objects.select_related("source", "target")
    serializer_class = serializers.RelationshipSerializer
    filterset_class = filters.RelationshipFilterSet


class ReferenceCodeViewSet(ReadOnlyScopedModelViewSet):
    queryset = models.ReferenceCode.objects.select_related("parent")
    serializer_class = serializers.ReferenceCodeSerializer
    filterset_class = filters.ReferenceCodeFilterSet
    lookup_field = "code"


class ChangeProposalViewSet(ReadOnlyScopedModelViewSet):
    queryset = models.ChangeProposal.objects.select_related("element")
    serializer_class = serializers.ChangeProposalSerializer
    filterset_class = filters.ChangeProposalFilterSet


class ComplianceViewSet(ReadOnlyScopedModelViewSet):
    """Findings of the master plan's rules for one instansi (as the caller may see them)."""

    queryset = models.Element.objects.all()
    serializer_class = serializers.FindingSerializer
    pagination_class = None
    # Findings are computed for the whole instansi: there is no finding record to read by id, and the
    # list is neither filtered nor ordered by query (a detail route served Elements as findings: 500).
    routed_actions = ("list",)
    filter_backends: list = []

    @extend_schema(
        parameters=[OpenApiParameter("instansi", str, description="slug")],
        responses=serializers.FindingSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        instansi_qs = permissions.restrict(Instansi.objects.all(), request.user, "view")
        slug = request.query_params.get("instansi")
        if slug and not slug_re.fullmatch(slug):
            # No instansi has it, and PostgreSQL refuses some such text outright (a NUL: a server error).
            raise NotFound()
        instansi = instansi_qs.filter(slug=slug).first() if slug else instansi_qs.first()
        if instansi is None:
            raise NotFound()
        report = compliance.check(request.user, instansi)
        return Response(serializers.FindingSerializer(report.findings, many=True).data)
