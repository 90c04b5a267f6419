"""Which index stands for a period's year, and how it is written: one rule for every page.

A period keeps up to three indices, one per basis (`PeriodScore`). Wherever a single value per year is
shown (the home card, the evaluation overview, the period list and page, the trend, the comparison, the
report, the API's `result`), it is the one `pick` chooses:

1. the **national** result, as soon as a national level is recorded;
2. else the **final internal** result (the levels the internal reviewers accepted);
3. else the **self-assessment**.

The value is always written with its basis and, while not every item has a level on that basis, with how
many have one and the word "provisional": the missing items count at the lowest level, so such a value is a
lower bound and not comparable with a complete one. In Indonesian: "2,48 Cukup · nasional",
"1,30 Kurang · akhir internal, 6/47 butir (sementara)". Numbers follow the active language (a decimal
comma in Indonesian), through `format_index`.

`pick` works on scores already loaded (a prefetch), `year_result` on one period, `year_results` on many
with one query; `BASIS_RANK` orders scores the same way in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from simpul.core.formats import number_text
from simpul.evaluation.models import BASES_BEST_FIRST, PeriodScore, ScoreBasis

# The rule in SQL: 0 for the basis that stands for the year when present, then 1, then 2.
BASIS_RANK = Case(
    *[When(basis=basis, then=Value(rank)) for rank, basis in enumerate(BASES_BEST_FIRST)],
    default=Value(len(BASES_BEST_FIRST)),
    output_field=IntegerField(),
)


def format_index(value, decimals: int = 2) -> str:
    """An index in the active language's format: 2,48 in Indonesian, 2.48 in English; a dash for none."""
    if value is None:
        return "—"
    return number_text(value, decimals)


@dataclass(frozen=True)
class YearResult:
    """The index standing for a period's year, with its basis and how complete it is."""

    period_id: int
    basis: str
    index: Decimal
    predicate: str
    assessed: int
    total: int
    score: PeriodScore | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_score(cls, score: PeriodScore) -> YearResult:
        return cls(
            period_id=score.period_id,
            basis=score.basis,
            index=score.index,
            predicate=score.predicate,
            assessed=score.assessed,
            total=score.total,
            score=score,
        )

    @property
    def complete(self) -> bool:
        return self.assessed >= self.total

    @property
    def provisional(self) -> bool:
        return not self.complete

    @property
    def basis_label(self) -> str:
        """The basis alone: "national", "final internal", "self-assessment" (translated)."""
        return str(ScoreBasis(self.basis).label)

    @property
    def index_text(self) -> str:
        return format_index(self.index)

    @property
    def value_text(self) -> str:
        """The index and its predicate: "2,48 Cukup"."""
        return f"{self.index_text} {self.predicate}".strip()

    @property
    def basis_text(self) -> str:
        """The basis, with the count of items that have a level while some have none."""
        if self.complete:
            return self.basis_label
        return _("%(basis)s, %(assessed)s/%(total)s items (provisional)") % {
            "basis": self.basis_label,
            "assessed": self.assessed,
            "total": self.total,
        }

    @property
    def label(self) -> str:
        """The whole value as one line: "2,48 Cukup · national" or "1,30 Kurang · final internal, 6/47 items
        (provisional)"."""
        return f"{self.value_text} · {self.basis_text}"

    def __str__(self) -> str:
        return self.label


def pick(scores: Iterable[PeriodScore]) -> YearResult | None:
    """The result standing for the year among one period's scores (national, else internal, else self)."""
    by_basis = {score.basis: score for score in scores}
    for basis in BASES_BEST_FIRST:
        if basis in by_basis:
            return YearResult.from_score(by_basis[basis])
    return None


def on_basis(scores: Iterable[PeriodScore], basis: str) -> YearResult | None:
    """The result of one chosen basis, for a page where the reader picks the basis; "best" is `pick`."""
    if basis == "best":
        return pick(scores)
    score = next((score for score in scores if score.basis == basis), None)
    return YearResult.from_score(score) if score is not None else None


def year_result(period) -> YearResult | None:
    """The result standing for the period's year; reads a prefetch of `scores` when there is one."""
    return pick(period.scores.all())


def year_results(periods: Iterable) -> dict[int, YearResult]:
    """The result standing for each period's year (periods or their ids), in one query; a period without
    any score has no entry."""
    ids = [getattr(period, "pk", period) for period in periods]
    grouped: dict[int, list[PeriodScore]] = {}
    for score in PeriodScore.objects.filter(period_id__in=ids).defer("domains", "aspects"):
        grouped.setdefault(score.period_id, []).append(score)
    return {period_id: result for period_id, scores in grouped.items() if (result := pick(scores)) is not None}
