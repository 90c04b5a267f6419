"""What each module contributes to the executive dashboard (see `SimpulModule.executive_sections`).

A module's callable(user, instansi, opd=None) returns its sections: figures computed from its own records
that the user may view, each linking to the page that explains it. A figure a module cannot give yet has
`value=None` and is shown as "not available yet", never as an invented number.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Figure:
    label: str
    # The figure as shown ("2,48", "12 of 39"); None when there is no value (yet).
    value: str | None
    url: str = ""
    # What the figure is based on or why it is missing ("national result 2023", "no report yet").
    note: str = ""
    tone: str = ""  # "good", "warn", "bad" or "" (neutral)


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    url: str = ""
    # Optional rows for a small table or bar chart: [{"label", "value", "max", "url", "tone"}].
    rows: list[dict] = field(default_factory=list)
    # Optional line over time: [{"label": "2021", "value": 2.1, "basis": "..."}]. "basis" names what the value
    # is (points on different bases are drawn as not one measure); optional keys: "display" (the value as
    # shown, "2,48 Cukup"), "note" (more about the basis, "6/47 items (provisional)"), "provisional" (True:
    # drawn hollow, a lower bound) and "url" (the point's detail).
    trend: list[dict] = field(default_factory=list)
    order: int = 100
    # One line under the title saying what the figures cover ("the whole instansi", "as of 2024").
    note: str = ""
    # What the rows' columns are called in the table form (PDF, the table under a chart): label, value.
    row_headers: tuple[str, str] = ("", "")
