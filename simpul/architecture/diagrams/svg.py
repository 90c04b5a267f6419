"""A laid-out diagram as SVG, written by hand: boxes link to their records, edges and boxes carry
tooltips, and every text is escaped."""

from __future__ import annotations

from html import escape

from simpul.architecture.diagrams.layout import arrow_head, name_baselines, tooltip
from simpul.architecture.diagrams.model import (
    BAND_FILLS,
    COLOURS,
    EDGE,
    MARGIN,
    MUTED,
    NAME_SIZE,
    NODE_H,
    NODE_W,
    OWNER_SIZE,
    ROOT_STROKE,
    TEXT,
    Diagram,
    Edge,
    clean_text,
)

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
SVG_STYLE = (
    ".sd-hit{fill:none;stroke:transparent;stroke-width:10}"
    ".sd-edge:hover .sd-line{stroke:#1c7ed6;stroke-width:2.2}"
    ".sd-edge:hover .sd-arrow{fill:#1c7ed6}"
    ".sd-label{font-size:10px;fill:#343a40;paint-order:stroke;stroke:#fff;stroke-width:3px}"
    ".sd-tip{opacity:0}.sd-edge:hover .sd-label{opacity:1}"
    ".sd-node:hover rect,.sd-node:focus rect{stroke-width:3}"
)


def _e(text) -> str:
    return escape(clean_text(str(text)), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _path_d(edge: Edge) -> str:
    x0, y0 = edge.segments[0][0]
    parts = [f"M{_n(x0)},{_n(y0)}"]
    for _start, (x1, y1), (x2, y2), (x3, y3) in edge.segments:
        parts.append(f"C{_n(x1)},{_n(y1)} {_n(x2)},{_n(y2)} {_n(x3)},{_n(y3)}")
    return " ".join(parts)


def render_svg(diagram: Diagram, standalone: bool = True) -> str:
    """The diagram as SVG. Standalone files carry their size; inline ones scale to the page, with a
    minimum width so text stays readable on a phone (the container scrolls instead)."""
    w, h = diagram.width, diagram.height
    if standalone:
        size = f'width="{w}" height="{h}"'
    else:
        size = f'width="100%" style="max-width:{w}px;min-width:{min(w, max(320, int(w * 0.75)))}px;height:auto"'
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 {w} {h}" {size} role="img" aria-label="{_e(diagram.title)}" '
        f'class="sd-diagram" font-family="{_e(FONT)}">',
        f"<title>{_e(diagram.title)}</title>",
        f"<style>{SVG_STYLE}</style>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{_n(diagram.title_y)}" font-size="16" font-weight="600" fill="{TEXT}">'
        f"{_e(diagram.title)}</text>",
    ]
    for note, y in zip(diagram.notes, diagram.notes_y, strict=True):
        out.append(f'<text x="{MARGIN}" y="{_n(y)}" font-size="12" fill="{MUTED}" class="sd-note">{_e(note)}</text>')
    for x, y, key, label in diagram.legend:
        if key == "root":
            swatch = f'fill="#ffffff" stroke="{ROOT_STROKE}" stroke-width="3"'
        else:
            fill, stroke = COLOURS[key]
            swatch = f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"'
        out.append(
            f'<g class="sd-legend"><rect x="{_n(x)}" y="{_n(y)}" width="14" height="14" rx="3" {swatch}/>'
            f'<text x="{_n(x + 20)}" y="{_n(y + 11)}" font-size="11" fill="{TEXT}">{_e(label)}</text></g>'
        )
    for i, band in enumerate(diagram.bands):
        out.append(
            f'<rect x="0" y="{_n(band.y)}" width="{w}" height="{_n(band.height)}" fill="{BAND_FILLS[i % 2]}"/>'
            f'<text x="{MARGIN}" y="{_n(band.y + 16)}" font-size="11" font-weight="600" fill="{MUTED}" '
            f'class="sd-band">{_e(band.label.upper())}</text>'
        )
    nodes = diagram.nodes
    for edge in diagram.edges:
        source, target = nodes[edge.source], nodes[edge.target]
        near_root = source.root or target.root
        colour = "#495057" if near_root else EDGE
        d = _path_d(edge)
        lx, ly = edge.label_at
        arrow = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrow_head(edge))
        out.append(
            f'<g class="sd-edge" data-source="{edge.source}" data-target="{edge.target}">'
            f"<title>{_e(source.name)} {_e(edge.label)} {_e(target.name)}</title>"
            f'<path class="sd-hit" d="{d}"/>'
            f'<path class="sd-line" d="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="{1.6 if near_root else 1.2}"/>'
            f'<polygon class="sd-arrow" points="{arrow}" fill="{colour}"/>'
            f'<text class="sd-label{"" if edge.label_shown else " sd-tip"}" x="{_n(lx)}" y="{_n(ly + 3)}" text-anchor="middle">{_e(edge.label)}</text></g>'
        )
    for node in sorted(nodes.values(), key=lambda n: (n.row, n.x)):
        fill, stroke = COLOURS[node.domain]
        stroke_width = 1.5
        classes = "sd-node"
        if node.root:
            stroke, stroke_width, classes = ROOT_STROKE, 3.5, "sd-node sd-root"
        names, owner_y = name_baselines(node)
        cx = _n(node.centre_x)
        weight = ' font-weight="600"' if node.root else ""
        texts = "".join(
            f'<text x="{cx}" y="{_n(y)}" font-size="{NAME_SIZE}" text-anchor="middle" fill="{TEXT}"{weight}>'
            f"{_e(line)}</text>"
            for line, y in zip(node.lines, names, strict=True)
        )
        url = _e(node.url)
        out.append(
            f'<a href="{url}" xlink:href="{url}" target="_top" class="{classes}" data-pk="{node.pk}" '
            f'data-domain="{_e(node.domain)}"><title>{_e(tooltip(node))}</title>'
            f'<rect x="{_n(node.x)}" y="{_n(node.y)}" width="{NODE_W}" height="{NODE_H}" rx="9" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>{texts}'
            f'<text x="{cx}" y="{_n(owner_y)}" font-size="{OWNER_SIZE}" text-anchor="middle" '
            f'fill="{MUTED}">{_e(node.owner)}</text></a>'
        )
    out.append("</svg>")
    svg = "\n".join(out)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg) if standalone else svg
