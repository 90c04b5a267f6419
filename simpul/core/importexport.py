"""CSV/XLSX export of filtered lists, and all-or-nothing bulk import through the model's own form.

Import validates each row with the same ModelForm the UI uses (so the same rules and Indonesian
messages apply), saves through the generic services (so the same permissions apply), and runs in one
transaction: one bad row means nothing is saved, and the report names the row and the column.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import functools
import io
import os
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import audit, files, services
from simpul.core.models.imports import ImportJob

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The row limit is the setting SIMPUL_IMPORT_MAX_ROWS; these bound what a file can make a reader do
# before that limit is reached. No importable form has more than a few dozen fields.
MAX_IMPORT_COLUMNS = 100
# A spreadsheet is a zip of a few dozen parts; Python's zipfile spends about 10 µs and 500 bytes on
# each entry of the directory before anything can be checked, so a zip of 200,000 empty entries (17 MB)
# costs 2 s and 110 MB just to open.
MAX_XLSX_PARTS = 10_000
# Parts smaller than this cannot hide a bomb worth refusing, whatever their compression ratio.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
PROGRESS_EVERY = 50  # rows between two progress reports of import_rows
TRUE_WORDS = {"1", "true", "ya", "y", "yes", "benar", "aktif"}
FALSE_WORDS = {"0", "false", "tidak", "t", "no", "n", "salah", "nonaktif", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, too big, no header)."""


