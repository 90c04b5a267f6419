"""Benchmarks of the SPBE evaluation module (run on data from generate_evaluation.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench_eval \
        .venv/bin/python bench/bench_evaluation.py [--only recompute,batch,whatif,planner,report] [--rounds 5]

Targets of issue #4: indices of 600 instansi × 5 years recomputed in under 1 s; "what if" answered in
under 50 ms; the planner for 47 indicators and any reachable target in under 200 ms; a period's report
(collected, then written as PDF and XLSX) in under 2 s. Everything runs
in this process against the configured (local) database. Prints a table and writes JSON to bench/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

from _setup import OUT_DIR, setup_django

SECTIONS = ("recompute", "batch", "whatif", "planner", "report")
TARGETS = {"recompute": 1000.0, "batch": 1000.0, "whatif": 50.0, "planner": 200.0, "report": 2000.0}  # ms


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: a p95 is a measured call)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def summary(name: str, durations_ms: list[float], target_ms: float | None, **extra) -> dict:
    # Three decimals: a what-if is a fraction of a millisecond.
    row = {
        "case": name,
        "n": len(durations_ms),
        "p50_ms": round(statistics.median(durations_ms), 3),
        "p95_ms": round(percentile(durations_ms, 0.95), 3),
        "max_ms": round(max(durations_ms), 3),
        "target_ms": target_ms,
        **extra,
    }
    if target_ms is not None:
        row["ok"] = row["p95_ms"] <= target_ms
    return row


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- Recompute all periods -------------------------------------------------------------------------------


def bench_recompute(rounds: int) -> list[dict]:
    """The ORM path: `services.recompute_period` on each period, all in one transaction."""
    from django.db import transaction

    from simpul.evaluation.models import EvaluationPeriod
    from simpul.evaluation.services import recompute_period

    periods = list(EvaluationPeriod.objects.select_related("framework"))

    def run():
        with transaction.atomic():
            for period in periods:
                recompute_period(period)

    durations = []
    for _round in range(rounds):
        durations.append(_timed(run))
        print(f"  recompute_period × {len(periods)}: {durations[-1]:.0f} ms (load {_load()})", flush=True)
    return [
        summary(
            f"recompute_period for {len(periods)} periods",
            durations,
            TARGETS["recompute"],
            periods=len(periods),
            queries_per_period=5,
        )
    ]


def bench_batch(rounds: int) -> list[dict]:
    """`batch.recompute_periods`: one query for all levels, the same scoring per period, one bulk write.

    The issue's target ("indices recomputed") is timed as reading every level and computing every
    index; storing the 8–9k PeriodScore rows is timed separately and in the full call.
    """
    from simpul.evaluation import batch
    from simpul.evaluation.models import EvaluationPeriod, PeriodScore
    from simpul.evaluation.services import BASIS_FIELDS, period_levels, score_from_levels

    count = EvaluationPeriod.objects.count()
    totals, fetch_compute, fetches, computes, one_index = [], [], [], [], []
    scores: list = []
    for _round in range(rounds):
        totals.append(_timed(lambda: batch.recompute_periods(EvaluationPeriod.objects.all())))
        state: dict = {}

        def fetch(state=state):
            state["periods"] = batch.load_periods(EvaluationPeriod.objects.all())
            state["levels"] = batch.fetch_levels(state["periods"])

        def compute(state=state):
            state["scores"] = batch.compute_scores(state["periods"], state["levels"])

        fetches.append(_timed(fetch))
        computes.append(_timed(compute))
        fetch_compute.append(fetches[-1] + computes[-1])
        scores = state["scores"]

        def one_basis():
            # Literally "the index of 600 instansi × 5 years": one index per period, the final internal one.
            periods = batch.load_periods(EvaluationPeriod.objects.all())
            batch.compute_scores(periods, batch.fetch_levels(periods, ["internal"]))

        one_index.append(_timed(one_basis))
        print(
            f"  {count} periods: fetch {fetches[-1]:.0f} ms + {len(scores)} indices {computes[-1]:.0f} ms "
            f"= {fetch_compute[-1]:.0f} ms; with storing {totals[-1]:.0f} ms; "
            f"final internal basis only {one_index[-1]:.0f} ms (load {_load()})",
            flush=True,
        )
    # The batch must store what the per-period path stores.
    for period in EvaluationPeriod.objects.select_related("framework").order_by("?")[:20]:
        stored = {
            s.basis: (s.index, s.raw_index, s.domains, s.aspects) for s in PeriodScore.objects.filter(period=period)
        }
        expected = {}
        for basis in BASIS_FIELDS:
            levels = period_levels(period, basis)
            if levels:
                score = score_from_levels(period, basis, levels)
                expected[basis] = (score.index, score.raw_index, score.domains, score.aspects)
        if stored != expected:
            raise RuntimeError(f"batch recompute differs from recompute_period for period {period.pk}")
    return [
        summary(
            f"batch: read all levels + compute {len(scores)} indices ({count} periods)",
            fetch_compute,
            TARGETS["batch"],
            periods=count,
        ),
        summary("  of which: read all levels (1 query)", fetches, None),
        summary(f"  of which: scoring.compute × {len(scores)}", computes, None),
        summary("batch: the same and store them (recompute_periods)", totals, TARGETS["batch"]),
        summary(f"batch: one index per period (final internal), read + compute ({count})", one_index, TARGETS["batch"]),
    ]


# --- Report ------------------------------------------------------------------------------------------------


def bench_report(samples: int, rng: random.Random) -> list[dict]:
    """A closed period's report as the Tim Koordinasi downloads it: collected, then PDF and XLSX."""
    from simpul.evaluation import reports
    from simpul.organizations.models import User

    reader = User.objects.filter(is_superuser=True, is_active=True).first()
    if reader is None:
        reader = User.objects.create(username="bench-report", is_superuser=True, is_active=True)
    cases = _complete_periods(min(samples, 20), rng)
    collect, whole = [], []
    for period, _levels in cases:
        collect.append(_timed(lambda period=period: reports.collect(period, reader)))

        def download(period=period):
            report = reports.collect(period, reader)
            reports.render_pdf(report)
            reports.render_xlsx(report)

        whole.append(_timed(download))
    return [
        summary("report: collect", collect, None),
        summary("report: collect + PDF + XLSX", whole, TARGETS["report"]),
    ]


