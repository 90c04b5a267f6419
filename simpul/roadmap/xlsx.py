"""A roadmap as an Excel workbook in the plan's table layout, and back.

One sheet, one row per output, in the order of tables 4.1–4.4: **Area** (the plan's table title, e.g.
"Tata Kelola SPBE"), **Inisiatif Strategis**, **Keluaran**, **Target Waktu** ("2021 - 2026"), and the
optional **Perangkat Daerah** (the responsible OPD's short name) and **Ukuran Target**. As in the plan, an
empty area or initiative cell means "the same as the row above", so a table copied from the plan document
imports as it is.

The import reads the file within the limits of every Simpul import (`core.importexport.read_rows`),
checks every row, and only then writes a new version of the instansi's roadmap through the services, in
one transaction: a file with any bad row writes nothing, and each problem names its row and column.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from simpul.core import context, permissions
from simpul.core import services as core_services
from simpul.core.importexport import ImportFileError, RowError, read_rows
from simpul.core.importexport.export import _cell
from simpul.organizations.models import Instansi, PerangkatDaerah
from simpul.roadmap import plan, versions
from simpul.roadmap.choices import AREA_ORDER, AREA_PLAN_TITLES, Area
from simpul.roadmap.models import Initiative, Output, Roadmap

AREA, INITIATIVE, OUTPUT, YEARS, OPD, TARGET = (
    "Area",
    "Inisiatif Strategis",
    "Keluaran",
    "Target Waktu",
    "Perangkat Daerah",
    "Ukuran Target",
)
COLUMNS = (AREA, INITIATIVE, OUTPUT, YEARS, OPD, TARGET)
REQUIRED = (AREA, INITIATIVE, OUTPUT, YEARS)
SHEET_TITLE = "Peta Rencana"
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–—]|s\.?d\.?|sampai)?\s*(\d{4})?\s*$", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(str(text or "").split()).casefold()


def _area_words() -> dict[str, str]:
    """Every way a file may name an area: the plan's title, the key, the label in this language."""
    words = {}
    for area in Area:
        for word in (AREA_PLAN_TITLES[area], area.value, str(area.label)):
            words[_norm(word)] = area.value
    return words


# --- Export -----------------------------------------------------------------------------------------------


def export_roadmap(roadmap: Roadmap, stream, user=None) -> int:
    """Write `roadmap` (its outputs the user may view; all without a user) to `stream`; returns the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    outputs = Output.objects.filter(initiative__roadmap=roadmap).select_related("initiative", "responsible_opd")
    if user is not None:
        outputs = permissions.restrict(outputs, user, "view")
    outputs = sorted(outputs, key=lambda o: (AREA_ORDER[o.initiative.area], o.initiative.number, o.number, o.pk))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=cell.value in REQUIRED)
    previous_area = previous_initiative = None
    for output in outputs:
        initiative = output.initiative
        sheet.append(
            [
                _cell(AREA_PLAN_TITLES[Area(initiative.area)]) if initiative.area != previous_area else "",
                _cell(initiative.name) if initiative.pk != previous_initiative else "",
                _cell(output.name),
                f"{output.start_year} - {output.end_year}",
                _cell(output.responsible_opd.short_name if output.responsible_opd else ""),
                _cell(output.target),
            ]
        )
        previous_area, previous_initiative = initiative.area, initiative.pk
    for letter, width in zip("ABCDEF", (34, 60, 70, 14, 22, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    stream.write(buffer.getvalue())
    return len(outputs)


# --- Import -----------------------------------------------------------------------------------------------


class PlanImportError(Exception):
    """The file was refused; `errors` name each problem's row and column. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(f"{error.row}/{error.column}: {error.message}" for error in errors))
        self.errors = errors


@dataclass
class ImportedRow:
    row: int
    area: str
    initiative: str
    output: str
    start_year: int
    end_year: int
    opd: PerangkatDaerah | None = None
    target: str = ""


@dataclass
class ImportSummary:
    roadmap: Roadmap
    initiatives: int = 0
    outputs: int = 0
    rows: list[ImportedRow] = field(default_factory=list)


