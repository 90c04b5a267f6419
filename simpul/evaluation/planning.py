"""The planner applied to an evaluation period: the levels a plan starts from, its raises as one-level
steps, the actions they become, and "what if".

`planner` is the pure computation over a framework and levels; this module reads a period's rows for
it and says what a user may do with the result. Nothing here writes: turning a plan into actions is
`services.plan_actions`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import permissions
from simpul.evaluation import planner, scoring
from simpul.evaluation.models import EvaluationPeriod, ImprovementAction, IndicatorAssessment
from simpul.organizations.models import PerangkatDaerah

LEVEL_FIELDS = {"self": "self_level", "internal": "final_level", "national": "national_level"}
MAX_EFFORT = 10
# The highest effort a user may give one level in the planner's advanced settings (a bound on input,
# so that a search stays small; the defaults themselves are in data/planner.json).
MAX_LEVEL_EFFORT = 20

PLAN_BASES = {
    "current": gettext_lazy("final internal level, else self-assessed"),
    "internal": gettext_lazy("final internal levels only"),
    "self": gettext_lazy("self-assessed levels only"),
    "national": gettext_lazy("national levels"),
}


def sees_every_indicator(user, period: EvaluationPeriod) -> bool:
    """The planner shows every indicator's level, so it is for those who may view all of them."""
    every = IndicatorAssessment.objects.filter(period=period)
    return permissions.restrict(every, user, "view").count() == every.count()


def planner_rows(period: EvaluationPeriod) -> list[IndicatorAssessment]:
    return list(
        IndicatorAssessment.objects.filter(period=period)
        .select_related("indicator", "pic")
        .order_by("indicator__number", "item_key")
    )


def levels_on(rows, basis: str) -> dict[str, float]:
    """The levels the plan starts from; items without one count at the scale minimum (in `planner`)."""
    levels = {}
    for row in rows:
        if basis == "current":
            value = row.final_level if row.final_level is not None else row.self_level
        else:
            value = getattr(row, LEVEL_FIELDS[basis])
        if value is not None:
            levels[row.item_key] = float(value)
    return levels


def may_edit_effort(user, period: EvaluationPeriod) -> bool:
    return (
        permissions.can(user, "change", period)
        or permissions.restrict(period.assessments.all(), user, "review").exists()
    )


def action_title(spec, indicator_number: int, from_level: int, to_level: int) -> str:
    return _("Raise indicator %(number)s %(name)s from level %(from)s to %(to)s") % {
        "number": indicator_number,
        "name": spec.indicator(indicator_number).name,
        "from": from_level,
        "to": to_level,
    }


def action_owners(user, period: EvaluationPeriod) -> QuerySet[PerangkatDaerah]:
    """The OPDs of the period's instansi for which the user may create improvement actions."""
    opds = PerangkatDaerah.objects.filter(instansi=period.instansi).order_by("name")
    return permissions.allowed_owner_opds(user, "add", ImprovementAction, opds)


def may_add_actions(user, period: EvaluationPeriod) -> bool:
    return bool(action_owners(user, period).exists())


def ceil_level(value: float) -> int:
    return int(-(-value // 1))


def parse_raise(value: str) -> tuple[str, float, float] | None:
    """'<item>:<from>:<to>' (a plan row's checkbox) as (item key, from level, to level); None if malformed."""
    try:
        key, low, high = value.split(":")
        return key, float(low), float(high)
    except ValueError:
        return None


def one_level_steps(spec, low: float, high: float) -> list[tuple[int, int]] | None:
    """A raise from `low` to `high` as its one-level steps (from, to); None outside the scale.

    Steps are between whole levels: a survey-scored level is rounded outwards (2.5 → 4 gives 2→3, 3→4).
    """
    if low != low or high != high or not spec.scale_min <= low < high <= spec.scale_max:  # NaN compares false
        return None
    return [(level, level + 1) for level in range(int(low // 1), ceil_level(high))]


def whatif_result(spec, levels: dict[str, float], changes: dict[str, float]) -> dict:
    """Index, predicate, domains and aspects before and after the changed levels (`levels` complete)."""
    before, after = scoring.compute(spec, levels), planner.what_if(spec, levels, changes)
    return {
        "before": before,
        "after": after,
        "changed": [
            {"key": key, "from": levels[key], "to": value} for key, value in changes.items() if value != levels[key]
        ],
        "domains": [
            {"code": d.code, "name": d.name, "before": before.domains[d.code], "after": after.domains[d.code]}
            for d in spec.domains
        ],
        "aspects": [
            {"code": a.code, "name": a.name, "before": before.aspects[a.code], "after": after.aspects[a.code]}
            for a in spec.aspects
        ],
    }


def whatif_context(period: EvaluationPeriod, rows, basis: str, changes: dict[str, float]) -> dict:
    spec = period.framework.spec
    levels = planner.full_levels(spec, levels_on(rows, basis))
    fractional = scoring.compile_framework(spec).fractional_items
    aspect_of = {indicator.number: indicator.aspect for indicator in spec.indicators}
    by_aspect: dict[str, list[dict]] = {}
    for row in rows:
        by_aspect.setdefault(aspect_of[row.indicator.number], []).append(
            {
                "row": row,
                "name": f"level_{row.item_key}",
                "value": changes.get(row.item_key, levels[row.item_key]),
                "start": levels[row.item_key],
                "step": "0.5" if row.item_key in fractional else "1",
            }
        )
    result = whatif_result(spec, levels, changes)
    # One group of sliders per aspect, in the framework's order, headed by the aspect's index now: a flat
    # list of 47 sliders gave no bearings.
    groups = [
        {
            "code": aspect.code,
            "name": aspect.name,
            "index": result["before"].aspects[aspect.code],
            "sliders": by_aspect[aspect.code],
            "changed": any(slider["value"] != slider["start"] for slider in by_aspect[aspect.code]),
        }
        for aspect in spec.aspects
        if aspect.code in by_aspect
    ]
    return result | {
        "groups": groups,
        "scale_min": spec.scale_min,
        "scale_max": spec.scale_max,
        "ticks": list(range(spec.scale_min, spec.scale_max + 1)),
        "basis": basis,
    }


def parse_whatif(params, spec) -> dict[str, float]:
    """The slider values of a what-if request; values that are not numbers are left out."""
    keys = set(scoring.compile_framework(spec).item_keys)
    changes = {}
    for name, value in params.items():
        if not name.startswith("level_") or name[6:] not in keys:
            continue
        try:
            number = float(Decimal(value))
        except (InvalidOperation, ValueError):
            continue
        changes[name[6:]] = min(max(number, spec.scale_min), spec.scale_max)
    return changes
