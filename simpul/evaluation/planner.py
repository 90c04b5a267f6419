"""Planning the next level: the cheapest set of one-level raises that lifts the index to a target.

The index is a weighted mean of item levels, so one level up on an item always adds the same amount
to the unrounded index (its gain), whatever else changes. A plan keeps to `Limits`: each item rises at
most `max_rise` levels in one cycle, and a step costs the item's effort times the effort of the level
it reaches (defaults in `data/planner.json`; a step to level 5 weighs more than one to level 2).

Every step of one effort class costs the same effort and counts as one step, so an optimal plan
takes, within each class, the steps with the largest gains; what is left to choose is *how many*
steps of each class. That is a small bounded knapsack over effort units, solved exactly by dynamic
programming with, per effort total, the Pareto front of (steps, gain). The answer minimises total
effort, then the number of steps, then maximises the resulting index — the same order a person
would ask for.

Why the steps of one item may be treated as independent although the step 3→4 needs 2→3 first:
along an item's chain of steps the gain never grows (whole levels gain the same, only a survey
item's last step to the top is smaller) and the effort never falls (level efforts must not fall as
the level rises: `Limits.problems` refuses such a table). A set of steps that took 3→4 without 2→3
would become no worse by swapping them: the same gain and steps for no more effort, strictly less
when the classes differ, so a plan of least effort never does it; within one class the order of
equal gains takes the lower level first. `_cheapest` checks the result anyway, and the tests
compare it with every combination of per-item rises on small frameworks. `max_rise` only shortens
each item's chain.

Pure functions of a FrameworkSpec and levels: no queries, so the UI, the API and the benchmarks
call the same code. `scoring.compute` stays the one formula; the linear gains are only used to
search, and the plan's indices are computed with it.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.evaluation import scoring
from simpul.evaluation.frameworks import FrameworkSpec

# round_half_up first rounds to 9 decimals, so a raw index this far below a rounding boundary
# still rounds up to it (see scoring.round_half_up); the search uses the same boundary.
_BOUNDARY_SLACK = 5e-10
# Float sums of the same gains in another order differ by far less than this.
_EPSILON = 1e-12

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "planner.json"


@dataclass(frozen=True)
class Limits:
    """What a plan may do in one evaluation cycle.

    `max_rise` is the most levels one item rises (None: up to the top of the scale); a survey item's
    part-level step counts as one. `level_efforts` maps a level to the effort of a step that reaches
    it ({3: 2}: a step 2→3 weighs 2); a step costs its item's effort times that. A level beyond the
    table takes the nearest listed level below it (the lowest listed, below the table); an empty
    table weighs every level 1. The defaults are `default_limits()`, from `data/planner.json`.
    """

    max_rise: int | None = None
    level_efforts: Mapping[int, int] = field(default_factory=dict)

    def level_effort(self, level: int) -> int:
        """The effort of a step that reaches `level`."""
        if not self.level_efforts:
            return 1
        listed = sorted(self.level_efforts)
        below = [known for known in listed if known <= level]
        return self.level_efforts[below[-1] if below else listed[0]]

    def problems(self) -> list[str]:
        """Why these limits cannot be planned with (translated); empty when they can."""
        found = []
        rise = self.max_rise
        if rise is not None and (isinstance(rise, bool) or not isinstance(rise, int) or rise < 1):
            found.append(_("The highest rise per indicator per cycle must be a whole number of at least 1."))
        efforts = self.level_efforts
        if any(
            isinstance(value, bool) or not isinstance(value, int) or value < 1 or isinstance(level, bool)
            for level, value in efforts.items()
        ) or not all(isinstance(level, int) for level in efforts):
            found.append(_("The effort of each level must be a whole number of at least 1."))
        elif any(efforts[low] > efforts[high] for low, high in itertools.pairwise(sorted(efforts))):
            found.append(_("The effort of a level must not be less than the effort of the level below it."))
        return found

    def widened(self, cycles: int, span: int) -> Limits:
        """The limits of `cycles` cycles together: `cycles` times the rise, no limit once it spans the scale."""
        if self.max_rise is None or self.max_rise * cycles >= span:
            return dataclasses.replace(self, max_rise=None)
        return dataclasses.replace(self, max_rise=self.max_rise * cycles)


# Any rise, every level weighing 1: the plan before limits (issue #12), for comparisons and tests.
UNLIMITED = Limits()


def load_limits(path: Path = DEFAULTS_FILE) -> Limits:
    """The limits in a planner defaults file; ValueError when the file's values cannot be planned with."""
    document = load_defaults_document(path)
    try:
        rise = document["max_rise"]["value"]
        efforts = {int(level): value for level, value in document["level_effort"]["value"].items()}
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: no max_rise.value or level_effort.value ({error})") from error
    limits = Limits(max_rise=rise, level_efforts=efforts)
    problems = limits.problems()
    if problems:
        raise ValueError(f"{path}: " + " ".join(problems))
    return limits


