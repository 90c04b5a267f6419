"""Reading an import file (CSV or XLSX) into rows, refused as soon as a size, zip or row limit is passed.

The limits bound what a file can make the reader do before a single row is validated: its size in
bytes, for XLSX its zip directory and the sheet's declared size, then the rows as they are read.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import files
from simpul.core.models.imports import ImportJob

# The row limit is the setting SIMPUL_IMPORT_MAX_ROWS; these bound what a file can make a reader do
# before that limit is reached. No importable form has more than a few dozen fields.
MAX_IMPORT_COLUMNS = 100
# A spreadsheet is a zip of a few dozen parts; Python's zipfile spends about 10 µs and 500 bytes on
# each entry of the directory before anything can be checked, so a zip of 200,000 empty entries (17 MB)
# costs 2 s and 110 MB just to open.
MAX_XLSX_PARTS = 10_000
# Parts smaller than this cannot hide a bomb worth refusing, whatever their compression ratio.
RATIO_CHECK_MIN_BYTES = 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, too big, no header)."""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or Excel (.xlsx), first row = column names."),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.PREVIEW,
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.SIMPUL_UPLOAD_MAX_BYTES:
            raise ValidationError(_too_large())
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Only .csv and .xlsx files can be imported."))
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise ValidationError(_("This file is not a valid Excel (.xlsx) file."))
        return upload


def _too_large() -> str:
    return _("The file is too large (maximum %(size)s MB).") % {
        "size": settings.SIMPUL_UPLOAD_MAX_BYTES // (1024 * 1024)
    }


def _too_many_rows(limit: int) -> ImportFileError:
    count = number_format(limit, force_grouping=True)
    return ImportFileError(
        _(
            "The file holds more than %(limit)s rows; the import limit is %(limit)s rows. Split the file into several parts."
        )
        % {"limit": count}
    )


@dataclass
class SourceRow:
    number: int  # as the user sees it in the spreadsheet (header = row 1)
    values: dict[str, str]


def read_rows(upload) -> list[SourceRow]:
    """The data rows of an uploaded CSV or XLSX file, refused as soon as one of the limits is passed.

    `upload` is a Django File (an upload, or a stored file with the original name). The cheap checks
    come first, so that a file built to be expensive costs little: its size in bytes; for XLSX the
    zip directory (parts, unpacked size, compression ratio) and the sheet's declared size. Then the
    rows are read one by one and reading stops at the first row past SIMPUL_IMPORT_MAX_ROWS, so that
    neither the time nor the memory spent on a file depends on how many rows it holds beyond that.
    The limit counts every row below the header up to the sheet's last one, blank rows included: a
    blank row costs reading like any other.
    """
    stream = _binary(upload)
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > settings.SIMPUL_UPLOAD_MAX_BYTES:
        raise ImportFileError(_too_large())
    limit = settings.SIMPUL_IMPORT_MAX_ROWS
    if upload.name.lower().endswith(".xlsx"):
        return _read_xlsx(stream, limit)
    return _read_csv(stream, limit)


def _binary(upload):
    """The binary file object beneath Django's File wrappers (uploads, stored files)."""
    stream = upload
    while isinstance(stream, File):
        stream = stream.file
    return stream


def _source_rows(cells: Iterable, limit: int) -> list[SourceRow]:
    """SourceRows from rows of cells (the first being the header); stops at the first row past `limit`."""
    rows_of_cells = iter(cells)
    header = _header(next(rows_of_cells, ()))
    if not header:
        raise ImportFileError(_("The first row must contain the column names."))
    if len(header) > MAX_IMPORT_COLUMNS:
        raise ImportFileError(
            _("The first row holds more than %(limit)s columns; an import accepts at most %(limit)s columns.")
            % {"limit": MAX_IMPORT_COLUMNS}
        )
    rows = []
    for number, row in enumerate(rows_of_cells, start=2):
        if number > limit + 1:
            raise _too_many_rows(limit)
        texts = [_cell_text(cell).strip() for cell in row[: len(header)]]
        if any(texts):
            rows.append(SourceRow(number, dict(zip(header, texts, strict=False))))
    return rows


def _header(cells) -> list[str]:
    # Trailing empty cells are not columns (Excel keeps formatted ones); a name far to the right is.
    header = [_cell_text(cell).strip() for cell in cells]
    while header and not header[-1]:
        header.pop()
    return header


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _read_csv(stream, limit: int) -> list[SourceRow]:
    for encoding in ("utf-8-sig", "cp1252"):
        stream.seek(0)
        # newline="" as the csv module asks: line breaks inside quoted cells stay, and files with
        # old Mac line ends (\r alone) are read too.
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        try:
            sample = text.read(4096)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            text.seek(0)
            return _source_rows(csv.reader(text, dialect), limit)
        except UnicodeDecodeError:
            continue  # not UTF-8: the whole file is read again as cp1252
        except csv.Error as error:  # e.g. a cell longer than the csv module accepts
            raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
        finally:
            text.detach()  # the upload stays open for the caller
    raise ImportFileError(_("The file's text encoding is not recognised; save it as CSV UTF-8."))


