"""Charts of the evaluation as server-rendered inline SVG: no JavaScript library, nothing from a CDN.

Every chart carries a `<title>` and `<desc>`, writes its values as text next to the marks (colour is
never the only carrier) and comes with the same numbers as a table (`Chart.headers` / `Chart.rows`)
that the template shows below it for screen readers and for copying. The palette is Okabe–Ito, which
stays distinguishable for the common colour-vision deficiencies; predicate colours go by a band's
position on the scale, so a framework with other bands gets colours without code changes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

# The drawing kit and its size rule are core's, shared with the other modules' charts.
from simpul.core.charts import (  # noqa: F401  (PHONE_BOX, MIN_TEXT_PX, MAX_SCALE: this module's size rule)
    FONT,
    GRID,
    MAX_SCALE,
    MIN_TEXT_PX,
    MUTED,
    PHONE_BOX,
    SERIES_COLOURS,
    TEXT,
    WIDTH,
    number,
    text_size,
)
from simpul.core.charts import key_icon as _key_icon
from simpul.core.charts import mark as _mark
from simpul.core.charts import svg as _svg
from simpul.core.charts import text as _text
from simpul.core.charts import text_width as _text_width
from simpul.evaluation.frameworks import FrameworkSpec
from simpul.evaluation.models import ScoreBasis

# Predicate bands from the lowest to the highest: background tints and the strong colours of bars.
BAND_TINTS = ("#fbe3d6", "#fdf0cf", "#fff9d6", "#e2f2e9", "#dbeaf6", "#ece2f0")
BAND_COLOURS = ("#B03A00", "#A66A00", "#8A7A00", "#007A5A", "#005A8C", "#7D3C98")


@dataclass(frozen=True)
class Chart:
    """An SVG chart with its data as a table (the accessible fallback)."""

    title: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    # A trend's key: a small drawing and what it means (marks per basis, hollow, dashed); shown under it.
    key: list[tuple[SafeString, str]] = field(default_factory=list)
    # A trend's lines between points, and whether each joins one measure (see `TrendSegment`).
    segments: list = field(default_factory=list)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: dict[str, float | None]
    colour: str = ""


@dataclass(frozen=True)
class Band:
    """A predicate band on the value axis."""

    name: str
    low: float
    high: float
    tint: str
    colour: str


def predicate_bands(spec: FrameworkSpec) -> list[Band]:
    """The framework's predicate bands from the bottom of the scale to the top, with their colours."""
    ordered = list(spec.predicates)
    bands = []
    for position, predicate in enumerate(ordered):
        low = spec.scale_min if predicate.min is None else predicate.min
        high = spec.scale_max if predicate.max is None else predicate.max
        shade = min(position, len(BAND_TINTS) - 1)
        bands.append(
            Band(
                predicate.name,
                max(low, spec.scale_min),
                min(high, spec.scale_max),
                BAND_TINTS[shade],
                BAND_COLOURS[shade],
            )
        )
    return bands


def band_for(bands: Sequence[Band], value: float) -> Band | None:
    for band in reversed(bands):
        if value >= band.low:
            return band
    return bands[0] if bands else None


