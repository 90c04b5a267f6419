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

from simpul.evaluation.planner.limits import (
    DEFAULTS_FILE,
    UNLIMITED,
    Limits,
    default_limits,
    defaults_summary,
    describe_limits,
    load_defaults_document,
    load_limits,
    reached_levels,
)
from simpul.evaluation.planner.model import ItemRaise, Plan, Step
from simpul.evaluation.planner.plans import item_raises, plan
from simpul.evaluation.planner.whatif import (
    full_levels,
    item_gains,
    next_predicate_target,
    target_for_predicate,
    what_if,
)

__all__ = [
    "DEFAULTS_FILE",
    "UNLIMITED",
    "ItemRaise",
    "Limits",
    "Plan",
    "Step",
    "default_limits",
    "defaults_summary",
    "describe_limits",
    "full_levels",
    "item_gains",
    "item_raises",
    "load_defaults_document",
    "load_limits",
    "next_predicate_target",
    "plan",
    "reached_levels",
    "target_for_predicate",
    "what_if",
]
