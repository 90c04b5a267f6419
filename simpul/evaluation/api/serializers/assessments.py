"""Indicator assessments: the record, the inputs of its steps (self-assessment, review, PIC assignment)
and the national stage results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.evaluation.api.serializers.common import ScopedInputSerializer, _level_field
from simpul.evaluation.models import IndicatorAssessment, NationalStage, NationalStageResult
from simpul.organizations.models import PerangkatDaerah, User


class IndicatorAssessmentSerializer(ScopedModelSerializer):
    indicator = serializers.IntegerField(source="indicator.number", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    aspect = serializers.CharField(source="indicator.aspect.code", read_only=True)
    # Null until the step that sets them (self-assessment, review, national stage, survey).
    self_level = _level_field(read_only=True, allow_null=True)
    final_level = _level_field(read_only=True, allow_null=True)
    national_level = _level_field(read_only=True, allow_null=True)
    satisfaction_x = _level_field(read_only=True, allow_null=True)

    class Meta:
        model = IndicatorAssessment
        fields = [
            "id",
            "url",
            "period",
            "indicator",
            "indicator_name",
            "aspect",
            "item_key",
            "subject",
            "pic",
            "pic_user",
            "due_date",
            "status",
            "self_level",
            "self_justification",
            "self_assessed_by",
            "submitted_at",
            "final_level",
            "review_note",
            "reviewed_by",
            "reviewed_at",
            "national_level",
            "effort",
            "satisfaction_x",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SelfAssessmentInputSerializer(serializers.Serializer):
    level = _level_field(required=False, allow_null=True)
    satisfaction_x = _level_field(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Only for the survey-scored indicator: the survey value x; the level is then computed from it."
        ),
    )
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("Hand the self-assessment to the reviewers (needs level and justification)."),
    )


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", gettext_lazy("accept")), ("return", gettext_lazy("return"))])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    final_level = _level_field(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("On acceptance: the final internal level, when it differs from the self-assessment."),
    )


class AssignInputSerializer(ScopedInputSerializer):
    pic = serializers.PrimaryKeyRelatedField(queryset=PerangkatDaerah.objects.all(), allow_null=True)
    pic_user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    due_date = serializers.DateField(
        allow_null=True,
        required=False,
        help_text=gettext_lazy("The item's own self-assessment deadline (null: the period's); left out: unchanged."),
    )


class BulkAssignInputSerializer(AssignInputSerializer):
    assessments = serializers.PrimaryKeyRelatedField(
        queryset=IndicatorAssessment.objects.all(),
        many=True,
        allow_empty=False,
        help_text=gettext_lazy("The ids of the period's assessments to give to the PIC."),
    )


class NationalResultInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=NationalStage.choices)
    level = _level_field()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    recommendations = serializers.CharField(required=False, allow_blank=True, default="")
    assessed_on = serializers.DateField(required=False, allow_null=True)


class NationalStageResultSerializer(ScopedModelSerializer):
    level = _level_field(read_only=True)
    item_key = serializers.CharField(source="assessment.item_key", read_only=True)
    period = serializers.IntegerField(source="assessment.period_id", read_only=True)

    class Meta:
        model = NationalStageResult
        fields = [
            "id",
            "assessment",
            "period",
            "item_key",
            "stage",
            "level",
            "notes",
            "recommendations",
            "assessed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
