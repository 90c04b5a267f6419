from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from simpul.architecture import compliance, filters, impact, models, services
from simpul.architecture.api import serializers
from simpul.core import permissions
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.organizations.models import Instansi


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
        parameters=[OpenApiParameter("direction", str, enum=["dependents", "dependencies"])],
        responses=serializers.ImpactSerializer,
    )
    @action(detail=True, methods=["get"])
    def impact(self, request, pk=None):
        """What depends on this element (or, with direction=dependencies, what it needs), transitively."""
        element = self.get_object()
        direction = request.query_params.get("direction", "dependents")
        if direction not in ("dependents", "dependencies"):
            direction = "dependents"
        result = impact.analyse(element, direction)
        visible = permissions.restrict(
            models.Element.objects.filter(pk__in=result.element_ids).select_related("owner"), request.user, "view"
        )
        rows = sorted(visible, key=lambda e: (result.depth[e.pk], e.name))
        opds = sorted({str(e.owner) for e in rows} | {str(element.owner)})
        data = {
            "root": element.pk,
            "direction": direction,
            "elements": [
                {"id": e.pk, "name": e.name, "domain": e.domain, "owner": str(e.owner), "depth": result.depth[e.pk]}
                for e in rows
            ],
            "affected_opds": opds,
            "hidden": len(result.element_ids) - len(rows),
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
    lookup_value_regex = "[A-Za-z0-9.]+"


class ChangeProposalViewSet(ReadOnlyScopedModelViewSet):
    queryset = models.ChangeProposal.objects.select_related("element")
    serializer_class = serializers.ChangeProposalSerializer
    filterset_class = filters.ChangeProposalFilterSet


class ComplianceViewSet(ReadOnlyScopedModelViewSet):
    """Findings of the master plan's rules for one instansi (as the caller may see them)."""

    queryset = models.Element.objects.all()
    serializer_class = serializers.FindingSerializer
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("instansi", str, description="slug")],
        responses=serializers.FindingSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        instansi_qs = permissions.restrict(Instansi.objects.all(), request.user, "view")
        slug = request.query_params.get("instansi")
        instansi = instansi_qs.filter(slug=slug).first() if slug else instansi_qs.first()
        if instansi is None:
            raise NotFound()
        report = compliance.check(request.user, instansi)
        return Response(serializers.FindingSerializer(report.findings, many=True).data)
