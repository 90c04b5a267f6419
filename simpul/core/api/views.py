from typing import ClassVar

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from simpul.core.api.serializers import AuditEntrySerializer, WorkflowEventSerializer
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet
from simpul.core.models import AuditEntry, WorkflowEvent
from simpul.core.views.audit import AuditEntryFilterSet
from simpul.core.views.workflow_events import WorkflowEventFilterSet


class AuditEntryViewSet(ReadOnlyScopedModelViewSet):
    """The hash-chained audit trail, read-only: entries of the instansi or OPD the user may audit."""

    queryset = AuditEntry.objects.select_related("content_type")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    ordering_fields = ["id", "timestamp"]


class WorkflowEventViewSet(ReadOnlyScopedModelViewSet):
    """Workflow events, read-only: each step taken on a record the caller may view, newest first.

    `?content_type=<app.model>&object_id=<id>` gives one record's events.
    """

    queryset = WorkflowEvent.objects.select_related("content_type")
    serializer_class = WorkflowEventSerializer
    filterset_class = WorkflowEventFilterSet
    ordering_fields = ["id", "timestamp"]


class CachedSchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per process, language and API version.

    It depends only on the code (the routes, serializers and settings), not on who asks (it is served
    public), yet drf-spectacular builds it anew for every request: about a second of CPU that the Swagger
    UI and Redoc pages waited for on each visit. A settings change (tests) forgets it.
    """

    _schemas: ClassVar[dict[tuple, dict]] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        schema = self._schemas.get(key)
        if schema is None:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            schema = self._schemas[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'}
        )

    @classmethod
    def forget(cls, **kwargs) -> None:
        cls._schemas.clear()
