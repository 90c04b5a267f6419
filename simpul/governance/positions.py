"""The composition of the two SPBE teams and the Simpul role each position carries, read from
data/positions.json (the master plan's 4.2.1.1 and 4.2.1.2; the roles are Simpul's mapping, each with
its reason). Code asks this module, never a role name: which positions a team has, which team a position
belongs to, and the role a member in that position is granted from a decree by default."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from simpul.core import permissions
from simpul.governance.choices import Position, TeamKind

POSITIONS_FILE = Path(__file__).resolve().parent / "data" / "positions.json"


@dataclass(frozen=True)
class PositionRule:
    """One position of one team: the role it carries (or None) and why."""

    position: str
    team: str
    role: str | None
    why: str


def problems(document: dict) -> list[str]:
    """What is wrong with a positions document (empty when it is sound): every position of the choices
    belongs to exactly one known team, and its role is a Simpul role that may be held for the instansi."""
    found: list[str] = []
    teams = document.get("teams")
    if not isinstance(teams, dict):
        return ["'teams' must be an object of team kinds"]
    roles = permissions.roles()
    seen: dict[str, str] = {}
    for team, entries in teams.items():
        if team not in TeamKind.values:
            found.append(f"unknown team kind {team!r}")
            continue
        for entry in entries or []:
            position = entry.get("position")
            if position not in Position.values:
                found.append(f"{team}: unknown position {position!r}")
                continue
            if position in seen:
                found.append(f"position {position!r} is listed under {seen[position]!r} and {team!r}")
            seen[position] = team
            role = entry.get("role")
            if role is not None and role not in roles:
                found.append(f"{team}/{position}: unknown role {role!r}")
            elif role is not None and "instansi" not in roles[role].scopes:
                found.append(f"{team}/{position}: role {role!r} cannot be held for a whole instansi")
            if not entry.get("why"):
                found.append(f"{team}/{position}: every mapping needs its 'why'")
    missing = sorted(set(Position.values) - set(seen))
    if missing:
        found.append(f"positions without a team: {', '.join(missing)}")
    return found


@cache
def rules(path: Path = POSITIONS_FILE) -> dict[str, PositionRule]:
    """The positions by key, checked once per process; a broken file stops the module loudly."""
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    wrong = problems(document)
    if wrong:
        raise ImproperlyConfigured(f"{path.name}: " + "; ".join(wrong))
    return {
        entry["position"]: PositionRule(entry["position"], team, entry.get("role"), entry["why"])
        for team, entries in document["teams"].items()
        for entry in entries
    }


def positions_of(team_kind: str) -> list[str]:
    """The positions of a team, in the order the master plan lists them."""
    return [rule.position for rule in rules().values() if rule.team == team_kind]


def team_of(position: str) -> str | None:
    rule = rules().get(position)
    return rule.team if rule else None


def default_role(position: str) -> str | None:
    """The Simpul role a member in this position is granted from a decree, unless the member says otherwise."""
    rule = rules().get(position)
    return rule.role if rule else None
