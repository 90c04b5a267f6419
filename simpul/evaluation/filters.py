import django_filters
from django.utils.translation import gettext_lazy as _

from simpul.core.filters import BaseFilterSet
from simpul.evaluation import models
from simpul.organizations.models import Instansi, PerangkatDaerah


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
    framework = django_filters.ModelChoiceFilter(queryset=models.Framework.objects.all(), label=_("Framework"))

    class Meta:
        model = models.EvaluationPeriod
        fields = ["instansi", "year", "status", "framework"]


class AssessmentFilterSet(BaseFilterSet):
    """Filters of the indicator table; the period page narrows `aspect` and `pic` to its framework and instansi."""

    search_fields = ("item_key", "indicator__name", "indicator__code", "subject", "pic__short_name", "pic__name")
    status = django_filters.ChoiceFilter(choices=models.AssessmentStatus.choices, label=_("Status"))
    # One select for "which OPD" and "none yet": a separate yes/no filter read "Without PIC: Unknown".
    pic = django_filters.ModelChoiceFilter(
        queryset=PerangkatDaerah.objects.all(), label=_("PIC (OPD)"), null_label=_("Without PIC"), null_value="none"
    )
    aspect = django_filters.ModelChoiceFilter(
        field_name="indicator__aspect", queryset=models.Aspect.objects.all(), label=_("Aspect")
    )
    period = django_filters.ModelChoiceFilter(
        queryset=models.EvaluationPeriod.objects.select_related("instansi"), label=_("Evaluation period")
    )

    class Meta:
        model = models.IndicatorAssessment
        fields = ["status", "pic", "aspect", "period"]
