"""Generate SPBE evaluation history for benchmarks: many instansi, several years, every indicator assessed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench_eval \
        .venv/bin/python bench/generate_evaluation.py --instansi 600 --years 5

Writes (or reuses) instansi with their OPDs, then one evaluation period per instansi and year under one
framework (PermenPANRB 59/2020 by default) with one assessment per scored item: self-assessed, final
internal and national levels drawn from a model of real results (see `LevelModel`). The last year is
still in progress: part of its indicators have no level yet. Rows are written with bulk inserts, so
there is no audit trail and no stored index (the benchmark computes them); fine for a benchmark, wrong
for anything else. Run it on a migrated database without evaluation periods.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal

from _setup import setup_django


@dataclass
class LevelModel:
    """Levels as national results look: most instansi between 1.5 and 3.5, slowly rising, uneven.

    An instansi has a maturity (mean 2.4, sd 0.6; published indices 2021–2023 spread from about 1.2
    to 4.5 around a national mean near 2.3–2.8) and a yearly gain; an indicator has a difficulty
    (audits and public-service integration lag, policies come first), and every level has noise.
    Self-assessment is optimistic: about a third of self levels are one above the accepted level, and
    the national evaluators take one level off about a fifth of the accepted ones.
    """

    rng: random.Random

    def instansi(self) -> tuple[float, float]:
        maturity = min(4.6, max(1.0, self.rng.gauss(2.4, 0.6)))
        return maturity, self.rng.uniform(0.0, 0.3)

    def difficulty(self, aspect: str) -> float:
        shift = {"A1": 0.3, "A2": 0.1, "A3": 0.0, "A4": 0.2, "A5": -0.5, "A6": -0.7, "A7": 0.1, "A8": -0.2}
        return shift.get(aspect, 0.0) + self.rng.gauss(0.0, 0.3)

    def levels(self, mean: float, low: int, high: int) -> tuple[int, int, int]:
        final = min(high, max(low, round(mean + self.rng.gauss(0.0, 0.6))))
        claimed = min(high, final + (1 if self.rng.random() < 0.33 else 0))
        national = max(low, final - (1 if self.rng.random() < 0.2 else 0))
        return claimed, final, national


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instansi", type=int, default=600)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--first-year", type=int, default=2021)
    parser.add_argument("--framework", default="permenpanrb-59-2020")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    setup_django()

    from django.db import connection, transaction

    from simpul.evaluation.models import (
        AssessmentStatus,
        EvaluationPeriod,
        Framework,
        Indicator,
        IndicatorAssessment,
        PeriodStatus,
    )
    from simpul.organizations.models import Instansi, PerangkatDaerah

    if EvaluationPeriod.objects.exists():
        sys.exit("The database already holds evaluation periods; generate into a fresh database.")
    framework = Framework.objects.get(code=args.framework)
    spec = framework.spec
    rng = random.Random(args.seed)
    model = LevelModel(rng)
    started = time.perf_counter()

    with transaction.atomic():
        instansi = list(Instansi.objects.order_by("pk")[: args.instansi])
        if len(instansi) < args.instansi:
            if instansi:
                sys.exit(f"The database holds {len(instansi)} instansi, fewer than {args.instansi}; use a fresh one.")
            from generate_architecture import create_organisations

            create_organisations(rng, args.instansi, args.batch_size)
            instansi = list(Instansi.objects.order_by("pk")[: args.instansi])
        opds: dict[int, list[int]] = {}
        for opd_id, instansi_id in PerangkatDaerah.objects.values_list("pk", "instansi_id"):
            opds.setdefault(instansi_id, []).append(opd_id)
        print(f"{len(instansi)} instansi ready ({time.perf_counter() - started:.1f} s)", flush=True)

        years = list(range(args.first_year, args.first_year + args.years))
        periods = [
            EvaluationPeriod(
                instansi=inst,
                year=year,
                framework=framework,
                status=PeriodStatus.CLOSED if year < years[-1] else PeriodStatus.SELF_ASSESSMENT,
            )
            for inst in instansi
            for year in years
        ]
        EvaluationPeriod.objects.bulk_create(periods, batch_size=args.batch_size)
        if periods[0].pk is None:  # backends without RETURNING on bulk insert
            by_key = {(p.instansi_id, p.year): p.pk for p in EvaluationPeriod.objects.all()}
            for period in periods:
                period.pk = period.id = by_key[(period.instansi_id, period.year)]

        rows = {row.number: row for row in Indicator.objects.filter(framework=framework)}
        difficulty = {indicator.number: model.difficulty(indicator.aspect) for indicator in spec.indicators}
        low, high = spec.scale_min, spec.scale_max
        profile = {inst.pk: model.instansi() for inst in instansi}
        batch, written = [], 0
        for period in periods:
            maturity, gain = profile[period.instansi_id]
            in_progress = period.year == years[-1]
            pics = opds.get(period.instansi_id) or [None]
            for indicator in spec.indicators:
                mean = maturity + gain * (period.year - years[0]) + difficulty[indicator.number]
                for key in indicator.item_keys:
                    claimed, final, national = model.levels(mean, low, high)
                    row = IndicatorAssessment(
                        period_id=period.pk,
                        indicator=rows[indicator.number],
                        item_key=key,
                        pic_id=rng.choice(pics),
                        effort=rng.randint(1, 10),
                    )
                    stage = rng.random() if in_progress else 1.0
                    if stage > 0.35:  # in the running year a third is not started yet
                        row.self_level = Decimal(claimed)
                        row.self_justification = "Bukti dukung terlampir."
                        row.status = AssessmentStatus.SUBMITTED
                    if stage > 0.7:
                        row.final_level = Decimal(final)
                        row.status = AssessmentStatus.ACCEPTED
                    if not in_progress:
                        row.national_level = Decimal(national)
                    batch.append(row)
            if len(batch) >= args.batch_size * 5:
                IndicatorAssessment.objects.bulk_create(batch, batch_size=args.batch_size)
                written += len(batch)
                batch = []
        IndicatorAssessment.objects.bulk_create(batch, batch_size=args.batch_size)
        written += len(batch)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"{len(periods)} periods, {written} assessments under {framework.code} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
