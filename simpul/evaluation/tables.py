import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from simpul.core import formats
from simpul.core.tables import BaseTable
from simpul.evaluation import models, results


def _level(value) -> str:
    # Levels are stored with two decimals; 3.00 reads as 3, a survey-derived 3.25 stays (as 3,25).
    return "—" if value is None else formats.number_text(value)


class FrameworkTable(BaseTable):
    title = tables.Column(linkify=True)
    scale = tables.Column(empty_values=(), orderable=False, verbose_name=_("Scale"))
    status = tables.Column(verbose_name=_("Verification"))

    class Meta(BaseTable.Meta):
        model = models.Framework
        fields = ["title", "code", "source_regulation", "status", "scale", "valid_for_years", "is_active"]

    default_columns = ("title", "code", "status", "scale", "valid_for_years", "is_active")

    def render_scale(self, record):
        return f"{record.scale_min}–{record.scale_max}"

    def render_status(self, record):
        return models.VerificationStatus(record.status).label if record.status in models.VerificationStatus else ""

    def render_valid_for_years(self, value):
        return ", ".join(str(year) for year in value or ())


class PeriodTable(BaseTable):
    year = tables.Column(linkify=True)
    # The value standing for the year (`results.pick`: national, else final internal, else self), with its basis.
    index = tables.Column(empty_values=(), orderable=False, verbose_name=_("Index"))

    class Meta(BaseTable.Meta):
        model = models.EvaluationPeriod
        fields = ["year", "instansi", "framework", "status", "index", "self_assessment_due", "review_due"]

    default_columns = ("year", "instansi", "framework", "status", "index")

    def render_year(self, value):
        return str(value)  # not "2,024"

    def render_index(self, record):
        # The list's queryset prefetches the scores: no query per row.
        return render_to_string("evaluation/_year_result.html", {"result": results.year_result(record)})

    def value_index(self, record):
        result = results.year_result(record)
        return result.label if result else ""


class AssessmentTable(BaseTable):
    item_key = tables.Column(verbose_name="#", linkify=lambda record: record.get_absolute_url())
    indicator = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by="indicator__number")
    status = tables.Column()
    due = tables.Column(verbose_name=_("Due"), accessor="due_date", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = models.IndicatorAssessment
        fields = [
            "item_key",
            "indicator",
            "period",
            "pic",
            "status",
            "due",
            "self_level",
            "final_level",
            "national_level",
        ]

    default_columns = ("item_key", "indicator", "period", "pic", "status", "due", "self_level", "final_level")
    # On a phone a card is titled by what is assessed; "#" (the first linked column) would title it with a
    # bare item number.
    card_title = "indicator"

    def render_indicator(self, record):
        return record.indicator.name

    def render_status(self, record):
        return render_to_string(
            "evaluation/_status_badge.html", {"status": record.status, "label": record.get_status_display()}
        )

    def render_due(self, record):
        return render_to_string("evaluation/_due.html", {"assessment": record})

    def render_self_level(self, value):
        return _level(value)

    def render_final_level(self, value):
        return _level(value)

    def render_national_level(self, value):
        return _level(value)

    def value_status(self, record):
        return record.get_status_display()
