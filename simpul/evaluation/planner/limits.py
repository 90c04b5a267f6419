"""The planning limits: the highest rise per item per cycle, the effort per level, and their defaults file."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.evaluation.frameworks import FrameworkSpec

# The evaluation app's data folder (this module is one package below it).
DEFAULTS_FILE = Path(__file__).resolve().parent.parent / "data" / "planner.json"


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
