"""The planner finds the cheapest set of one-level raises that reaches a target, and nothing cheaper exists.

On small frameworks every combination of raises is enumerated and scored with `scoring.compute`; the
planner's plan must reach the target with the least effort, then the fewest steps, then the highest
index among all of them. On the 47 indicators of 59/2020 it is checked against a plain step-by-step
dynamic programme that does not use the planner's class shortcut.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random

import pytest
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
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


def rise_options(spec, level: float, limits) -> list[tuple[int, float, int]]:
    """(levels risen, level reached, effort per unit of item effort) for each rise of one item the limits allow."""
    top = spec.scale_max
    options, reached, cost = [(0, level, 0)], level, 0
    while reached < top and (limits.max_rise is None or len(options) <= limits.max_rise):
        reached = min(reached + 1, top)
        cost += limits.level_effort(math.ceil(reached))
        options.append((len(options), reached, cost))
    return options


def every_plan(spec, levels: dict[str, float], efforts: dict[str, int], limits=planner.UNLIMITED) -> list[tuple]:
    """(effort, steps, raw index, rounded index) of every combination of per-item rises, scored by compute().

    Written without the planner's shortcuts: each item rises 0…max_rise levels from where it is, its
    steps in order, each costing the item's effort times the effort of the level it reaches.
    """
    keys = scoring.compile_framework(spec).item_keys
    options = [rise_options(spec, levels[key], limits) for key in keys]
    plans = []
    for choice in itertools.product(*options):
        raised = {key: reached for key, (_rise, reached, _cost) in zip(keys, choice, strict=True)}
        result = scoring.compute(spec, raised)
        effort = sum(efforts[key] * cost for key, (_rise, _reached, cost) in zip(keys, choice, strict=True))
        plans.append((effort, sum(rise for rise, _reached, _cost in choice), result.raw_index, result.index))
    return plans


def exhaustive_best(plans: list[tuple], target: float):
    """(effort, steps, raw index) of the best plan reaching `target`: least effort, fewest steps, highest index."""
    reaching = [plan for plan in plans if plan[3] >= target]
    if not reaching:
        return None
    effort, steps = min(plan[:2] for plan in reaching)
    return effort, steps, max(plan[2] for plan in reaching if plan[:2] == (effort, steps))


def assert_cheapest_to(spec, levels, result, best, target):
    """The plan's effort and steps are the enumeration's best, and so is its index among those."""
    assert result.final_index >= target
    assert (result.total_effort, len(result.steps)) == best[:2]
    final = scoring.compute(spec, {**levels, **result.final_levels_changed})
    assert final.raw_index == pytest.approx(best[2], abs=TOLERANCE)
    assert final.index == result.final_index


def assert_optimal(spec, levels, target, efforts, limits=planner.UNLIMITED, plans=None, wider=None):
    """The plan against the enumeration of every plan within the limits; out of reach included.

    `wider` keeps the enumerations of wider limits (more cycles) between calls with the same levels.
    """
    plans = plans if plans is not None else every_plan(spec, levels, efforts, limits)
    wider = {} if wider is None else wider
    result = planner.plan(spec, levels, target, efforts, limits)
    best = exhaustive_best(plans, target)
    if best is not None:
        assert result.reached
        assert_cheapest_to(spec, levels, result, best, target)
        assert result.cycles is None
        return result
    # Out of reach: the cheapest plan to the highest index within the limits, and the cycles it would take.
    assert not result.reached and result.reason
    highest = max(plan[3] for plan in plans)
    assert result.final_index == highest
    start = scoring.compute(spec, levels).index
    if highest > start:
        assert_cheapest_to(spec, levels, result, exhaustive_best(plans, highest), highest)
    else:
        assert result.steps == []
    span = spec.scale_max - spec.scale_min
    expected_cycles = None
    if limits.max_rise is not None:
        for cycles in range(2, span + 2):
            widened = limits.widened(cycles, span)
            if widened.max_rise not in wider:
                wider[widened.max_rise] = every_plan(spec, levels, efforts, widened)
            reaching = exhaustive_best(wider[widened.max_rise], target)
            if reaching is not None:
                expected_cycles = (cycles, reaching[0])
                break
    assert (result.cycles, result.cycles_effort) == (expected_cycles or (None, None))
    return result


def assert_well_formed(spec, levels, result, efforts=None, limits=planner.UNLIMITED):
    """Steps are single levels within the scale, in order per item, at most `max_rise` per item, each
    costing the item's effort times its level's, best gain per effort first."""
    current = dict(levels)
    risen: dict[str, int] = {}
    for step in result.steps:
        assert step.from_level == current[step.item_key]
        assert step.to_level == min(step.from_level + 1, spec.scale_max)
        weight = efforts[step.item_key] if efforts else 1
        assert step.effort == weight * limits.level_effort(math.ceil(step.to_level))
        current[step.item_key] = step.to_level
        risen[step.item_key] = risen.get(step.item_key, 0) + 1
        assert scoring.compute(spec, current).index == step.index_after
    if limits.max_rise is not None:
        assert max(risen.values(), default=0) <= limits.max_rise
    ratios = [step.gain / step.effort for step in result.steps]
    assert ratios == sorted(ratios, reverse=True)
    assert result.total_effort == sum(step.effort for step in result.steps)
    if result.steps:
        assert result.steps[-1].index_after == result.final_index
    assert result.limits == limits


def level_table(draw_or_rng, scale_min: int = 1) -> dict[int, int]:
    """A random level-effort table that never falls as the level rises (equal neighbours allowed)."""
    efforts, value = {}, 0
    for level in range(scale_min + 1, 6):
        value += draw_or_rng(0, 3) if value else draw_or_rng(1, 3)
        efforts[level] = value
    return efforts


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
    checked = out_of_reach = 0
    for round_number in range(12):
        levels = {key: float(rng.randint(spec.scale_min, 3)) for key in keys}
        if satisfaction:
            levels[keys[-1]] = rng.choice([1.5, 2.25, 3.0, 4.75])
        efforts = {key: rng.randint(1, 3) for key in keys}
        # No limits (the plan before issue #12), the shipped defaults, and random limits in turn.
        limits = [
            planner.UNLIMITED,
            planner.default_limits(),
            planner.Limits(rng.randint(1, 2), level_table(rng.randint, spec.scale_min)),
        ][round_number % 3]
        start = scoring.compute(spec, levels).index
        plans, wider = every_plan(spec, levels, efforts, limits), {}
        for target in (start + 0.01, 3.0, 3.5, 4.2, 4.75, 5.0):
            target = round(target, 2)
            if target <= start:
                continue
            result = assert_optimal(spec, levels, target, efforts, limits, plans, wider)
            assert_well_formed(spec, levels, result, efforts, limits)
            checked += 1
            out_of_reach += not result.reached
    assert checked > 30 and out_of_reach > 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_small_frameworks_with_limits_agree_with_enumeration(data):
    """Up to 6 indicators, random weights, levels, item efforts, a rise of 1 or 2 and a growing level table."""
    count = data.draw(st.integers(2, 6), label="indicators")
    cuts = sorted(data.draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1), label="cuts"))
    weights = [b - a for a, b in itertools.pairwise([0, *cuts, 100])]
    first_aspect = data.draw(st.integers(1, count - 1), label="first aspect size")
    aspects = [first_aspect, count - first_aspect]
    domains = data.draw(st.sampled_from([None, [1, 1]]), label="domains")
    spec = small_framework(weights, aspects, domains)
    keys = scoring.compile_framework(spec).item_keys
    levels = {key: float(data.draw(st.integers(1, 5), label=f"level {key}")) for key in keys}
    efforts = {key: data.draw(st.integers(1, 4), label=f"effort {key}") for key in keys}
    limits = planner.Limits(
        data.draw(st.integers(1, 2), label="max rise"),
        level_table(lambda low, high: data.draw(st.integers(low, high), label="level effort")),
    )
    start = scoring.compute(spec, levels).index
    if start >= 5:
        return
    target = data.draw(st.sampled_from([x / 100 for x in range(int(start * 100) + 1, 501)]), label="target")
    result = assert_optimal(spec, levels, target, efforts, limits)
    assert_well_formed(spec, levels, result, efforts, limits)
    event(f"{count} indicators")
    event("reached" if result.reached else f"out of reach, cycles {result.cycles}")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_small_frameworks_without_limits_agree_with_enumeration(data):
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
    assert_well_formed(spec, levels, result, efforts)


def reference_best(spec, levels, target, efforts, limits):
    """(effort, steps, raw gain) by a plain DP over items, each rising 0…max_rise levels, keyed by (effort, steps).

    It knows nothing of effort classes or of why an item's steps may be taken apart: each item's
    rises are whole options, like the enumeration's.
    """
    gains = planner.item_gains(spec)
    boundary = target - 0.5 * 10**-spec.decimals - 5e-10 - scoring.compute(spec, levels).raw_index
    states = {(0, 0): 0.0}
    for key, level in levels.items():
        following = {}
        for (effort, steps), gain in states.items():
            for rise, reached, cost in rise_options(spec, level, limits):
                if rise and gain >= boundary:
                    break
                state = (effort + efforts[key] * cost, steps + rise)
                value = gain + gains[key] * (reached - level)
                if following.get(state, -1.0) < value:
                    following[state] = value
        states = following
    reached = [(effort, steps, -gain) for (effort, steps), gain in states.items() if gain >= boundary]
    effort, steps, gain = min(reached)
    return effort, steps, -gain


@pytest.mark.parametrize("seed", range(4))
def test_59_2020_plan_matches_a_plain_search_over_items(seed):
    spec = shipped_framework("permenpanrb-59-2020")
    keys = scoring.compile_framework(spec).item_keys
    rng = random.Random(seed)
    levels = {key: float(rng.choice([2, 3, 4, 4, 5])) for key in keys}
    efforts = {key: rng.randint(1, 10) for key in keys}
    limits = [planner.default_limits(), planner.Limits(2, {2: 1, 3: 2, 4: 4, 5: 4}), planner.UNLIMITED][seed % 3]
    start = scoring.compute(spec, levels).index
    for target in (round(start + 0.05, 2), round(start + 0.2, 2)):
        result = planner.plan(spec, levels, target, efforts, limits)
        effort, steps, gain = reference_best(spec, levels, target, efforts, limits)
        assert result.reached and result.final_index >= target
        assert (result.total_effort, len(result.steps)) == (effort, steps)
        assert sum(step.gain for step in result.steps) == pytest.approx(gain, abs=TOLERANCE)
        assert_well_formed(spec, levels, result, efforts, limits)


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
    result = planner.plan(spec, {"1": 4.0, "2": 3.0}, 5.5, {"1": 2, "2": 1}, planner.UNLIMITED)
    assert not result.reached
    assert result.final_index == 5.0
    assert [(s.item_key, s.from_level, s.to_level) for s in result.steps] == [("2", 3, 4), ("2", 4, 5), ("1", 4, 5)]
    assert result.total_effort == 4
    assert (result.cycles, result.cycles_effort) == (None, None)
    with translation.override("id"):
        reason = planner.plan(spec, {"1": 4.0, "2": 3.0}, 5.5, {"1": 2, "2": 1}, planner.UNLIMITED).reason
    assert "5,50" in reason and "5,00" in reason


def test_a_target_beyond_the_scale_under_limits_gives_the_best_of_this_cycle_too():
    spec = small_framework([40, 60], [2])
    limits = planner.Limits(1, {2: 1, 3: 2, 4: 3, 5: 5})
    with translation.override("en"):
        result = planner.plan(spec, {"1": 4.0, "2": 3.0}, 5.5, {"1": 2, "2": 1}, limits)
    assert not result.reached and result.cycles is None
    # One level each: 1 to 5 (2 × 5) and 2 to 4 (1 × 3); 0.4 × 5 + 0.6 × 4 = 4.4.
    assert [(s.item_key, s.from_level, s.to_level, s.effort) for s in result.steps] == [
        ("2", 3, 4, 3),
        ("1", 4, 5, 10),
    ]
    assert result.final_index == 4.4
    assert "5.00" in result.reason and "4.40" in result.reason and "1 level" in result.reason


def test_a_target_out_of_reach_this_cycle_says_the_best_and_how_many_cycles():
    # Issue #12: from level 1 everywhere, 2.80 used to take 12 indicators from 1 to 5 at once.
    spec = shipped_framework("permenpanrb-59-2020")
    keys = scoring.compile_framework(spec).item_keys
    bottom = dict.fromkeys(keys, 1.0)
    unlimited = planner.plan(spec, bottom, 2.8, limits=planner.UNLIMITED)
    assert unlimited.reached and max(raised.steps for raised in planner.item_raises(spec, bottom, unlimited)) == 4
    with translation.override("en"):
        result = planner.plan(spec, bottom, 2.8)
    assert result.limits == planner.default_limits() and result.limits.max_rise == 1
    assert not result.reached
    # One level on every indicator is all one cycle allows: 2.00, at the least effort that reaches it.
    assert result.final_index == 2.0 and len(result.steps) == len(keys)
    assert all(step.to_level == 2 for step in result.steps)
    # Two levels each reach 2.80; the effort is the cheapest plan within two levels per indicator.
    two = planner.plan(spec, bottom, 2.8, limits=planner.Limits(2, planner.default_limits().level_efforts))
    assert two.reached and result.cycles == 2 and result.cycles_effort == two.total_effort
    assert max(raised.steps for raised in planner.item_raises(spec, bottom, two)) == 2
    assert "2.80" in result.reason and "2.00" in result.reason and "2 cycles" in result.reason
    assert str(two.total_effort) in result.reason


def test_nothing_to_gain_this_cycle_gives_no_steps():
    # Everything at the top but one item capped at one level: 4.9 rounds to 4.9 and is the best.
    spec = dataclasses.replace(small_framework([10, 90], [2]), decimals=1)
    result = planner.plan(spec, {"1": 4.0, "2": 5.0}, 5.0, limits=planner.Limits(1, {}))
    assert result.reached and result.final_index == 5.0
    capped = planner.plan(spec, {"1": 3.0, "2": 5.0}, 5.0, limits=planner.Limits(1, {}))
    assert not capped.reached and capped.final_index == 4.9 and (capped.cycles, capped.cycles_effort) == (2, 2)


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
    target = planner.target_for_predicate(spec, "Baik")
    # Without limits, one level up anywhere adds its weight / 100; 0.6 needs 60 % of weight at effort 1
    # per step, and the heaviest indicators (3 %) come first: 20 steps, the 3 % ones more than once.
    unlimited = planner.plan(spec, levels, target, limits=planner.UNLIMITED)
    assert unlimited.reached and unlimited.final_index == 2.6 and len(unlimited.steps) == 20
    # Within one level per indicator: the 6 of 3 %, the 10 of 2.75 % and 6 of 2.5 % (59.5 % would do; 21
    # steps give at most 58 %), every step to level 3 at effort 2.
    result = planner.plan(spec, levels, target)
    assert result.reached and result.final_predicate == "Baik" and result.start_predicate == "Cukup"
    assert (len(result.steps), result.total_effort, result.final_index) == (22, 44, 2.61)
    assert len({step.item_key for step in result.steps}) == 22
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
    result = planner.plan(spec, levels, 5.5, efforts, planner.UNLIMITED)  # out of reach: every item to the top
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
    # Within the default limits each indicator is one row of one step.
    limited = planner.plan(spec, levels, 5.5, efforts)
    assert [item.steps for item in planner.item_raises(spec, levels, limited)] == [1] * 4
    # Nothing to raise, nothing listed.
    assert planner.item_raises(spec, levels, planner.plan(spec, levels, 1.0)) == []


# --- Limits: how far an indicator rises per cycle, and the effort of each level -------------------


def test_default_limits_come_from_the_data_file_with_their_rationale():
    document = planner.load_defaults_document()
    assert document["version"] >= 1 and document["source"] and document["summary"]
    assert document["max_rise"]["why"] and document["level_effort"]["why"]
    limits = planner.default_limits()
    assert limits == planner.load_limits(planner.DEFAULTS_FILE)
    assert limits.max_rise == document["max_rise"]["value"] == 1
    assert limits.level_efforts == {int(level): value for level, value in document["level_effort"]["value"].items()}
    assert limits.problems() == []
    # Effort grows with the level; every level a shipped framework's step can reach is in the table.
    table = [limits.level_effort(level) for level in range(1, 6)]
    assert table == sorted(table) and table[0] < table[-1]
    with translation.override("en"):
        assert planner.defaults_summary() == f"{document['summary']} (data/planner.json, version 1)"


def test_a_defaults_file_that_cannot_be_planned_with_is_refused(tmp_path):
    path = tmp_path / "planner.json"
    document = planner.load_defaults_document()
    document["level_effort"]["value"] = {"2": 3, "3": 1}
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=r"planner\.json"):
        planner.load_limits(path)
    del document["max_rise"]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="max_rise"):
        planner.load_limits(path)


@pytest.mark.parametrize(
    "limits",
    [
        planner.Limits(0, {}),
        planner.Limits(1.5, {}),
        planner.Limits(True, {}),
        planner.Limits(1, {2: 0}),
        planner.Limits(1, {2: 1.5}),
        planner.Limits(1, {2: 2, 3: 1}),
        planner.Limits(None, {2: 1, 3: 3, 4: 2}),
    ],
)
def test_limits_that_cannot_be_planned_with_are_refused(limits):
    assert limits.problems()
    spec = small_framework([50, 50], [2])
    with pytest.raises(ValueError):
        planner.plan(spec, {"1": 1.0, "2": 1.0}, 2.0, limits=limits)


def test_the_effort_of_a_step_grows_with_the_level_it_reaches():
    spec = small_framework([50, 50], [2])
    limits = planner.Limits(None, {2: 1, 3: 2, 4: 3, 5: 5})
    result = planner.plan(spec, {"1": 1.0, "2": 1.0}, 5.0, {"1": 1, "2": 2}, limits)
    by_item = {key: [step.effort for step in result.steps if step.item_key == key] for key in ("1", "2")}
    assert by_item == {"1": [1, 2, 3, 5], "2": [2, 4, 6, 10]}
    # Below the table the lowest listed level counts, above it the highest; no table weighs every level 1.
    assert [limits.level_effort(level) for level in (0, 1, 6)] == [1, 1, 5]
    assert planner.Limits(1, {3: 2, 5: 4}).level_effort(4) == 2
    assert planner.UNLIMITED.level_effort(5) == 1
    # Dearer high levels spread a plan: two levels on the heavier half cost more than one on each.
    spread = planner.plan(small_framework([60, 40], [2]), {"1": 2.0, "2": 2.0}, 3.0, limits=limits)
    assert sorted(step.item_key for step in spread.steps) == ["1", "2"]
    flat = planner.plan(small_framework([60, 40], [2]), {"1": 2.0, "2": 2.0}, 3.2, limits=planner.UNLIMITED)
    assert [step.item_key for step in flat.steps] == ["1", "1"]


def test_max_rise_bounds_every_indicator_and_widens_by_cycles():
    spec = shipped_framework("permenpanrb-59-2020")
    keys = scoring.compile_framework(spec).item_keys
    levels = dict.fromkeys(keys, 1.0)
    for rise in (1, 2, 3):
        limits = planner.Limits(rise, planner.default_limits().level_efforts)
        result = planner.plan(spec, levels, 2.5, limits=limits)
        assert max(item.steps for item in planner.item_raises(spec, levels, result)) <= rise
        assert_well_formed(spec, levels, result, None, limits)
    limits = planner.Limits(2, {})
    assert limits.widened(1, 4) == limits
    assert limits.widened(2, 4) == planner.Limits(None, {})
    assert planner.Limits(1, {}).widened(3, 4).max_rise == 3


def test_describe_limits_states_the_rise_and_the_efforts():
    spec = shipped_framework("permenpanrb-59-2020")
    with translation.override("en"):
        text = planner.describe_limits(spec, planner.default_limits())
        assert text.startswith("Each indicator rises at most 1 level per cycle.")
        assert "to level 2: 1, to level 3: 2, to level 4: 3, to level 5: 5" in text
        assert "at most 2 levels per cycle" in planner.describe_limits(spec, planner.Limits(2, {}))
        assert "highest level in one cycle" in planner.describe_limits(spec, planner.Limits(4, {}))
        assert "to level 5: 1" in planner.describe_limits(spec, planner.UNLIMITED)