def grouped_bars(
    title: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[Series],
    scale_min: float,
    scale_max: float,
    bands: Sequence[Band] = (),
) -> Chart:
    """Horizontal bars per category (domain, aspect), one bar per series side by side.

    Horizontal, because category codes stay readable on a phone and the chart grows downwards.
    """
    series = [s if s.colour else Series(s.key, s.label, s.values, SERIES_COLOURS[i]) for i, s in enumerate(series)]
    width = WIDTH
    label_w = max(40, max((_text_width(code) for code, _name in categories), default=0) + 8)
    value_w = _text_width(number(scale_max)) + 8
    bar_h, gap = FONT + 4, 10
    plot_x, plot_w = label_w, width - label_w - value_w
    group_h = max(1, len(series)) * bar_h + gap
    top = 8
    height = top + len(categories) * group_h + FONT + 14
    span = (scale_max - scale_min) or 1

    def x_of(value: float) -> float:
        return plot_x + (min(max(value, scale_min), scale_max) - scale_min) / span * plot_w

    body = []
    plot_bottom = top + len(categories) * group_h
    for band in bands:
        body.append(
            f'<rect x="{x_of(band.low):.1f}" y="{top}" width="{x_of(band.high) - x_of(band.low):.1f}" '
            f'height="{plot_bottom - top}" fill="{band.tint}"><title>{escape(band.name)}</title></rect>'
        )
    for tick in range(int(scale_min), int(scale_max) + 1):
        x = x_of(tick)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{plot_bottom}" stroke="{GRID}"/>')
        body.append(_text(x, plot_bottom + FONT + 2, str(tick), "middle", MUTED))
    for row, (code, name) in enumerate(categories):
        y0 = top + row * group_h
        label = _text(0, y0 + group_h / 2 + 4, code, extra=' font-weight="600"')
        body.append(f"<g><title>{escape(name)}</title>{label}</g>")
        for position, item in enumerate(series):
            value = item.values.get(code)
            y = y0 + position * bar_h
            if value is None:
                body.append(_text(plot_x + 4, y + bar_h - 4, "—", colour=MUTED))
                continue
            bar_w = max(1.0, x_of(value) - plot_x)
            body.append(
                f'<rect x="{plot_x:.1f}" y="{y + 1}" width="{bar_w:.1f}" height="{bar_h - 2}" fill="{item.colour}" '
                f'data-series="{escape(item.key)}" data-category="{escape(code)}" data-value="{value:.2f}">'
                f"<title>{escape(item.label)} {escape(code)}: {number(value)}</title></rect>"
            )
            body.append(_text(plot_x + bar_w + 4, y + bar_h - 4, number(value)))
    desc = _("Values from %(low)s to %(high)s per %(count)s categories.") % {
        "low": number(scale_min, 0),
        "high": number(scale_max, 0),
        "count": len(categories),
    }
    headers = [_("Code"), _("Name"), *[item.label for item in series]]
    rows = [[code, name, *[number(item.values.get(code)) for item in series]] for code, name in categories]
    legend = [(item.colour, item.label) for item in series]
    return Chart(title, _svg(width, height, title, desc, body), headers, rows, legend)


@dataclass(frozen=True)
class TrendPoint:
    """One period on the trend: its year, value, predicate, framework and that framework's bands.

    `basis` says which result the value is (self, internal, national; blank where it does not apply) and
    `basis_label` names it, with its completeness where it is provisional ("final internal, 6/47 items
    (provisional)"): a point is drawn with its basis's mark, and a line joins two points as one measure
    only when they share basis and framework and both are complete.
    """

    label: str
    value: float | None
    predicate: str
    framework: str
    bands: Sequence[Band] = ()
    note: str = ""
    # Not every item has a level yet (the rest count at the lowest): drawn hollow, not a real drop.
    provisional: bool = False
    basis: str = ""
    basis_label: str = ""


@dataclass(frozen=True)
class TrendSegment:
    """The line between two consecutive points with a value; `comparable` only when it joins one measure.

    `reasons` says why not: "framework" (another framework), "basis" (another basis), "provisional" (one end
    is provisional). The chart draws a comparable segment solid and any other dashed.
    """

    start: str
    end: str
    start_basis: str
    end_basis: str
    reasons: tuple[str, ...] = ()

    @property
    def comparable(self) -> bool:
        return not self.reasons


# How a point of each basis is drawn on a trend: a shape and a colour, so that neither alone carries the
# basis. The colours are those of the bases' bars on a period's analysis page.
BASIS_MARKS = {
    "national": ("circle", SERIES_COLOURS[2]),
    "internal": ("square", SERIES_COLOURS[1]),
    "self": ("diamond", SERIES_COLOURS[0]),
}
DEFAULT_MARK = ("circle", SERIES_COLOURS[0])
# The line of a trend whose points are on more than one basis: no basis's colour.
MIXED_LINE = "#495057"
DASH = "5 4"


def _joined(points: Sequence[TrendPoint]) -> list[tuple[int, int, TrendSegment]]:
    """The lines between consecutive points with a value (by position), and why each does or does not join
    one measure."""
    valued = [index for index, point in enumerate(points) if point.value is not None]
    joined = []
    for i, j in itertools.pairwise(valued):
        before, after = points[i], points[j]
        reasons = []
        if before.framework != after.framework:
            reasons.append("framework")
        if before.basis != after.basis:
            reasons.append("basis")
        if before.provisional or after.provisional:
            reasons.append("provisional")
        joined.append((i, j, TrendSegment(before.label, after.label, before.basis, after.basis, tuple(reasons))))
    return joined


def basis_name(basis: str) -> str:
    """The plain name of a basis ("national"), or the key itself when it is none of the evaluation's."""
    return str(ScoreBasis(basis).label) if basis in ScoreBasis.values else basis


