"""The document file a governance record carries (a policy's text, a decree, a meeting's minutes):
checked by type, content and size when it arrives (`simpul.core.files`), stored under its checksum, and
served only by the module's download views after the permission check."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.core import files


def document_path(instance: DocumentMixin, filename: str) -> str:
    # The stored name is the checksum: no user-chosen path, and the same file is not stored twice.
    suffix = PurePath(filename).suffix.lower()[:10]
    digest = instance.document_sha256
    return f"governance/{instance.document_folder}/{digest[:2]}/{digest}{suffix}"


class DocumentMixin(models.Model):
    """An optional document file with what was learnt about it on upload (name, type, size, checksum).

    The check runs in `clean()` (forms, API and imports call it) and again, once per upload, in `save()`,
    so no write path stores a file that was not checked.
    """

    document = models.FileField(_("document"), upload_to=document_path, max_length=255, blank=True)
    document_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    document_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    document_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)

    # The folder under MEDIA_ROOT/governance/ and the name of the download view (`<app>:<name>`).
    document_folder = "documents"
    download_url_name = ""

    class Meta:
        abstract = True

    def _pending_upload(self):
        stored = self.document
        return stored.file if stored and not stored._committed else None

    def check_document(self) -> None:
        """Check a newly attached file and record its name, type, size and checksum (or clear them)."""
        upload = self._pending_upload()
        if upload is None:
            if not self.document:
                self.document_name, self.document_type, self.document_size, self.document_sha256 = "", "", None, ""
            return
        if getattr(self, "_checked_upload", None) is upload:
            return
        try:
            checked = files.check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error
        self.document_name = checked.name
        self.document_type = checked.content_type
        self.document_size = checked.size
        self.document_sha256 = checked.sha256
        self._checked_upload = upload

    def clean(self) -> None:
        super().clean()
        self.check_document()

    def save(self, *args, **kwargs):
        self.check_document()
        super().save(*args, **kwargs)

    @property
    def document_url(self) -> str:
        """The authorised download of the document ("" without one)."""
        if not self.document or not self.pk or not self.download_url_name:
            return ""
        return reverse(self.download_url_name, args=[self.pk])

    def display_document(self) -> tuple[str, str]:
        """How the detail pages show the file: its original name, linking to the download."""
        if not self.document:
            return "", ""
        return f"{self.document_name} ({files.human_size(self.document_size)})", self.document_url