def _read_xlsx(stream, limit: int) -> list[SourceRow]:
    _check_archive(stream)
    try:
        reader = _first_sheet_reader()(stream, read_only=True, data_only=True)
        reader.read()
    except Exception as error:  # openpyxl raises many types for a broken file
        raise ImportFileError(_("The Excel file cannot be read: %(error)s") % {"error": error}) from error
    workbook = reader.wb
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The first row must contain the column names."))
        sheet = workbook.worksheets[0]
        # The declared size refuses an honest large file before a row is read. It is only a hint: it
        # may be missing or lie, so it is dropped before reading, and the rows are counted as read.
        if sheet.max_row is not None and sheet.max_row - 1 > limit:
            raise _too_many_rows(limit)
        sheet.reset_dimensions()
        return _source_rows(_sheet_rows(sheet, limit), limit)
    except ImportFileError:
        raise
    except Exception as error:  # broken XML inside the sheet shows only while reading its rows
        raise ImportFileError(_("The Excel file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        workbook.close()


def _sheet_rows(sheet, limit: int) -> Iterator[tuple]:
    """The header row, then the rows below it up to one past the limit, each as wide as the header.

    Explicit bounds, because openpyxl would otherwise take them from the declared size: cut the
    file short where that is too small, or pad every row to a width of thousands of empty cells.
    """
    first = sheet.iter_rows(min_row=1, max_row=1, values_only=True)
    header = next(first, ())
    first.close()
    yield header
    width = max(len(_header(header)), 1)
    yield from sheet.iter_rows(min_row=2, max_row=limit + 2, max_col=width, values_only=True)


def _check_archive(stream) -> None:
    """Refuse a zip that would cost far more to unpack than its size suggests, before openpyxl opens it.

    Only the zip's directory is read. Its sizes are binding: Python's zipfile stops unpacking a part at
    its declared size (and then fails its checksum), so a part cannot unpack to more than it declares.
    """
    parts = _zip_part_count(stream)
    if parts is None:
        raise ImportFileError(_("The Excel file cannot be read: %(error)s") % {"error": "not a zip file"})
    if parts > MAX_XLSX_PARTS:
        raise ImportFileError(
            _(
                "The Excel file holds more than %(limit)s internal parts, which no ordinary spreadsheet needs; it is not imported."
            )
            % {"limit": number_format(MAX_XLSX_PARTS, force_grouping=True)}
        )
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(_("The Excel file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        stream.seek(0)
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.SIMPUL_IMPORT_MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "The Excel file unpacks to %(size)s, more than the import limit of %(limit)s. Split the file into several parts."
            )
            % {"size": files.human_size(unpacked), "limit": files.human_size(settings.SIMPUL_IMPORT_MAX_UNPACKED_BYTES)}
        )
    ratio_limit = settings.SIMPUL_IMPORT_MAX_COMPRESSION_RATIO
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Spreadsheets use deflate only; zipfile unpacks bzip2 and lzma chunks without a size bound.
            raise ImportFileError(
                _("The Excel file cannot be read: %(error)s")
                % {"error": f"unsupported compression in {member.filename}"}
            )
        if member.file_size > RATIO_CHECK_MIN_BYTES and member.file_size > ratio_limit * max(member.compress_size, 1):
            raise ImportFileError(
                _(
                    "A part of the Excel file unpacks to %(ratio)s times its packed size, more than the limit of "
                    "%(limit)s times; a file packed this tightly (a “zip bomb”) is not imported."
                )
                % {
                    "ratio": number_format(member.file_size // max(member.compress_size, 1), force_grouping=True),
                    "limit": number_format(ratio_limit, force_grouping=True),
                }
            )


_END_OF_DIRECTORY = b"PK\x05\x06"
_END_OF_DIRECTORY_SIZE = 22


def _zip_part_count(stream) -> int | None:
    """The number of parts a zip's end record declares (None: no end record), found the way zipfile
    finds it, without reading the directory itself. 0xFFFF means "more, see the zip64 record": no
    spreadsheet needs that many, so it is taken as it stands, and refused."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    tail_size = min(size, _END_OF_DIRECTORY_SIZE + 0xFFFF)  # the end record, and a comment of any length
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    stream.seek(0)
    if tail[-_END_OF_DIRECTORY_SIZE:].startswith(_END_OF_DIRECTORY) and tail[-2:] == b"\x00\x00":
        at = len(tail) - _END_OF_DIRECTORY_SIZE
    else:
        at = tail.rfind(_END_OF_DIRECTORY)
        if at < 0 or len(tail) - at < _END_OF_DIRECTORY_SIZE:
            return None
    return struct.unpack_from("<H", tail, at + 10)[0]


@functools.cache
def _first_sheet_reader():
    """openpyxl's read-only reader, made to open only the first worksheet and to read its declared size
    without reading the sheet (defined here so that openpyxl is imported only when an XLSX is read).

    openpyxl's own reader opens every sheet and looks for each one's declared size with an XML pass that
    stops at the end of the sheet's data, so a sheet that declares no size (those written by openpyxl's
    write-only mode, Simpul's exports among them) is parsed completely before the first row can be
    counted: 4 s for 200,000 rows, whatever the row limit.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    dimension_tag = f"{{{SHEET_MAIN_NS}}}dimension"
    data_tag = f"{{{SHEET_MAIN_NS}}}sheetData"

    class DeclaredSizeSheet(ReadOnlyWorksheet):
        def _get_size(self):
            with self._get_source() as source:
                for _event, element in iterparse(source, events=("start",)):
                    if element.tag == dimension_tag:
                        with contextlib.suppress(TypeError, ValueError):
                            bounds = range_boundaries(element.get("ref") or "")
                            if None not in bounds:
                                self._min_column, self._min_row, self._max_column, self._max_row = bounds
                        return
                    if element.tag == data_tag:
                        return

    class FirstSheetReader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.wb._sheets.append(DeclaredSizeSheet(self.wb, sheet.name, rel.target, self.shared_strings))
                    return

    return FirstSheetReader