# --- Export ---------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def export_table(table, model, export_format: str):
    """The rows of a (filtered, restricted) table with its visible columns, as CSV or XLSX."""
    filename = f"{model._meta.model_name}-{date.today().isoformat()}.{export_format}"
    rows = table.as_values()
    if export_format == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # a BOM makes Excel open the UTF-8 file with the right characters
            for row in rows:
                yield writer.writerow([_cell(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(model._meta.verbose_name_plural)[:31])
        for row in rows:
            sheet.append([_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    if value is None:
        return ""
    text = str(value)
    # Spreadsheet formula injection: a cell starting with = + - @ would be run by Excel.
    if text[:1] in {"=", "+", "-", "@"} and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


# --- Import file reading --------------------------------------------------------------------------


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


# --- Import columns and validation ----------------------------------------------------------------


class ImportConfig:
    """What an import into one model needs: the model, the form that validates each row and how its
    foreign keys are found in a file. `views.generic.ModelViews` inherits it; a background import job
    names such a class by dotted path, and the worker runs only subclasses of this one
    (`importjobs.resolve_config`)."""

    model: type[models.Model]
    form = None
    import_form = None  # defaults to `form`
    import_lookups: dict[str, str] = {}  # foreign-key field -> field used to find it in a file
    importable = True

    @classmethod
    def name(cls) -> str:
        return cls.model._meta.model_name


@dataclass
class ImportColumn:
    name: str
    label: str
    required: bool
    help: str


def import_form_class(config):
    form_class = config.import_form or config.form
    if form_class is None:
        raise ImproperlyConfiguredImport(config)
    return form_class


class ImproperlyConfiguredImport(Exception):
    pass


def import_columns(config, user=None) -> list[ImportColumn]:
    form = import_form_class(config)(user=user)
    defaults = model_defaults(form)
    columns = []
    for name, form_field in form.fields.items():
        hints = [str(form_field.help_text)] if form_field.help_text else []
        if name in defaults:
            hints.append(_("Empty: %(default)s.") % {"default": _default_label(form_field, defaults[name])})
        lookup = config.import_lookups.get(name)
        if lookup:
            related = form_field.queryset.model
            hints.append(
                _("Fill in the %(field)s of the %(model)s.")
                % {"field": related._meta.get_field(lookup).verbose_name, "model": related._meta.verbose_name}
            )
        elif isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
            hints.append(_("One of: %(values)s") % {"values": ", ".join(str(v) for v, _l in form_field.choices if v)})
        elif isinstance(form_field, forms.BooleanField):
            hints.append(_("Ya or Tidak"))
        required = form_field.required and name not in defaults
        columns.append(ImportColumn(name, str(form_field.label or name), required, " ".join(hints)))
    return columns


def _default_label(form_field, default) -> str:
    if isinstance(form_field, forms.BooleanField):
        return _("Yes") if default == "on" else _("No")
    choices = dict(getattr(form_field, "choices", []) or [])
    return str(choices.get(default, default))


def import_template(config, template_format: str):
    columns = import_columns(config)
    filename = f"template-{config.name()}.{template_format}"
    if template_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        csv.writer(buffer).writerow([column.label for column in columns])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Data"
        sheet.append([column.label for column in columns])
        for cell, column in zip(sheet[1], columns, strict=True):
            cell.font = Font(bold=column.required)
            sheet.column_dimensions[cell.column_letter].width = max(14, len(column.label) + 4)
        guide = workbook.create_sheet(_("Guide"))
        guide.append([_("Column"), _("Required"), _("Notes")])
        for column in columns:
            guide.append([column.label, _("Yes") if column.required else _("No"), column.help])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _normalise(text: str) -> str:
    return " ".join(str(text).replace("*", "").strip().lower().split())


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    total: int = 0
    processed: int = 0
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    skip_invalid: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skipped_rows(self) -> list[int]:
        """Rows left out by an import that skips invalid rows (none otherwise)."""
        return sorted({error.row for error in self.errors}) if self.skip_invalid else []


class _LookupChoiceField(forms.ModelChoiceField):
    """Finds a related record by a natural key; an ambiguous key is an error, not a crash.

    An import names the same few records (its OPD, a reference code) on thousands of rows, so each
    distinct value is looked up once per import: `cache` is shared by the rows of one import run.
    """

    def __init__(self, *args, cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cache = {} if cache is None else cache

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = str(value)
        if key not in self.cache:
            try:
                self.cache[key] = super().to_python(value)
            except MultipleObjectsReturned:
                self.cache[key] = ValidationError(
                    _("More than one record matches “%(value)s”.") % {"value": value}, code="ambiguous"
                )
            except ValidationError as error:
                self.cache[key] = error
        found = self.cache[key]
        if isinstance(found, ValidationError):
            raise found
        return found


def _prepare_form(form, config, caches: dict[str, dict] | None = None) -> None:
    caches = {} if caches is None else caches
    for name, form_field in list(form.fields.items()):
        if not isinstance(form_field, forms.ModelChoiceField) or isinstance(form_field, forms.ModelMultipleChoiceField):
            continue
        form.fields[name] = _LookupChoiceField(
            queryset=form_field.queryset,
            to_field_name=config.import_lookups.get(name),
            required=form_field.required,
            label=form_field.label,
            cache=caches.setdefault(name, {}),
        )
    for form_field in form.fields.values():
        if isinstance(form_field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
            form_field, forms.ModelChoiceField
        ):
            # A label or a value in any letter case ("Dinas" for "dinas") both name the choice.
            form_field._label_map = {_normalise(value): value for value, _label in form_field.choices} | {
                _normalise(label): value for value, label in form_field.choices
            }


def _row_data(row: SourceRow, form, header_map: dict[str, str], defaults: dict | None = None) -> dict:
    # A column left out of the file, or an empty cell, takes the model's default, as a new record in
    # the form would.
    data = dict(model_defaults(form) if defaults is None else defaults)
    for header, value in row.values.items():
        name = header_map.get(_normalise(header))
        if name is None or (value == "" and name in data):
            continue
        form_field = form.fields[name]
        label_map = getattr(form_field, "_label_map", None)
        if label_map is not None and value not in dict(form_field.choices):
            value = label_map.get(_normalise(value), value)
        if isinstance(form_field, forms.BooleanField):
            word = _normalise(value)
            value = "on" if word in TRUE_WORDS else "" if word in FALSE_WORDS else value
        data[name] = value
    return data


def model_defaults(form) -> dict[str, object]:
    """Defaults of the form's model fields, for columns an import file may leave out or empty."""
    model = form._meta.model
    defaults = {}
    for name in form.fields:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field has no model default
            continue
        if getattr(model_field, "has_default", lambda: False)() and not model_field.is_relation:
            default = model_field.get_default()
            if not isinstance(default, bool | int | str):
                continue
            defaults[name] = "on" if default is True else "" if default is False else default
    return defaults


def import_rows(
    user,
    config,
    rows: list[SourceRow],
    *,
    commit: bool,
    progress: Callable[[int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    skip_invalid: bool = False,
) -> ImportResult:
    """Validate and save every row in one transaction; roll back everything if any row fails.

    With `skip_invalid` (the user's explicit choice after seeing the errors) the rows with errors are
    left out and reported, and the valid rows are saved; a missing required column still stops it all.

    A dry run (commit=False) performs the same saves and rolls back, so it finds every error an actual
    import would meet, including conflicts between rows of the same file. `progress`, when given, is
    called with the number of rows processed so far every `progress_every` rows and once at the end;
    it runs inside the open transaction, so it must not write to the database (see importjobs.py).
    """
    form_class = import_form_class(config)
    result = ImportResult(total=len(rows), skip_invalid=skip_invalid and commit)
    sample_form = form_class(user=user)
    _prepare_form(sample_form, config)
    header_map: dict[str, str] = {}
    for name, form_field in sample_form.fields.items():
        header_map[_normalise(name)] = name
        header_map[_normalise(form_field.label or name)] = name
    if rows:
        result.unknown_columns = [h for h in rows[0].values if _normalise(h) not in header_map]
        present = {header_map[_normalise(h)] for h in rows[0].values if _normalise(h) in header_map}
        defaults = model_defaults(sample_form)
        for name, form_field in sample_form.fields.items():
            if form_field.required and name not in present and name not in defaults:
                result.errors.append(RowError(1, str(form_field.label), _("This required column is missing.")))
        if result.errors:
            result.skip_invalid = False  # no row can be saved without the column: nothing was skipped
            return result

    with transaction.atomic(), audit.batch() as chain:
        if result.skip_invalid:
            _ImportPass(user, config, form_class, header_map, result, chain).run(rows, progress, progress_every)
        else:
            try:
                # One savepoint for the whole pass instead of one per row (two queries a row), and the
                # audit entries written in bulk: a failure rolls the whole pass back anyway.
                with transaction.atomic():
                    chain.buffered = True
                    _ImportPass(user, config, form_class, header_map, result, chain, savepoints=False).run(
                        rows, progress, progress_every
                    )
                    chain.flush()
            except _SaveFailed:
                chain.buffered = False
                # A failed save leaves the transaction unusable without a savepoint of its own, but the
                # report must still list the errors of every later row: start over, row by row.
                chain.forget()
                result.processed, result.saved, result.errors, result.preview = 0, 0, [], []
                _ImportPass(user, config, form_class, header_map, result, chain).run(rows, progress, progress_every)
        if not commit or (result.errors and not result.skip_invalid):
            transaction.set_rollback(True)
            if result.errors:
                result.saved = 0
    return result


class _SaveFailed(Exception):
    """A row could not be saved in a pass without per-row savepoints."""


class _ImportPass:
    """One walk over the rows of an import, inside the import's transaction.

    With `savepoints` every row is saved in a savepoint of its own, so a row that fails to save is
    rolled back alone and its error reported. Without, the first failing save raises `_SaveFailed` and
    the caller rolls the pass back.
    """

    def __init__(self, user, config, form_class, header_map, result, chain, *, savepoints: bool = True):
        self.user, self.config, self.form_class = user, config, form_class
        self.header_map, self.result, self.chain = header_map, result, chain
        self.savepoints = savepoints
        # Shared by the rows of this pass only: a pass that is rolled back takes its records with it.
        self.lookup_caches: dict[str, dict] = {}
        self.prototype = None
        self.defaults: dict = {}

    def run(self, rows: list[SourceRow], progress, progress_every: int) -> None:
        result = self.result
        for row in rows:
            self.import_row(row)
            result.processed += 1
            if progress is not None and result.processed % progress_every == 0:
                progress(result.processed)
        if progress is not None and result.processed % progress_every:
            progress(result.processed)

    def import_row(self, row: SourceRow) -> None:
        """Validate and save one row, recording its errors or its preview."""
        result = self.result
        bound = self.row_form()
        bound.data = _row_data(row, bound, self.header_map, self.defaults)
        bound.instance.clean_fields = functools.partial(_clean_fields_trusting_lookups, bound)
        try:
            valid = bound.is_valid()
        finally:
            del bound.instance.clean_fields
        if not valid:
            for name, messages in bound.errors.items():
                label = str(bound.fields[name].label) if name in bound.fields else "—"
                result.errors.extend(RowError(row.number, label, message) for message in messages)
            return
        try:
            with transaction.atomic() if self.savepoints else contextlib.nullcontext():
                services.create_object(self.user, bound.instance, save=bound.save, savepoint=False)
        except PermissionDenied as error:
            self.failed()
            result.errors.append(RowError(row.number, "—", str(error)))
            return
        except IntegrityError as error:
            self.failed()
            result.errors.append(
                RowError(row.number, "—", _("Conflicts with an existing record (%(error)s).") % {"error": error})
            )
            return
        result.saved += 1
        if len(result.preview) < 20:
            result.preview.append({"row": row.number, "object": str(bound.instance)})

    def row_form(self):
        """A form for one row: a copy of a form built and prepared once per pass.

        Building the form (its fields, the user's scope on each queryset, the lookup fields) took a
        third of an import's time and gives the same result for every new record of the same user.
        So the rows share the prepared fields, which validation does not change, and each row gets
        its own copy of the new instance and of the form's per-validation state.
        """
        if self.prototype is None:
            # The lookups replace fields, so the form is prepared before it is given any row data.
            self.prototype = self.form_class(data={}, user=self.user)
            _prepare_form(self.prototype, self.config, self.lookup_caches)
            self.defaults = model_defaults(self.prototype)
        form = copy.copy(self.prototype)
        form.instance = copy.deepcopy(self.prototype.instance)
        form._errors = None
        form._bound_fields_cache = {}
        return form

    def failed(self) -> None:
        if not self.savepoints:
            raise _SaveFailed
        self.chain.forget()  # the row's audit entry, if any, went with its savepoint


def _clean_fields_trusting_lookups(form, exclude=None) -> None:
    """The model's clean_fields, minus the existence query of each foreign key that a lookup column
    has just found: the record came from the form field's queryset, which is narrower than the check
    (the user's scope, and ModelForm applies limit_choices_to to it). That query ran once per
    foreign key and row, about a fifth of an import's time."""
    instance = form.instance
    trusted = set()
    for name, form_field in form.fields.items():
        found = form.cleaned_data.get(name)
        if not isinstance(form_field, _LookupChoiceField) or not isinstance(found, models.Model):
            continue
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: the model does not check it anyway
            continue
        if (
            model_field.many_to_one
            and not model_field.validators
            and getattr(instance, model_field.attname) == getattr(found, model_field.target_field.attname)
        ):
            trusted.add(name)
    type(instance).clean_fields(instance, exclude=set(exclude or ()) | trusted)
