"""`simpul evaluation compute|load-framework|recompute`: the index without the UI, for provinces and auditors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from simpul.evaluation import scoring, services
from simpul.evaluation.models import EvaluationPeriod, Framework, IndicatorAssessment, PeriodScore
from simpul.evaluation.tests.test_frameworks import valid_document

pytestmark = pytest.mark.django_db

ALL_THREE = {str(number): 3 for number in range(1, 48)}


def run(*args, stdin: str | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        if stdin is None:
            call_command("evaluation", *args, stdout=out, stderr=err)
        else:
            saved, sys.stdin = sys.stdin, io.StringIO(stdin)
            try:
                call_command("evaluation", *args, stdout=out, stderr=err)
            finally:
                sys.stdin = saved
    return out.getvalue(), err.getvalue()


def refused(*args) -> str:
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("evaluation", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(error.value)


def levels_file(tmp_path: Path, levels) -> str:
    path = tmp_path / "levels.json"
    path.write_text(json.dumps(levels), encoding="utf-8")
    return str(path)


# --- compute -----------------------------------------------------------------------------------------


def test_compute_prints_the_index_as_json(tmp_path):
    levels = {**ALL_THREE, "47": 5}  # 3 everywhere, #47 (A8, weight 3) two up: +6/100, A8 = (5×3 + 5)/6
    out, _err = run("compute", "--framework", "permenpanrb-59-2020", levels_file(tmp_path, levels))
    printed = json.loads(out)
    assert list(printed) == ["framework", "index", "predicate", "domains", "aspects"]
    assert printed["framework"] == "permenpanrb-59-2020"
    assert printed["index"] == 3.06
    assert printed["predicate"] == "Baik"
    assert printed["domains"] == {"D1": 3.0, "D2": 3.0, "D3": 3.0, "D4": 3.13}
    assert printed["aspects"]["A8"] == 3.33
    assert set(printed["aspects"]) == {f"A{n}" for n in range(1, 9)}


def test_compute_reads_standard_input():
    out, _err = run("compute", "--framework", "permenpanrb-59-2020", "-", stdin=json.dumps(ALL_THREE))
    assert json.loads(out)["index"] == 3.0


def test_compute_refuses_missing_levels_unless_counted_at_the_minimum(tmp_path):
    levels = {key: value for key, value in ALL_THREE.items() if key not in {"5", "40"}}
    path = levels_file(tmp_path, levels)
    assert refused("compute", "--framework", "permenpanrb-59-2020", path) == "No level for: 5, 40."
    out, _err = run("compute", "--framework", "permenpanrb-59-2020", path, "--missing-as-minimum")
    # #5 (1.3) and #40 (2.75) counted at 1, two below 3: (300 − 2.6 − 5.5)/100 = 2.919.
    assert json.loads(out)["index"] == 2.92


def test_compute_refuses_an_unknown_indicator(tmp_path):
    path = levels_file(tmp_path, {**ALL_THREE, "48": 3})
    assert refused("compute", "--framework", "permenpanrb-59-2020", path) == (
        "Indicator '48' is not part of framework permenpanrb-59-2020."
    )


def test_compute_refuses_a_level_outside_the_scale(tmp_path):
    message = refused("compute", "--framework", "permenpanrb-59-2020", levels_file(tmp_path, {**ALL_THREE, "1": 0}))
    assert message == "The level of 1 is 0, outside the scale 1–5."
    # 0 is on the 5/2018 scale, 6 is not.
    five = {str(number): 0 for number in range(1, 36)}
    out, _err = run("compute", "--framework", "permenpanrb-5-2018", levels_file(tmp_path, five))
    assert json.loads(out)["index"] == 0.0
    five["35"] = [0, 6, 0]
    message = refused("compute", "--framework", "permenpanrb-5-2018", levels_file(tmp_path, five))
    assert message == "The level of 35-2 is 6, outside the scale 0–5."


def test_compute_refuses_a_fractional_level_on_a_whole_number_indicator(tmp_path):
    message = refused("compute", "--framework", "permenpanrb-59-2020", levels_file(tmp_path, {**ALL_THREE, "3": 2.5}))
    assert message == "The level of 3 must be a whole number, not 2.5."


def test_compute_lists_every_problem_at_once(tmp_path):
    path = levels_file(tmp_path, {**ALL_THREE, "3": 2.5, "4": "tiga", "99": 1})
    lines = refused("compute", "--framework", "permenpanrb-59-2020", path).splitlines()
    assert lines == [
        "The level of 3 must be a whole number, not 2.5.",
        "The level of 4 must be a number, not 'tiga'.",
        "Indicator '99' is not part of framework permenpanrb-59-2020.",
    ]


def test_compute_accepts_a_fractional_satisfaction_level(tmp_path):
    levels = {str(number): 3 for number in range(1, 36)}
    levels["33"] = 4.5  # survey x = 3 → y = 0.5·3 + 3; weight 10: +1.5/100 over all-3
    out, _err = run("compute", "--framework", "indeks-pemdi-2025", levels_file(tmp_path, levels))
    assert json.loads(out)["index"] == 3.15


def test_compute_with_a_framework_file(tmp_path):
    framework = tmp_path / "kerangka-uji.json"
    framework.write_text(json.dumps(valid_document()), encoding="utf-8")
    path = levels_file(tmp_path, {"1": 5, "2": 3, "3": 2, "4": [1, 3]})
    out, _err = run("compute", "--framework", str(framework), path)
    assert json.loads(out) == {
        "framework": "uji-kerangka",
        "index": 2.8,
        "predicate": "Baik",
        "domains": {"D1": 4.0, "D2": 2.0},
        "aspects": {"A1": 4.0, "A2": 2.0, "A3": 2.0},
    }
    assert not Framework.objects.filter(code="uji-kerangka").exists()  # computing does not load it


def test_compute_with_a_broken_framework_file_says_why(tmp_path):
    document = valid_document()
    document["domains"][0]["weight"] = 45
    framework = tmp_path / "kerangka-uji.json"
    framework.write_text(json.dumps(document), encoding="utf-8")
    message = refused("compute", "--framework", str(framework), levels_file(tmp_path, {}))
    assert "The domain weights add up to 105, not 100." in message.splitlines()


def test_compute_names_the_known_frameworks_for_an_unknown_id(tmp_path):
    message = refused("compute", "--framework", "permenpanrb-99-2030", levels_file(tmp_path, ALL_THREE))
    assert message == (
        "Unknown framework 'permenpanrb-99-2030'. Known frameworks: indeks-pemdi-2025, permenpanrb-5-2018, "
        "permenpanrb-59-2020, permenpanrb-8-2026."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ 1: 3", "The levels file is not readable JSON:"),
        ("[3, 3, 3]", 'The levels file must hold one JSON object {"<indicator number>": level, ...}.'),
    ],
)
def test_compute_refuses_a_levels_file_that_is_not_an_object(tmp_path, content, message):
    path = tmp_path / "levels.json"
    path.write_text(content, encoding="utf-8")
    assert refused("compute", "--framework", "permenpanrb-59-2020", str(path)).startswith(message)


# --- load-framework --------------------------------------------------------------------------------------


def test_load_framework_reports_each_file(tmp_path):
    shipped = Path(Framework.objects.get(code="permenpanrb-8-2026").source_file)
    from simpul.evaluation.frameworks import FRAMEWORK_DIR

    new = tmp_path / "kerangka-uji.json"
    new.write_text(json.dumps(valid_document()), encoding="utf-8")
    out, _err = run("load-framework", str(FRAMEWORK_DIR / shipped), str(new))
    assert out.splitlines() == [
        f"{FRAMEWORK_DIR / shipped}: permenpanrb-8-2026 (unchanged)",
        f"{new}: uji-kerangka (created)",
    ]
    assert Framework.objects.get(code="uji-kerangka").indicators.count() == 4


def test_load_framework_refuses_a_bad_file_with_each_message(tmp_path):
    document = valid_document()
    document["domains"][1]["weight"] = 50
    document["indicators"][1]["aspect"] = "A9"
    bad = tmp_path / "rusak.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("evaluation", "load-framework", str(bad), stdout=io.StringIO(), stderr=err)
    assert str(error.value) == "Some files were refused; a refused file changes nothing."
    lines = err.getvalue().splitlines()
    assert lines[0] == f"{bad}: refused"
    assert "  - The domain weights add up to 90, not 100." in lines
    assert "  - Indicator 2 belongs to an unknown aspect 'A9'." in lines
    assert not Framework.objects.filter(code="uji-kerangka").exists()


def test_load_framework_exits_non_zero_from_the_shell(tmp_path):
    bad = tmp_path / "rusak.json"
    bad.write_text("{ bukan json", encoding="utf-8")
    # Refused before any database access, so the child process needs no test database.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "simpul.settings", "LANGUAGE": "en"}
    completed = subprocess.run(
        [sys.executable, "-m", "simpul.cli", "evaluation", "load-framework", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert str(bad) in completed.stderr
    assert "JSON" in completed.stderr


# --- recompute ---------------------------------------------------------------------------------------------


def _period(world, instansi, year=2023) -> EvaluationPeriod:
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    admin = world.admin_a if instansi == world.inst_a else world.admin_b
    return services.create_period(admin, EvaluationPeriod(instansi=instansi, year=year, framework=framework))


def test_recompute_stores_indices_from_the_levels(world):
    period_a, period_b = _period(world, world.inst_a), _period(world, world.inst_b)
    assert not PeriodScore.objects.exists()  # no level yet, so no score
    # Levels written behind the services' back (as a data repair would), so the stored scores are stale.
    for period in (period_a, period_b):
        IndicatorAssessment.objects.filter(period=period).update(self_level=Decimal(3), final_level=Decimal(2))
    out, _err = run("recompute", "--instansi", "inst-a")
    assert out.strip() == "1 evaluation period recomputed."
    scores = {score.basis: score for score in PeriodScore.objects.filter(period=period_a)}
    assert set(scores) == {"self", "internal"}
    assert (scores["self"].index, scores["self"].predicate) == (Decimal("3.00"), "Baik")
    assert (scores["internal"].index, scores["internal"].predicate) == (Decimal("2.00"), "Cukup")
    assert (scores["internal"].assessed, scores["internal"].total) == (47, 47)
    assert not PeriodScore.objects.filter(period=period_b).exists()
    out, _err = run("recompute")
    assert out.strip() == "2 evaluation periods recomputed."
    assert PeriodScore.objects.get(period=period_b, basis="self").index == Decimal("3.00")


def test_recompute_counts_missing_levels_at_the_floor(world):
    period = _period(world, world.inst_a)
    IndicatorAssessment.objects.filter(period=period, indicator__number__lte=10).update(self_level=Decimal(5))
    run("recompute")
    score = PeriodScore.objects.get(period=period, basis="self")
    # A1 (ten × 1.3) at 5, the rest at the floor 1: (13×5 + 87×1)/100 = 1.52.
    assert (score.index, score.assessed, score.total) == (Decimal("1.52"), 10, 47)
    assert score.domains["D1"] == 5.0
    assert not score.complete


def _scores(period) -> dict:
    return {
        s.basis: (s.index, s.raw_index, s.predicate, s.domains, s.aspects, s.assessed, s.total)
        for s in PeriodScore.objects.filter(period=period)
    }


def test_batch_recompute_stores_what_recompute_period_stores(world):
    """The CLI's batch path and the per-period service give the same rows, parts and fractions included."""
    from simpul.evaluation.batch import recompute_periods

    frameworks = ["permenpanrb-59-2020", "permenpanrb-5-2018", "indeks-pemdi-2025"]
    periods = [
        services.create_period(
            world.admin_a,
            EvaluationPeriod(instansi=world.inst_a, year=2020 + n, framework=Framework.objects.get(code=code)),
        )
        for n, code in enumerate(frameworks)
    ]
    for period in periods:
        spec = period.framework.spec
        for n, row in enumerate(IndicatorAssessment.objects.filter(period=period).order_by("item_key")):
            row.self_level = Decimal(spec.scale_min + n % (spec.scale_max - spec.scale_min + 1))
            row.final_level = None if n % 3 == 0 else Decimal(spec.scale_max - n % 2)
            if row.item_key == "33" and spec.satisfaction:
                row.self_level = Decimal("3.75")
            row.save()
    expected = {}
    for period in periods:
        services.recompute_period(period)
        expected[period.pk] = _scores(period)
    assert all(set(scores) == {"self", "internal"} for scores in expected.values())
    PeriodScore.objects.update(index=Decimal(0), raw_index=0.0, predicate="stale")
    assert recompute_periods(EvaluationPeriod.objects.filter(pk__in=[p.pk for p in periods])) == 3
    assert {period.pk: _scores(period) for period in periods} == expected
    assert PeriodScore.objects.filter(predicate="stale").count() == 0


