"""Planning the next level: the cheapest set of one-level raises that lifts the index to a target.

The index is a weighted mean of item levels, so one level up on an item always adds the same amount
to the unrounded index (its gain), whatever else changes. Every step of one effort class costs the
same effort and counts as one step, so an optimal plan takes, within each class, the steps with the
largest gains; what is left to choose is *how many* steps of each class. That is a small bounded
knapsack over effort units, solved exactly by dynamic programming with, per effort total, the
Pareto front of (steps, gain). The answer minimises total effort, then the number of steps, then
maximises the resulting index — the same order a person would ask for.

Pure functions of a FrameworkSpec and levels: no queries, so the UI, the API and the benchmarks
call the same code. `scoring.compute` stays the one formula; the linear gains are only used to
search, and the plan's indices are computed with it.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from simpul.evaluation import scoring
from simpul.evaluation.frameworks import FrameworkSpec

# round_half_up first rounds to 9 decimals, so a raw index this far below a rounding boundary
# still rounds up to it (see scoring.round_half_up); the search uses the same boundary.
_BOUNDARY_SLACK = 5e-10
# Float sums of the same gains in another order differ by far less than this.
_EPSILON = 1e-12


@dataclass(frozen=True)
class Step:
    """One level up on one scored item."""

    item_key: str
    indicator_number: int
    from_level: float
    to_level: float
    effort: int
    gain: float
    index_after: float

    @property
    def ratio(self) -> float:
        return self.gain / self.effort


@dataclass(frozen=True)
class Plan:
    """The proposed steps towards `target`, most effective first."""

    target: float
    reached: bool
    start_index: float
    final_index: float
    total_effort: int
    steps: list[Step] = field(default_factory=list)
    reason: str = ""
    start_predicate: str = ""
    final_predicate: str = ""

    @property
    def final_levels_changed(self) -> dict[str, float]:
        """The new level of every item the plan raises."""
        changed: dict[str, float] = {}
        for step in self.steps:
            changed[step.item_key] = max(changed.get(step.item_key, step.to_level), step.to_level)
        return changed


@dataclass(frozen=True)
class ItemRaise:
    """The plan's steps on one item taken together: from its level now to the level the plan reaches."""

    item_key: str
    indicator_number: int
    from_level: float
    to_level: float
    steps: int
    effort: int
    gain: float
    index_after: float


@dataclass(frozen=True)
class _Candidate:
    gain: float
    effort: int
    position: int
    from_level: float
    to_level: float


def item_gains(spec: FrameworkSpec) -> dict[str, float]:
    """How much one level of each item adds to the unrounded index (the formula is linear)."""
    compiled = scoring.compile_framework(spec)
    aspect_total = [0.0] * len(compiled.aspect_codes)
    for weight, aspect in zip(compiled.item_weights, compiled.item_aspect, strict=True):
        aspect_total[aspect] += weight
    if compiled.domain_codes:
        domain_aspects = [0.0] * len(compiled.domain_codes)
        for weight, domain in zip(compiled.aspect_weights, compiled.aspect_domain, strict=True):
            domain_aspects[domain] += weight
        overall = sum(compiled.domain_weights)
        aspect_share = [
            weight / domain_aspects[domain] * compiled.domain_weights[domain] / overall
            for weight, domain in zip(compiled.aspect_weights, compiled.aspect_domain, strict=True)
        ]
    else:
        overall = sum(compiled.aspect_weights)
        aspect_share = [weight / overall for weight in compiled.aspect_weights]
    return {
        key: weight / aspect_total[aspect] * aspect_share[aspect]
        for key, weight, aspect in zip(compiled.item_keys, compiled.item_weights, compiled.item_aspect, strict=True)
    }


def full_levels(spec: FrameworkSpec, levels: Mapping[str, float]) -> dict[str, float]:
    """Every item's level, those without one at the bottom of the scale (an evaluation in progress)."""
    compiled = scoring.compile_framework(spec)
    floor = float(spec.scale_min)
    return {key: float(levels.get(key, floor)) for key in compiled.item_keys}


