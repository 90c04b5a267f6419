"""A plan towards a target: the cheapest steps, or why the target is out of reach, and its raises per item."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.core.formats import number_text
from simpul.evaluation import scoring
from simpul.evaluation.frameworks import FrameworkSpec
from simpul.evaluation.planner.limits import Limits, default_limits
from simpul.evaluation.planner.model import ItemRaise, Plan, Step, _Candidate
from simpul.evaluation.planner.optimiser import _candidates, _cheapest, _finish, _need, _ordered_steps
from simpul.evaluation.planner.whatif import full_levels, item_gains


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


def _format(value: float) -> str:
    return number_text(value, 2)
