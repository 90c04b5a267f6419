"""Uploaded files: checked by name and content, checksummed, and served only as attachments.

Every module that stores user files (evaluation evidence, application manuals, ticket attachments…)
uses these helpers, so that one rule applies everywhere: a file is accepted only when its extension is
allowed AND its first bytes say it really is that type (a renamed .exe is refused), its size is within
`SIMPUL_UPLOAD_MAX_BYTES`, and it is never served inline or by a public URL — only by a view that has
checked the permission first and then calls `serve_file()`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK_SIZE = 64 * 1024
# How much of a text file is decoded to decide that it is text.
TEXT_SAMPLE_BYTES = 64 * 1024


def _starts_with(*signatures: bytes) -> Callable[[BinaryIO, bytes], bool]:
    return lambda _file, head: head.startswith(signatures)


def _is_pdf(_file: BinaryIO, head: bytes) -> bool:
    # Readers accept the header anywhere in the first kilobyte (some generators put bytes before it).
    return b"%PDF-" in head[:1024]


def _zip_names(file: BinaryIO) -> zipfile.ZipFile | None:
    try:
        file.seek(0)
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _ooxml(folder: str) -> Callable[[BinaryIO, bytes], bool]:
    """An Office Open XML file (docx/xlsx/pptx): a zip with a content-types part and its main folder."""

    def check(file: BinaryIO, head: bytes) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        archive = _zip_names(file)
        if archive is None:
            return False
        # Only the central directory is read: nothing is decompressed, so a zip bomb costs nothing.
        names = archive.namelist()
        return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)

    return check


def _opendocument(mimetype: str) -> Callable[[BinaryIO, bytes], bool]:
    """An OpenDocument file: a zip whose `mimetype` entry names the document type."""

    def check(file: BinaryIO, head: bytes) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        archive = _zip_names(file)
        if archive is None:
            return False
        try:
            with archive.open("mimetype") as entry:
                return entry.read(200).strip() == mimetype.encode()
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
            return False

    return check


def _is_text(file: BinaryIO, head: bytes) -> bool:
    """UTF-8 text (with or without BOM): executables, archives and images all hold NUL or non-UTF-8 bytes."""
    file.seek(0)
    sample = file.read(TEXT_SAMPLE_BYTES)
    if b"\x00" in sample:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: a multi-byte character cut at the end of the sample is not an error.
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: its extensions, the content type it is served with, and its sniffer."""

    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    sniff: Callable[[BinaryIO, bytes], bool]


KNOWN_TYPES: dict[str, FileType] = {
    file_type.key: file_type
    for file_type in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",), _is_pdf),
        FileType("png", "PNG", "image/png", (".png",), _starts_with(b"\x89PNG\r\n\x1a\n")),
        FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"), _starts_with(b"\xff\xd8\xff")),
        FileType(
            "xlsx",
            "Excel (.xlsx)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            _ooxml("xl/"),
        ),
        FileType(
            "docx",
            "Word (.docx)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            _ooxml("word/"),
        ),
        FileType(
            "pptx",
            "PowerPoint (.pptx)",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx",),
            _ooxml("ppt/"),
        ),
        FileType(
            "odt",
            "OpenDocument (.odt)",
            "application/vnd.oasis.opendocument.text",
            (".odt",),
            _opendocument("application/vnd.oasis.opendocument.text"),
        ),
        FileType(
            "ods",
            "OpenDocument (.ods)",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
            _opendocument("application/vnd.oasis.opendocument.spreadsheet"),
        ),
        FileType(
            "odp",
            "OpenDocument (.odp)",
            "application/vnd.oasis.opendocument.presentation",
            (".odp",),
            _opendocument("application/vnd.oasis.opendocument.presentation"),
        ),
        FileType("csv", "CSV", "text/csv", (".csv",), _is_text),
        FileType("txt", "TXT", "text/plain", (".txt",), _is_text),
    )
}

# What an instansi's documents usually are; a deployment may narrow or widen it with SIMPUL_UPLOAD_TYPES.
DEFAULT_UPLOAD_TYPES = ("pdf", "png", "jpeg", "xlsx", "docx", "pptx", "odt", "ods", "odp", "csv", "txt")


