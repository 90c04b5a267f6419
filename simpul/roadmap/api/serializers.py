"""Serializers of the roadmap API. An output carries its derived `status` (as of today, or the list's
`as_of`), its accepted `progress`, its `contradictions` and its links; nothing derived is writable."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.roadmap import tracking
from simpul.roadmap.choices import EvidenceKind, OutputStatus
from simpul.roadmap.models import (
    Initiative,
    Output,
    OutputBudget,
    OutputLink,
    ProgressEvidence,
    ProgressReport,
    Roadmap,
)


class RoadmapSerializer(ScopedModelSerializer):
    class Meta:
        model = Roadmap
        fields = [
            "id",
            "url",
            "instansi",
            "name",
            "version_label",
            "source",
            "valid_from",
            "is_current",
            "based_on",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InitiativeSerializer(ScopedModelSerializer):
    class Meta:
        model = Initiative
        fields = ["id", "url", "roadmap", "area", "number", "name", "plan_note", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class OutputBudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutputBudget
        fields = ["year", "planned", "realised", "note"]
        read_only_fields = fields


class OutputLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutputLink
        fields = ["id", "type_key", "object_id", "label"]
        read_only_fields = fields


class OutputContradictionSerializer(serializers.Serializer):
    element = serializers.IntegerField(help_text=_("The linked architecture element."))
    element_name = serializers.CharField(help_text=_("Empty when the caller may not view the element."))
    element_status = serializers.CharField()
    element_status_label = serializers.CharField()


class OutputSerializer(ScopedModelSerializer):
    status = serializers.SerializerMethodField(help_text=_("Derived from the target years and accepted reports."))
    status_label = serializers.SerializerMethodField()
    status_as_of = serializers.SerializerMethodField(help_text=_("The date the status is computed for."))
    progress = serializers.SerializerMethodField(help_text=_("The latest accepted percentage (null: none yet)."))
    expected = serializers.SerializerMethodField(
        help_text=_("The percentage the linear pace expects by the end of the last closed year.")
    )
    contradictions = serializers.SerializerMethodField(
        help_text=_("Linked architecture elements not yet operating although the output is reported done.")
    )
    area = serializers.CharField(source="initiative.area", read_only=True)
    roadmap = serializers.IntegerField(source="initiative.roadmap_id", read_only=True)
    budgets = OutputBudgetSerializer(many=True, read_only=True)
    links = OutputLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Output
        fields = [
            "id",
            "url",
            "roadmap",
            "initiative",
            "area",
            "number",
            "name",
            "start_year",
            "end_year",
            "responsible_opd",
            "target",
            "description",
            "plan_note",
            "status",
            "status_label",
            "status_as_of",
            "progress",
            "expected",
            "contradictions",
            "budgets",
            "links",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def _tracking(self, obj) -> tracking.Tracking:
        cache = self.context.setdefault("tracking", {})
        if obj.pk not in cache:
            request = self.context.get("request")
            cache.update(tracking.track([obj], self.context.get("as_of"), getattr(request, "user", None)))
        return cache[obj.pk]

    @extend_schema_field(serializers.ChoiceField(choices=OutputStatus.choices))
    def get_status(self, obj) -> str:
        return self._tracking(obj).status.code

    def get_status_label(self, obj) -> str:
        return self._tracking(obj).status.label

    @extend_schema_field(serializers.DateField())
    def get_status_as_of(self, obj):
        return self.context.get("as_of") or tracking.today()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_progress(self, obj):
        return self._tracking(obj).status.progress

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_expected(self, obj):
        return self._tracking(obj).status.expected

    @extend_schema_field(OutputContradictionSerializer(many=True))
    def get_contradictions(self, obj) -> list:
        return [item.as_dict() for item in self._tracking(obj).contradictions]


class ProgressEvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()
    # Empty unless the evidence is a web address.
    url = serializers.CharField(read_only=True, help_text=_("For a web address: the address."))

    class Meta:
        model = ProgressEvidence
        fields = [
            "id",
            "kind",
            "title",
            "original_name",
            "size",
            "sha256",
            "record_type_key",
            "record_id",
            "url",
            "download",
            "created_at",
        ]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        if obj.kind != EvidenceKind.FILE:
            return ""
        from django.urls import reverse

        request = self.context.get("request")
        path = reverse("roadmap:progressevidence_download", args=[obj.pk])
        return request.build_absolute_uri(path) if request else path


class ProgressReportSerializer(ScopedModelSerializer):
    """A report as read; it is written through `POST` (create), `PUT …/content/` and `POST …/transition/`."""

    evidence = ProgressEvidenceSerializer(many=True, read_only=True)
    submit = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text=_("Submit it for review right away.")
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "url",
            "output",
            "year",
            "percent",
            "narrative",
            "status",
            "submit",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_note",
            "accepted_at",
            "evidence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_note",
            "accepted_at",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs):
        # The model's own rules are checked by the service (file_report), on the locked row.
        return attrs


class ProgressReportContentSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField(allow_blank=True, required=False, default="")
    submit = serializers.BooleanField(required=False, default=False)


class ProgressReportTransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=["submit", "resubmit", "accept", "return"])
    note = serializers.CharField(allow_blank=True, required=False, default="")
