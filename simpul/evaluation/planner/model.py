"""The plan and its steps, as the planner returns them."""

from __future__ import annotations

from dataclasses import dataclass, field

from simpul.evaluation.planner.limits import UNLIMITED, Limits


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
