"""Recomputing the stored indices of many evaluation periods at once (a province, a new framework version).

`services.recompute_period` costs five queries per period; over 3,000 periods that is 15,000 round
trips. Here all levels of the chosen periods are read in one query, each period is scored with the
same `services.score_from_levels` (and so the one formula in `scoring`), and the scores are replaced
with one DELETE and one bulk INSERT.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast

from simpul.evaluation import scoring
from simpul.evaluation.models import EvaluationPeriod, Framework, IndicatorAssessment, PeriodScore, ScoreBasis
from simpul.evaluation.services import BASIS_FIELDS, score_from_result

BATCH_SIZE = 1000


def recompute_periods(periods: QuerySet[EvaluationPeriod] | None = None) -> int:
    """Store every basis's index of the given periods (all periods by default); returns the period count.

    Gives the same rows as calling `services.recompute_period` on each period: a basis without any
    level has no score, missing levels count at the bottom of the scale.
    """
    with transaction.atomic():
        periods = load_periods(periods)
        scores = compute_scores(periods, fetch_levels(periods))
        for chunk in _chunks([period.pk for period in periods], 5000):
            # PeriodScore is derived data outside the audit trail; a plain DELETE spares loading every
            # old row for the delete signal (whose receivers skip it anyway).
            stale = PeriodScore.objects.filter(period_id__in=chunk)
            stale._raw_delete(stale.db)
        PeriodScore.objects.bulk_create(scores, batch_size=BATCH_SIZE)
    return len(periods)


def load_periods(periods: QuerySet[EvaluationPeriod] | None = None) -> list[EvaluationPeriod]:
    """The periods, each with its framework attached (loaded once per framework, not joined per period)."""
    periods = list((EvaluationPeriod.objects.all() if periods is None else periods).order_by("pk"))
    # Joined per period, a framework's document (about 120 kB of JSON) would be decoded for every period.
    frameworks = {row.pk: row for row in Framework.objects.filter(pk__in={period.framework_id for period in periods})}
    for period in periods:
        period.framework = frameworks[period.framework_id]
    return periods


def fetch_levels(
    periods: list[EvaluationPeriod], bases: list[str] | None = None
) -> dict[int, dict[str, list[float | None]]]:
    """{period id: {basis: levels in the order of its framework's items}} (all bases by default).

    One query per 5,000 periods, read through a plain cursor: building a model row or even a
    values_list tuple per assessment cost more than the formula itself.
    """
    bases = list(ScoreBasis.values) if bases is None else bases
    positions = {}
    for period in periods:
        if period.framework_id not in positions:
            compiled = scoring.compile_framework(period.framework.spec)
            positions[period.framework_id] = {key: index for index, key in enumerate(compiled.item_keys)}
    framework_of = {period.pk: period.framework_id for period in periods}
    # Levels read as floats straight from the database: a Decimal per value costs more than the formula.
    as_float = {f"_{basis}": Cast(BASIS_FIELDS[basis], FloatField()) for basis in bases}
    levels: dict[int, dict[str, list[float | None]]] = {}
    for chunk in _chunks([period.pk for period in periods], 5000):
        query = (
            IndicatorAssessment.objects.filter(period_id__in=chunk)
            .annotate(**as_float)
            .values_list("period_id", "item_key", *as_float)
        )
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for period_id, item_key, *values in rows:
            by_basis = levels.get(period_id)
            if by_basis is None:
                size = len(positions[framework_of[period_id]])
                by_basis = levels[period_id] = {basis: [None] * size for basis in bases}
            position = positions[framework_of[period_id]][item_key]
            for basis, value in zip(bases, values, strict=True):
                by_basis[basis][position] = value
    return levels


def compute_scores(periods: list[EvaluationPeriod], levels: dict) -> list[PeriodScore]:
    """Unsaved PeriodScore rows of every period and basis that has at least one level."""
    scores = []
    for period in periods:
        by_basis = levels.get(period.pk)
        if by_basis is None:
            continue
        compiled = scoring.compile_framework(period.framework.spec)
        for basis, values in by_basis.items():
            if any(value is not None for value in values):
                scores.append(score_from_result(period, basis, scoring.compute_values(compiled, values)))
    return scores


def _chunks(values: list[int], size: int):
    # SQLite allows at most 32,766 parameters per statement (older builds 999); PostgreSQL has no such
    # limit, but one IN list per few thousand ids keeps every statement small.
    for start in range(0, len(values), size):
        yield values[start : start + size]
