"""The planner finds the cheapest set of one-level raises that reaches a target, and nothing cheaper exists.

On small frameworks every combination of raises is enumerated and scored with `scoring.compute`; the
planner's plan must reach the target with the least effort, then the fewest steps, then the highest
index among all of them. On the 47 indicators of 59/2020 it is checked against a plain step-by-step
dynamic programme that does not use the planner's class shortcut.
"""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simpul.evaluation import planner, scoring
from simpul.evaluation.frameworks import parse_framework, shipped_framework

TOLERANCE = 1e-9


def small_framework(
    item_weights: list[int],
    aspect_sizes: list[int],
    domain_sizes: list[int] | None = None,
    scale_min: int = 1,
    satisfaction: bool = False,
):
    """A framework of a few indicators; weights are whole percentages adding up to 100."""
    assert sum(item_weights) == 100 and sum(aspect_sizes) == len(item_weights)
    aspects, indicators, position = [], [], 0
    for number, size in enumerate(aspect_sizes, start=1):
        members = item_weights[position : position + size]
        aspects.append({"code": f"A{number}", "name": f"Aspek {number}", "weight": sum(members)})
        for weight in members:
            position += 1
            indicators.append({"number": position, "aspect": f"A{number}", "name": f"Ind {position}", "weight": weight})
    domains = []
    if domain_sizes:
        first = 0
        for number, size in enumerate(domain_sizes, start=1):
            for aspect in aspects[first : first + size]:
                aspect["domain"] = f"D{number}"
            weight = sum(aspect["weight"] for aspect in aspects[first : first + size])
            domains.append({"code": f"D{number}", "name": f"Domain {number}", "weight": weight})
            first += size
    document = {
        "id": "uji-planner",
        "title": "Kerangka uji",
        "source_regulation": "Peraturan uji",
        "status": "verified",
        "scale": {"min": scale_min, "max": 5},
        "domains": domains,
        "aspects": aspects,
        "indicators": indicators,
        "predicates": [
            {"name": "Kurang", "min": None, "max": 3.0},
            {"name": "Baik", "min": 3.0, "max": 4.2},
            {"name": "Memuaskan", "min": 4.2, "max": 5, "max_inclusive": True},
        ],
    }
    if satisfaction:
        indicators[-1]["scoring"] = "kepuasan_pengguna"
        document["user_satisfaction"] = {"indicators": [len(indicators)], "linear_transform": {"a": 0.5, "b": 3.0}}
    return parse_framework(document)


def every_plan(spec, levels: dict[str, float], efforts: dict[str, int]) -> list[tuple]:
    """(effort, steps, raw index, rounded index) of every combination of raises, scored by compute()."""
    keys = scoring.compile_framework(spec).item_keys
    top = spec.scale_max
    options = []
    for key in keys:
        level, counts = levels[key], [0]
        while level + len(counts) - 1 < top:
            counts.append(len(counts))
        options.append(counts)
    plans = []
    for counts in itertools.product(*options):
        raised = {key: min(levels[key] + count, top) for key, count in zip(keys, counts, strict=True)}
        result = scoring.compute(spec, raised)
        effort = sum(efforts[key] * count for key, count in zip(keys, counts, strict=True))
        plans.append((effort, sum(counts), result.raw_index, result.index))
    return plans


def exhaustive_best(plans: list[tuple], target: float):
    """(effort, steps, raw index) of the best plan reaching `target`: least effort, fewest steps, highest index."""
    reaching = [plan for plan in plans if plan[3] >= target]
    if not reaching:
        return None
    effort, steps = min(plan[:2] for plan in reaching)
    return effort, steps, max(plan[2] for plan in reaching if plan[:2] == (effort, steps))


def assert_optimal(spec, levels, target, efforts, plans=None):
    result = planner.plan(spec, levels, target, efforts)
    best = exhaustive_best(plans if plans is not None else every_plan(spec, levels, efforts), target)
    assert best is not None, "the cases are built reachable"
    assert result.reached
    assert result.final_index >= target
    assert (result.total_effort, len(result.steps)) == best[:2]
    final = scoring.compute(spec, {**levels, **result.final_levels_changed})
    assert final.raw_index == pytest.approx(best[2], abs=TOLERANCE)
    assert final.index == result.final_index
    return result


