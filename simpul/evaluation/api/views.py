"""The evaluation API: the same records, rules and workflow functions as the web pages.

Lists and details pass through `restrict()` (ScopedModelViewSet). Every state change calls the
function the UI calls (`services.create_period`, `save_self_assessment`, `review`, `assign_pic`,
`record_national_result`; `scoring.compute` for the index), so their permission checks and Indonesian
messages apply unchanged: a ValidationError becomes HTTP 400 and a PermissionDenied HTTP 403.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from simpul.core import permissions
from simpul.core.api.permissions import ScopedModelPermission
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.evaluation import evidence, scoring, services
from simpul.evaluation.api import filters, serializers
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


class EvaluationPeriodViewSet(ScopedModelViewSet):
    """Evaluation periods (one per instansi and year); creating one creates an assessment per item."""

    queryset = EvaluationPeriod.objects.select_related("instansi", "framework").prefetch_related("scores")
    serializer_class = serializers.EvaluationPeriodSerializer
    filterset_class = filters.EvaluationPeriodFilterSet
    ordering_fields = ["year", "status"]

    def perform_create(self, serializer):
        period = EvaluationPeriod(**serializer.validated_data)
        with service_errors():
            serializer.instance = services.create_period(
                self.request.user, period, default_pic=getattr(serializer, "default_pic", None)
            )

    def perform_update(self, serializer):
        with service_errors():
            super().perform_update(serializer)


class PeriodScoreViewSet(ReadOnlyScopedModelViewSet):
    """The stored index of each period on each basis (self, internal, national), for history and charts."""

    queryset = PeriodScore.objects.select_related("period")
    serializer_class = serializers.PeriodScoreSerializer
    filterset_class = filters.PeriodScoreFilterSet
    ordering_fields = ["period", "basis"]


# --- Assessments -------------------------------------------------------------------------------------


class IndicatorAssessmentViewSet(ActionScopedMixin, ScopedModelViewSet):
    """The items of a period; they change only through the workflow actions, never by PUT/PATCH."""

    queryset = IndicatorAssessment.objects.select_related("indicator__aspect", "period")
    serializer_class = serializers.IndicatorAssessmentSerializer
    filterset_class = filters.IndicatorAssessmentFilterSet
    ordering_fields = ["item_key", "status", "updated_at"]
    routed_actions = ("list", "retrieve")
    action_permissions = {
        "self_assessment": (IndicatorAssessment, "change"),
        "review": (IndicatorAssessment, "review"),
        "assign": (IndicatorAssessment, "review"),
        "national": (NationalStageResult, "add"),
    }

    def _respond(self, assessment) -> Response:
        assessment = self.queryset.get(pk=assessment.pk)
        return Response(self.get_serializer(assessment).data)

    @extend_schema(
        request=serializers.SelfAssessmentInputSerializer, responses=serializers.IndicatorAssessmentSerializer
    )
    @action(detail=True, methods=["put"], url_path="self-assessment", url_name="self-assessment")
    def self_assessment(self, request, pk=None):
        """The PIC's level and justification; `submit: true` hands it to the reviewers."""
        assessment = self.get_visible_object()
        if not permissions.can(request.user, "change", assessment):
            raise PermissionDenied(_("Only the PIC of this indicator may fill in its self-assessment."))
        data = serializers.SelfAssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors({"self_level": "level"}):
            assessment = services.save_self_assessment(
                request.user,
                assessment,
                data.validated_data.get("level"),
                data.validated_data["justification"],
                submit=data.validated_data["submit"],
                satisfaction_x=data.validated_data.get("satisfaction_x"),
            )
        return self._respond(assessment)

    @extend_schema(request=serializers.ReviewInputSerializer, responses=serializers.IndicatorAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Accept (fixing the final internal level) or return a submitted self-assessment with a note."""
        assessment = self.get_visible_object()
        data = serializers.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors({"review_note": "note"}):
            assessment = services.review(
                request.user,
                assessment,
                accept=data.validated_data["decision"] == "accept",
                note=data.validated_data["note"],
                final_level=data.validated_data.get("final_level"),
            )
        return self._respond(assessment)

    @extend_schema(request=serializers.AssignInputSerializer, responses=serializers.IndicatorAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the item to a PIC (an OPD of the instansi) and optionally a contact person."""
        assessment = self.get_visible_object()
        data = serializers.AssignInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with service_errors():
            assessment = services.assign_pic(
                request.user, assessment, data.validated_data["pic"], data.validated_data.get("pic_user")
            )
        return self._respond(assessment)

    @extend_schema(
        request=serializers.NationalResultInputSerializer,
        responses={201: serializers.NationalStageResultSerializer},
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
    address as JSON) and remove, through the same functions as the evidence page."""

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
        with service_errors():
            evidence.remove(self.request.user, instance)


class ImprovementActionViewSet(ScopedModelViewSet):
    """Planned one-level raises of indicators, each with an owner OPD and a due date."""

    queryset = ImprovementAction.objects.select_related("indicator", "period", "owner")
    serializer_class = serializers.ImprovementActionSerializer
    filterset_class = filters.ImprovementActionFilterSet
    ordering_fields = ["due_date", "status", "updated_at"]

    def perform_create(self, serializer):
        with service_errors():
            super().perform_create(serializer)

    def perform_update(self, serializer):
        with service_errors():
            super().perform_update(serializer)
