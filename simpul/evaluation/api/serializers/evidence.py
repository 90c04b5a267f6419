"""Evidence of an assessment: files, links to Simpul records, web addresses."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.evaluation import evidence
from simpul.evaluation.models import Evidence


class EvidenceSerializer(ScopedModelSerializer):
    """Evidence of an item. Adding goes through `simpul.evaluation.evidence` (add_file, add_url,
    add_records) like the web page: a file is sent as multipart/form-data, a link as JSON."""

    url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, help_text=gettext_lazy("For kind url: the web address.")
    )
    file = serializers.FileField(
        write_only=True, required=False, help_text=gettext_lazy("For kind file (multipart/form-data): the file.")
    )
    record_type = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            'For kind record: the kind of Simpul record, e.g. "architecture.element" or "architecture.application".'
        ),
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Empty: the file name or address; a linked record is titled by its name."),
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "assessment",
            "kind",
            "title",
            "description",
            "file",
            "url",
            "record_type",
            "record_id",
            "record_label",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "download_url",
            "added_by",
            "created_at",
        ]
        read_only_fields = ["record_label", "original_name", "content_type", "size", "sha256", "added_by", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        record_type = instance.record_type
        data["record_type"] = f"{record_type.app_label}.{record_type.model}" if record_type else ""
        return data

    def get_download_url(self, evidence) -> str:
        if evidence.kind != Evidence.Kind.FILE:
            return ""
        path = reverse("evaluation:evidence_download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def validate(self, attrs):
        # Only the shape of the request here: the evidence functions check the file, the period, the
        # permission and the model rules, with the same messages as the web page.
        kind = attrs["kind"]
        required = {Evidence.Kind.FILE: "file", Evidence.Kind.URL: "url", Evidence.Kind.RECORD: "record_id"}[kind]
        if not attrs.get(required):
            raise serializers.ValidationError({required: _("This field is required.")})
        if kind == Evidence.Kind.RECORD:
            self.record = self._linked_record(attrs["assessment"], attrs.get("record_type", ""), attrs["record_id"])
        return attrs

    def _linked_record(self, assessment, type_key: str, record_id: int):
        entry = evidence.linkable_type((type_key or "").strip().lower())
        if entry is None:
            known = ", ".join(sorted(evidence.linkable_types()))
            raise serializers.ValidationError(
                {
                    "record_type": _("Records of this kind cannot be linked as evidence.")
                    + " "
                    + _("Known kinds: %(kinds)s.") % {"kinds": known}
                }
            )
        user = self.context["request"].user
        record = entry.queryset(user, assessment.period.instansi_id).filter(pk=record_id).first()
        if record is None:
            raise serializers.ValidationError({"record_id": _("This record does not exist or you may not see it.")})
        return record
