"""Writing CSV and XLSX: the export of a filtered list, and the empty template an import starts from."""

from __future__ import annotations

import csv
import datetime as dt
import io
from datetime import date

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from simpul.core import formats
from simpul.core.importexport.columns import import_columns

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
            sheet.append([_xlsx_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        # A machine format that spreadsheets read as a date: 2026-12-07, or 2026-12-07 14:05 in local time
        # (not the UTC offset `str()` wrote, which read 7 hours off).
        if isinstance(value, dt.datetime):
            return formats.local(value).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
        return value.isoformat()
    text = str(value)
    # Spreadsheet formula injection: a cell starting with = + - @ would be run by Excel.
    if text[:1] in {"=", "+", "-", "@"} and not _is_number(text):
        return "'" + text
    return text


def _xlsx_cell(sheet, value):
    """A date stays a date cell (sortable, and shown as 7 Dec 2026 by the reader's spreadsheet); the rest as
    in the CSV."""
    if not isinstance(value, dt.datetime | dt.date):
        return _cell(value)
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=formats.local(value).replace(tzinfo=None))
        cell.number_format = formats.XLSX_DATETIME
    else:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = formats.XLSX_DATE
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


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
