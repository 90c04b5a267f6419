"""The evaluation API: the same records, rules, filter sets and workflow functions as the web pages.

Lists and details pass through `restrict()` (ScopedModelViewSet). Every state change calls the
function the UI calls (`services.create_period`, `period_transition`, `save_self_assessment`,
`withdraw`, `review`, `assign_pic(s)`, `record_national_result`, `plan_actions`, `action_transition`;
`scoring.compute` for the index), so their permission checks and Indonesian messages apply unchanged:
a ValidationError becomes HTTP 400, a PermissionDenied HTTP 403, and a refused workflow step
(TransitionError) `{"code", "detail"}` with the status the step chose (400, 403 or 409).
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from simpul.core import permissions
from simpul.core import services as core_services
from simpul.core.api.permissions import ScopedModelPermission
from simpul.core.api.viewsets import PreconditionFailed, ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.core.workflow import TransitionError, events_of
from simpul.evaluation import evidence, filters, scoring, services
from simpul.evaluation.api import serializers
from simpul.evaluation.models import (
    EvaluationPeriod,
    Evidence,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    NationalStageResult,
    PeriodScore,
)


@contextlib.contextmanager
def service_errors(rename: dict[str, str] | None = None):
    """A Django ValidationError of a service as DRF's 400, with the service's field names mapped to the
    names of the endpoint's input (e.g. `review_note` → `note`)."""
    try:
        yield
    except DjangoValidationError as error:
        detail = drf_serializers.as_serializer_error(error)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        for old, new in (rename or {}).items():
            if old in detail:
                detail[new] = detail.pop(old)
        raise drf_serializers.ValidationError(detail) from error


@contextlib.contextmanager
def transition_errors(rename: dict[str, str] | None = None):
    """A refused step keeps its code and status; its field names become those of the endpoint's input."""
    try:
        yield
    except TransitionError as error:
        for old, new in (rename or {}).items():
            if old in error.fields:
                error.fields[new] = error.fields.pop(old)
        raise


# A refused workflow step, as every transition endpoint documents it.
REFUSED_STEP = {
    400: OpenApiResponse(description="Invalid input, or a note the step requires is missing (`code`)."),
    403: OpenApiResponse(description="The account may not take this step (`code`: `not_permitted`)."),
    409: OpenApiResponse(
        description="The record is not in a state this step starts from (`invalid_state`), or its period is "
        "closed (`period_closed`)."
    ),
}


class ActionPermission(ScopedModelPermission):
    """Like the default, but an extra action names the model permission it needs in
    `view.action_permissions`, instead of the one its HTTP method would imply (a review is a POST but
    needs "review", computing an index is a POST but needs only "view")."""

    def has_permission(self, request, view):
        required = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if required is None:
            return super().has_permission(request, view)
        if not request.user or not request.user.is_authenticated:
            return False
        model, model_action = required
        return permissions.has_model_permission(request.user, model_action, model)


class ActionScopedMixin:
    """Extra actions find their record among those the caller may view (else 404); whether the caller
    may do the action is then the service's decision (else 403), as on the web page."""

    permission_classes = [ActionPermission]
    action_permissions: dict[str, tuple[type, str]] = {}

    def get_visible_object(self):
        return self.get_object_for("view")


# --- Frameworks -------------------------------------------------------------------------------------


class FrameworkViewSet(ActionScopedMixin, ReadOnlyScopedModelViewSet):
    """Evaluation frameworks (national data); the detail holds domains, aspects, indicators with their
    weights and level criteria, predicates and the verification status of each part."""

    queryset = Framework.objects.all()
    serializer_class = serializers.FrameworkSerializer
    filterset_class = filters.FrameworkFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "title"]
    http_method_names = ["get", "post", "head", "options"]
    routed_actions = ("list", "retrieve")
    action_permissions = {"compute": (Framework, "view")}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.FrameworkDetailSerializer
        return super().get_serializer_class()

    @extend_schema(
        request=serializers.ComputeRequestSerializer,
        responses={
            200: serializers.ComputeResultSerializer,
            400: OpenApiResponse(description="Levels that do not fit the framework, one message per problem."),
        },
        summary="Compute the index of a set of indicator levels",
    )
    @action(detail=True, methods=["post"])
    def compute(self, request, code=None):
        """The same computation as `simpul evaluation compute`: the same JSON in, the same JSON out."""
        framework = self.get_visible_object()
        if not isinstance(request.data, dict) or not isinstance(request.data.get("levels"), dict):
            raise drf_serializers.ValidationError(
                {"levels": [_('Send the levels as a JSON object {"<indicator number>": level, ...}.')]}
            )
        data = serializers.ComputeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        spec = framework.spec
        try:
            levels = scoring.normalize_levels(spec, data.validated_data["levels"])
            result = scoring.compute(spec, levels, missing_as_minimum=data.validated_data["missing_as_minimum"])
        except scoring.LevelsError as error:
            raise drf_serializers.ValidationError({"levels": error.errors}) from error
        # as_dict() unchanged, not re-serialized: the numbers are those the CLI prints.
        return Response(result.as_dict())