def assert_well_formed(spec, levels, result):
    """Steps are single levels within the scale, in order per item, best gain per effort first."""
    current = dict(levels)
    for step in result.steps:
        assert step.from_level == current[step.item_key]
        assert step.to_level == min(step.from_level + 1, spec.scale_max)
        current[step.item_key] = step.to_level
        assert scoring.compute(spec, current).index == step.index_after
    ratios = [step.gain / step.effort for step in result.steps]
    assert ratios == sorted(ratios, reverse=True)
    assert result.total_effort == sum(step.effort for step in result.steps)
    if result.steps:
        assert result.steps[-1].index_after == result.final_index


SMALL_CASES = [
    # weights, aspects, domains, scale minimum, satisfaction item
    ([20, 30, 50], [1, 2], None, 1, False),
    ([10, 15, 25, 50], [2, 2], [1, 1], 1, False),
    ([5, 10, 15, 20, 25, 25], [3, 3], [1, 1], 0, False),
    ([17, 17, 17, 17, 16, 16], [2, 2, 2], [2, 1], 1, False),
    ([30, 30, 20, 20], [2, 2], None, 1, True),
]


@pytest.mark.parametrize(("weights", "aspects", "domains", "scale_min", "satisfaction"), SMALL_CASES)
def test_plan_is_the_cheapest_by_exhaustive_enumeration(weights, aspects, domains, scale_min, satisfaction):
    spec = small_framework(weights, aspects, domains, scale_min, satisfaction)
    keys = scoring.compile_framework(spec).item_keys
    rng = random.Random(len(weights) * 31 + scale_min)
    checked = 0
    for _round in range(12):
        levels = {key: float(rng.randint(spec.scale_min, 3)) for key in keys}
        if satisfaction:
            levels[keys[-1]] = rng.choice([1.5, 2.25, 3.0, 4.75])
        efforts = {key: rng.randint(1, 3) for key in keys}
        start = scoring.compute(spec, levels).index
        plans = every_plan(spec, levels, efforts)
        for target in (start + 0.01, 3.0, 3.5, 4.2, 4.75, 5.0):
            target = round(target, 2)
            if target <= start:
                continue
            result = assert_optimal(spec, levels, target, efforts, plans)
            assert_well_formed(spec, levels, result)
            checked += 1
    assert checked > 30


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_small_frameworks_agree_with_enumeration(data):
    count = data.draw(st.integers(3, 5), label="indicators")
    cuts = sorted(data.draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1), label="cuts"))
    weights = [b - a for a, b in itertools.pairwise([0, *cuts, 100])]
    first_aspect = data.draw(st.integers(1, count - 1), label="first aspect size")
    aspects = [first_aspect, count - first_aspect]
    domains = data.draw(st.sampled_from([None, [1, 1]]), label="domains")
    scale_min = data.draw(st.sampled_from([0, 1]), label="scale minimum")
    spec = small_framework(weights, aspects, domains, scale_min)
    keys = scoring.compile_framework(spec).item_keys
    levels = {key: float(data.draw(st.integers(scale_min, 4), label=f"level {key}")) for key in keys}
    efforts = {key: data.draw(st.integers(1, 4), label=f"effort {key}") for key in keys}
    start = scoring.compute(spec, levels).index
    target = data.draw(st.sampled_from([x / 100 for x in range(int(start * 100) + 1, 501)]), label="target")
    result = assert_optimal(spec, levels, target, efforts)
    assert_well_formed(spec, levels, result)


def reference_best(spec, levels, target, efforts):
    """(effort, steps, raw gain) by a plain DP over single steps, keyed by (effort, steps)."""
    gains = planner.item_gains(spec)
    boundary = target - 0.5 * 10**-spec.decimals - 5e-10 - scoring.compute(spec, levels).raw_index
    states = {(0, 0): 0.0}
    for key, level in levels.items():
        for _level in range(int(level), spec.scale_max):
            for (effort, steps), gain in list(states.items()):
                if gain >= boundary:
                    continue
                state = (effort + efforts[key], steps + 1)
                if states.get(state, -1.0) < gain + gains[key]:
                    states[state] = gain + gains[key]
    reached = [(effort, steps, -gain) for (effort, steps), gain in states.items() if gain >= boundary]
    effort, steps, gain = min(reached)
    return effort, steps, -gain


