"""The roadmap as a timeline (Gantt-like), one server-rendered SVG per area: no JavaScript library.

Each output is a row: its name and status in words on the left, a bar over its target years, the part of
the bar filled to its accepted progress, and a dashed line at the chosen date ("today" unless a past date
is replayed). Colour is never the only carrier: the status and percentage are written beside each bar, the
full name is the row's tooltip, and the same rows are the table view. The palette is Okabe–Ito, which
stays distinguishable for the common colour-vision deficiencies. The SVG has a fixed width and scrolls
sideways inside its box on a phone (the page says so).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from simpul.roadmap.choices import OutputStatus

COLOURS = {
    OutputStatus.DONE: "#009E73",
    OutputStatus.ON_TRACK: "#0072B2",
    OutputStatus.LATE: "#E69F00",
    OutputStatus.NOT_ACHIEVED: "#D55E00",
    OutputStatus.NOT_STARTED: "#8C8C8C",
}
FIRST_YEAR, LAST_YEAR = 2020, 2029  # the master plan's span; widened to fit every output and the date
LABEL_WIDTH = 300
YEAR_WIDTH = 58
ROW_HEIGHT = 38
GROUP_HEIGHT = 24
HEADER_HEIGHT = 30
FONT = 12
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
TODAY = "#B03A00"
MAX_LABEL = 44


@dataclass
class Group:
    """An initiative and its outputs, each with its tracking (status, contradictions)."""

    title: str
    rows: list[tuple] = field(default_factory=list)  # (output, tracking)


@dataclass
class AreaTimeline:
    key: str
    label: str
    groups: list[Group]
    svg: str = ""

    @property
    def output_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def year_span(outputs, on: datetime.date) -> tuple[int, int]:
    starts = [output.start_year for output in outputs] + [FIRST_YEAR, on.year]
    ends = [output.end_year for output in outputs] + [LAST_YEAR, on.year]
    return min(starts), max(ends)


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render(area: AreaTimeline, first: int, last: int, on: datetime.date, today_label: str) -> SafeString:
    """The SVG of one area's timeline (see the module docstring)."""
    years = list(range(first, last + 1))
    width = LABEL_WIDTH + YEAR_WIDTH * len(years) + 10
    height = HEADER_HEIGHT + sum(GROUP_HEIGHT + ROW_HEIGHT * len(group.rows) for group in area.groups) + 6

    def x_of(year: float) -> float:
        return LABEL_WIDTH + (year - first) * YEAR_WIDTH

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="tl-{area.key}-title" data-testid="timeline-svg" font-family="system-ui, sans-serif" '
        f'font-size="{FONT}">',
        f'<title id="tl-{area.key}-title">{escape(area.label)}</title>',
    ]
    for index, year in enumerate(years):
        x = x_of(year)
        if index % 2 == 0:
            parts.append(f'<rect x="{x}" y="0" width="{YEAR_WIDTH}" height="{height}" fill="#f8f9fa"/>')
        parts.append(
            f'<text x="{x + YEAR_WIDTH / 2}" y="{HEADER_HEIGHT - 10}" text-anchor="middle" fill="{MUTED}">{year}</text>'
        )
        parts.append(f'<line x1="{x}" y1="{HEADER_HEIGHT - 4}" x2="{x}" y2="{height}" stroke="{GRID}"/>')
    y = HEADER_HEIGHT
    for group in area.groups:
        parts.append(
            f'<text x="4" y="{y + GROUP_HEIGHT - 7}" font-weight="600" fill="{TEXT}">'
            f"<title>{escape(group.title)}</title>{escape(_short(group.title, 60))}</text>"
        )
        y += GROUP_HEIGHT
        for output, tracking in group.rows:
            parts.append(_row(output, tracking, y, x_of))
            y += ROW_HEIGHT
    # The chosen date: a dashed line across the rows, labelled at the top.
    fraction = (on.timetuple().tm_yday - 1) / (366 if _leap(on.year) else 365)
    x = x_of(on.year + fraction)
    parts.append(
        f'<line x1="{x:.1f}" y1="{HEADER_HEIGHT - 6}" x2="{x:.1f}" y2="{height}" stroke="{TODAY}" stroke-width="2" '
        f'stroke-dasharray="5 3" data-testid="timeline-today"/>'
    )
    parts.append(
        f'<text x="{x + 3:.1f}" y="{HEADER_HEIGHT - 20}" fill="{TODAY}" font-size="{FONT - 1}">{escape(today_label)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _row(output, tracking, y: float, x_of) -> str:
    status = tracking.status
    colour = COLOURS.get(status.code, MUTED)
    progress = status.progress or 0
    start, end = x_of(output.start_year), x_of(output.end_year + 1)
    bar_y, bar_h = y + 8, ROW_HEIGHT - 16
    filled = (end - start) * min(progress, 100) / 100
    words = status.label if status.progress is None else f"{status.label} · {status.progress}%"
    if tracking.contradictions:
        words = f"{words} · ⚠ {_('contradiction')}"
    tooltip = f"{output.name} ({output.years_label}): {words}"
    url = output.get_absolute_url()
    return (
        f'<a href="{escape(url)}" data-testid="timeline-row" data-status="{escape(status.code)}">'
        f"<title>{escape(tooltip)}</title>"
        f'<text x="14" y="{y + 15}" fill="{TEXT}">{escape(_short(output.name))}</text>'
        f'<text x="14" y="{y + 30}" fill="{MUTED}" font-size="{FONT - 1}">{escape(words)}</text>'
        f'<rect x="{start + 1:.1f}" y="{bar_y}" width="{end - start - 2:.1f}" height="{bar_h}" rx="3" '
        f'fill="{colour}" fill-opacity="0.22" stroke="{colour}"/>'
        f'<rect x="{start + 1:.1f}" y="{bar_y}" width="{max(filled - 2, 0):.1f}" height="{bar_h}" rx="3" fill="{colour}"/>'
        "</a>"
    )
