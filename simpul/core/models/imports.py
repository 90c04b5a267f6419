"""Bookkeeping of bulk imports that run in the background (files too large for one request)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import ScopedModelMixin


def import_file_path(instance: "ImportJob", filename: str) -> str:
    """A random name under MEDIA_ROOT/imports/: never derived from user input, never served by URL."""
    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ImportJob(ScopedModelMixin, models.Model):
    """One uploaded import file waiting for, being processed by, or finished by a background worker.

    The job belongs to the user who uploaded it; only they (and superusers) see it. The uploaded file is
    kept privately under MEDIA_ROOT/imports/ until the job ends, then deleted. The outcome (counts, the
    per-row errors) stays on the row so the job page can show the same report as a direct import.
    """

    class Mode(models.TextChoices):
        PREVIEW = "preview", _("Check only (dry run)")
        IMPORT = "import", _("Import")
        # Explicit choice of the user after a check: the listed bad rows are left out, the rest saved.
        PARTIAL = "partial", _("Import the valid rows, skip the rows with errors")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    # Dotted path of the ModelViews class whose form and lookups the rows go through; the worker resolves
    # it with import_string and checks that it is a ModelViews subclass.
    config_path = models.CharField(_("configuration"), max_length=200)
    model_label = models.CharField(_("data type"), max_length=100)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    mode = models.CharField(_("action"), max_length=10, choices=Mode.choices)
    # The uploader's language: the worker writes the error messages in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    saved_count = models.PositiveIntegerField(_("records saved"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    unknown_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    task_id = models.CharField(_("job ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    scope_instansi_path = "user__instansi"
    scope_opd_path = "user__opd"

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("core:importjob_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def dry_run(self) -> bool:
        return self.mode == self.Mode.PREVIEW