@pytest.mark.parametrize("seed", range(4))
def test_59_2020_plan_matches_a_plain_step_by_step_search(seed):
    spec = shipped_framework("permenpanrb-59-2020")
    keys = scoring.compile_framework(spec).item_keys
    rng = random.Random(seed)
    levels = {key: float(rng.choice([3, 4, 4, 5])) for key in keys}
    efforts = {key: rng.randint(1, 10) for key in keys}
    start = scoring.compute(spec, levels).index
    for target in (round(start + 0.05, 2), round(start + 0.2, 2)):
        result = planner.plan(spec, levels, target, efforts)
        effort, steps, gain = reference_best(spec, levels, target, efforts)
        assert result.reached and result.final_index >= target
        assert (result.total_effort, len(result.steps)) == (effort, steps)
        assert sum(step.gain for step in result.steps) == pytest.approx(gain, abs=TOLERANCE)
        assert_well_formed(spec, levels, result)


def test_equal_effort_prefers_fewer_steps_then_the_higher_index():
    # Indicator 3 (weight 50) gains as much in one step as 1 and 2 (25 each) together.
    spec = small_framework([25, 25, 50], [3])
    levels = {"1": 1.0, "2": 1.0, "3": 1.0}
    result = planner.plan(spec, levels, 1.5, {"1": 1, "2": 1, "3": 2})
    assert [(step.item_key, step.effort) for step in result.steps] == [("3", 2)]
    assert result.final_index == 1.5
    # With 1 and 2 each at effort 1 and 3 at effort 3, two cheap steps win on effort.
    cheaper = planner.plan(spec, levels, 1.5, {"1": 1, "2": 1, "3": 3})
    assert {step.item_key for step in cheaper.steps} <= {"1", "2"}
    assert (cheaper.total_effort, len(cheaper.steps)) == (2, 2)


def test_rounded_index_counts_half_up():
    # 1 + 0.45 = 1.45 exactly; with one decimal it rounds up to 1.5, so one step of 45 % is enough.
    spec = dataclasses.replace(small_framework([45, 55], [2]), decimals=1)
    result = planner.plan(spec, {"1": 1.0, "2": 1.0}, 1.5, {"1": 1, "2": 2})
    assert [step.item_key for step in result.steps] == ["1"]
    assert result.final_index == 1.5 and scoring.compute(spec, {"1": 2.0, "2": 1.0}).raw_index < 1.5


def test_target_already_reached_gives_an_empty_plan():
    spec = shipped_framework("permenpanrb-59-2020")
    levels = dict.fromkeys(scoring.compile_framework(spec).item_keys, 3.0)
    result = planner.plan(spec, levels, 2.6)
    assert result.reached and result.steps == [] and result.total_effort == 0
    assert result.start_index == result.final_index == 3.0


def test_unreachable_target_raises_everything_to_the_top_and_says_why():
    spec = small_framework([40, 60], [2])
    result = planner.plan(spec, {"1": 4.0, "2": 3.0}, 5.5, {"1": 2, "2": 1})
    assert not result.reached
    assert result.final_index == 5.0
    assert [(s.item_key, s.from_level, s.to_level) for s in result.steps] == [("2", 3, 4), ("2", 4, 5), ("1", 4, 5)]
    assert result.total_effort == 4
    with translation.override("id"):
        reason = planner.plan(spec, {"1": 4.0, "2": 3.0}, 5.5, {"1": 2, "2": 1}).reason
    assert "5,50" in reason and "5,00" in reason


def test_missing_levels_count_at_the_scale_minimum():
    spec = small_framework([50, 50], [2], scale_min=0)
    result = planner.plan(spec, {"1": 2.0}, 1.5, {"1": 2})
    assert result.start_index == 1.0
    assert [(s.item_key, s.from_level, s.to_level) for s in result.steps] == [("2", 0, 1)]


def test_efforts_must_be_positive():
    spec = small_framework([50, 50], [2])
    with pytest.raises(ValueError):
        planner.plan(spec, {"1": 1.0, "2": 1.0}, 2.0, {"1": 0})


