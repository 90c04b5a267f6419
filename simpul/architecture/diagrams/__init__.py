"""Diagrams of the architecture: an element's neighbourhood, an impact analysis, and whole layers.

Pure Python, no system package: the graph is read through `restrict()` (so a diagram shows only what
its reader may see), laid out in horizontal bands (the SPBE layers, or the distance from the analysed
element), ordered within each band by the barycentre heuristic to reduce crossings, and rendered to SVG
by hand or to PNG with Pillow's built-in scalable font. The layout is deterministic: the same records
give the same picture, so exported files are stable and tests can compare positions.

The stages live in their own modules: `model` (what a diagram is made of, shared constants), `kinds`
(the three diagrams read from the repository), `layout`, `svg` and `png`. Callers import from here.
"""

from simpul.architecture.diagrams.kinds import _domain_bands, impact_diagram, layer_diagram, neighbourhood
from simpul.architecture.diagrams.layout import arrow_head, bezier_point, layout, text_width, tooltip, wrap
from simpul.architecture.diagrams.model import (
    COLOURS,
    IMPACT_LIMIT,
    LAYER_LIMIT,
    LAYER_ORDER,
    MAX_PER_ROW,
    NEIGHBOURHOOD_LIMIT,
    NODE_H,
    NODE_W,
    Band,
    Diagram,
    Edge,
    Node,
    Point,
)
from simpul.architecture.diagrams.png import MAX_PNG_PIXELS, _hex, png_text, render_png
from simpul.architecture.diagrams.svg import render_svg

__all__ = [
    "COLOURS",
    "IMPACT_LIMIT",
    "LAYER_LIMIT",
    "LAYER_ORDER",
    "MAX_PER_ROW",
    "MAX_PNG_PIXELS",
    "NEIGHBOURHOOD_LIMIT",
    "NODE_H",
    "NODE_W",
    "Band",
    "Diagram",
    "Edge",
    "Node",
    "Point",
    "_domain_bands",
    "_hex",
    "arrow_head",
    "bezier_point",
    "impact_diagram",
    "layer_diagram",
    "layout",
    "neighbourhood",
    "png_text",
    "render_png",
    "render_svg",
    "text_width",
    "tooltip",
    "wrap",
]
