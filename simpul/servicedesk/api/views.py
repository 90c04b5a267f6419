"""The service desk API for agents: tickets through `restrict()` (ScopedModelViewSet), opened and edited
through the services the pages use, and every step of the life cycles, re-assignment, escalation and
replies as POST actions calling the same services. A refused step answers `{"code", "detail"}` with 403
(`not_permitted`), 409 (`invalid_state`) or 400 (`note_required`, `invalid_input` with `fields`).
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, status
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from simpul.core import permissions
from simpul.core.api.permissions import ScopedModelPermission
from simpul.core.api.schema import AutoSchema
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.servicedesk import filters, models, services
from simpul.servicedesk.api import serializers
from simpul.servicedesk.choices import Channel
from simpul.servicedesk.services import intake
from simpul.servicedesk.throttling import PublicIntakeThrottle

REFUSED_STEP = {
    400: OpenApiResponse(description="Invalid input, or a note the step requires is missing (`code`)."),
    403: OpenApiResponse(description="The account may not take this step (`code`: `not_permitted`)."),
    409: OpenApiResponse(description="The ticket is not in a state this step starts from (`invalid_state`)."),
}


class WorkflowActionPermission(ScopedModelPermission):
    """Steps are POSTs that the services authorise: the gate asks only that the caller may view tickets at
    all, so that a refused step is answered with its code."""

    def has_permission(self, request, view):
        user = request.user
        if getattr(view, "action", None) == "create" and not (user and user.is_authenticated):
            # A citizen's complaint: TicketViewSet.create hands it to the public intake, which allows only
            # that (services.intake.submit_public); agents create as their grants allow.
            return True
        if getattr(view, "action", None) not in getattr(view, "workflow_actions", ()):
            return super().has_permission(request, view)
        return bool(user and user.is_authenticated) and permissions.has_model_permission(
            user, "view", view.queryset.model
        )


def _post_action(name: str, body, summary: str, service):
    """A POST action named `name` (its route with dashes) running `service(user, ticket, **body)` as the
    ticket's page does."""

    def run(self, request, pk=None):
        return self.step(request, body, partial(service, request.user))

    # DRF maps the route to the method by the function's name when it is decorated: name it first.
    run.__name__ = name
    run.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name.replace("_", "-"))(
        run
    )
    return extend_schema(request=body, responses={200: serializers.TicketSerializer, **REFUSED_STEP}, summary=summary)(
        routed
    )


def _step(name: str, body, summary: str):
    """A step of the life cycles, through its service in `services.STEPS`."""
    return _post_action(name, body, summary, services.STEPS[name])


def _handover(name: str, service, body, summary: str):
    return _post_action(name, body, summary, service)


NOTE = serializers.TicketStepNoteSerializer