def test_satisfaction_item_climbs_to_the_top_of_the_scale_only():
    spec = small_framework([30, 30, 20, 20], [2, 2], satisfaction=True)
    levels = {"1": 5.0, "2": 5.0, "3": 5.0, "4": 4.5}
    result = planner.plan(spec, levels, 5.0)
    assert [(s.item_key, s.from_level, s.to_level) for s in result.steps] == [("4", 4.5, 5.0)]
    assert result.final_index == 5.0


# --- Predicates and what-if ---------------------------------------------------------------------


def test_target_for_predicate_is_the_lower_bound_of_the_band():
    spec = shipped_framework("permenpanrb-59-2020")
    assert planner.target_for_predicate(spec, "Baik") == 2.6
    assert planner.target_for_predicate(spec, "Sangat Baik") == 3.5
    assert planner.target_for_predicate(spec, "Memuaskan") == 4.2
    assert planner.target_for_predicate(spec, "Kurang") == 1.0  # open below: the scale minimum
    pemdi = shipped_framework("permenpanrb-8-2026")
    assert planner.target_for_predicate(pemdi, "Melembaga / Embedded") == 3.5
    with pytest.raises(KeyError):
        planner.target_for_predicate(spec, "Luar Biasa")


def test_plan_to_a_predicate_earns_it():
    spec = shipped_framework("permenpanrb-59-2020")
    levels = dict.fromkeys(scoring.compile_framework(spec).item_keys, 2.0)
    start = scoring.compute(spec, levels)
    assert start.predicate == "Cukup"
    assert planner.next_predicate_target(spec, start.index) == ("Baik", 2.6)
    result = planner.plan(spec, levels, planner.target_for_predicate(spec, "Baik"))
    assert result.reached and result.final_predicate == "Baik" and result.start_predicate == "Cukup"
    # One level up anywhere adds its weight / 100; 0.6 needs 60 % of weight at effort 1 per step,
    # and the heaviest indicators (3 %) come first: 20 steps of D4's aspect A8.
    assert result.final_index == 2.6
    assert len(result.steps) == 20
    assert planner.next_predicate_target(spec, 4.5) is None


def test_what_if_recomputes_with_the_changes():
    spec = shipped_framework("permenpanrb-59-2020")
    levels = dict.fromkeys(scoring.compile_framework(spec).item_keys, 2.0)
    result = planner.what_if(spec, levels, {"1": 5, "47": 4})
    expected = scoring.compute(spec, {**levels, "1": 5.0, "47": 4.0})
    assert result == expected
    assert result.index > scoring.compute(spec, levels).index
    # Unknown items are ignored and out-of-scale values are clamped to the scale.
    assert planner.what_if(spec, levels, {"99": 5, "1": 9}) == scoring.compute(spec, {**levels, "1": 5.0})


# --- The plan per indicator ---------------------------------------------------------------------


def test_item_raises_take_each_items_steps_together_in_the_plans_order():
    # Item 4 is survey-scored: from 2.5 its last step (4.5 → 5) is half a level and comes later in the plan.
    spec = small_framework([30, 30, 20, 20], [2, 2], satisfaction=True)
    levels = {"1": 3.0, "2": 4.0, "3": 2.0, "4": 2.5}
    efforts = {"1": 1, "2": 1, "3": 2, "4": 1}
    result = planner.plan(spec, levels, 5.5, efforts)  # out of reach: every item to the top
    raises = planner.item_raises(spec, levels, result)
    assert [r.item_key for r in raises] == list(dict.fromkeys(step.item_key for step in result.steps))
    assert len(raises) == 4 < len(result.steps)
    reached = dict(levels)
    for item in raises:
        steps = [step for step in result.steps if step.item_key == item.item_key]
        assert (item.from_level, item.to_level) == (levels[item.item_key], 5.0)
        assert (item.steps, item.effort) == (len(steps), sum(step.effort for step in steps))
        assert item.gain == pytest.approx(sum(step.gain for step in steps))
        reached[item.item_key] = item.to_level
        assert item.index_after == scoring.compute(spec, reached).index
    survey = next(item for item in raises if item.item_key == "4")
    assert (survey.from_level, survey.to_level, survey.steps) == (2.5, 5.0, 3)
    assert raises[-1].index_after == result.final_index == 5.0
    # Nothing to raise, nothing listed.
    assert planner.item_raises(spec, levels, planner.plan(spec, levels, 1.0)) == []