# --- Periods and scores ------------------------------------------------------------------------------


class EventsMixin:
    """`GET …/<id>/events/`: the workflow events of one record, newest first (its timeline, for export)."""

    @extend_schema(responses=serializers.WorkflowEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        record = self.get_object_for("view")
        events = events_of(record)
        return Response(serializers.WorkflowEventSerializer(events, many=True).data)


class EvaluationPeriodViewSet(ActionScopedMixin, EventsMixin, ScopedModelViewSet):
    """Evaluation periods (one per instansi and year); creating one creates an assessment per item. The
    stage (`status`) changes only through `transition`."""

    queryset = EvaluationPeriod.objects.select_related("instansi", "framework").prefetch_related("scores")
    serializer_class = serializers.EvaluationPeriodSerializer
    filterset_class = filters.PeriodFilterSet
    ordering_fields = ["year", "status"]
    # Whether the caller may take the step (or assign, or plan) is the service's decision, with its code.
    action_permissions = {
        "transition": (EvaluationPeriod, "view"),
        "assign": (IndicatorAssessment, "review"),
        "plan_actions": (ImprovementAction, "add"),
        "events": (EvaluationPeriod, "view"),
    }

    def perform_create(self, serializer):
        period = EvaluationPeriod(**serializer.validated_data)
        with service_errors():
            serializer.instance = services.create_period(
                self.request.user, period, default_pic=getattr(serializer, "default_pic", None)
            )

    def perform_update(self, serializer):
        with service_errors():
            super().perform_update(serializer)

    @extend_schema(
        request=serializers.TransitionInputSerializer,
        responses={200: serializers.EvaluationPeriodSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take one step of the period's stage: `start_self_assessment`, `start_review`, `start_national`,
        `close` (final), or back a stage with a note (`back_to_preparation`, `back_to_self_assessment`,
        `back_to_review`)."""
        period = self.get_visible_object()
        data = serializers.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_transition(
            request.user, period, data.validated_data["transition"], note=data.validated_data["note"]
        )
        period = self.queryset.get(pk=period.pk)
        return Response(self.get_serializer(period).data)

    @extend_schema(
        request=serializers.BulkAssignInputSerializer,
        responses={200: serializers.IndicatorAssessmentSerializer(many=True), 409: REFUSED_STEP[409]},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give several assessments of the period to one PIC (an OPD of the instansi, or null), all or nothing."""
        period = self.get_visible_object()
        data = serializers.BulkAssignInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        chosen = data.validated_data["assessments"]
        with service_errors():
            services.assign_pics(
                request.user,
                period,
                chosen,
                data.validated_data["pic"],
                data.validated_data.get("pic_user"),
                due_date=data.validated_data.get("due_date", services.KEEP),
            )
        rows = IndicatorAssessment.objects.select_related("indicator__aspect", "period").filter(
            pk__in=[row.pk for row in chosen]
        )
        context = self.get_serializer_context()
        return Response(serializers.IndicatorAssessmentSerializer(rows, many=True, context=context).data)

    @extend_schema(
        request=serializers.PlanActionsInputSerializer,
        responses={201: serializers.PlannedActionsSerializer},
    )
    @action(detail=True, methods=["post"], url_path="plan-actions", url_name="plan-actions")
    def plan_actions(self, request, pk=None):
        """Turn raises of a plan into improvement actions, one per level, skipping levels that have one."""
        period = self.get_visible_object()
        data = serializers.PlanActionsInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        raises = [(row["item_key"], row["from_level"], row["to_level"]) for row in data.validated_data["raises"]]
        with service_errors():
            result = services.plan_actions(
                request.user,
                period,
                raises,
                owner=data.validated_data.get("owner"),
                due_date=data.validated_data.get("due_date"),
            )
        body = {
            "created": len(result.created),
            "skipped": result.skipped,
            "actions": [row.pk for row in result.created],
        }
        return Response(body, status=status.HTTP_201_CREATED)


class PeriodScoreViewSet(ReadOnlyScopedModelViewSet):
    """The stored index of each period on each basis (self, internal, national), for history and charts."""

    queryset = PeriodScore.objects.select_related("period")
    serializer_class = serializers.PeriodScoreSerializer
    filterset_class = filters.PeriodScoreFilterSet
    ordering_fields = ["period", "basis"]


# --- Assessments -------------------------------------------------------------------------------------


class IndicatorAssessmentViewSet(ActionScopedMixin, EventsMixin, ScopedModelViewSet):
    """The items of a period; they change only through the workflow actions, never by PUT/PATCH."""

    queryset = IndicatorAssessment.objects.select_related("indicator__aspect", "period")
    serializer_class = serializers.IndicatorAssessmentSerializer
    filterset_class = filters.AssessmentFilterSet
    ordering_fields = ["item_key", "status", "updated_at"]
    routed_actions = ("list", "retrieve")
    action_permissions = {
        # The workflow steps decide themselves who may take them, and say so with a code (not_permitted).
        "self_assessment": (IndicatorAssessment, "view"),
        "withdraw": (IndicatorAssessment, "view"),
        "review": (IndicatorAssessment, "view"),
        "assign": (IndicatorAssessment, "review"),
        "national": (NationalStageResult, "add"),
        "events": (IndicatorAssessment, "view"),
    }

    def _respond(self, assessment) -> Response:
        assessment = self.queryset.get(pk=assessment.pk)
        return Response(self.get_serializer(assessment).data)

    @extend_schema(
        request=serializers.SelfAssessmentInputSerializer,
        responses={200: serializers.IndicatorAssessmentSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["put"], url_path="self-assessment", url_name="self-assessment")
    def self_assessment(self, request, pk=None):
        """The PIC's level and justification (step `save_draft`); `submit: true` hands it to the reviewers
        (step `submit`)."""
        assessment = self.get_visible_object()
        data = serializers.SelfAssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transition_errors({"self_level": "level"}):
            assessment = services.save_self_assessment(
                request.user,
                assessment,
                data.validated_data.get("level"),
                data.validated_data["justification"],
                submit=data.validated_data["submit"],
                satisfaction_x=data.validated_data.get("satisfaction_x"),
            )
        return self._respond(assessment)

    @extend_schema(
        request=serializers.NoteInputSerializer,
        responses={200: serializers.IndicatorAssessmentSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The PIC takes back a submission no reviewer has decided on yet (step `withdraw`): a draft again."""
        assessment = self.get_visible_object()
        data = serializers.NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.withdraw(request.user, assessment, note=data.validated_data["note"])
        return self._respond(assessment)

    @extend_schema(
        request=serializers.ReviewInputSerializer,
        responses={200: serializers.IndicatorAssessmentSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Accept (step `accept`, fixing the final internal level) or return a self-assessment with a note
        (step `return`)."""
        assessment = self.get_visible_object()
        data = serializers.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transition_errors():
            assessment = services.review(
                request.user,
                assessment,
                accept=data.validated_data["decision"] == "accept",
                note=data.validated_data["note"],
                final_level=data.validated_data.get("final_level"),
            )
        return self._respond(assessment)

    @extend_schema(
        request=serializers.AssignInputSerializer,
        responses={200: serializers.IndicatorAssessmentSerializer, 409: REFUSED_STEP[409]},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the item to a PIC (an OPD of the instansi) and optionally a contact person."""
        assessment = self.get_visible_object()
        data = serializers.AssignInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with service_errors():
            assessment = services.assign_pic(
                request.user,
                assessment,
                data.validated_data["pic"],
                data.validated_data.get("pic_user"),
                due_date=data.validated_data.get("due_date", services.KEEP),
            )
        return self._respond(assessment)

    @extend_schema(
        request=serializers.NationalResultInputSerializer,
        responses={201: serializers.NationalStageResultSerializer, 409: REFUSED_STEP[409]},
    )
    @action(detail=True, methods=["post"])
    def national(self, request, pk=None):
        """Record (or correct) the level, notes and recommendations of one national stage."""
        assessment = self.get_visible_object()
        data = serializers.NationalResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        stage, level = fields.pop("stage"), fields.pop("level")
        with service_errors():
            result = services.record_national_result(request.user, assessment, stage, level, **fields)
        return Response(
            serializers.NationalStageResultSerializer(result, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class NationalStageResultViewSet(ReadOnlyScopedModelViewSet):
    """What the national evaluators gave each item at each stage (recorded through the assessments)."""

    queryset = NationalStageResult.objects.select_related("assessment")
    serializer_class = serializers.NationalStageResultSerializer
    filterset_class = filters.NationalStageResultFilterSet
    ordering_fields = ["assessment", "stage"]


# --- Evidence and improvement actions ----------------------------------------------------------------


class EvidenceViewSet(ScopedModelViewSet):
    """Evidence of the items: list, add (a file as multipart/form-data, a Simpul record or a web
    address as JSON) and remove, through the same functions as the evidence page. Adding and removing
    are refused with 409 while the item is submitted or accepted (`evidence_frozen`) or its period is
    closed (`period_closed`); removing by anyone but the item's PIC side with 403 (`not_permitted`)."""

    queryset = Evidence.objects.select_related("record_type", "assessment__period")
    serializer_class = serializers.EvidenceSerializer
    filterset_class = filters.EvidenceFilterSet
    ordering_fields = ["created_at", "title"]
    routed_actions = ("list", "retrieve", "create", "destroy")

    def perform_create(self, serializer):
        data, user = serializer.validated_data, self.request.user
        assessment, title, description = data["assessment"], data.get("title", ""), data.get("description", "")
        with service_errors():
            if data["kind"] == Evidence.Kind.FILE:
                created = evidence.add_file(user, assessment, data["file"], title, description)
            elif data["kind"] == Evidence.Kind.URL:
                created = evidence.add_url(user, assessment, data["url"], title, description)
            else:
                added = evidence.add_records(user, assessment, [serializer.record], description)
                if not added:
                    raise drf_serializers.ValidationError(
                        {"record_id": _("This record is already evidence of this indicator.")}
                    )
                created = added[0]
        serializer.instance = created

    def perform_destroy(self, instance):
        # The base class's If-Match check, which this override would otherwise skip.
        expected = self._expected_version()
        if expected is not None and expected != core_services.row_version(instance):
            raise PreconditionFailed(str(core_services.EditConflict(instance)))
        with service_errors():
            evidence.remove(self.request.user, instance)


class ImprovementActionViewSet(ActionScopedMixin, EventsMixin, ScopedModelViewSet):
    """Planned one-level raises of indicators, each with an owner OPD and a due date. An action starts
    planned; its status changes only through `transition`."""

    queryset = ImprovementAction.objects.select_related("indicator", "period", "owner")
    serializer_class = serializers.ImprovementActionSerializer
    filterset_class = filters.ImprovementActionFilterSet
    ordering_fields = ["due_date", "status", "updated_at"]
    action_permissions = {
        "transition": (ImprovementAction, "view"),
        "events": (ImprovementAction, "view"),
    }

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.create_action(
                self.request.user, ImprovementAction(**serializer.validated_data)
            )

    @extend_schema(
        request=serializers.TransitionInputSerializer,
        responses={200: serializers.ImprovementActionSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take one step of the action: `start`, `complete`, `drop`, `reopen` (done → in progress) or
        `restore` (dropped → planned)."""
        improvement = self.get_visible_object()
        data = serializers.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        improvement = services.action_transition(
            request.user, improvement, data.validated_data["transition"], note=data.validated_data["note"]
        )
        return Response(self.get_serializer(self.queryset.get(pk=improvement.pk)).data)

    def perform_update(self, serializer):
        with service_errors():
            super().perform_update(serializer)
