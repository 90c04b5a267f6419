from functools import partial

from django.core.validators import slug_re
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from simpul.architecture import compliance, filters, impact, models, services
from simpul.architecture.api import serializers
from simpul.architecture.models import ALREADY_PUBLISHED, ALREADY_REQUESTED, NO_PROPOSED_VALUES, NOT_PUBLISHED
from simpul.core import permissions
from simpul.core.api.pagination import MAX_OFFSET, choice_parameter, whole_number_parameter
from simpul.core.api.permissions import ScopedModelPermission
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.core.workflow import INVALID_STATE
from simpul.organizations.models import Instansi, PerangkatDaerah

MAX_IMPACT_LIMIT = 1000  # elements one impact response lists at most; page on with offset
IMPACT_DIRECTIONS = ("dependents", "dependencies")


class WorkflowActionPermission(ScopedModelPermission):
    """Workflow steps are POSTs that the workflow itself authorises (the reviewer's "review", the
    proposer's own proposal): the gate asks only that the caller may view such records at all, so that
    a refused step is answered by the kit, with its code, rather than by a bare 403 of the HTTP method."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) not in getattr(view, "workflow_actions", ()):
            return super().has_permission(request, view)
        user = request.user
        return bool(user and user.is_authenticated) and permissions.has_model_permission(
            user, "view", view.queryset.model
        )


def refused(*codes: str) -> OpenApiResponse:
    return OpenApiResponse(description="Refused in this state: `code` is one of " + ", ".join(f"`{c}`" for c in codes))


class ReviewedElementViewSet(ScopedModelViewSet):
    """Like the edit page: a published element changes only through the Admin SPBE's review."""

    permission_classes = [WorkflowActionPermission]
    workflow_actions = ("publish",)

    def perform_update(self, serializer):
        services.ensure_direct_change_allowed(self.request.user, serializer.instance)
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        services.ensure_direct_change_allowed(self.request.user, instance)
        super().perform_destroy(instance)

    @extend_schema(
        request=serializers.ProposalNoteSerializer,
        description="The Admin SPBE publishes a draft directly (a publication request waiting for it is "
        "approved with it). Others: 403 `not_permitted`.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        element = self.get_object_for("view")
        body = serializers.ProposalNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.publish_element(request.user, element, note=body.validated_data["note"])
        return Response(self.get_serializer(self.get_object_for("view")).data)


def publish_schema(serializer_class):
    """The publish action answers with the element as its endpoint shows it (typed fields included)."""
    return extend_schema_view(publish=extend_schema(responses={200: serializer_class, 409: refused(ALREADY_PUBLISHED)}))


@publish_schema(serializers.ElementSerializer)
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
    viewset = type(
        f"{model_class.__name__}ViewSet",
        (ReviewedElementViewSet,),
        {
            "queryset": model_class.objects.select_related("owner", "reference"),
            "serializer_class": serializer_class,
            "filterset_class": filterset_class,
            "ordering_fields": ["name", "updated_at"],
        },
    )
    return publish_schema(serializer_class)(viewset)


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


class ChangeProposalViewSet(ScopedModelViewSet):
    """Proposals and their workflow: create one, then approve / return (reviewer) or revise / resubmit /
    withdraw (proposer). Each step calls the service the web page calls; a refused step answers
    `{"code", "detail"}` with 409 (`invalid_state` and the workflow's own codes), 403 (`not_permitted`)
    or 400 (`note_required`, `invalid_input`, with `fields`)."""

    queryset = models.ChangeProposal.objects.select_related("element").prefetch_related("attachments")
    serializer_class = serializers.ChangeProposalSerializer
    filterset_class = filters.ChangeProposalFilterSet
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [WorkflowActionPermission]
    workflow_actions = ("approve", "return_", "revise", "resubmit", "withdraw")

    def answer(self, proposal: models.ChangeProposal, status: int = 200) -> Response:
        fresh = self.queryset.get(pk=proposal.pk)
        return Response(self.get_serializer(fresh).data, status=status)

    def element(self, element_id: int) -> models.Element:
        element = permissions.restrict(models.Element.objects.all(), self.request.user, "view").filter(pk=element_id)
        if not element:
            raise ValidationError({"element": [_("There is no such element, or you may not see it.")]})
        return element[0]

    @extend_schema(
        request=serializers.ProposalCreateSerializer,
        responses={201: serializers.ChangeProposalSerializer, 409: refused(NOT_PUBLISHED)},
        description="Propose values for a published element, for the Admin SPBE to review. 403 `not_permitted` "
        "if you may not change the element; 400 `invalid_input` (with `fields`) if the values break the edit "
        "page's rules; 409 `not_published` for a draft (change it directly).",
    )
    def create(self, request, *args, **kwargs):
        body = serializers.ProposalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        element = self.element(body.validated_data["element"])
        return self.answer(services.propose_change(request.user, element, body.validated_data["data"]), status=201)

    @extend_schema(
        request=serializers.PublicationRequestSerializer,
        responses={201: serializers.ChangeProposalSerializer, 409: refused(ALREADY_PUBLISHED, ALREADY_REQUESTED)},
        description="Ask the Admin SPBE to publish a draft element. 403 `not_permitted` if you may not change it.",
    )
    @action(detail=False, methods=["post"], url_path="request-publication", url_name="request-publication")
    def request_publication(self, request):
        body = serializers.PublicationRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        element = self.element(body.validated_data["element"])
        return self.answer(services.request_publication(request.user, element), status=201)

    @extend_schema(
        request=serializers.CorrectionCreateSerializer,
        responses={201: serializers.ChangeProposalSerializer, 409: refused(NOT_PUBLISHED)},
        description="Another OPD proposes a correction of a published element it sees but may not change, with "
        "a required note; the owner OPD and the Admin SPBE are notified and the Admin SPBE decides. 403 "
        "`not_permitted` for the owner OPD's users and reviewers (they edit or propose a change); 400 "
        "`note_required` without a note, `invalid_input` (with `fields`) if the values break the edit page's rules.",
    )
    @action(detail=False, methods=["post"], url_path="propose-correction", url_name="propose-correction")
    def propose_correction(self, request):
        body = serializers.CorrectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        element = self.element(body.validated_data["element"])
        proposal = services.propose_correction(
            request.user, element, body.validated_data["data"], body.validated_data["note"]
        )
        return self.answer(proposal, status=201)

    def step(self, request, serializer_class, run) -> Response:
        proposal = self.get_object_for("view")
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self.answer(run(proposal, **body.validated_data))

    @extend_schema(
        request=serializers.ProposalNoteSerializer,
        responses={200: serializers.ChangeProposalSerializer, 409: refused(INVALID_STATE)},
        description="Reviewer: apply the proposal (a change passes the edit page's rules again: else 400 "
        "`invalid_input`, nothing applied) and close it as approved.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.step(request, serializers.ProposalNoteSerializer, partial(services.approve_proposal, request.user))

    @extend_schema(
        request=serializers.ProposalReturnSerializer,
        responses={200: serializers.ChangeProposalSerializer, 409: refused(INVALID_STATE)},
        description="Reviewer: send the proposal back with a note (400 `note_required` without one).",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self.step(request, serializers.ProposalReturnSerializer, partial(services.return_proposal, request.user))

    @extend_schema(
        request=serializers.ProposalReviseSerializer,
        responses={200: serializers.ChangeProposalSerializer, 409: refused(INVALID_STATE, NO_PROPOSED_VALUES)},
        description="Proposer: change the proposed values of a returned change proposal (it stays returned).",
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self.step(request, serializers.ProposalReviseSerializer, partial(services.revise_proposal, request.user))

    @extend_schema(
        request=serializers.ProposalNoteSerializer,
        responses={
            200: serializers.ChangeProposalSerializer,
            409: refused(INVALID_STATE, NOT_PUBLISHED, ALREADY_PUBLISHED, ALREADY_REQUESTED),
        },
        description="Proposer: send a returned proposal for review again.",
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self.step(request, serializers.ProposalNoteSerializer, partial(services.resubmit_proposal, request.user))

    @extend_schema(
        request=serializers.ProposalNoteSerializer,
        responses={200: serializers.ChangeProposalSerializer, 409: refused(INVALID_STATE)},
        description="Proposer: take back a pending or returned proposal.",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.step(request, serializers.ProposalNoteSerializer, partial(services.withdraw_proposal, request.user))


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
