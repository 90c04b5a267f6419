"""Evaluation periods."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.evaluation import results
from simpul.evaluation.api.serializers.scores import PeriodScoreSummarySerializer, YearResultSerializer
from simpul.evaluation.api.serializers.workflow import refuse_status_change
from simpul.evaluation.models import EvaluationPeriod, Framework
from simpul.organizations.models import PerangkatDaerah


class EvaluationPeriodSerializer(ScopedModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="code", queryset=Framework.objects.filter(is_active=True))
    default_pic = serializers.PrimaryKeyRelatedField(
        queryset=PerangkatDaerah.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("On creation only: the OPD that becomes PIC of every indicator."),
    )
    target_index = serializers.DecimalField(
        max_digits=4, decimal_places=2, coerce_to_string=False, required=False, allow_null=True
    )
    scores = PeriodScoreSummarySerializer(many=True, read_only=True)
    result = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The index standing for the year: the national result once recorded, else the final internal one, "
            "else the self-assessment; null before any level."
        )
    )

    class Meta:
        model = EvaluationPeriod
        fields = [
            "id",
            "url",
            "instansi",
            "year",
            "framework",
            "status",
            "self_assessment_due",
            "review_due",
            "target_index",
            "description",
            "default_pic",
            "scores",
            "result",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    @extend_schema_field(YearResultSerializer(allow_null=True))
    def get_result(self, period):
        result = results.year_result(period)
        return YearResultSerializer(result).data if result is not None else None

    def validate(self, attrs):
        refuse_status_change(self, _("The stage changes only through its steps: POST …/periods/<id>/transition/."))
        default_pic = attrs.pop("default_pic", None)
        if self.instance is not None:
            for name, message in (
                ("instansi", _("An evaluation period cannot move to another instansi.")),
                ("framework", _("The framework of a period cannot change once its indicators exist.")),
            ):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: message})
        attrs = super().validate(attrs)
        if default_pic is not None:
            if self.instance is not None:
                raise serializers.ValidationError(
                    {"default_pic": _("Assign PICs of an existing period per indicator.")}
                )
            if default_pic.instansi_id != attrs["instansi"].pk:
                raise serializers.ValidationError(
                    {"default_pic": _("The PIC must be an OPD of the instansi being evaluated.")}
                )
        self.default_pic = default_pic
        return attrs
