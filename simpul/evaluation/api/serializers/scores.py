"""The index: a period's stored scores, and an index computed from levels sent by the client."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.evaluation.models import PeriodScore, ScoreBasis


class PeriodScoreSerializer(ScopedModelSerializer):
    index = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True)
    complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = PeriodScore
        fields = [
            "id",
            "period",
            "basis",
            "index",
            "raw_index",
            "predicate",
            "domains",
            "aspects",
            "assessed",
            "total",
            "complete",
            "computed_at",
        ]
        read_only_fields = fields


class PeriodScoreSummarySerializer(PeriodScoreSerializer):
    class Meta(PeriodScoreSerializer.Meta):
        fields = ["basis", "index", "predicate", "assessed", "total"]
        read_only_fields = fields


class YearResultSerializer(serializers.Serializer):
    """The index standing for a period's year (`simpul.evaluation.results.pick`): the national result once
    recorded, else the final internal one, else the self-assessment; `complete` is false while some items
    have no level on that basis (they count at the lowest level)."""

    basis = serializers.ChoiceField(choices=ScoreBasis.choices, read_only=True)
    index = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True)
    predicate = serializers.CharField(read_only=True)
    assessed = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    complete = serializers.BooleanField(read_only=True)


class ComputeRequestSerializer(serializers.Serializer):
    levels = serializers.DictField(
        child=serializers.JSONField(),
        help_text=gettext_lazy(
            'Levels by indicator number, e.g. {"1": 3, "2": 4}; an indicator assessed in parts takes one level, '
            'a list with one level per part, or the parts\' own keys ("35-1").'
        ),
    )
    missing_as_minimum = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("Count indicators without a level at the bottom of the scale instead of refusing."),
    )


class ComputeResultSerializer(serializers.Serializer):
    """Exactly what `simpul evaluation compute` prints."""

    framework = serializers.CharField()
    index = serializers.FloatField()
    predicate = serializers.CharField()
    domains = serializers.DictField(child=serializers.FloatField())
    aspects = serializers.DictField(child=serializers.FloatField())