def _segment_title(segment: TrendSegment) -> str:
    if segment.comparable:
        return f"{segment.start} → {segment.end}"
    parts = []
    if "framework" in segment.reasons:
        parts.append(_("new framework"))
    if "basis" in segment.reasons:
        parts.append(f"{basis_name(segment.start_basis) or '—'} → {basis_name(segment.end_basis) or '—'}")
    if "provisional" in segment.reasons:
        parts.append(_("provisional"))
    return _("%(start)s → %(end)s: not the same measure (%(reasons)s)") % {
        "start": segment.start,
        "end": segment.end,
        "reasons": "; ".join(parts),
    }


def trend(title: str, points: Sequence[TrendPoint], scale_min: float, scale_max: float) -> Chart:
    """The value over the years as one line, each year's column shaded with its framework's predicate bands.

    Each point is drawn with its basis's mark (`BASIS_MARKS`), hollow while provisional. Two points are joined
    by a solid line only when they are one measure (same basis, same framework, both complete); any other
    join is dashed and says why (`TrendSegment`, `Chart.segments`), and the key under the chart explains the
    marks. Where the framework changes, a dashed vertical line marks it too.
    """
    width, height = WIDTH, 220
    left, right, top, bottom = 24, 8, FONT + 8, FONT + 16
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(points))
    slot = plot_w / count
    span = (scale_max - scale_min) or 1
    # Too many years for their labels side by side: label every n-th, counted back from the latest.
    widest = max((_text_width(text) for p in points for text in (p.label, number(p.value) + "*")), default=0)
    every = max(1, math.ceil((widest + 4) / slot))
    valued = [point for point in points if point.value is not None]
    bases = list(dict.fromkeys(point.basis for point in valued))
    line_colour = BASIS_MARKS.get(bases[0], DEFAULT_MARK)[1] if len(bases) == 1 else MIXED_LINE

    def labelled(index: int) -> bool:
        return (len(points) - 1 - index) % every == 0

    def y_of(value: float) -> float:
        return top + plot_h - (min(max(value, scale_min), scale_max) - scale_min) / span * plot_h

    body = []
    for index, point in enumerate(points):
        x0 = left + index * slot
        for band in point.bands:
            body.append(
                f'<rect x="{x0:.1f}" y="{y_of(band.high):.1f}" width="{slot:.1f}" '
                f'height="{y_of(band.low) - y_of(band.high):.1f}" fill="{band.tint}">'
                f"<title>{escape(band.name)}: {number(band.low)}–{number(band.high)}</title></rect>"
            )
    for tick in range(int(scale_min), int(scale_max) + 1):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 5, str(tick), "end", MUTED))
    for index, (before, after) in enumerate(itertools.pairwise(points), start=1):
        if before.framework != after.framework:
            x = left + index * slot
            body.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="{TEXT}" '
                f'stroke-dasharray="4 3" data-framework-change="{escape(after.framework)}">'
                f"<title>{escape(_('Framework changes to %(name)s') % {'name': after.framework})}</title></line>"
            )
            note = _("new framework")
            # Written right of the line, or left of it where it would run out of the chart.
            if x + 3 + _text_width(note) <= width - right:
                body.append(_text(x + 3, top + FONT, note))
            else:
                body.append(_text(x - 3, top + FONT, note, "end"))
    coordinates = {
        index: (left + (index + 0.5) * slot, y_of(point.value))
        for index, point in enumerate(points)
        if point.value is not None
    }
    joined = _joined(points)
    segments = [segment for _i, _j, segment in joined]
    for i, j, segment in joined:
        (x1, y1), (x2, y2) = coordinates[i], coordinates[j]
        dashed = "" if segment.comparable else f' stroke-dasharray="{DASH}"'
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{line_colour}" '
            f'stroke-width="2.5"{dashed} data-from="{escape(segment.start)}" data-to="{escape(segment.end)}" '
            f'data-joins="{"same" if segment.comparable else " ".join(segment.reasons)}">'
            f"<title>{escape(_segment_title(segment))}</title></line>"
        )
    for index, (x, y) in coordinates.items():
        point = points[index]
        shape, colour = BASIS_MARKS.get(point.basis, DEFAULT_MARK)
        about = point.basis_label or point.note
        about = f" · {about}" if about else ""
        attrs = (
            f' data-year="{escape(point.label)}" data-value="{point.value:.2f}" data-basis="{escape(point.basis)}"'
            + (' data-provisional="true"' if point.provisional else "")
        )
        tooltip = (
            f"<title>{escape(point.label)}: {number(point.value)} {escape(point.predicate)}{escape(about)}</title>"
        )
        body.append(_mark(shape, x, y, 4.5, "#ffffff" if point.provisional else colour, colour, attrs, tooltip))
        if labelled(index):
            label = number(point.value) + ("*" if point.provisional else "")
            body.append(_text(x, y - 9, label, "middle", TEXT, extra=' font-weight="600"'))
    for index, point in enumerate(points):
        x = left + (index + 0.5) * slot
        if labelled(index):
            body.append(_text(x, top + plot_h + FONT + 2, point.label, "middle", TEXT))
        if point.value is None:
            body.append(_text(x, top + plot_h / 2, "—", "middle", MUTED))
    key = _trend_key(bases, valued, segments, line_colour)
    desc = " ".join(
        [_("The index per year; shaded areas are the predicate bands of each year's framework."), *(t for _i, t in key)]
    )
    with_basis = any(point.basis for point in points)
    headers = [_("Year"), _("Index"), _("Predicate"), *([_("Basis")] if with_basis else []), _("Framework")]
    rows = [
        [
            p.label,
            number(p.value) + ("*" if p.provisional and p.value is not None else ""),
            p.predicate or "—",
            *([p.basis_label or "—"] if with_basis else []),
            p.framework + (f" ({p.note})" if p.note else ""),
        ]
        for p in points
    ]
    return Chart(title, _svg(width, height, title, desc, body), headers, rows, key=key, segments=segments)


