"""What a diagram is made of (boxes, edges, bands) and the constants every stage shares: the SPBE
layer order, the colours per domain and the sizes of the drawing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simpul.architecture.choices import Domain

# The SPBE layers from top to bottom, as the master plan draws them.
LAYER_ORDER = [
    Domain.SERVICE,
    Domain.BUSINESS,
    Domain.DATA,
    Domain.APPLICATION,
    Domain.INFRASTRUCTURE,
    Domain.SECURITY,
    Domain.OTHER,
]
# (fill, stroke) per domain: light fills keep dark text readable, strokes tell the domains apart.
COLOURS = {
    Domain.SERVICE: ("#fff3bf", "#e67700"),
    Domain.BUSINESS: ("#ffe8cc", "#d9480f"),
    Domain.DATA: ("#e5dbff", "#6741d9"),
    Domain.APPLICATION: ("#d0ebff", "#1971c2"),
    Domain.INFRASTRUCTURE: ("#d3f9d8", "#2b8a3e"),
    Domain.SECURITY: ("#ffe3e3", "#c92a2a"),
    Domain.OTHER: ("#f1f3f5", "#868e96"),
}
TEXT = "#212529"
MUTED = "#495057"
EDGE = "#868e96"
ROOT_STROKE = "#212529"
BAND_FILLS = ("#f8f9fa", "#ffffff")

NODE_W = 176
NODE_H = 62
H_GAP = 26
ROW_GAP = 48
BAND_LABEL_H = 24
BAND_PAD = 14
MARGIN = 16
MAX_PER_ROW = 6
NAME_SIZE = 12.5
NAME_LINE = 15
OWNER_SIZE = 10.5
LABEL_SIZE = 10
MAX_NAME_LINES = 2
EDGE_LABEL_LIMIT = 40  # above this many edges, labels show on hover only (SVG) or not at all (PNG)
SWEEPS = 6

NEIGHBOURHOOD_LIMIT = 60
IMPACT_LIMIT = 150
LAYER_LIMIT = 300

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


Point = tuple[float, float]


@dataclass
class Node:
    """One element as drawn: what the box says, where it links, and where the layout put it."""

    pk: int
    name: str
    domain: str
    owner: str
    url: str
    status: str = ""
    band: int = 0
    root: bool = False
    lines: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    row: int = 0  # physical row, top to bottom over the whole diagram

    @property
    def centre_x(self) -> float:
        return self.x + NODE_W / 2


@dataclass
class Edge:
    """A relationship as drawn, from source to target, labelled with its kind."""

    source: int
    target: int
    kind: str
    label: str
    # Cubic Bézier segments (start, control, control, end); long edges pass between the boxes of the
    # rows they cross, so a line never seems to run into a box it does not belong to.
    segments: list[tuple[Point, Point, Point, Point]] = field(default_factory=list)
    label_at: Point = (0.0, 0.0)
    label_shown: bool = False  # False: the label shows on hover only (no free room, or too many edges)


@dataclass
class Band:
    """A horizontal band: one SPBE layer, or one distance from the analysed element."""

    label: str
    rows: list[list[int]] = field(default_factory=list)
    y: float = 0.0
    height: float = 0.0


@dataclass
class Diagram:
    """A laid-out diagram, ready to render as SVG or PNG."""

    title: str
    nodes: dict[int, Node]
    edges: list[Edge]
    bands: list[Band]
    notes: list[str] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    legend: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, domain or "root", label
    title_y: float = 0.0
    notes_y: list[float] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.nodes


def clean_text(text: str) -> str:
    """User text without the control characters XML cannot carry."""
    return _CONTROL_CHARS.sub("", str(text))
