"""The stored form of an accepted upload: the file under its checksum, and what was learnt while checking it.

Evaluation evidence, proposal attachments and progress evidence all keep an upload this way; each model
only names its storage folder (`file_folder`). The upload itself is checked by `simpul.core.files`.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from simpul.core.files import CheckedFile


def stored_file_path(instance: StoredFile, filename: str) -> str:
    # The stored name is the checksum: no user-chosen path, and the same file is not stored twice.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{instance.file_folder}/{instance.sha256[:2]}/{instance.sha256}{suffix}"


class StoredFile(models.Model):
    """An uploaded file, stored under its SHA-256 in `file_folder`, with its original name, type and size.

    The fields are optional, for records that are a file or something else (a link, a web address);
    a record that is always a file sets `file_required`.
    """

    # The storage folder of this model's files, e.g. "evaluation/evidence": stored names never change.
    file_folder: str = ""
    file_required: bool = False

    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        # Without a checksum there is no stored file: its path is the checksum.
        if self.file_required and not self.sha256:
            raise ValidationError({"file": _("Choose a file to upload.")})

    def store(self, checked: CheckedFile, user) -> None:
        """Describe the accepted upload `checked` (from `files.check_upload()`) and who added it; then
        `save_file()` puts its bytes in storage."""
        self.original_name = checked.name
        self.content_type = checked.content_type
        self.size = checked.size
        self.sha256 = checked.sha256
        self.added_by = user

    def save_file(self, upload) -> str | None:
        """Put the upload's bytes in storage under its checksum, unless the same bytes are already there
        (e.g. the same file given for another record). Returns the name written, for the caller to delete
        should the record not be saved after all, or None when the stored file was reused."""
        name = stored_file_path(self, self.original_name)
        if self.file.storage.exists(name):
            self.file.name = name
            return None
        self.file.save(name, upload, save=False)
        return self.file.name
