"""The filter sets of the roadmap's records: one per model, used by the list pages and the API alike.

An output's status is derived, not stored: the `status` filter computes the statuses of the listed
outputs (two queries) as of `as_of` (default today), and `as_of` marks every listed output with that date
(`status_as_of`), so the table and the API show the status of the same day.
"""

import datetime

import django_filters
from django.db.models import DateField, Value
from django.utils.translation import gettext_lazy as _

from simpul.core.filters import BaseFilterSet
from simpul.organizations.models import Instansi, PerangkatDaerah
from simpul.roadmap import tracking
from simpul.roadmap.choices import Area, OutputStatus, ReportStatus
from simpul.roadmap.models import Initiative, Output, OutputBudget, ProgressReport, Roadmap


class RoadmapFilterSet(BaseFilterSet):
    search_fields = ("name", "version_label", "source")
    instansi = django_filters.ModelChoiceFilter(queryset=Instansi.objects.all(), label=_("Instansi"))
    is_current = django_filters.BooleanFilter(label=_("Current version"))

    class Meta:
        model = Roadmap
        fields = ["instansi", "is_current", "valid_from"]


class InitiativeFilterSet(BaseFilterSet):
    search_fields = ("name",)
    roadmap = django_filters.ModelChoiceFilter(queryset=Roadmap.objects.all(), label=_("Roadmap"))
    area = django_filters.ChoiceFilter(choices=Area.choices, label=_("Area"))
    current = django_filters.BooleanFilter(field_name="roadmap__is_current", label=_("Current version"))

    class Meta:
        model = Initiative
        fields = ["roadmap", "area", "current"]


class OutputFilterSet(BaseFilterSet):
    search_fields = ("name", "initiative__name", "target", "responsible_opd__short_name", "responsible_opd__name")
    roadmap = django_filters.ModelChoiceFilter(
        field_name="initiative__roadmap", queryset=Roadmap.objects.all(), label=_("Roadmap")
    )
    current = django_filters.BooleanFilter(field_name="initiative__roadmap__is_current", label=_("Current version"))
    area = django_filters.ChoiceFilter(field_name="initiative__area", choices=Area.choices, label=_("Area"))
    initiative = django_filters.ModelChoiceFilter(queryset=Initiative.objects.all(), label=_("Strategic initiative"))
    responsible_opd = django_filters.ModelChoiceFilter(
        queryset=PerangkatDaerah.objects.all(),
        label=_("Responsible OPD"),
        null_label=_("Not assigned"),
        null_value="none",
    )
    year = django_filters.NumberFilter(method="running_in", label=_("Runs in year"))
    as_of = django_filters.DateFilter(
        method="status_on", label=_("Status as of"), help_text=_("Replay the status of a past date (YYYY-MM-DD).")
    )
    status = django_filters.ChoiceFilter(method="with_status", choices=OutputStatus.choices, label=_("Status"))

    class Meta:
        model = Output
        fields = ["roadmap", "current", "area", "initiative", "responsible_opd", "year", "as_of", "status"]

    def running_in(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(start_year__lte=value, end_year__gte=value)

    def as_of_date(self) -> datetime.date:
        value = self.form.cleaned_data.get("as_of") if hasattr(self.form, "cleaned_data") else None
        return value or tracking.today()

    def status_on(self, queryset, name, value):
        return queryset.annotate(status_as_of=Value(value, output_field=DateField())) if value else queryset

    def with_status(self, queryset, name, value):
        if not value:
            return queryset
        candidates = queryset.order_by().select_related(None).only("pk", "start_year", "end_year")
        found = tracking.statuses(candidates, self.as_of_date())
        return queryset.filter(pk__in=[pk for pk, status in found.items() if status.code == value])


class OutputBudgetFilterSet(BaseFilterSet):
    search_fields = ("output__name", "note")
    output = django_filters.ModelChoiceFilter(queryset=Output.objects.all(), label=_("Output"))
    year = django_filters.NumberFilter(label=_("Year"))
    current = django_filters.BooleanFilter(
        field_name="output__initiative__roadmap__is_current", label=_("Current version")
    )

    class Meta:
        model = OutputBudget
        fields = ["output", "year", "current"]


class ProgressReportFilterSet(BaseFilterSet):
    search_fields = ("output__name", "narrative", "review_note")
    roadmap = django_filters.ModelChoiceFilter(
        field_name="output__initiative__roadmap", queryset=Roadmap.objects.all(), label=_("Roadmap")
    )
    current = django_filters.BooleanFilter(
        field_name="output__initiative__roadmap__is_current", label=_("Current version")
    )
    output = django_filters.ModelChoiceFilter(queryset=Output.objects.all(), label=_("Output"))
    responsible_opd = django_filters.ModelChoiceFilter(
        field_name="output__responsible_opd", queryset=PerangkatDaerah.objects.all(), label=_("Responsible OPD")
    )
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    area = django_filters.ChoiceFilter(field_name="output__initiative__area", choices=Area.choices, label=_("Area"))

    class Meta:
        model = ProgressReport
        fields = ["roadmap", "current", "output", "responsible_opd", "year", "status", "area"]