def what_if(spec: FrameworkSpec, levels: Mapping[str, float], changes: Mapping[str, float]) -> scoring.IndexResult:
    """The index if the items in `changes` had those levels; missing levels count at the scale minimum."""
    merged = full_levels(spec, levels)
    for key, value in changes.items():
        if key in merged:
            merged[key] = min(max(float(value), spec.scale_min), spec.scale_max)
    return scoring.compute(spec, merged)


def target_for_predicate(spec: FrameworkSpec, name: str) -> float:
    """The lowest index that earns the predicate `name` (its band's lower bound)."""
    for predicate in spec.predicates:
        if predicate.name == name or (predicate.alias and predicate.alias == name):
            if predicate.min is None:
                return float(spec.scale_min)
            if predicate.min_inclusive:
                return predicate.min
            # An exclusive bound is reached by the next value the rounded index can take.
            return scoring.round_half_up(predicate.min + 10**-spec.decimals, spec.decimals)
    raise KeyError(name)


def next_predicate_target(spec: FrameworkSpec, index: float) -> tuple[str, float] | None:
    """The next predicate above the one `index` earns, with its target, or None at the top."""
    for predicate in spec.predicates:
        target = target_for_predicate(spec, predicate.name)
        if target > index:
            return predicate.name, target
    return None


def _candidates(spec: FrameworkSpec, levels: dict[str, float], gains: dict[str, float], efforts) -> list[_Candidate]:
    compiled = scoring.compile_framework(spec)
    top = float(spec.scale_max)
    found = []
    for position, key in enumerate(compiled.item_keys):
        effort = int(efforts.get(key, 1)) if efforts else 1
        if effort < 1:
            raise ValueError(_("The effort of %(key)s must be a whole number of at least 1.") % {"key": key})
        level = levels[key]
        # A survey-scored item may sit between levels; its last step only climbs to the top of the scale.
        while level < top:
            following = min(level + 1, top)
            found.append(_Candidate(gains[key] * (following - level), effort, position, level, following))
            level = following
    return found