def test_batch_recompute_reads_levels_whatever_the_row_order(world):
    """Rows stored out of the framework's item order, and an item without any row, score as one period does."""
    from simpul.evaluation.batch import fetch_levels, load_periods, recompute_periods

    period = services.create_period(
        world.admin_a,
        EvaluationPeriod(instansi=world.inst_a, year=2024, framework=Framework.objects.get(code="permenpanrb-59-2020")),
    )
    rows = list(IndicatorAssessment.objects.filter(period=period).order_by("pk"))
    for n, row in enumerate(rows):
        row.self_level = Decimal(1 + n % 5)
        row.final_level = Decimal("2.5") if n % 4 == 0 else None
        row.save()
    # The first item's row is written again, so the database returns it last; the second item loses its row.
    moved, dropped = rows[0], rows[1]
    IndicatorAssessment.objects.filter(pk=moved.pk).delete()
    moved.pk = None
    moved.save()
    IndicatorAssessment.objects.filter(pk=dropped.pk).delete()

    levels = fetch_levels(load_periods(EvaluationPeriod.objects.filter(pk=period.pk)))[period.pk]
    keys = list(IndicatorAssessment.objects.filter(period=period).order_by("pk").values_list("item_key", flat=True))
    assert keys[-1] == moved.item_key
    item_keys = list(scoring.compile_framework(period.framework.spec).item_keys)
    assert levels["self"][item_keys.index(moved.item_key)] == float(moved.self_level)
    assert levels["self"][item_keys.index(dropped.item_key)] is None
    assert levels["internal"][item_keys.index(moved.item_key)] == 2.5

    services.recompute_period(period)
    expected = _scores(period)
    assert expected["self"][5:] == (len(rows) - 1, len(rows))
    PeriodScore.objects.update(index=Decimal(0), raw_index=0.0, predicate="stale")
    recompute_periods(EvaluationPeriod.objects.filter(pk=period.pk))
    assert _scores(period) == expected
