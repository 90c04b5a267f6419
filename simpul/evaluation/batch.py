"""Recomputing the stored indices of many evaluation periods at once (a province, a new framework version).

`services.recompute_period` costs five queries per period; over 3,000 periods that is 15,000 round
trips. Here the levels of the chosen periods are read with one grouped query per 5,000 periods, each
period is scored with the same formula (`scoring.compute_values`, which `services.score_from_levels`
uses too), and the scores are replaced with one DELETE and one bulk write.
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from simpul.core.bulk import insert_rows
from simpul.evaluation import scoring
from simpul.evaluation.models import EvaluationPeriod, Framework, IndicatorAssessment, PeriodScore, ScoreBasis
from simpul.evaluation.services import BASIS_FIELDS, SCORE_FIELDS, score_values

CHUNK_SIZE = 5000


def recompute_periods(periods: QuerySet[EvaluationPeriod] | None = None) -> int:
    """Store every basis's index of the given periods (all periods by default); returns the period count.

    Gives the same rows as calling `services.recompute_period` on each period: a basis without any
    level has no score, missing levels count at the bottom of the scale.
    """
    with transaction.atomic():
        periods = load_periods(periods)
        rows = compute_scores(periods, fetch_levels(periods))
        for chunk in _chunks([period.pk for period in periods], CHUNK_SIZE):
            # PeriodScore is derived data outside the audit trail; a plain DELETE spares loading every
            # old row for the delete signal (whose receivers skip it anyway).
            stale = PeriodScore.objects.filter(period_id__in=chunk)
            stale._raw_delete(stale.db)
        # auto_now is a save() feature; rows written in bulk carry the time explicitly.
        now = timezone.now()
        insert_rows(PeriodScore, (*SCORE_FIELDS, "computed_at"), ((*row, now) for row in rows))
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

    The database groups each period's rows into JSON arrays (item keys, and one array of levels per
    basis, in the same row order), so 141,000 assessments arrive as 3,000 rows and are decoded by the
    json module. Reading one row per assessment, even through a bare cursor, cost twice as much as
    all of the scoring.
    """
    bases = list(ScoreBasis.values) if bases is None else bases
    item_keys: dict[int, list[str]] = {}
    for period in periods:
        if period.framework_id not in item_keys:
            item_keys[period.framework_id] = list(scoring.compile_framework(period.framework.spec).item_keys)
    positions = {pk: {key: index for index, key in enumerate(keys)} for pk, keys in item_keys.items()}
    framework_of = {period.pk: period.framework_id for period in periods}
    meta = IndicatorAssessment._meta
    columns = ["item_key", *(meta.get_field(BASIS_FIELDS[basis]).column for basis in bases)]
    quote = connection.ops.quote_name
    # All aggregates of a group are fed the same rows in the same order, so the arrays stay aligned
    # without an ORDER BY (which would make PostgreSQL sort every group once per array).
    aggregate = "json_agg({})::text" if connection.vendor == "postgresql" else "json_group_array({})"
    arrays = [aggregate.format(quote(column)) for column in columns]
    levels: dict[int, dict[str, list[float | None]]] = {}
    for chunk in _chunks([period.pk for period in periods], CHUNK_SIZE):
        # Only quoted model metadata is formatted in; the period ids are parameters.
        period_column = quote(meta.get_field("period").column)
        sql = (
            f"SELECT {period_column}, {', '.join(arrays)} FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {period_column} IN ({', '.join(['%s'] * len(chunk))}) GROUP BY {period_column}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            rows = cursor.fetchall()
        for period_id, keys_json, *arrays_json in rows:
            framework_id = framework_of[period_id]
            keys = json.loads(keys_json)
            in_order = keys == item_keys[framework_id]
            if not in_order:
                size = len(item_keys[framework_id])
                slots = [positions[framework_id][key] for key in keys]
            by_basis = levels[period_id] = {}
            for basis, array_json in zip(bases, arrays_json, strict=True):
                # Levels are decimals in the database and plain JSON numbers here: the formula only
                # multiplies and adds them, so an int 3 scores exactly as 3.0.
                values = json.loads(array_json)
                if not in_order:
                    ordered: list[float | None] = [None] * size
                    for slot, value in zip(slots, values, strict=True):
                        ordered[slot] = value
                    values = ordered
                by_basis[basis] = values
    return levels


def compute_scores(periods: list[EvaluationPeriod], levels: dict) -> list[tuple]:
    """The score rows (values in the order of `services.SCORE_FIELDS`) of every period and basis that has
    at least one level."""
    rows = []
    for period in periods:
        by_basis = levels.get(period.pk)
        if by_basis is None:
            continue
        compiled = scoring.compile_framework(period.framework.spec)
        total = len(compiled.item_keys)
        for basis, values in by_basis.items():
            if any(value is not None for value in values):
                rows.append(score_values(period.pk, basis, scoring.compute_values(compiled, values), total))
    return rows


def _chunks(values: list[int], size: int):
    # SQLite allows at most 32,766 parameters per statement (older builds 999); PostgreSQL has no such
    # limit, but one IN list per few thousand ids keeps every statement small.
    for start in range(0, len(values), size):
        yield values[start : start + size]
