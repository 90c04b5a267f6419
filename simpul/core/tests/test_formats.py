"""One date format, one date-time format and one number format in the whole UI (issue #12): 7 Des 2026,
7 Des 2026 14.05 and 1,3 (simpul/core/formats). A scan of every template and module refuses literal
formats, so a new module cannot bring its own (docs/development.md, "Formats")."""

import ast
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from openpyxl import load_workbook

import simpul
from simpul.core import formats
from simpul.core.importexport import export
from simpul.core.tables import BaseTable
from simpul.core.tests.throwaway.models import Note

ROOT = Path(simpul.__file__).parent
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))
MODULES = sorted(
    path
    for path in ROOT.rglob("*.py")
    if "tests" not in path.relative_to(ROOT).parts and "migrations" not in path.relative_to(ROOT).parts
)

# 02:05 UTC is 09:05 in Jakarta (the default SIMPUL_TIME_ZONE).
MOMENT = datetime.datetime(2026, 12, 7, 2, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def jakarta(settings):
    settings.TIME_ZONE = "Asia/Jakarta"


# --- The formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date", "moment", "document", "number"),
    [
        ("id", "7 Des 2026", "7 Des 2026 09.05", "7 Desember 2026", "1.234,5"),
        ("en", "7 Dec 2026", "7 Dec 2026 09:05", "7 December 2026", "1,234.5"),
    ],
)
def test_one_date_one_date_time_and_one_number_format_per_language(language, date, moment, document, number):
    with translation.override(language):
        assert formats.date_text(MOMENT.date()) == date
        assert formats.date_text(MOMENT) == date
        assert formats.datetime_text(MOMENT) == moment
        assert formats.document_date(MOMENT.date()) == document
        assert formats.number_text(1234.5) == number
        # What Django writes by itself ({{ value }}, form fields, the "short" formats) is the same.
        assert formats.localized(MOMENT) == moment
        assert Template("{{ value }}").render(Context({"value": MOMENT})) == moment
        assert Template("{{ value }}").render(Context({"value": MOMENT.date()})) == date
        assert Template('{{ value|date:"SHORT_DATE_FORMAT" }}').render(Context({"value": MOMENT.date()})) == date


def test_a_moment_near_midnight_is_the_local_day():
    late = datetime.datetime(2026, 12, 7, 20, 0, tzinfo=datetime.UTC)  # 8 Dec, 03.00 in Jakarta
    with translation.override("id"):
        assert formats.date_text(late) == "8 Des 2026"
        assert formats.datetime_text(late) == "8 Des 2026 03.00"


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("1.30"), None, "1,3"),
        (Decimal("3.00"), None, "3"),
        (Decimal("3.25"), None, "3,25"),
        (2.5, None, "2,5"),
        (100, None, "100"),
        (Decimal("1.3"), 2, "1,30"),
        (2.456, 2, "2,46"),
        (None, None, ""),
    ],
)
def test_numbers_show_a_decimal_comma(value, decimals, shown):
    with translation.override("id"):
        assert formats.number_text(value, decimals) == shown


def test_template_filters_give_the_same():
    template = Template(
        "{% load simpul_formats %}{{ moment|as_datetime }}|{{ moment|as_date }}|{{ none|as_date|default:'—' }}|"
        "{{ level|as_number }}|{{ level|as_number:2 }}"
    )
    with translation.override("id"):
        text = template.render(Context({"moment": MOMENT, "none": None, "level": Decimal("1.30")}))
    assert text == "7 Des 2026 09.05|7 Des 2026|—|1,3|1,30"


class MomentTable(BaseTable):
    title = tables.Column()
    updated_at = tables.Column()
    stamped = tables.DateTimeColumn(accessor="updated_at")

    class Meta(BaseTable.Meta):
        model = Note
        fields = ["title", "updated_at"]


@pytest.mark.django_db
def test_table_cells_show_moments_in_local_time(world):
    note = Note.objects.create(owner=world.a1, title="Catatan")
    Note.objects.filter(pk=note.pk).update(updated_at=MOMENT)
    table = MomentTable(Note.objects.all(), visible_columns=["title", "updated_at", "stamped"])
    with translation.override("id"), timezone.override("Asia/Jakarta"):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", table.rendered_rows()[0])
    # A plain column of a DateTimeField was written in UTC (02.05) before; a DateTimeColumn the same.
    assert cells == ["Catatan", "7 Des 2026 09.05", "7 Des 2026 09.05"]


def test_exports_write_dates_for_machines_in_local_time():
    # CSV: ISO 8601, which spreadsheets read as dates; a moment in local time, not UTC with its offset.
    assert export._cell(MOMENT) == "2026-12-07 09:05"
    assert export._cell(MOMENT.date()) == "2026-12-07"