# --- What if -----------------------------------------------------------------------------------------------


def _complete_periods(limit: int, rng: random.Random):
    from simpul.evaluation.models import EvaluationPeriod, PeriodStatus
    from simpul.evaluation.services import period_levels

    periods = list(
        EvaluationPeriod.objects.filter(status=PeriodStatus.CLOSED).select_related("framework").order_by("?")[:limit]
    )
    rng.shuffle(periods)
    return [(period, period_levels(period, "internal")) for period in periods]


def bench_whatif(samples: int, rng: random.Random) -> list[dict]:
    from simpul.evaluation import scoring
    from simpul.evaluation.models import IndicatorAssessment
    from simpul.evaluation.services import period_levels

    try:
        from simpul.evaluation.planner import what_if
    except ImportError:
        what_if = None
    cases = _complete_periods(min(samples, 500), rng)
    pure, with_fetch, planner_what_if = [], [], []
    for n in range(samples):
        period, levels = cases[n % len(cases)]
        spec = period.framework.spec
        key = rng.choice(sorted(levels))
        level = levels[key]
        new = level + 1 if level < spec.scale_max else level - 1
        changed = {**levels, key: new}
        pure.append(_timed(lambda spec=spec, changed=changed: scoring.compute(spec, changed)))

        def request(period=period, key=key, new=new):
            # What the server does for one slider move: read the period's levels, change one, compute.
            current = period_levels(period, "internal")
            current[key] = new
            return scoring.compute(period.framework.spec, current, missing_as_minimum=True)

        with_fetch.append(_timed(request))
        if what_if is not None:
            planner_what_if.append(
                _timed(lambda spec=spec, levels=levels, key=key, new=new: what_if(spec, levels, {key: new}))
            )
    del IndicatorAssessment
    rows = [
        summary("what if: scoring.compute after one change", pure, TARGETS["whatif"]),
        summary("what if: read the period's levels + compute", with_fetch, TARGETS["whatif"]),
    ]
    if planner_what_if:
        rows.append(summary("what if: planner.what_if", planner_what_if, TARGETS["whatif"]))
    return rows


# --- Planner ------------------------------------------------------------------------------------------------


