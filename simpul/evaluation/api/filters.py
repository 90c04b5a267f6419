"""Filters of the evaluation API (query parameters of the list endpoints)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from simpul.core.filters import BaseFilterSet
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Evidence,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    NationalStage,
    NationalStageResult,
    PeriodScore,
    PeriodStatus,
    ScoreBasis,
)


class FrameworkFilterSet(BaseFilterSet):
    search_fields = ("code", "title", "source_regulation")

    class Meta:
        model = Framework
        fields = ["is_active", "status"]


class EvaluationPeriodFilterSet(BaseFilterSet):
    search_fields = ("description", "instansi__name")
    framework = django_filters.CharFilter(field_name="framework__code", label=_("framework (code)"))
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices)

    class Meta:
        model = EvaluationPeriod
        fields = ["instansi", "year", "framework", "status"]


class IndicatorAssessmentFilterSet(BaseFilterSet):
    search_fields = ("indicator__name", "item_key", "subject")
    period = django_filters.NumberFilter(field_name="period")
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)
    pic = django_filters.NumberFilter(field_name="pic")
    unassigned = django_filters.BooleanFilter(field_name="pic", lookup_expr="isnull", label=_("without PIC"))
    aspect = django_filters.CharFilter(field_name="indicator__aspect__code", label=_("aspect (code)"))
    indicator = django_filters.NumberFilter(field_name="indicator__number", label=_("indicator (number)"))

    class Meta:
        model = IndicatorAssessment
        fields = ["period", "status", "pic", "unassigned", "aspect", "indicator", "item_key"]


class NationalStageResultFilterSet(BaseFilterSet):
    period = django_filters.NumberFilter(field_name="assessment__period")
    stage = django_filters.ChoiceFilter(choices=NationalStage.choices)

    class Meta:
        model = NationalStageResult
        fields = ["period", "assessment", "stage"]


class EvidenceFilterSet(BaseFilterSet):
    search_fields = ("title", "description", "original_name", "record_label", "url")
    period = django_filters.NumberFilter(field_name="assessment__period")
    kind = django_filters.ChoiceFilter(choices=Evidence.Kind.choices)

    class Meta:
        model = Evidence
        fields = ["period", "assessment", "kind"]


class PeriodScoreFilterSet(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period")
    basis = django_filters.ChoiceFilter(choices=ScoreBasis.choices)
    instansi = django_filters.NumberFilter(field_name="period__instansi")
    year = django_filters.NumberFilter(field_name="period__year")

    class Meta:
        model = PeriodScore
        fields = ["period", "basis", "instansi", "year"]


class ImprovementActionFilterSet(BaseFilterSet):
    search_fields = ("title", "note")
    period = django_filters.NumberFilter(field_name="period")
    indicator = django_filters.NumberFilter(field_name="indicator__number", label=_("indicator (number)"))
    status = django_filters.ChoiceFilter(choices=ImprovementAction.Status.choices)

    class Meta:
        model = ImprovementAction
        fields = ["period", "indicator", "owner", "status"]
