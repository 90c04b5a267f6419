"""Evidence (bukti dukung) of an assessment: uploaded files, links to Simpul records, web addresses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ChangeLoggedModel
from simpul.core.models.files import StoredFile, stored_file_path
from simpul.evaluation.models.assessments import IndicatorAssessment

# Released migrations refer to the upload path by this name.
evidence_file_path = stored_file_path


class Evidence(ChangeLoggedModel, StoredFile):
    """Supporting evidence (bukti dukung) of an assessment: an uploaded file or a link to a Simpul record."""

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        RECORD = "record", _("Simpul record")
        URL = "url", _("web address")

    assessment = models.ForeignKey(
        IndicatorAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    record_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("record type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    record_id = models.PositiveBigIntegerField(_("record ID"), null=True, blank=True)
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)

    file_folder = "evaluation/evidence"
    scope_instansi_path = "assessment__period__instansi"
    scope_opd_path = "assessment__pic"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.kind == self.Kind.FILE and not self.file:
            raise ValidationError({"file": _("Choose a file to upload.")})
        if self.kind == self.Kind.RECORD and not (self.record_type_id and self.record_id):
            raise ValidationError(_("Choose the Simpul record this evidence points to."))
        if self.kind == self.Kind.URL and not self.url:
            raise ValidationError({"url": _("Enter the web address.")})