def bench_planner(samples: int, rng: random.Random) -> list[dict]:
    try:
        from simpul.evaluation import planner
    except ImportError:
        return [{"case": "planner", "status": "skipped", "note": "simpul/evaluation/planner.py does not exist yet"}]
    from simpul.evaluation import scoring
    from simpul.evaluation.models import IndicatorAssessment

    cases = _complete_periods(min(samples, 300), rng)
    efforts_by_period = {}
    for period_id, key, effort in IndicatorAssessment.objects.filter(
        period__in=[period for period, _levels in cases]
    ).values_list("period_id", "item_key", "effort"):
        efforts_by_period.setdefault(period_id, {})[key] = effort
    random_target, next_band, worst = [], [], []
    unreached = 0
    for n in range(samples):
        period, levels = cases[n % len(cases)]
        spec = period.framework.spec
        efforts = efforts_by_period[period.pk]
        start = scoring.compute(spec, levels).index
        target = round(rng.uniform(min(start + 0.01, spec.scale_max), spec.scale_max), 2)
        result = None

        def run(spec=spec, levels=levels, target=target, efforts=efforts):
            nonlocal result
            result = planner.plan(spec, levels, target, efforts)

        random_target.append(_timed(run))
        unreached += not result.reached
        following = planner.next_predicate_target(spec, start)
        if following is not None:
            next_band.append(
                _timed(lambda spec=spec, levels=levels, t=following[1], e=efforts: planner.plan(spec, levels, t, e))
            )
    # Worst cases: everything at the bottom, targets near the top (every raise is a candidate). With the
    # default limits (data/planner.json: one level per cycle) most of these are out of reach this cycle,
    # which also searches the cycles they would take; without a rise limit every raise is open.
    spec = cases[0][0].framework.spec
    compiled = scoring.compile_framework(spec)
    bottom = {key: float(spec.scale_min) for key in compiled.item_keys}
    whole_scale = planner.Limits(None, planner.default_limits().level_efforts)
    # A table a user might type in the advanced settings: large, with no common divisor.
    typed = planner.Limits(2, dict(zip(planner.reached_levels(spec), [1, 7, 13, 20, 20, 20], strict=False)))
    unlimited, user_table = [], []
    for n in range(max(20, samples // 10)):
        efforts = {key: rng.randint(1, 10) for key in compiled.item_keys}
        target = rng.choice([4.99, 5.0, 4.2, 3.5, round(rng.uniform(1.01, 5.0), 2)])
        worst.append(_timed(lambda efforts=efforts, target=target: planner.plan(spec, bottom, target, efforts)))
        unlimited.append(
            _timed(lambda efforts=efforts, target=target: planner.plan(spec, bottom, target, efforts, whole_scale))
        )
        user_table.append(
            _timed(lambda efforts=efforts, target=target: planner.plan(spec, bottom, target, efforts, typed))
        )
        del n
    return [
        summary(
            "planner: random reachable target, real efforts", random_target, TARGETS["planner"], unreached=unreached
        ),
        summary("planner: next predicate", next_band, TARGETS["planner"]),
        summary("planner: all at level 1, targets up to 5.00", worst, TARGETS["planner"]),
        summary("planner: all at level 1, no rise limit", unlimited, TARGETS["planner"]),
        summary("planner: all at level 1, rise 2, efforts 1/7/13/20", user_table, TARGETS["planner"]),
    ]


# --- Driver -------------------------------------------------------------------------------------------------


def _machine() -> dict:
    from django.db import connection
    from django.db.models import Count

    from simpul.evaluation.models import EvaluationPeriod, IndicatorAssessment

    with connection.cursor() as cursor:
        cursor.execute("select version()" if connection.vendor == "postgresql" else "select sqlite_version()")
        database = f"{connection.vendor} {cursor.fetchone()[0].split(' on ')[0]}"
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line), ""
        )
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "python": platform.python_version(),
        "database": database,
        "load_average_start": _load(),
        "periods": EvaluationPeriod.objects.count(),
        "instansi": EvaluationPeriod.objects.aggregate(n=Count("instansi", distinct=True))["n"],
        "assessments": IndicatorAssessment.objects.count(),
    }


def _format_row(row: dict) -> str:
    if "p50_ms" not in row:
        return f"{row['case']:<52} {row.get('status', '')}  {row.get('note', '')}"
    verdict = "" if row.get("target_ms") is None else ("ok" if row.get("ok") else "MISSED")
    extras = {k: v for k, v in row.items() if k not in ("case", "n", "p50_ms", "p95_ms", "max_ms", "target_ms", "ok")}
    return (
        f"{row['case']:<52} n={row['n']:<5} p50={row['p50_ms']:>8.2f} p95={row['p95_ms']:>8.2f} "
        f"max={row['max_ms']:>8.2f} target={row['target_ms']} {verdict} {extras or ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--rounds", type=int, default=5, help="full recomputations per recompute section")
    parser.add_argument("--samples", type=int, default=1000, help="what-if and planner calls")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    settings.DEBUG = False  # no query log growing in memory
    rng = random.Random(args.seed)
    machine = _machine()
    print(json.dumps(machine, ensure_ascii=False))
    if not machine["periods"]:
        sys.exit("No evaluation periods: run bench/generate_evaluation.py first.")

    results: dict[str, list[dict]] = {}
    for section in [s.strip() for s in args.only.split(",") if s.strip()]:
        if section not in SECTIONS:
            sys.exit(f"unknown section {section!r}; choose from {', '.join(SECTIONS)}")
        print(f"== {section} (load {_load()})", flush=True)
        if section == "recompute":
            rows = bench_recompute(args.rounds)
        elif section == "batch":
            rows = bench_batch(args.rounds)
        elif section == "whatif":
            rows = bench_whatif(args.samples, rng)
        elif section == "report":
            rows = bench_report(args.samples, rng)
        else:
            rows = bench_planner(args.samples, rng)
        for row in rows:
            row["load_average"] = _load()
            print(_format_row(row), flush=True)
        results[section] = rows

    machine["load_average_end"] = _load()
    OUT_DIR.mkdir(exist_ok=True)
    report = {"when": datetime.now().isoformat(timespec="seconds"), "machine": machine, "results": results}
    path = OUT_DIR / f"evaluation-{machine['database'].split()[0]}-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
