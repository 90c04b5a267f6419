"""The filter sets of the evaluation's records: one per model, used by the list pages and the API alike, so
`?q=` searches the same fields and every filter means the same on both."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import fields
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from simpul.core.filters import INT64_MAX, BaseFilterSet
from simpul.evaluation import models
from simpul.organizations.models import Instansi, PerangkatDaerah


class IdOrCodeChoiceField(fields.ModelChoiceField):
    """A record by its id (what a page's select sends) or by its code (what an API client knows: `A1`).

    A code is returned as text: aspect codes repeat across frameworks, and a code filters every one.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isdigit():
            if int(text) > INT64_MAX:  # no such id; the database would refuse the number itself
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return super().to_python(text)
        if not self.queryset.filter(code=text).exists():
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return text


@extend_schema_field(OpenApiTypes.STR)
class IdOrCodeFilter(django_filters.ModelChoiceFilter):
    field_class = IdOrCodeChoiceField

    def filter(self, qs, value):
        if isinstance(value, str):
            return qs.filter(**{f"{self.field_name}__code": value})
        return super().filter(qs, value)


class FrameworkFilterSet(BaseFilterSet):
    search_fields = ("code", "title", "source_regulation")
    status = django_filters.ChoiceFilter(choices=models.VerificationStatus.choices, label=_("Verification"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = models.Framework
        fields = ["status", "is_active"]


class PeriodFilterSet(BaseFilterSet):
    search_fields = ("instansi__name", "framework__title", "description")
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=models.PeriodStatus.choices, label=_("Stage"))
    framework = IdOrCodeFilter(
        queryset=models.Framework.objects.all(), label=_("Framework"), help_text=_("Its id or code.")
    )

    class Meta:
        model = models.EvaluationPeriod
        fields = ["instansi", "year", "status", "framework"]


class AssessmentFilterSet(BaseFilterSet):
    """Filters of the indicator tables and of the API; the period page narrows `aspect` and `pic` to its
    framework and instansi and leaves out those that name the period or an item (PERIOD_PAGE_HIDDEN)."""

    search_fields = ("item_key", "indicator__name", "indicator__code", "subject", "pic__short_name", "pic__name")
    status = django_filters.ChoiceFilter(choices=models.AssessmentStatus.choices, label=_("Status"))
    # One select for "which OPD" and "none yet": a separate yes/no filter read "Without PIC: Unknown".
    pic = django_filters.ModelChoiceFilter(
        queryset=PerangkatDaerah.objects.all(), label=_("PIC (OPD)"), null_label=_("Without PIC"), null_value="none"
    )
    aspect = IdOrCodeFilter(
        field_name="indicator__aspect",
        queryset=models.Aspect.objects.all(),
        label=_("Aspect"),
        help_text=_("Its id or code."),
    )
    period = django_filters.ModelChoiceFilter(
        queryset=models.EvaluationPeriod.objects.select_related("instansi"), label=_("Evaluation period")
    )
    indicator = django_filters.NumberFilter(field_name="indicator__number", label=_("Indicator (number)"))
    item_key = django_filters.CharFilter(label=_("Item"))

    PERIOD_PAGE_HIDDEN = ("period", "indicator", "item_key")

    class Meta:
        model = models.IndicatorAssessment
        fields = ["status", "pic", "aspect", "period", "indicator", "item_key"]


class NationalStageResultFilterSet(BaseFilterSet):
    period = django_filters.NumberFilter(field_name="assessment__period", label=_("Evaluation period"))
    stage = django_filters.ChoiceFilter(choices=models.NationalStage.choices, label=_("Stage"))

    class Meta:
        model = models.NationalStageResult
        fields = ["period", "assessment", "stage"]


class EvidenceFilterSet(BaseFilterSet):
    search_fields = ("title", "description", "original_name", "record_label", "url")
    period = django_filters.NumberFilter(field_name="assessment__period", label=_("Evaluation period"))
    kind = django_filters.ChoiceFilter(choices=models.Evidence.Kind.choices, label=_("Kind"))

    class Meta:
        model = models.Evidence
        fields = ["period", "assessment", "kind"]


class PeriodScoreFilterSet(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period")
    basis = django_filters.ChoiceFilter(choices=models.ScoreBasis.choices)
    instansi = django_filters.NumberFilter(field_name="period__instansi")
    year = django_filters.NumberFilter(field_name="period__year")

    class Meta:
        model = models.PeriodScore
        fields = ["period", "basis", "instansi", "year"]


class ImprovementActionFilterSet(BaseFilterSet):
    """Filters of a period's action list and of the API."""

    search_fields = ("title", "note")
    period = django_filters.NumberFilter(field_name="period", label=_("Evaluation period"))
    indicator = django_filters.NumberFilter(field_name="indicator__number", label=_("Indicator (number)"))
    status = django_filters.ChoiceFilter(choices=models.ActionStatus.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(queryset=PerangkatDaerah.objects.all(), label=_("OPD"))

    class Meta:
        model = models.ImprovementAction
        fields = ["period", "indicator", "owner", "status"]
