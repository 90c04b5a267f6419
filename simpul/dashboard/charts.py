"""The executive dashboard's charts, drawn with core's SVG kit (`simpul.core.charts`) from a section's data.

A trend (`Section.trend`) is one line over the years. Its points may stand on different bases (a national
result one year, a self-assessment the next): each basis gets its own mark (shape and colour), a
provisional point is hollow, and two points are joined by a solid line only when they share the basis and
neither is provisional; any other join is dashed, and the key under the chart says so.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from simpul.core import charts

SHAPES = ("circle", "square", "diamond")
DASH = "5 4"


@dataclass(frozen=True)
class Trend:
    svg: SafeString
    key: list[tuple[SafeString, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    # The numbers as a table: {"cells": [year, value, basis], "url": the point's detail}.
    rows: list[dict] = field(default_factory=list)


def _marks(points: list[dict]) -> dict[str, tuple[str, str]]:
    """Each basis's mark (shape, colour), in the order the bases first appear."""
    bases = list(dict.fromkeys(point.get("basis", "") for point in points if point.get("value") is not None))
    return {
        basis: (SHAPES[index % len(SHAPES)], charts.SERIES_COLOURS[index % len(charts.SERIES_COLOURS)])
        for index, basis in enumerate(bases)
    }


def _display(point: dict) -> str:
    return point.get("display") or charts.number(point.get("value"))


def trend(title: str, points: list[dict]) -> Trend | None:
    """The points as a line chart with its key and its numbers as a table; None when no point has a value."""
    valued = [point for point in points if point.get("value") is not None]
    if not valued:
        return None
    marks = _marks(points)
    width, height = charts.WIDTH, 190
    font = charts.FONT
    left, right, top, bottom = 30, 10, font + 10, font + 12
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [point["value"] for point in valued]
    low, high = math.floor(min(values)), math.ceil(max(values))
    if high <= low:
        high = low + 1
    span = high - low
    slot = plot_w / max(1, len(points))

    def x_of(index: int) -> float:
        return left + (index + 0.5) * slot

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / span * plot_h

    body = []
    for tick in range(low, high + 1):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{charts.GRID}"/>')
        body.append(charts.text(left - 6, y + 5, str(tick), "end", charts.MUTED))
    positions = [index for index, point in enumerate(points) if point.get("value") is not None]
    mixed = False
    for i, j in itertools.pairwise(positions):
        before, after = points[i], points[j]
        same = (
            before.get("basis") == after.get("basis") and not before.get("provisional") and not after.get("provisional")
        )
        mixed = mixed or not same
        dashed = "" if same else f' stroke-dasharray="{DASH}"'
        body.append(
            f'<line x1="{x_of(i):.1f}" y1="{y_of(before["value"]):.1f}" x2="{x_of(j):.1f}" '
            f'y2="{y_of(after["value"]):.1f}" stroke="{charts.TEXT}" stroke-width="2"{dashed} '
            f'data-joins="{"same" if same else "other"}"/>'
        )
    # Too many years for their labels side by side: label every n-th, counted back from the latest.
    widest = max(charts.text_width(text) for point in points for text in (point["label"], _display(point)))
    every = max(1, math.ceil((widest + 6) / slot))
    for index, point in enumerate(points):
        x = x_of(index)
        labelled = (len(points) - 1 - index) % every == 0
        if labelled:
            body.append(charts.text(x, height - 6, point["label"], "middle"))
        if point.get("value") is None:
            body.append(charts.text(x, top + plot_h / 2, "—", "middle", charts.MUTED))
            continue
        shape, colour = marks[point.get("basis", "")]
        provisional = bool(point.get("provisional"))
        about = basis_text(point)
        tooltip = f"<title>{escape(point['label'])}: {escape(_display(point))}{escape(' · ' + about if about else '')}</title>"
        attrs = f' data-label="{escape(point["label"])}" data-basis="{escape(point.get("basis", ""))}"' + (
            ' data-provisional="true"' if provisional else ""
        )
        y = y_of(point["value"])
        body.append(charts.mark(shape, x, y, 4.5, "#ffffff" if provisional else colour, colour, attrs, tooltip))
        if labelled:
            value = charts.number(point["value"]) + ("*" if provisional else "")
            body.append(charts.text(x, y - 9, value, "middle", extra=' font-weight="600"'))
    key = [
        (charts.key_icon(charts.mark(shape, 12, 7, 4, colour, colour)), basis or "—")
        for basis, (shape, colour) in marks.items()
    ]
    if any(point.get("provisional") for point in valued):
        shape, colour = marks[next(p.get("basis", "") for p in valued if p.get("provisional"))]
        key.append(
            (
                charts.key_icon(charts.mark(shape, 12, 7, 4, "#ffffff", colour)),
                _("hollow, with *: provisional, not every item has a value yet (a lower bound)"),
            )
        )
    if mixed:
        dashed = (
            f'<line x1="1" y1="7" x2="23" y2="7" stroke="{charts.TEXT}" stroke-width="2" stroke-dasharray="{DASH}"/>'
        )
        key.append((charts.key_icon(dashed), _("dashed line: not the same measure (another basis, or provisional)")))
    desc = _("%(title)s per year, from %(first)s to %(last)s.") % {
        "title": title,
        "first": points[0]["label"],
        "last": points[-1]["label"],
    }
    rows = [
        {
            "cells": [
                point["label"],
                _display(point) if point.get("value") is not None else "—",
                basis_text(point) or "—",
            ],
            "url": point.get("url", ""),
        }
        for point in points
    ]
    return Trend(charts.svg(width, height, title, desc, body), key, [_("Year"), _("Value"), _("Basis")], rows)


def basis_text(point: dict) -> str:
    """What a trend point stands on: its basis, with the note when that says more ("final internal, 6/47
    items (provisional)")."""
    basis, note = point.get("basis", ""), point.get("note", "")
    if note and note.startswith(basis):
        return note
    return " · ".join(part for part in (basis, note) if part)


def bar_percent(row: dict) -> int:
    """How long a row's bar is, in per cent of the longest possible (its `max`), for a 100-unit-wide bar."""
    value, most = row.get("value") or 0, row.get("max") or 0
    try:
        share = float(value) / float(most) if most else 0.0
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, round(share * 100)))