@pytest.mark.django_db
def test_xlsx_exports_keep_date_cells_with_the_one_format(world):
    Note.objects.create(owner=world.a1, title="Catatan")
    Note.objects.update(updated_at=MOMENT)
    table = MomentTable(Note.objects.all(), visible_columns=["title", "updated_at"])
    response = export.export_table(table, Note, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == datetime.datetime(2026, 12, 7, 9, 5)
    assert cell.number_format == formats.XLSX_DATETIME


# --- The scan: no literal format outside simpul/core/formats ----------------------------------------

# `|date:"…"` or `|time:"…"` in a template, with its argument.
TEMPLATE_FORMAT = re.compile(r"\|\s*(date|time)\s*:\s*(['\"])(.*?)\2")
# Named formats (the one format of the language) and ISO 8601 ("c"), the machine format of
# <time datetime="…"> and data attributes.
ALLOWED_TEMPLATE_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "SHORT_DATE_FORMAT", "c"}
NAMED_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"}

# Literal formats in Python for machines, each with its reason. A module that needs one adds it here, saying
# why. (ISO 8601 through `isoformat()` is the machine format itself: API values, file names, hashed
# payloads; it is refused only in templates, where `|date:'c'` says the same.)
MACHINE_FORMAT_USES = {
    "ops/management/commands/backup.py": "strftime: the backup's file name",
}


def template_violations(text: str) -> list[str]:
    found = [
        match.group(0) for match in TEMPLATE_FORMAT.finditer(text) if match.group(3) not in ALLOWED_TEMPLATE_FORMATS
    ]
    return found + re.findall(r"\.isoformat\b", text)


def python_violations(source: str) -> list[str]:
    """Literal date formats: strftime, date_format/time_format with a format of their own, django-tables2
    date columns with `format=`, and f-string date specs such as {day:%d %b}."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "strftime":
                found.append(f"line {node.lineno}: {name}()")
            elif name in {"date_format", "time_format"}:
                given = node.args[1] if len(node.args) > 1 else None
                given = next((k.value for k in node.keywords if k.arg == "format"), given)
                if given is not None and not (isinstance(given, ast.Constant) and given.value in NAMED_FORMATS):
                    found.append(f"line {node.lineno}: {name}() with a format of its own")
            elif name in {"DateColumn", "DateTimeColumn"} and any(k.arg == "format" for k in node.keywords):
                found.append(f"line {node.lineno}: {name}(format=…)")
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                part.value for part in node.format_spec.values if isinstance(part, ast.Constant)
            )  # e.g. "%d %b %Y"
            if "%" in spec[:-1] or re.search(r"%[a-zA-Z]", spec):
                found.append(f"line {node.lineno}: f-string date format {spec!r}")
    return found


def test_the_scans_see_every_template_and_module():
    assert {"base.html", "history.html", "inbox.html"} <= {path.name for path in TEMPLATES}
    assert ROOT / "core" / "tables.py" in MODULES
    assert not any("tests" in path.parts[len(ROOT.parts) :] for path in MODULES)


@pytest.mark.parametrize(
    "text",
    [
        '{{ x|date:"d M Y" }}',
        "{{ x|date:'j F Y, H:i' }}",
        '{{ x | time:"H:i" }}',
        '{{ x|date:"SHORT" }}',
        "{{ x.isoformat }}",
    ],
)
def test_the_template_scan_finds_literal_formats(text):
    assert template_violations(text)


def test_the_template_scan_allows_the_named_and_machine_formats():
    assert not template_violations(
        '<time datetime="{{ x|date:\'c\' }}">{{ x|as_datetime }}</time>{{ x|date }}{{ x|date:"DATE_FORMAT" }}'
    )


@pytest.mark.parametrize(
    "source",
    [
        "day.strftime('%d-%m-%Y')",
        "formats.date_format(day, 'j F Y')",
        "date_format(day, format=fmt)",
        "tables.DateTimeColumn(format='d M Y H:i:s')",
        "f'{day:%d %b %Y}'",
    ],
)
def test_the_python_scan_finds_literal_formats(source):
    assert python_violations(source)


def test_the_python_scan_allows_the_named_formats_and_numbers():
    source = (
        "date_format(day)\ndate_format(day, 'DATETIME_FORMAT')\ntables.DateTimeColumn()\nf'{x:.1f} {y:g}'\n"
        "day.isoformat()"
    )
    assert not python_violations(source)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_formats_dates_itself(template):
    found = template_violations(template.read_text())
    assert not found, (
        f"{found}: show dates with {{{{ value|as_date }}}} or {{{{ value|as_datetime }}}} "
        "({% load simpul_formats %}); ISO 8601 for machines is |date:'c'"
    )


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_formats_dates_itself(module):
    relative = str(module.relative_to(ROOT))
    if relative.startswith("core/formats/") or relative in MACHINE_FORMAT_USES:
        return
    found = python_violations(module.read_text())
    assert not found, (
        f"{found}: show dates to people with simpul.core.formats (date_text, datetime_text, document_date); "
        "a format for machines goes into MACHINE_FORMAT_USES with its reason"
    )