def _trend_key(bases, valued, segments, line_colour) -> list[tuple[SafeString, str]]:
    """What the marks and lines of a trend mean, each with a small drawing of it."""
    key = []
    if any(bases):
        for basis in bases:
            shape, colour = BASIS_MARKS.get(basis, DEFAULT_MARK)
            key.append((_key_icon(_mark(shape, 12, 7, 4, colour, colour)), basis_name(basis) or "—"))
    if any(point.provisional for point in valued):
        shape, colour = BASIS_MARKS.get(next(p.basis for p in valued if p.provisional), DEFAULT_MARK)
        key.append(
            (
                _key_icon(_mark(shape, 12, 7, 4, "#ffffff", colour)),
                _("hollow, with *: provisional, not every item has a level yet (a lower bound)"),
            )
        )
    if any(not segment.comparable for segment in segments):
        solid = f'<line x1="1" y1="7" x2="23" y2="7" stroke="{line_colour}" stroke-width="2.5"/>'
        dashed = (
            f'<line x1="1" y1="7" x2="23" y2="7" stroke="{line_colour}" stroke-width="2.5" stroke-dasharray="{DASH}"/>'
        )
        if any(segment.comparable for segment in segments):
            key.append((_key_icon(solid), _("solid line: the same measure (one basis, one framework, both complete)")))
        key.append(
            (
                _key_icon(dashed),
                _("dashed line: not the same measure (another basis or framework, or a provisional value)"),
            )
        )
    return key


@dataclass(frozen=True)
class Ranked:
    label: str
    value: float
    predicate: str
    colour: str
    detail: str = ""
    provisional: bool = False


def wrap_label(label: str, width: int = 22, lines: int = 2) -> list[str]:
    """A label broken at spaces into at most `lines` lines of about `width` characters, the last cut with "…".

    Instansi names share their start ("Pemerintah Kabupaten …"): cut after one line they all looked alike.
    """
    result: list[str] = []
    current = ""
    words = label.split()
    for position, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
            continue
        result.append(current)
        current = word
        if len(result) == lines - 1:
            current = " ".join(words[position:])
            break
    result.append(current)
    if len(result[-1]) > width:
        result[-1] = result[-1][: width - 1].rstrip() + "…"
    return result