def _search(classes: list[tuple[int, list[float]]], need: float, budget: int, *, fronts: bool) -> tuple | None:
    """How many steps to take from each effort class; None when nothing within `budget` reaches `need`.

    `classes` holds (effort, gains sorted high to low). Layer by layer, `cells[e]` keeps the partial
    plans costing exactly e as (steps, gain, taken, parent). With `fronts`, a cell keeps the Pareto
    front of fewer steps or more gain; without, only the largest gain (enough to find the least
    effort). A partial plan is dropped as soon as even the fractional (LP) completion of it with the
    remaining classes would cost more than `budget`: that bound is what keeps the search fast.
    Returns (effort, steps, gain, [count per class]) of the best plan.
    """
    bounds = [_LowerBound(classes[index:]) for index in range(len(classes) + 1)]
    cells: list[list[tuple]] = [[] for _ in range(budget + 1)]
    cells[0] = [(0, 0.0, 0, None)]
    for index, (effort, gains) in enumerate(classes):
        prefix = [0.0]
        for gain in gains:
            prefix.append(prefix[-1] + gain)
        here, after = bounds[index], bounds[index + 1]
        count = len(gains)
        candidates: list[list[tuple]] = [[] for _ in range(budget + 1)]
        for spent, cell in enumerate(cells):
            for entry in cell:
                steps, gain = entry[0], entry[1]
                if gain >= need:
                    # Already there: any further step only costs more.
                    candidates[spent].append((steps, gain, 0, entry))
                    continue
                if spent + here.effort(need - gain) > budget:
                    continue
                for taken in range(min(count, (budget - spent) // effort) + 1):
                    new_gain = gain + prefix[taken]
                    new_spent = spent + taken * effort
                    if new_gain < need and new_spent + after.effort(need - new_gain) > budget:
                        continue
                    candidates[new_spent].append((steps + taken, new_gain, taken, entry))
        if fronts:
            cells = [_pareto(cell, need) for cell in candidates]
        else:
            cells = [[max(cell, key=_more_gain)] if cell else cell for cell in candidates]
    for spent, cell in enumerate(cells):
        reached = [entry for entry in cell if entry[1] >= need]
        if reached:
            best = min(reached, key=lambda entry: (entry[0], -entry[1]))
            taken = []
            entry = best
            while entry[3] is not None:
                taken.append(entry[2])
                entry = entry[3]
            return spent, best[0], best[1], list(reversed(taken))
    return None


def _more_gain(entry: tuple) -> tuple:
    return (entry[1], -entry[0])


class _LowerBound:
    """The least effort that could add `gain` with some classes, steps taken fractionally (an LP bound)."""

    def __init__(self, classes: list[tuple[int, list[float]]]):
        steps = sorted(((gain / effort, gain, effort) for effort, gains in classes for gain in gains), reverse=True)
        self.ratios = [ratio for ratio, _gain, _effort in steps]
        self.gains = list(itertools.accumulate(gain for _ratio, gain, _effort in steps))
        self.efforts = list(itertools.accumulate(effort for _ratio, _gain, effort in steps))

    def effort(self, gain: float) -> float:
        if gain <= 0:
            return 0
        position = bisect.bisect_left(self.gains, gain - _EPSILON)
        if position == len(self.gains):
            return math.inf
        before_gain = self.gains[position - 1] if position else 0.0
        before_effort = self.efforts[position - 1] if position else 0
        return math.ceil(before_effort + (gain - before_gain) / self.ratios[position] - 1e-9)


def _pareto(cell: list[tuple], need: float) -> list[tuple]:
    if len(cell) < 2:
        return cell
    cell.sort(key=lambda entry: (entry[0], -entry[1]))
    kept = []
    best = -1.0
    for entry in cell:
        if entry[1] > best + _EPSILON:
            kept.append(entry)
            best = entry[1]
            if best >= need:
                # Every later entry has more steps: a plan that reaches the target with fewer wins.
                break
    return kept


def _greedy_budget(candidates: list[_Candidate], need: float) -> int:
    """The effort of the plan that takes steps by gain per effort: an upper bound for the search."""
    gained, spent = 0.0, 0
    for candidate in sorted(candidates, key=lambda c: (-c.gain / c.effort, c.position, c.from_level)):
        if gained >= need:
            break
        gained += candidate.gain
        spent += candidate.effort
    return spent


def _ordered_steps(spec: FrameworkSpec, start_raw: float, chosen: list[_Candidate]) -> list[Step]:
    """The steps most effective first, each with the rounded index once it and those before are done."""
    compiled = scoring.compile_framework(spec)
    chosen = sorted(chosen, key=lambda c: (-c.gain / c.effort, c.position, c.from_level))
    raw = start_raw
    steps = []
    for candidate in chosen:
        # The formula is linear, so adding gains is the index; the final index is checked by compute().
        raw += candidate.gain
        steps.append(
            Step(
                item_key=compiled.item_keys[candidate.position],
                indicator_number=compiled.item_indicator[candidate.position],
                from_level=candidate.from_level,
                to_level=candidate.to_level,
                effort=candidate.effort,
                gain=candidate.gain,
                index_after=scoring.round_half_up(raw, spec.decimals),
            )
        )
    return steps


def _finish(spec: FrameworkSpec, levels: dict[str, float], steps: list[Step]) -> tuple[list[Step], scoring.IndexResult]:
    final = scoring.compute(spec, {**levels, **_raised(steps)})
    if steps and steps[-1].index_after != final.index:  # pragma: no cover - float noise at a boundary
        steps[-1] = dataclasses.replace(steps[-1], index_after=final.index)
    return steps, final


def plan(
    spec: FrameworkSpec,
    levels: Mapping[str, float],
    target: float,
    efforts: Mapping[str, int] | None = None,
) -> Plan:
    """The cheapest one-level raises after which the rounded index is at least `target`.

    Cheapest means least total effort (default 1 per step), then fewest steps, then the highest
    resulting index. Missing levels count at the scale minimum. An unreachable target gives
    `reached=False` and the plan that raises everything to the top, with the reason.
    """
    levels = full_levels(spec, levels)
    start = scoring.compute(spec, levels)
    if start.index >= target:
        return Plan(
            target=target,
            reached=True,
            start_index=start.index,
            final_index=start.index,
            total_effort=0,
            reason=_("The index already reaches the target."),
            start_predicate=start.predicate,
            final_predicate=start.predicate,
        )
    gains = item_gains(spec)
    candidates = _candidates(spec, levels, gains, efforts)
    # The rounded index reaches the target once the raw index reaches the rounding boundary below it.
    boundary = target - 0.5 * 10**-spec.decimals - _BOUNDARY_SLACK
    need = boundary - start.raw_index
    best_possible = sum(candidate.gain for candidate in candidates)
    if best_possible + _EPSILON < need:
        steps, final = _finish(spec, levels, _ordered_steps(spec, start.raw_index, candidates))
        return Plan(
            target=target,
            reached=False,
            start_index=start.index,
            final_index=final.index,
            total_effort=sum(step.effort for step in steps),
            steps=steps,
            reason=_(
                "The target %(target)s cannot be reached: with every indicator at the highest level the index "
                "is %(best)s."
            )
            % {"target": _format(target), "best": _format(final.index)},
            start_predicate=start.predicate,
            final_predicate=final.predicate,
        )
    by_effort: dict[int, list[_Candidate]] = {}
    for candidate in candidates:
        by_effort.setdefault(candidate.effort, []).append(candidate)
    classes = []
    for effort in sorted(by_effort):
        members = sorted(by_effort[effort], key=lambda c: (-c.gain, c.position, c.from_level))
        by_effort[effort] = members
        classes.append((effort, [member.gain for member in members]))
    # First the least effort (one gain per cell), then, within exactly that effort, the fewest steps.
    least = _search(classes, need, _greedy_budget(candidates, need), fronts=False)
    if least is None:  # pragma: no cover - the greedy plan itself fits the budget
        raise AssertionError("planner search found no plan within the greedy budget")
    _spent, _steps, _gain, taken = _search(classes, need, least[0], fronts=True)
    chosen = [
        member for (effort, _gains), count in zip(classes, taken, strict=True) for member in by_effort[effort][:count]
    ]
    steps, final = _finish(spec, levels, _ordered_steps(spec, start.raw_index, chosen))
    return Plan(
        target=target,
        reached=final.index >= target,
        start_index=start.index,
        final_index=final.index,
        total_effort=sum(step.effort for step in steps),
        steps=steps,
        start_predicate=start.predicate,
        final_predicate=final.predicate,
    )


def item_raises(spec: FrameworkSpec, levels: Mapping[str, float], plan: Plan) -> list[ItemRaise]:
    """The plan as one raise per item, the items in the order the plan first raises them.

    A person reads "indicator 5 from 2 to 4" rather than two rows 2→3 and 3→4 apart in the list. The
    `index_after` of a raise is the rounded index once it and every raise before it are done, by
    `scoring.compute` (the last one is the plan's final index). `levels` are the plan's starting levels.
    """
    grouped: dict[str, list[Step]] = {}
    for step in plan.steps:
        grouped.setdefault(step.item_key, []).append(step)
    reached = full_levels(spec, levels)
    raises = []
    for key, steps in grouped.items():
        reached[key] = max(step.to_level for step in steps)
        raises.append(
            ItemRaise(
                item_key=key,
                indicator_number=steps[0].indicator_number,
                from_level=min(step.from_level for step in steps),
                to_level=reached[key],
                steps=len(steps),
                effort=sum(step.effort for step in steps),
                gain=sum(step.gain for step in steps),
                index_after=scoring.compute(spec, reached).index,
            )
        )
    return raises


def _raised(steps: list[Step]) -> dict[str, float]:
    raised: dict[str, float] = {}
    for step in steps:
        raised[step.item_key] = max(raised.get(step.item_key, step.to_level), step.to_level)
    return raised


def _format(value: float) -> str:
    return formats.number_format(value, 2)
