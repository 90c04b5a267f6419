"""The facts of the executive summary, the recommendations per indicator, and the approval block.

Everything here is derived from data `collect()` has already read: the index standing for the year is
`results.year_result` (the same value every page of Simpul shows), the domain and aspect values are
those the scoring module stored for that basis, and the sentences built from these facts
(`wording.conclusion`) state nothing these figures do not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from simpul.evaluation import results

if TYPE_CHECKING:
    from simpul.evaluation.reports.content import IndicatorRow

# How many items with the lowest level the summary names.
LOWEST_COUNT = 5


@dataclass(frozen=True)
class NamedValue:
    code: str
    name: str
    value: float


@dataclass(frozen=True)
class Extremes:
    """The strongest and weakest domains (or aspects) on the year's basis; ties are all named."""

    kind: str  # "domain" or "aspect"
    strongest: tuple[NamedValue, ...]
    weakest: tuple[NamedValue, ...]


@dataclass(frozen=True)
class Comparison:
    """The year's index next to the latest earlier period's; a change only when both are on one basis."""

    year: int
    previous: results.YearResult
    same_basis: bool
    same_framework: bool
    framework_title: str

    def change(self, current: results.YearResult) -> Decimal | None:
        return current.index - self.previous.index if self.same_basis else None


@dataclass
class Summary:
    result: results.YearResult | None
    target: Decimal | None
    comparison: Comparison | None
    # (level, number of listed items whose level on the year's basis is that level, rounded down);
    # level None counts the items without a level on that basis.
    level_counts: list[tuple[int | None, int]]
    extremes: list[Extremes]
    lowest: list[IndicatorRow]

    @property
    def basis(self) -> str | None:
        return self.result.basis if self.result else None


def build_summary(period, result, rows, spec, previous=None) -> Summary:
    """The summary of `period` from its year result, its (visible) indicator rows and the earlier period."""
    comparison = None
    if result is not None and previous is not None:
        before = results.year_result(previous)
        if before is not None:
            comparison = Comparison(
                year=previous.year,
                previous=before,
                same_basis=before.basis == result.basis,
                same_framework=previous.framework_id == period.framework_id,
                framework_title=previous.framework.title,
            )
    level_counts: list[tuple[int | None, int]] = []
    extremes: list[Extremes] = []
    lowest: list[IndicatorRow] = []
    if result is not None:
        basis = result.basis
        counts: dict[int | None, int] = {}
        for row in rows:
            level = row.levels.get(basis)
            key = None if level is None else math.floor(level)
            counts[key] = counts.get(key, 0) + 1
        level_counts = [(level, counts[level]) for level in sorted(k for k in counts if k is not None)]
        if None in counts:
            level_counts.append((None, counts[None]))
        score = result.score
        if score is not None:
            if spec.domains:
                extremes.append(_extremes("domain", spec.domains, score.domains))
            extremes.append(_extremes("aspect", spec.aspects, score.aspects))
            extremes = [item for item in extremes if item.strongest]
        assessed = [row for row in rows if row.levels.get(basis) is not None and row.levels[basis] < spec.scale_max]
        assessed.sort(key=lambda row: (row.levels[basis], -row.weight, row.number, row.item_key))
        lowest = assessed[:LOWEST_COUNT]
    return Summary(
        result=result,
        target=period.target_index,
        comparison=comparison,
        level_counts=level_counts,
        extremes=extremes,
        lowest=lowest,
    )


def _extremes(kind: str, items, values: dict) -> Extremes:
    named = [NamedValue(item.code, item.name, values[item.code]) for item in items if values.get(item.code) is not None]
    if not named:
        return Extremes(kind, (), ())
    high = max(item.value for item in named)
    low = min(item.value for item in named)
    return Extremes(
        kind,
        tuple(item for item in named if item.value == high),
        tuple(item for item in named if item.value == low),
    )


@dataclass
class RecommendationRow:
    """What the national evaluators said about one indicator, over all its stages (and parts), once."""

    number: int
    item_keys: list[str]
    name: str
    # (item key, stage label, level) for every stage result, in the order of the stages.
    stages: list[tuple[str, str, Decimal]] = field(default_factory=list)
    # The national level when the indicator is a single item (the latest stage's level), else None.
    level: Decimal | None = None
    notes: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    assessed_on: date | None = None


def recommendation_rows(rows: list[IndicatorRow]) -> list[RecommendationRow]:
    """One row per indicator with a national result: the evaluators' notes and recommendations without
    repeats (the same text recorded at the document, interview and field stage, or for several parts of
    one indicator, appears once, where it first appeared)."""
    grouped: dict[int, RecommendationRow] = {}
    seen: dict[int, tuple[set[str], set[str]]] = {}
    for row in rows:
        if not row.national:
            continue
        entry = grouped.get(row.number)
        if entry is None:
            entry = grouped[row.number] = RecommendationRow(number=row.number, item_keys=[], name=row.name)
            seen[row.number] = (set(), set())
        else:
            entry.name = row.assessment.indicator.name
        entry.item_keys.append(row.item_key)
        seen_notes, seen_recommendations = seen[row.number]
        for result in row.national:
            entry.stages.append((row.item_key, str(result.get_stage_display()), result.level))
            _add_once(entry.notes, seen_notes, result.notes)
            _add_once(entry.recommendations, seen_recommendations, result.recommendations)
            if result.assessed_on and (entry.assessed_on is None or result.assessed_on > entry.assessed_on):
                entry.assessed_on = result.assessed_on
    for entry in grouped.values():
        if len(entry.item_keys) == 1 and entry.stages:
            entry.level = entry.stages[-1][2]
    return list(grouped.values())


def _add_once(texts: list[str], seen: set[str], text: str) -> None:
    text = (text or "").strip()
    key = " ".join(text.split()).casefold()
    if key and key not in seen:
        seen.add(key)
        texts.append(text)


@dataclass(frozen=True)
class Signatory:
    """A person in the approval block; empty fields are printed as lines to fill in by hand."""

    name: str = ""
    position: str = ""
    nip: str = ""


@dataclass(frozen=True)
class Approval:
    prepared_by: Signatory
    prepared_on: date
    approved_by: Signatory = Signatory()
    place: str = ""