def ranking(title: str, rows: Sequence[Ranked], scale_min: float, scale_max: float) -> Chart:
    """One horizontal bar per instansi, highest first, coloured by its predicate (also written out).

    The name stands above its bar across the chart's width (wrapped, not cut after "Pemerintah Kabupaten"),
    so on a phone neither the name nor the bar is squeezed by the other.
    """
    width = WIDTH
    line_h, bar_h, gap, top = FONT + 3, 16, 10, 6
    values = [f"{number(row.value)}{'*' if row.provisional else ''} {row.predicate}".strip() for row in rows]
    value_w = min(width / 2, max((_text_width(value) for value in values), default=0) + 8)
    plot_w = width - value_w
    span = (scale_max - scale_min) or 1
    chars = int(width / (FONT * 0.56))
    body, y = [], top
    for row, value in zip(rows, values, strict=True):
        # The full name is in the tooltip and the table.
        lines = wrap_label(row.label, chars)
        texts = "".join(_text(0, y + FONT + index * line_h, line) for index, line in enumerate(lines))
        body.append(f"<g><title>{escape(row.label)}</title>{texts}</g>")
        bar_y = y + len(lines) * line_h + 4
        bar_w = max(1.0, (min(max(row.value, scale_min), scale_max) - scale_min) / span * plot_w)
        body.append(
            f'<rect x="0" y="{bar_y}" width="{bar_w:.1f}" height="{bar_h}" fill="{row.colour}" '
            f'data-value="{row.value:.2f}"><title>{escape(row.label)}: {number(row.value)} {escape(row.predicate)}</title></rect>'
        )
        body.append(_text(bar_w + 4, bar_y + bar_h - 3, value))
        y = bar_y + bar_h + gap
    height = y + FONT + 4
    ticks = []
    for tick in range(int(scale_min), int(scale_max) + 1):
        x = (tick - scale_min) / span * plot_w
        ticks.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{y - gap:.1f}" stroke="{GRID}"/>')
        anchor = "start" if tick == scale_min else "middle"
        ticks.append(_text(x, height - 4, str(tick), anchor, MUTED))
    desc = _("The latest index of each instansi, highest first.")
    headers = [_("Instansi"), _("Index"), _("Predicate"), _("Period")]
    table = [[row.label, number(row.value), row.predicate or "—", row.detail] for row in rows]
    return Chart(title, _svg(width, height, title, desc, ticks + body), headers, table)


def steps(
    title: str,
    start: float,
    values: Sequence[tuple[str, float]],
    target: float,
    scale_min,
    scale_max,
    label_header: str = "",
) -> Chart:
    """The index after each planned step as a rising step line, with the target as a dashed line.

    A step may be several raises taken together (an indicator's); `label_header` names what a label is.
    """
    width, height = WIDTH, 170
    left, right, top, bottom = 30, 8, FONT + 6, FONT + 14
    plot_w, plot_h = width - left - right, height - top - bottom
    low = max(scale_min, min([start, target, *[value for _label, value in values]]) - 0.2)
    high = min(scale_max, max([start, target, *[value for _label, value in values]]) + 0.2)
    span = (high - low) or 1
    count = len(values) + 1
    step_w = plot_w / count

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / span * plot_h

    body = []
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 4, y + 5, number(tick, 1), "end", MUTED))
    target_y = y_of(target)
    body.append(
        f'<line x1="{left}" y1="{target_y:.1f}" x2="{width - right}" y2="{target_y:.1f}" stroke="{SERIES_COLOURS[3]}" '
        f'stroke-dasharray="6 4" stroke-width="1.5"><title>{escape(_("Target"))}: {number(target)}</title></line>'
    )
    body.append(_text(width - right, target_y - 4, f"{_('Target')} {number(target)}", "end", SERIES_COLOURS[3]))
    points = [(left, y_of(start))]
    for index, (_label, value) in enumerate(values, start=1):
        x = left + index * step_w
        points.append((x, points[-1][1]))
        points.append((x, y_of(value)))
    points.append((width - right, points[-1][1]))
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    body.append(f'<polyline points="{path}" fill="none" stroke="{SERIES_COLOURS[0]}" stroke-width="2.5"/>')
    for index, (label, value) in enumerate(values, start=1):
        x = left + index * step_w
        body.append(
            f'<circle cx="{x:.1f}" cy="{y_of(value):.1f}" r="3" fill="{SERIES_COLOURS[0]}" data-value="{value:.2f}">'
            f"<title>{escape(label)}: {number(value)}</title></circle>"
        )
        if step_w >= _text_width(str(len(values))) + 4:
            body.append(_text(x, height - 6, str(index), "middle", MUTED))
    desc = _("The index after each step, starting from %(start)s.") % {"start": number(start)}
    headers = [label_header or _("Step"), _("Index after")]
    rows = [[label, number(value)] for label, value in values]
    return Chart(title, _svg(width, height, title, desc, body), headers, rows)
