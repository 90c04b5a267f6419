"""The roadmap itself: a versioned plan of an instansi, its strategic initiatives per area, their outputs
(keluaran) with target years and responsible OPD, yearly budgets, and links to the records that realise them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ChangeLoggedModel
from simpul.roadmap.choices import Area

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def _year(value) -> tuple[str, str]:
    # Detail pages read `display_<field>` (core.display): a year is "2024", not "2.024".
    return ("" if value is None else str(value)), ""


def rupiah(value) -> str:
    from simpul.core import formats

    return "" if value is None else f"Rp {formats.number_text(value, 0)}"


def year_field(verbose_name, **options) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, validators=YEAR_VALIDATORS, **options)


class Roadmap(ChangeLoggedModel):
    """One version of an instansi's Peta Rencana SPBE (e.g. the master plan of 2020, its mid-term review).

    A revision is a new version copied from the one it is based on; the old version stays readable and
    the comparison of two versions lists the outputs added, removed and re-timed. One version per
    instansi is current: progress is reported on it.
    """

    instansi = models.ForeignKey(
        "organizations.Instansi", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="roadmaps"
    )
    name = models.CharField(_("name"), max_length=300)
    version_label = models.CharField(_("version"), max_length=100, help_text=_("e.g. 2020 or Mid-term review 2025."))
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The document it comes from, e.g. RIP SPBE 2020–2029.")
    )
    valid_from = year_field(_("valid from (year)"))
    is_current = models.BooleanField(
        _("current version"), default=False, help_text=_("Progress is reported on the current version.")
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    description = models.TextField(_("description"), blank=True)

    scope_instansi_path = "instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["instansi", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi"], condition=Q(is_current=True), name="roadmap_one_current_per_instansi"
            ),
            models.UniqueConstraint(fields=["instansi", "version_label"], name="roadmap_unique_version_label"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version_label})"

    def display_valid_from(self) -> tuple[str, str]:
        return _year(self.valid_from)

    def clean(self) -> None:
        super().clean()
        if self.based_on_id and self.instansi_id and self.based_on.instansi_id != self.instansi_id:
            raise ValidationError({"based_on": _("A version is based on another version of the same instansi.")})


class Initiative(ChangeLoggedModel):
    """A strategic initiative (inisiatif strategis) of one area of the roadmap, as a row group of tables 4.1–4.4."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="initiatives"
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Its place in the roadmap's order."))
    name = models.CharField(_("name"), max_length=400)
    plan_note = models.TextField(
        _("note on the plan's text"),
        blank=True,
        help_text=_("Where the name keeps a slip of the plan's own text, what the slip is."),
    )

    scope_instansi_path = "roadmap__instansi"
    scope_opd_path = None

    class Meta:
        verbose_name = _("strategic initiative")
        verbose_name_plural = _("strategic initiatives")
        ordering = ["roadmap", "number", "id"]

    def __str__(self) -> str:
        return self.name


class Output(ChangeLoggedModel):
    """An output (keluaran) of an initiative with its target years and responsible OPD.

    Its status is never stored: it is derived from the years and the accepted yearly progress reports
    (`simpul.roadmap.status`). Every OPD of the instansi reads the roadmap; the responsible OPD reports
    the progress of its own outputs.
    """

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("strategic initiative"), on_delete=models.CASCADE, related_name="outputs"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1, help_text=_("Its place in the initiative."))
    name = models.CharField(_("name"), max_length=400)
    start_year = year_field(_("start year"))
    end_year = year_field(_("end year"))
    responsible_opd = models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("responsible OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The OPD that delivers the output and reports its progress."),
    )
    target = models.TextField(_("target measure"), blank=True, help_text=_("What counts as delivered."))
    description = models.TextField(_("description"), blank=True)
    plan_note = models.TextField(
        _("note on the plan's text"),
        blank=True,
        help_text=_("Where the name keeps a slip of the plan's own text, what the slip is."),
    )

    scope_instansi_path = "initiative__roadmap__instansi"
    scope_opd_path = "responsible_opd"
    # The roadmap is the instansi's shared plan: every OPD reads all of it; the responsible OPD reports.
    scope_shared_q = Q(pk__isnull=False)

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["initiative__roadmap", "initiative__number", "number", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start_year and self.end_year and self.start_year > self.end_year:
            raise ValidationError({"end_year": _("The end year cannot be before the start year.")})
        if (
            self.responsible_opd_id
            and self.initiative_id
            and self.responsible_opd.instansi_id != self.initiative.roadmap.instansi_id
        ):
            raise ValidationError({"responsible_opd": _("The responsible OPD must be an OPD of the instansi.")})

    def display_start_year(self) -> tuple[str, str]:
        return _year(self.start_year)

    def display_end_year(self) -> tuple[str, str]:
        return _year(self.end_year)

    @property
    def roadmap(self) -> Roadmap:
        return self.initiative.roadmap

    @property
    def years_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def report_url(self, year: int) -> str:
        return reverse("roadmap:output_report", args=[self.pk, year])


class OutputBudget(ChangeLoggedModel):
    """The budget of one output in one year, planned and realised, in rupiah."""

    output = models.ForeignKey(Output, verbose_name=_("output"), on_delete=models.CASCADE, related_name="budgets")
    year = year_field(_("year"))
    planned = models.DecimalField(
        _("planned (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    realised = models.DecimalField(
        _("realised (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_instansi_path = "output__initiative__roadmap__instansi"
    scope_opd_path = "output__responsible_opd"
    scope_shared_q = Q(pk__isnull=False)

    class Meta:
        verbose_name = _("output budget")
        verbose_name_plural = _("output budgets")
        ordering = ["output", "year"]
        constraints = [models.UniqueConstraint(fields=["output", "year"], name="roadmap_budget_one_per_year")]

    def __str__(self) -> str:
        return f"{self.output} · {self.year}"

    def display_year(self) -> tuple[str, str]:
        return _year(self.year)

    def display_planned(self) -> tuple[str, str]:
        return rupiah(self.planned), ""

    def display_realised(self) -> tuple[str, str]:
        return rupiah(self.realised), ""

    def clean(self) -> None:
        super().clean()
        if self.output_id and self.year and self.year not in self.output.years:
            raise ValidationError(
                {
                    "year": _("The output runs from %(start)s to %(end)s.")
                    % {"start": self.output.start_year, "end": self.output.end_year}
                }
            )


class OutputLink(ChangeLoggedModel):
    """A link from an output to a record of another module that realises it or that it should raise: an
    architecture element (the output "Jaringan Simpul Sutoyo" is that network node), an evaluation
    indicator, a policy. The kind is a linkable type key of the module contract (`core.links`), so the
    roadmap imports none of those modules' models."""

    output = models.ForeignKey(Output, verbose_name=_("output"), on_delete=models.CASCADE, related_name="links")
    type_key = models.CharField(_("record type"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("record ID"))
    label = models.CharField(_("record"), max_length=300, help_text=_("The record's name when it was linked."))

    scope_instansi_path = "output__initiative__roadmap__instansi"
    scope_opd_path = "output__responsible_opd"
    scope_shared_q = Q(pk__isnull=False)

    class Meta:
        verbose_name = _("output link")
        verbose_name_plural = _("output links")
        ordering = ["output", "type_key", "label"]
        constraints = [
            models.UniqueConstraint(fields=["output", "type_key", "object_id"], name="roadmap_link_unique_record")
        ]

    def __str__(self) -> str:
        return self.label
