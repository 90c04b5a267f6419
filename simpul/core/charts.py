"""The drawing kit of Simpul's charts: server-rendered inline SVG, no JavaScript library, nothing from a CDN.

Every module's charts (the evaluation's bars and trends, the executive dashboard's) are drawn with these
pieces, so they share one size rule and one palette. A chart carries a `<title>` and `<desc>`, writes its
values as text next to the marks (colour is never the only carrier) and is shown with the same numbers as
a table. The palette is Okabe–Ito, which stays distinguishable for the common colour-vision deficiencies.
"""

from __future__ import annotations

import math

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Series colours (Okabe–Ito): blue, orange, bluish green, vermillion, reddish purple.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7")
# A chart is drawn WIDTH units wide and fills its box (width="100%"), so its text scales with the box. On a
# phone that box is about PHONE_BOX CSS pixels wide (a 360-px screen less the page's and the card's padding),
# where text of s units shows at s × PHONE_BOX / WIDTH pixels: `text_size` keeps every text at least
# MIN_TEXT_PX there. On a wide screen a chart grows to at most MAX_SCALE × its width in pixels, so the same
# text stays under about 17 px (a 440-unit chart stretched 1.6 times showed 9 px on a phone, 21 px on a desk).
WIDTH = 360
PHONE_BOX = 300
MIN_TEXT_PX = 11
MAX_SCALE = 1.2


def text_size(nominal: float = 0, width: float = WIDTH) -> int:
    """A font size in viewBox units: `nominal`, but never under MIN_TEXT_PX once the chart fits a phone."""
    return max(math.ceil(nominal), math.ceil(MIN_TEXT_PX * width / PHONE_BOX))


FONT = text_size()
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"


def number(value: float | None, decimals: int = 2) -> str:
    """A value in the active language's format (a decimal comma in Indonesian); a dash when there is none."""
    if value is None:
        return "—"
    return formats.number_format(value, decimals)


def svg(width: int, height: float, title: str, desc: str, body: list[str]) -> SafeString:
    """The whole chart: `body` (SVG elements, every text in it escaped where it was put in) in a drawing that
    fills its box up to MAX_SCALE × its width, with its title and description for screen readers."""
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" width="100%" '
        f'role="img" style="max-width:{round(width * MAX_SCALE)}px;height:auto" '
        f'font-family="system-ui, sans-serif" font-size="{text_size(width=width)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def text(x: float, y: float, content: str, anchor: str = "start", colour: str = TEXT, size: int = FONT, extra=""):
    """A `<text>` element (escaped), never smaller than the phone's minimum."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{colour}" font-size="{text_size(size)}"{extra}>'
        f"{escape(content)}</text>"
    )


def text_width(content: str, size: int = FONT) -> float:
    """About how wide a text is in units: the sans-serif average of a little over half the font size."""
    return len(content) * size * 0.56


def mark(shape: str, x: float, y: float, r: float, fill: str, stroke: str, attrs: str = "", inner: str = "") -> str:
    """A point's mark: "circle", "square" or "diamond" (so that a colour is never the only difference)."""
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="2"{attrs}'
    if shape == "square":
        side = r * 1.7
        element = f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" height="{side:.1f}" {common}'
        return f"{element}>{inner}</rect>"
    if shape == "diamond":
        d = r * 1.35
        path = f"M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}Z"
        return f'<path d="{path}" {common}>{inner}</path>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}>{inner}</circle>'


def key_icon(body: str) -> SafeString:
    """A small drawing for the key under a chart (the text next to it says what it means)."""
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 14" width="24" height="14" aria-hidden="true" '
        f'class="align-middle">{body}</svg>'
    )