def allowed_types(keys: tuple[str, ...] | list[str] | None = None) -> dict[str, FileType]:
    """The accepted types, by extension: `keys`, else the setting SIMPUL_UPLOAD_TYPES, else the default."""
    if keys is None:
        keys = getattr(settings, "SIMPUL_UPLOAD_TYPES", DEFAULT_UPLOAD_TYPES)
    unknown = [key for key in keys if key not in KNOWN_TYPES]
    if unknown:
        raise ValueError(f"unknown upload types {unknown}; known: {sorted(KNOWN_TYPES)}")
    return {extension: KNOWN_TYPES[key] for key in keys for extension in KNOWN_TYPES[key].extensions}


def max_upload_bytes() -> int:
    return settings.SIMPUL_UPLOAD_MAX_BYTES


def describe_allowed(keys=None) -> str:
    """The accepted extensions as a user reads them, e.g. ".pdf, .png, .jpg"."""
    return ", ".join(sorted(allowed_types(keys)))


def human_size(size: int | None) -> str:
    """A size as people read it, in the active language (e.g. "20,0 MB" in Indonesian)."""
    return "" if size is None else filesizeformat(size)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\\"<>|:*?]+")


def safe_name(name: str, default: str = "berkas") -> str:
    """The user's file name without any path, control characters or quotes, at most 200 characters."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    if len(base) > 200:
        suffix = PurePath(base).suffix[:10]
        base = base[: 200 - len(suffix)] + suffix
    return base or default


@dataclass(frozen=True)
class CheckedFile:
    """What was learnt about an accepted upload while reading it."""

    name: str
    extension: str
    file_type: FileType
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.file_type.content_type


def check_upload(upload, *, types=None, max_bytes: int | None = None) -> CheckedFile:
    """Accept `upload` (a Django UploadedFile or any named binary file) or raise ValidationError.

    Reads the whole file once, counting its size (the client's claim is not trusted) and computing
    its SHA-256; the content must match the type its extension names. The file is left at position 0.
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    name = safe_name(getattr(upload, "name", "") or "")
    extension = PurePath(name).suffix.lower()
    accepted = allowed_types(types)
    file_type = accepted.get(extension)
    if file_type is None:
        raise ValidationError(
            _("Files of type %(extension)s are not accepted. Accepted: %(allowed)s.")
            % {"extension": extension or _("(no extension)"), "allowed": describe_allowed(types)},
            code="file_type",
        )
    claimed = getattr(upload, "size", None)
    if claimed is not None and claimed > limit:
        raise ValidationError(_too_large(limit), code="file_size")
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    chunks = upload.chunks(CHUNK_SIZE) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK_SIZE), b"")
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            upload.seek(0)
            raise ValidationError(_too_large(limit), code="file_size")
        digest.update(chunk)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(2048)
    try:
        matches = file_type.sniff(upload, head)
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(
            _("The content of this file is not %(type)s although its name ends in %(extension)s.")
            % {"type": file_type.label, "extension": extension},
            code="file_content",
        )
    return CheckedFile(name=name, extension=extension, file_type=file_type, size=size, sha256=digest.hexdigest())


def _too_large(limit: int) -> str:
    return _("The file is too large (maximum %(size)s).") % {"size": human_size(limit)}


# Types that a browser could render as a page or run: never sent with their own type.
_ACTIVE_CONTENT_TYPES = (
    "text/html",
    "application/xhtml",
    "image/svg",
    "text/xml",
    "application/xml",
    "text/javascript",
)


def serve_file(file, *, filename: str, content_type: str = "") -> FileResponse:
    """Send a stored file as a download. Call it only after checking that the user may see it.

    The browser gets the original name (RFC 6266, non-ASCII names included), is told not to guess the
    type (nosniff), and never receives HTML or another active type inline; a sandboxing CSP stops any
    script should the file be opened anyway.
    """
    content_type = (content_type or "application/octet-stream").split(";")[0].strip().lower()
    if content_type.startswith(_ACTIVE_CONTENT_TYPES):
        content_type = "application/octet-stream"
    if hasattr(file, "open") and not hasattr(file, "read"):
        file = file.open("rb")
    elif hasattr(file, "open") and getattr(file, "closed", False):
        file.open("rb")
    response = FileResponse(file, as_attachment=True, filename=safe_name(filename), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