def load_defaults_document(path: Path = DEFAULTS_FILE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def default_limits() -> Limits:
    """The shipped limits (`data/planner.json`): what a plan keeps to unless the user sets others."""
    return load_limits()


@functools.cache
def _shipped_defaults_document() -> dict:
    return load_defaults_document()


def defaults_summary() -> str:
    """The shipped defaults in a sentence, as the file states them (in Indonesian), with its version."""
    document = _shipped_defaults_document()
    return _("%(summary)s (data/planner.json, version %(version)s)") % {
        "summary": document.get("summary", ""),
        "version": document.get("version", "?"),
    }


def reached_levels(spec: FrameworkSpec) -> range:
    """The levels a step can reach on the framework's scale (a step *to* the lowest level does not exist)."""
    return range(spec.scale_min + 1, spec.scale_max + 1)


def describe_limits(spec: FrameworkSpec, limits: Limits) -> str:
    """The limits a plan keeps to, in a sentence for the page."""
    span = spec.scale_max - spec.scale_min
    if limits.max_rise is None or limits.max_rise >= span:
        rise = _("Each indicator may rise to the highest level in one cycle.")
    else:
        rise = ngettext(
            "Each indicator rises at most %(count)s level per cycle.",
            "Each indicator rises at most %(count)s levels per cycle.",
            limits.max_rise,
        ) % {"count": limits.max_rise}
    table = ", ".join(
        _("to level %(level)s: %(effort)s") % {"level": level, "effort": limits.level_effort(level)}
        for level in reached_levels(spec)
    )
    return (
        rise
        + " "
        + _("A step costs the indicator's effort times the effort of the level it reaches (%(table)s).")
        % {"table": table}
    )


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
    limits: Limits = UNLIMITED
    # An out-of-reach target that more cycles reach: how many, and the least effort over them.
    cycles: int | None = None
    cycles_effort: int | None = None

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
    rank: int  # 0 for the item's first step, 1 for the one after it, …


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


def _result(
    spec: FrameworkSpec,
    levels: dict[str, float],
    start: scoring.IndexResult,
    target: float,
    chosen: list[_Candidate],
    limits: Limits,
    **extra,
) -> Plan:
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
        limits=limits,
        **extra,
    )


def plan(
    spec: FrameworkSpec,
    levels: Mapping[str, float],
    target: float,
    efforts: Mapping[str, int] | None = None,
    limits: Limits | None = None,
) -> Plan:
    """The cheapest one-level raises, within `limits`, after which the rounded index is at least `target`.

    Cheapest means least total effort, then fewest steps, then the highest resulting index; a step
    costs its item's effort (`efforts`, default 1) times the effort of the level it reaches. `limits`
    default to `default_limits()` (`data/planner.json`); `UNLIMITED` lets every item rise to the top,
    every level weighing 1. Missing levels count at the scale minimum. A target out of reach gives
    `reached=False`, the cheapest plan to the highest index within reach, and the reason; when more
    cycles would reach it, `cycles` and `cycles_effort` say how many and at what effort.
    """
    limits = default_limits() if limits is None else limits
    problems = limits.problems()
    if problems:
        raise ValueError(" ".join(problems))
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
            limits=limits,
        )
    gains = item_gains(spec)
    candidates = _candidates(spec, levels, gains, efforts, limits)
    chosen = _cheapest(candidates, _need(spec, target, start.raw_index))
    if chosen is not None:
        return _result(spec, levels, start, target, chosen, limits)
    return _out_of_reach(spec, levels, start, target, gains, efforts, limits, candidates)


def _out_of_reach(spec, levels, start, target, gains, efforts, limits: Limits, candidates) -> Plan:
    """The cheapest plan to the highest index within the limits, and what the target would take."""
    raised: dict[str, float] = {}
    keys = scoring.compile_framework(spec).item_keys
    for candidate in candidates:
        raised[keys[candidate.position]] = max(raised.get(keys[candidate.position], 0.0), candidate.to_level)
    best = scoring.compute(spec, {**levels, **raised}).index
    chosen: list[_Candidate] | None = []
    if best > start.index:
        chosen = _cheapest(candidates, _need(spec, best, start.raw_index))
        if chosen is None:  # pragma: no cover - float noise: every step reaches `best` by construction
            chosen = candidates
    top = scoring.compute(spec, dict.fromkeys(levels, float(spec.scale_max))).index
    span = spec.scale_max - spec.scale_min
    need = _need(spec, target, start.raw_index)
    cycles = cycles_effort = None
    if limits.max_rise is not None:
        # A wider limit each cycle until it spans the scale: the first that reaches the target.
        for count in range(2, span + 2):
            wider = limits.widened(count, span)
            more = _cheapest(_candidates(spec, levels, gains, efforts, wider), need)
            if more is not None:
                cycles, cycles_effort = count, sum(candidate.effort for candidate in more)
                break
            if wider.max_rise is None:
                break
    if cycles is not None:
        reason = ngettext(
            "The target %(target)s cannot be reached in one cycle when each indicator rises at most %(rise)s "
            "level: the highest index within reach is %(best)s. The target takes %(cycles)s cycles, with a total "
            "effort of %(effort)s.",
            "The target %(target)s cannot be reached in one cycle when each indicator rises at most %(rise)s "
            "levels: the highest index within reach is %(best)s. The target takes %(cycles)s cycles, with a total "
            "effort of %(effort)s.",
            limits.max_rise,
        ) % {
            "target": _format(target),
            "rise": limits.max_rise,
            "best": _format(best),
            "cycles": cycles,
            "effort": cycles_effort,
        }
    else:
        reason = _(
            "The target %(target)s cannot be reached: with every indicator at the highest level the index is %(best)s."
        ) % {"target": _format(target), "best": _format(top)}
        if best < top:
            reason += " " + ngettext(
                "Rising at most %(rise)s level per indicator in one cycle, the index reaches %(best)s.",
                "Rising at most %(rise)s levels per indicator in one cycle, the index reaches %(best)s.",
                limits.max_rise,
            ) % {"rise": limits.max_rise, "best": _format(best)}
    result = _result(spec, levels, start, target, chosen, limits, cycles=cycles, cycles_effort=cycles_effort)
    return dataclasses.replace(result, reached=False, reason=reason)


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
