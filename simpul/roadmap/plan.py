"""Tables 4.1–4.4 of the master plan (Rencana Induk SPBE Kabupaten Lampung Timur, Bab IV 4.3) as rows.

`data/rencana-induk-tabel-4.txt` is the plan's text from "Tabel 4.1" to the end of the chapter, copied
unchanged (tab-separated, as the chapter's text gives the tables; see data/README.md for its source and
checksum). `parse_plan_tables` reads such text: a "Tabel 4.n <title>" line starts an area; the header row
"Inisiatif Strategis / Keluaran / Target Waktu", repeated after each page break, is skipped; a row with an
empty first cell is another output of the initiative above; a row with a first cell and nothing else
continues the name of the initiative above, split by a page break ("Pembangunan Portal Data" /
"Daerah Kota Kabupaten Lampung Timur"). Names are kept exactly as the plan writes them, slips included
(`data/plan-slips.json` says which and why).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from simpul.roadmap.choices import AREA_PLAN_TITLES

DATA = Path(__file__).resolve().parent / "data"
PLAN_TABLES = DATA / "rencana-induk-tabel-4.txt"
PLAN_SLIPS = DATA / "plan-slips.json"

_TABLE = re.compile(r"^Tabel (4\.\d)\s+(.+)$")
_YEARS = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")
_HEADER = ("Inisiatif Strategis", "Keluaran", "Target Waktu")


class PlanFormatError(ValueError):
    """A line of the plan's tables that does not read as a row (names the line)."""


@dataclass(frozen=True)
class PlanRow:
    """One output row of tables 4.1–4.4: its table and area, initiative, output and target years."""

    table: str
    area: str
    initiative: str
    output: str
    start_year: int
    end_year: int
    line: int


def _area_of(title: str) -> str:
    for area, plan_title in AREA_PLAN_TITLES.items():
        if title.strip().casefold() == plan_title.casefold():
            return str(area)
    raise PlanFormatError(f"unknown table title {title!r}")


def parse_plan_tables(text: str) -> list[PlanRow]:
    """The output rows of the tables in `text` (see the module docstring for how the layout is read)."""
    rows: list[PlanRow] = []
    table = area = initiative = ""
    # Rows of the current initiative, rebuilt when a page break continues its name.
    pending: list[PlanRow] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        heading = _TABLE.match(line.strip())
        if heading:
            table, area, initiative, pending = heading.group(1), _area_of(heading.group(2)), "", []
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if tuple(cells[:3]) == _HEADER:
            continue
        if not table:
            continue  # the chapter's text before the first table
        cells += [""] * (3 - len(cells))
        first, output, years = cells[0], cells[1], cells[2]
        if first and not output and not years:
            if not pending:
                raise PlanFormatError(f"line {number}: {first!r} continues no initiative")
            initiative = f"{initiative} {first}"
            renamed = [
                PlanRow(r.table, r.area, initiative, r.output, r.start_year, r.end_year, r.line) for r in pending
            ]
            rows[len(rows) - len(pending) :] = renamed
            pending = renamed
            continue
        match = _YEARS.match(years)
        if not output or match is None:
            raise PlanFormatError(f"line {number}: expected output and years, got {line!r}")
        if first:
            initiative, pending = first, []
        elif not initiative:
            raise PlanFormatError(f"line {number}: an output without an initiative")
        row = PlanRow(table, area, initiative, output, int(match.group(1)), int(match.group(2)), number)
        rows.append(row)
        pending.append(row)
    return rows


@cache
def plan_rows() -> tuple[PlanRow, ...]:
    """The rows of the master plan's tables 4.1–4.4 as shipped in data/."""
    return tuple(parse_plan_tables(PLAN_TABLES.read_text(encoding="utf-8")))


@cache
def plan_slips() -> tuple[dict, ...]:
    """The plan's own slips kept in its names: [{"text", "note"}], from data/plan-slips.json."""
    return tuple(json.loads(PLAN_SLIPS.read_text(encoding="utf-8"))["slips"])


def slip_note(name: str) -> str:
    """The notes of the slips that `name` contains, one per line ("" when it has none)."""
    return "\n".join(slip["note"] for slip in plan_slips() if slip["text"] in name)
