"""Evidence (bukti dukung) of an assessment: uploaded files, links to Simpul records, web addresses."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ChangeLoggedModel
from simpul.evaluation.models.assessments import IndicatorAssessment


def evidence_file_path(instance: Evidence, filename: str) -> str:
    # The stored name is the checksum: no user-chosen path, and the same file is not stored twice.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evaluation/evidence/{instance.sha256[:2]}/{instance.sha256}{suffix}"


class Evidence(ChangeLoggedModel):
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
    file = models.FileField(_("file"), upload_to=evidence_file_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
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
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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
