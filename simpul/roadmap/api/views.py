"""The roadmap API: the same records, filter sets, rules and services as the pages.

Lists and details pass through `restrict()` (ScopedModelViewSet). A report is filed with `POST` (a draft,
or submitted with `submit: true`), rewritten with `PUT …/<id>/content/` while a draft or returned, and
moves through `POST …/<id>/transition/` (`submit`, `resubmit`; the reviewer's `accept`, `return` with a
note): the functions the pages call, so their checks and messages apply unchanged. A refused step answers
`{"code", "detail"}` with the status the step chose (400, 403 or 409).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from simpul.core import permissions
from simpul.core.api.permissions import ScopedModelPermission
from simpul.core.api.serializers import WorkflowEventSerializer
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet, ScopedModelViewSet
from simpul.core.workflow import events_of
from simpul.roadmap import filters, services, tracking
from simpul.roadmap.api import serializers
from simpul.roadmap.models import Initiative, Output, ProgressReport, Roadmap

REFUSED_STEP = {
    400: OpenApiResponse(description="Invalid input, or a note the step requires is missing (`code`)."),
    403: OpenApiResponse(description="The account may not take this step (`code`: `not_permitted`)."),
    409: OpenApiResponse(
        description="The report is not in a state this step starts from (`invalid_state`), or its roadmap "
        "version is no longer current (`roadmap_not_current`)."
    ),
}


def as_validation_error(error: DjangoValidationError) -> drf_serializers.ValidationError:
    detail = drf_serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return drf_serializers.ValidationError(detail)


class RoadmapViewSet(ReadOnlyScopedModelViewSet):
    """Versions of each instansi's roadmap; one per instansi is current (progress is reported on it)."""

    queryset = Roadmap.objects.select_related("instansi")
    serializer_class = serializers.RoadmapSerializer
    filterset_class = filters.RoadmapFilterSet
    ordering_fields = ["valid_from", "name"]


class InitiativeViewSet(ScopedModelViewSet):
    """Strategic initiatives (inisiatif strategis) per area of a roadmap version."""

    queryset = Initiative.objects.select_related("roadmap")
    serializer_class = serializers.InitiativeSerializer
    filterset_class = filters.InitiativeFilterSet
    ordering_fields = ["number", "name"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="Replay: the status as of this date (default today)."
            )
        ]
    )
)
class OutputViewSet(ScopedModelViewSet):
    """Outputs (keluaran) with target years, responsible OPD and their derived status, progress and
    contradictions; `?status=` and `?as_of=` filter and replay as the pages do."""

    queryset = Output.objects.select_related("initiative__roadmap", "responsible_opd").prefetch_related(
        "budgets", "links"
    )
    serializer_class = serializers.OutputSerializer
    filterset_class = filters.OutputFilterSet
    ordering_fields = ["start_year", "end_year", "name", "number"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        as_of = self.request.query_params.get("as_of") if self.request else None
        if as_of:
            try:
                context["as_of"] = parse_date(as_of)
            except ValueError:
                context["as_of"] = None  # the filter set refuses it with 400 on a list
        return context

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            records = list(instance) if isinstance(instance, list | tuple) else [instance]
            records = [record for record in records if isinstance(record, Output)]
            if records:
                context = serializer.child.context if hasattr(serializer, "child") else serializer.context
                context.setdefault("tracking", {}).update(
                    tracking.track(records, context.get("as_of"), self.request.user)
                )
        return serializer


class ReportPermission(ScopedModelPermission):
    """Extra actions check the model permission they need themselves (the service decides the rest)."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) in ("content", "transition", "events"):
            return bool(request.user and request.user.is_authenticated) and permissions.has_model_permission(
                request.user, "view", ProgressReport
            )
        return super().has_permission(request, view)


@extend_schema_view(
    create=extend_schema(responses={201: serializers.ProgressReportSerializer, **REFUSED_STEP}),
)
class ProgressReportViewSet(ScopedModelViewSet):
    """Yearly progress reports of outputs: an OPD's drafts, what waits for review, accepted progress."""

    queryset = ProgressReport.objects.select_related("output__initiative__roadmap").prefetch_related("evidence")
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filters.ProgressReportFilterSet
    ordering_fields = ["year", "status", "updated_at"]
    routed_actions = ("list", "retrieve", "create")
    permission_classes = [ReportPermission]

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.file_report(
                self.request.user,
                data["output"],
                data["year"],
                data["percent"],
                data.get("narrative", ""),
                submit=data.get("submit", False),
            )
        except DjangoValidationError as error:
            raise as_validation_error(error) from error

    def _respond(self, report) -> Response:
        report = self.queryset.get(pk=report.pk)
        return Response(self.get_serializer(report).data)

    @extend_schema(
        request=serializers.ProgressReportContentSerializer,
        responses={200: serializers.ProgressReportSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["put"])
    def content(self, request, pk=None):
        """Rewrite the percentage and narrative of a draft or returned report; `submit: true` submits it."""
        report = self.get_object_for("view")
        data = serializers.ProgressReportContentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = services.file_report(
                request.user,
                report.output,
                report.year,
                data.validated_data["percent"],
                data.validated_data["narrative"],
                submit=data.validated_data["submit"],
            )
        except DjangoValidationError as error:
            raise as_validation_error(error) from error
        return self._respond(report)

    @extend_schema(
        request=serializers.ProgressReportTransitionSerializer,
        responses={200: serializers.ProgressReportSerializer, **REFUSED_STEP},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take one step: `submit` / `resubmit` (the OPD), `accept` / `return` with a `note` (the reviewer)."""
        report = self.get_object_for("view")
        data = serializers.ProgressReportTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step, note = data.validated_data["transition"], data.validated_data["note"]
        if step in ("submit", "resubmit"):
            report = services.submit_report(request.user, report)
        else:
            report = services.review_report(request.user, report, accept=step == "accept", note=note)
        return self._respond(report)

    @extend_schema(responses=WorkflowEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        """The report's workflow events, newest first."""
        report = self.get_object_for("view")
        return Response(WorkflowEventSerializer(events_of(report), many=True).data)
