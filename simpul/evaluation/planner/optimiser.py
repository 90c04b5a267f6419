"""The exact search: the cheapest set of one-level steps that adds a needed gain (see the package docstring)."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math

from django.utils.translation import gettext as _

from simpul.evaluation import scoring
from simpul.evaluation.frameworks import FrameworkSpec
from simpul.evaluation.planner.limits import Limits
from simpul.evaluation.planner.model import Step, _Candidate

# round_half_up first rounds to 9 decimals, so a raw index this far below a rounding boundary
# still rounds up to it (see scoring.round_half_up); the search uses the same boundary.
_BOUNDARY_SLACK = 5e-10
# Float sums of the same gains in another order differ by far less than this.
_EPSILON = 1e-12


def _candidates(
    spec: FrameworkSpec, levels: dict[str, float], gains: dict[str, float], efforts, limits: Limits
) -> list[_Candidate]:
    compiled = scoring.compile_framework(spec)
    top = float(spec.scale_max)
    found = []
    for position, key in enumerate(compiled.item_keys):
        effort = int(efforts.get(key, 1)) if efforts else 1
        if effort < 1:
            raise ValueError(_("The effort of %(key)s must be a whole number of at least 1.") % {"key": key})
        level = levels[key]
        rank = 0
        # A survey-scored item may sit between levels; its last step only climbs to the top of the scale.
        while level < top and (limits.max_rise is None or rank < limits.max_rise):
            following = min(level + 1, top)
            step_effort = effort * limits.level_effort(math.ceil(following))
            found.append(_Candidate(gains[key] * (following - level), step_effort, position, level, following, rank))
            level = following
            rank += 1
    return found


def _search(classes: list[tuple[int, list[float]]], need: float, budget: int, *, fronts: bool) -> tuple | None:
    """How many steps to take from each effort class; None when nothing within `budget` reaches `need`.

    `classes` holds (effort, gains sorted high to low). Layer by layer, `cells[e]` keeps the partial
    plans costing exactly e as (steps, gain, taken, parent). With `fronts`, a cell keeps the Pareto
    front of fewer steps or more gain; without, only the largest gain, and only if no cheaper cell has
    as much (enough to find the least effort). A partial plan is dropped as soon as even the fractional
    (LP) completion of it with the remaining classes would cost more than `budget`: that bound is what
    keeps the search fast. Returns (effort, steps, gain, [count per class]) of the best plan.
    """
    bounds = [_LowerBound(classes[index:]) for index in range(len(classes) + 1)]
    cells: dict[int, list[tuple]] = {0: [(0, 0.0, 0, None)]}
    for index, (effort, gains) in enumerate(classes):
        prefix = [0.0]
        for gain in gains:
            prefix.append(prefix[-1] + gain)
        here, after = bounds[index], bounds[index + 1]
        count = len(gains)
        candidates: dict[int, list[tuple]] = {}
        for spent, cell in cells.items():
            for entry in cell:
                steps, gain = entry[0], entry[1]
                if gain >= need:
                    # Already there: any further step only costs more.
                    candidates.setdefault(spent, []).append((steps, gain, 0, entry))
                    continue
                if spent + here.effort(need - gain) > budget:
                    continue
                for taken in range(min(count, (budget - spent) // effort) + 1):
                    new_gain = gain + prefix[taken]
                    new_spent = spent + taken * effort
                    if new_gain < need and new_spent + after.effort(need - new_gain) > budget:
                        continue
                    candidates.setdefault(new_spent, []).append((steps + taken, new_gain, taken, entry))
        if fronts:
            cells = {spent: _pareto(cell, need) for spent, cell in candidates.items()}
        else:
            # Only the least effort is sought: a plan that costs more and gains no more than a cheaper one
            # never leads anywhere the cheaper one does not reach for less.
            cells = {}
            most = -math.inf
            for spent in sorted(candidates):
                best = max(candidates[spent], key=_more_gain)
                if best[1] > most:
                    cells[spent] = [best]
                    most = best[1]
    for spent in sorted(cells):
        reached = [entry for entry in cells[spent] if entry[1] >= need]
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


def _need(spec: FrameworkSpec, target: float, start_raw: float) -> float:
    """The raw gain after which the rounded index is at least `target` (its rounding boundary below)."""
    return target - 0.5 * 10**-spec.decimals - _BOUNDARY_SLACK - start_raw


def _cheapest(candidates: list[_Candidate], need: float) -> list[_Candidate] | None:
    """The steps of least effort, then fewest steps, then most gain, that add `need`; None if none do."""
    total = sum(candidate.gain for candidate in candidates)
    if total + _EPSILON < need:
        return None
    if need <= 0:
        return []
    if total - min(candidate.gain for candidate in candidates) < need - _EPSILON:
        return list(candidates)  # every step is needed (the highest index within reach, often)
    by_effort: dict[int, list[_Candidate]] = {}
    for candidate in candidates:
        by_effort.setdefault(candidate.effort, []).append(candidate)
    # The search counts effort in units of the efforts' greatest common divisor: a table of 5, 10, 15, 20
    # searches as 1, 2, 3, 4.
    unit = math.gcd(*by_effort)
    classes = []
    for effort in sorted(by_effort):
        # Equal gains: an item's lower step first, so a class's best `count` never skips one (see above).
        members = sorted(by_effort[effort], key=lambda c: (-c.gain, c.position, c.from_level))
        by_effort[effort] = members
        classes.append((effort // unit, [member.gain for member in members]))
    # First the least effort (one gain per cell), then, within exactly that effort, the fewest steps.
    least = _search(classes, need, _greedy_budget(candidates, need) // unit, fronts=False)
    if least is None:  # pragma: no cover - the greedy plan itself fits the budget
        raise AssertionError("planner search found no plan within the greedy budget")
    _spent, _steps, _gain, taken = _search(classes, need, least[0], fronts=True)
    chosen = [
        member
        for (effort, _gains), count in zip(classes, taken, strict=True)
        for member in by_effort[effort * unit][:count]
    ]
    ranks: dict[int, set[int]] = {}
    for candidate in chosen:
        ranks.setdefault(candidate.position, set()).add(candidate.rank)
    if any(taken_ranks != set(range(len(taken_ranks))) for taken_ranks in ranks.values()):  # pragma: no cover
        raise AssertionError("planner plan skips a level: level efforts must not fall as the level rises")
    return chosen


def _raised(steps: list[Step]) -> dict[str, float]:
    raised: dict[str, float] = {}
    for step in steps:
        raised[step.item_key] = max(raised.get(step.item_key, step.to_level), step.to_level)
    return raised
