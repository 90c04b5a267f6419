"""Yearly progress reports of outputs, filed by the responsible OPD and checked by the Admin SPBE, and
their evidence (files, links to live Simpul records, web addresses)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ChangeLoggedModel, StoredFile
from simpul.core.workflow import INVALID_INPUT, Transition, TransitionError, Workflow
from simpul.roadmap.choices import EvidenceKind, ReportStatus
from simpul.roadmap.models.roadmaps import Output, year_field


def ready_to_submit(user, report: ProgressReport) -> None:
    """A report goes to its reviewer only with a narrative, on the current version of the roadmap."""
    if not report.narrative.strip():
        raise TransitionError(
            INVALID_INPUT,
            gettext("Describe the progress before submitting the report."),
            status=400,
            fields={"narrative": [gettext("This field is required.")]},
        )
    on_current_version(user, report)


def on_current_version(user, report: ProgressReport) -> None:
    """Reports of an earlier version of the roadmap are its record: they no longer move."""
    if not report.output.initiative.roadmap.is_current:
        raise TransitionError(
            NOT_CURRENT, gettext("This version of the roadmap is no longer current: report on the current version.")
        )


# The code of a step refused because the report's roadmap version is not the current one.
NOT_CURRENT = "roadmap_not_current"


class ProgressReport(ChangeLoggedModel):
    """The progress of one output in one year: a percentage (cumulative, at the end of the year), what
    was done, and evidence. The responsible OPD writes and submits it; the Admin SPBE accepts it or returns
    it with a note. An accepted report is final: the status of the output is derived from accepted
    reports and the date each was accepted, so a past date can be replayed exactly."""

    output = models.ForeignKey(Output, verbose_name=_("output"), on_delete=models.CASCADE, related_name="reports")
    year = year_field(_("year"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)], help_text=_("Cumulative, at the end of the year.")
    )
    narrative = models.TextField(_("what was done"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    scope_instansi_path = "output__initiative__roadmap__instansi"
    scope_opd_path = "output__responsible_opd"
    # Accepted progress is the instansi's shared knowledge; drafts stay with their OPD and the reviewers.
    scope_shared_q = Q(status=ReportStatus.ACCEPTED)

    workflow = Workflow(
        "progress_report",
        field="status",
        transitions=[
            Transition(
                "submit",
                [ReportStatus.DRAFT],
                ReportStatus.SUBMITTED,
                permission="change",
                guard=ready_to_submit,
                label=_("Submit for review"),
            ),
            Transition(
                "resubmit",
                [ReportStatus.RETURNED],
                ReportStatus.SUBMITTED,
                permission="change",
                guard=ready_to_submit,
                label=_("Submit again"),
            ),
            Transition(
                "accept",
                [ReportStatus.SUBMITTED],
                ReportStatus.ACCEPTED,
                permission="review",
                guard=on_current_version,
                label=_("Accept"),
            ),
            Transition(
                "return",
                [ReportStatus.SUBMITTED],
                ReportStatus.RETURNED,
                permission="review",
                requires_note=True,
                guard=on_current_version,
                label=_("Return with a note"),
            ),
        ],
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["output", "-year"]
        constraints = [models.UniqueConstraint(fields=["output", "year"], name="roadmap_report_one_per_year")]

    def __str__(self) -> str:
        return f"{self.output} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:progressreport_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.output_id and self.year and self.year not in self.output.years:
            raise ValidationError(
                {
                    "year": _("The output runs from %(start)s to %(end)s.")
                    % {"start": self.output.start_year, "end": self.output.end_year}
                }
            )

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ProgressEvidence(ChangeLoggedModel, StoredFile):
    """Evidence of a progress report: an uploaded file (checked, stored under its checksum, served only to
    those who may view the report), a link to a live Simpul record, or a web address."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    record_type_key = models.CharField(_("record type"), max_length=60, blank=True)
    record_id = models.PositiveBigIntegerField(_("record ID"), null=True, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)

    file_folder = "roadmap/evidence"
    scope_instansi_path = "report__output__initiative__roadmap__instansi"
    scope_opd_path = "report__output__responsible_opd"
    scope_shared_q = Q(report__status=ReportStatus.ACCEPTED)

    class Meta:
        verbose_name = _("progress evidence")
        verbose_name_plural = _("progress evidence")
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()

    def clean(self) -> None:
        super().clean()
        if self.kind == EvidenceKind.FILE and not self.sha256:
            raise ValidationError({"file": _("Choose a file to upload.")})
        if self.kind == EvidenceKind.RECORD and not (self.record_type_key and self.record_id):
            raise ValidationError(_("Choose the Simpul record this evidence points to."))
        if self.kind == EvidenceKind.URL and not self.url:
            raise ValidationError({"url": _("Enter the web address.")})