def read_plan(upload, instansi: Instansi) -> list[ImportedRow]:
    """The checked rows of an uploaded workbook, or PlanImportError listing every problem."""
    try:
        source = read_rows(upload)
    except ImportFileError as error:
        raise PlanImportError([RowError(1, "—", str(error))]) from error
    errors: list[RowError] = []
    if not source:
        raise PlanImportError([RowError(1, "—", _("The file holds no rows below its header."))])
    headers = {_norm(name): name for name in source[0].values}
    missing = [column for column in REQUIRED if _norm(column) not in headers]
    if missing:
        raise PlanImportError([RowError(1, column, _("This required column is missing.")) for column in missing])
    opds = {_norm(opd.short_name): opd for opd in PerangkatDaerah.objects.filter(instansi=instansi)}
    areas = _area_words()
    rows: list[ImportedRow] = []
    area = initiative = ""

    def value(row, column) -> str:
        name = headers.get(_norm(column))
        return str(row.values.get(name, "") or "").strip() if name else ""

    for row in source:
        cells = {column: value(row, column) for column in COLUMNS}
        if not any(cells.values()):
            continue  # a blank row between tables
        problems = []
        if cells[AREA]:
            # None: an unknown area, reported on its own row only (the rows below it follow it silently).
            area = areas.get(_norm(cells[AREA]))
            if area is None:
                known = ", ".join(AREA_PLAN_TITLES.values())
                problems.append(
                    (
                        AREA,
                        _("Unknown area “%(value)s”; use one of: %(known)s.") % {"value": cells[AREA], "known": known},
                    )
                )
        elif area == "":
            problems.append((AREA, _("The first row needs an area.")))
        if cells[INITIATIVE]:
            initiative = cells[INITIATIVE]
        elif not initiative:
            problems.append((INITIATIVE, _("The first row of an area needs its strategic initiative.")))
        if not cells[OUTPUT]:
            problems.append((OUTPUT, _("Each row needs its output.")))
        years = _YEARS.match(cells[YEARS])
        start = end = 0
        if years is None:
            problems.append((YEARS, _("Write the target years as “2021 - 2026” (or one year).")))
        else:
            start = int(years.group(1))
            end = int(years.group(2) or years.group(1))
            if not (2000 <= start <= end <= 2100):
                problems.append((YEARS, _("The years must run forward, between 2000 and 2100.")))
        opd = None
        if cells[OPD]:
            opd = opds.get(_norm(cells[OPD]))
            if opd is None:
                problems.append(
                    (OPD, _("No OPD of this instansi has the short name “%(value)s”.") % {"value": cells[OPD]})
                )
        errors += [RowError(row.number, column, message) for column, message in problems]
        if not problems and area:
            rows.append(ImportedRow(row.number, area, initiative, cells[OUTPUT], start, end, opd, cells[TARGET]))
    if errors:
        raise PlanImportError(errors)
    return rows


def import_plan(
    user,
    instansi: Instansi,
    upload,
    *,
    name: str,
    version_label: str,
    valid_from: int,
    source: str = "",
    make_current: bool = True,
) -> ImportSummary:
    """Load a workbook in the plan's layout as a new version of the instansi's roadmap (based on its current
    version, if any), all or nothing; the plan's slips in the names get their notes (data/plan-slips.json)."""
    if not permissions.can_add(user, Roadmap, instansi.pk, None):
        raise PermissionDenied(_("You may not add a roadmap to this instansi."))
    rows = read_plan(upload, instansi)
    version_label = (version_label or "").strip()
    if not version_label:
        raise PlanImportError([RowError(1, "—", _("Name the version the file holds."))])
    if Roadmap.objects.filter(instansi=instansi, version_label__iexact=version_label).exists():
        raise PlanImportError([RowError(1, "—", _("This instansi already has a version of that name."))])
    with context.acting_as(user), transaction.atomic():
        roadmap = Roadmap(
            instansi=instansi,
            name=(name or "").strip() or "Peta Rencana SPBE",
            version_label=version_label,
            valid_from=valid_from,
            source=source,
            based_on=Roadmap.objects.filter(instansi=instansi, is_current=True).first(),
        )
        try:
            roadmap.full_clean()
        except ValidationError as error:
            raise PlanImportError([RowError(1, "—", message) for message in error.messages]) from error
        core_services.create_object(user, roadmap, savepoint=False)
        summary = ImportSummary(roadmap, rows=rows)
        initiatives: dict[tuple[str, str], Initiative] = {}
        for row in rows:
            key = (row.area, _norm(row.initiative))
            initiative = initiatives.get(key)
            if initiative is None:
                initiative = Initiative(
                    roadmap=roadmap,
                    area=row.area,
                    number=len(initiatives) + 1,
                    name=row.initiative,
                    plan_note=plan.slip_note(row.initiative),
                )
                initiative.full_clean()
                initiatives[key] = core_services.create_object(user, initiative, savepoint=False)
            output = Output(
                initiative=initiative,
                number=initiative.outputs.count() + 1,
                name=row.output,
                start_year=row.start_year,
                end_year=row.end_year,
                responsible_opd=row.opd,
                target=row.target,
                plan_note=plan.slip_note(row.output),
            )
            output.full_clean()
            core_services.create_object(user, output, savepoint=False)
            summary.outputs += 1
        summary.initiatives = len(initiatives)
        if make_current:
            summary.roadmap = versions.set_current(user, roadmap)
    return summary