class TicketViewSet(ScopedModelViewSet):
    """Tickets of the OPDs the caller handles. A new ticket without `opd` goes to the owner OPD of its
    `element`, else to the instansi's service desk; its priority and SLA due moments are computed. Its state
    changes only through the step actions, each allowed for its kind and state (409 `invalid_state`)."""

    queryset = models.Ticket.objects.select_related("opd", "group", "assignee", "element", "instansi").prefetch_related(
        "pauses"
    )
    serializer_class = serializers.TicketSerializer
    filterset_class = filters.TicketFilterSet
    ordering_fields = ["opened_at", "resolution_due", "priority", "status", "updated_at"]
    permission_classes = [WorkflowActionPermission]
    workflow_actions = (*services.STEPS, "reassign", "escalate", "reply")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    update_record = staticmethod(services.update_ticket)

    def get_throttles(self):
        throttles = super().get_throttles()
        if getattr(self, "action", None) == "create":
            throttles.append(PublicIntakeThrottle())  # counts only requests without an account
        return throttles

    @extend_schema(
        summary="Open a ticket (agents), or submit a complaint without an account",
        description=(
            "Signed in: a ticket as the agent's grants allow (the ticket's representation). Without an account: "
            "a complaint only (`kind` = `complaint`), JSON or multipart with `attachments`, rate-limited per "
            "client address; the answer is the tracking `code` and `tracking_url`. A retry with the same "
            "`Idempotency-Key` and the same body gets the same code and writes nothing; the same key with a "
            "different body is refused with 409 `idempotency_conflict`."
        ),
        request={
            "application/json": PolymorphicProxySerializer(
                component_name="TicketCreateRequest",
                serializers=[serializers.TicketSerializer, serializers.PublicTicketSerializer],
                resource_type_field_name=None,
            ),
            "multipart/form-data": PolymorphicProxySerializer(
                component_name="TicketCreateUpload",
                serializers=[serializers.TicketSerializer, serializers.PublicTicketUploadSerializer],
                resource_type_field_name=None,
            ),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Any unique string (at most 150 characters) per submission without an account.",
            )
        ],
        responses={
            201: PolymorphicProxySerializer(
                component_name="TicketCreated",
                serializers=[serializers.TicketSerializer, serializers.PublicTicketReceiptSerializer],
                resource_type_field_name=None,
            ),
            409: OpenApiResponse(description="The Idempotency-Key was used for a different submission."),
            429: OpenApiResponse(description="Too many submissions from this address."),
        },
    )
    def create(self, request, *args, **kwargs):
        if request.user and request.user.is_authenticated:
            return super().create(request, *args, **kwargs)
        return self.public_create(request)

    def public_create(self, request) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 150:
            raise exceptions.ValidationError({"Idempotency-Key": ["At most 150 characters."]})
        body = serializers.PublicTicketUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            receipt = intake.submit_public(
                kind=data["kind"],
                subject=data["subject"],
                description=data["description"],
                reporter_name=data["reporter_name"],
                reporter_email=data["reporter_email"],
                reporter_phone=data["reporter_phone"],
                element=data["service"],
                instansi=data["instansi"],
                channel=Channel.API,
                idempotency_key=f"api-{key}" if key else None,
                attachments=data["attachments"],
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(drf_serializers.as_serializer_error(error)) from error
        except intake.IntakeConflict as error:
            return Response({"code": error.code, "detail": str(error)}, status=status.HTTP_409_CONFLICT)
        code = receipt.ticket.code
        url = request.build_absolute_uri(reverse("servicedesk_track", args=[code]))
        response = Response({"code": code, "tracking_url": url}, status=status.HTTP_201_CREATED)
        if receipt.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def perform_create(self, serializer):
        ticket = models.Ticket(**serializer.validated_data_without_m2m())
        serializer.instance = services.open_ticket(self.request.user, ticket)

    def step(self, request, serializer_class, run) -> Response:
        record = self.get_object_for("view")
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        run(record, **body.validated_data)
        return Response(self.get_serializer(self.get_object_for("view")).data)

    assign = _step("assign", serializers.TicketAssignSerializer, "Assign a new ticket to an agent or group")
    start = _step("start", NOTE, "Start work")
    wait = _step("wait", NOTE, "Ask the reporter (the SLA clock pauses)")
    resume = _step("resume", NOTE, "Resume work (the pause ends)")
    resolve = _step("resolve", NOTE, "Resolve (the note is the resolution)")
    reopen = _step("reopen", NOTE, "Reopen a resolved ticket")
    close = _step("close", NOTE, "Close")
    investigate = _step("investigate", NOTE, "Start investigating a problem")
    record_known_error = _step("record_known_error", serializers.TicketKnownErrorSerializer, "Record a known error")
    assess = _step("assess", serializers.TicketAssessSerializer, "Record a change's risk and impact")
    approve = _step("approve", NOTE, "Approve a change (review permission)")
    reject = _step("reject", NOTE, "Reject a change (review permission)")
    schedule = _step("schedule", serializers.TicketScheduleSerializer, "Schedule an approved change")
    implement = _step("implement", NOTE, "Record a change as implemented")
    review = _step("review", NOTE, "Review an implemented change")
    reassign = _handover("reassign", services.reassign, serializers.TicketAssignSerializer, "Reassign within the OPD")
    escalate = _handover(
        "escalate", services.escalate, serializers.TicketEscalateSerializer, "Hand over to another OPD"
    )

    @extend_schema(
        request=serializers.NewTicketReplySerializer,
        responses={201: serializers.TicketReplySerializer, **REFUSED_STEP},
        summary="Write a public reply or an internal note",
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        ticket = self.get_object_for("view")
        body = serializers.NewTicketReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reply = services.add_reply(request.user, ticket, **body.validated_data)
        return Response(
            serializers.TicketReplySerializer(reply, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class TicketReplyViewSet(ReadOnlyScopedModelViewSet):
    """The conversation of the tickets the caller may view: public replies and internal notes."""

    queryset = models.TicketReply.objects.select_related("ticket", "author")
    serializer_class = serializers.TicketReplySerializer
    filterset_fields = ["ticket", "kind"]


class TrackView(APIView):
    """A ticket by its tracking code, for anyone holding it: kind, state, subject, dates and public replies.
    An unknown code is 404 as any other."""

    permission_classes = [AllowAny]
    serializer_class = serializers.TrackingSerializer
    schema = AutoSchema()  # the error responses every endpoint documents

    @extend_schema(
        responses={200: serializers.TrackingSerializer, 404: OpenApiResponse(description="No ticket has this code.")},
        summary="Track a ticket by its code",
    )
    def get(self, request, code):
        data = intake.tracking(code)
        if data is None:
            raise exceptions.NotFound()
        return Response(serializers.TrackingSerializer(data).data)
