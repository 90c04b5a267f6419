"""List tables of the roadmap. The outputs' status, progress and contradictions are derived: computed once
for the rows of the page (or of the export) in two queries, not per row."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from simpul.core.tables import BaseTable
from simpul.roadmap import tracking
from simpul.roadmap.models import Initiative, Output, OutputBudget, ProgressReport, Roadmap


def _year(value) -> str:
    return "" if value is None else str(value)  # 2024, not "2.024"


class RoadmapTable(BaseTable):
    name = tables.Column(linkify=True)
    valid_from = tables.Column()

    class Meta(BaseTable.Meta):
        model = Roadmap
        fields = ["name", "version_label", "instansi", "valid_from", "is_current", "source", "based_on"]

    default_columns = ("name", "version_label", "instansi", "valid_from", "is_current")

    def render_valid_from(self, value):
        return _year(value)


class InitiativeTable(BaseTable):
    name = tables.Column(linkify=True)
    outputs = tables.Column(verbose_name=_("Outputs"), accessor="output_count", orderable=False)

    class Meta(BaseTable.Meta):
        model = Initiative
        fields = ["number", "name", "area", "roadmap", "outputs", "plan_note"]

    default_columns = ("number", "name", "area", "roadmap", "outputs")


class OutputTable(BaseTable):
    name = tables.Column(linkify=True)
    area = tables.Column(accessor="initiative__area", verbose_name=_("Area"))
    years = tables.Column(empty_values=(), verbose_name=_("Target years"), order_by=("start_year", "end_year"))
    status = tables.Column(empty_values=(), orderable=False, verbose_name=_("Status"))
    progress = tables.Column(empty_values=(), orderable=False, verbose_name=_("Progress"))
    contradictions = tables.Column(empty_values=(), orderable=False, verbose_name=_("Contradictions"))
    roadmap = tables.Column(accessor="initiative__roadmap__version_label", verbose_name=_("Version"))

    class Meta(BaseTable.Meta):
        model = Output
        fields = [
            "name",
            "initiative",
            "area",
            "years",
            "responsible_opd",
            "status",
            "progress",
            "contradictions",
            "target",
            "roadmap",
            "start_year",
            "end_year",
        ]

    default_columns = ("name", "initiative", "years", "responsible_opd", "status", "progress", "contradictions")

    def _tracking(self, record) -> tracking.Tracking:
        cache = self.__dict__.setdefault("_tracked", {})
        if record.pk not in cache:
            as_of = getattr(record, "status_as_of", None)
            page = getattr(self, "page", None)
            records = (
                [row.record for row in page.object_list] if page is not None else [row.record for row in self.rows]
            )
            if record not in records:
                records.append(record)
            cache.update(tracking.track(records, as_of))
        return cache[record.pk]

    def render_area(self, record):
        return record.initiative.get_area_display()

    def value_area(self, record):
        return record.initiative.get_area_display()

    def render_years(self, record):
        return record.years_label

    def value_years(self, record):
        return record.years_label

    def render_status(self, record):
        status = self._tracking(record).status
        return render_to_string("roadmap/_status_badge.html", {"code": status.code, "label": status.label})

    def value_status(self, record):
        return self._tracking(record).status.label

    def render_progress(self, record):
        progress = self._tracking(record).status.progress
        return "—" if progress is None else f"{progress}%"

    def value_progress(self, record):
        progress = self._tracking(record).status.progress
        return "" if progress is None else progress

    def render_contradictions(self, record):
        found = self._tracking(record).contradictions
        return render_to_string("roadmap/_contradiction_flag.html", {"contradictions": found}) if found else ""

    def value_contradictions(self, record):
        return "; ".join(
            f"{item.element_name} ({item.element_status_label})" for item in self._tracking(record).contradictions
        )

    def render_start_year(self, value):
        return _year(value)

    def render_end_year(self, value):
        return _year(value)


class OutputBudgetTable(BaseTable):
    output = tables.Column(linkify=True)
    year = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = OutputBudget
        fields = ["output", "year", "planned", "realised", "note"]

    default_columns = ("output", "year", "planned", "realised", "note")

    def render_year(self, value):
        return _year(value)

    def render_planned(self, record):
        return record.display_planned()[0]

    def render_realised(self, record):
        return record.display_realised()[0]


class ProgressReportTable(BaseTable):
    output = tables.Column(linkify=lambda record: record.get_absolute_url())
    year = tables.Column()
    percent = tables.Column(verbose_name=_("Progress (%)"))
    responsible_opd = tables.Column(accessor="output__responsible_opd", verbose_name=_("Responsible OPD"))

    class Meta(BaseTable.Meta):
        model = ProgressReport
        fields = [
            "output",
            "year",
            "percent",
            "status",
            "responsible_opd",
            "submitted_at",
            "reviewed_at",
            "accepted_at",
        ]

    default_columns = ("output", "year", "percent", "status", "responsible_opd", "submitted_at")

    def render_year(self, value):
        return _year(value)
