"""Table columns for the PDF that never cut a word in two.

reportlab breaks a cell's text at spaces, and cuts a word that is wider than the column wherever the
line runs out ("DISKOMINF" / "O"). Here every column is made at least as wide as the widest word it holds,
taking the room from columns that have more than they need; a word that still does not fit (a very narrow
page, a very long name) is printed in a smaller font in its cell instead of being cut. Only tokens that
are not words (web addresses, paths, e-mail addresses, very long strings) may still break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A token with one of these characters, or longer than this, is an address or a code, not a word.
_NOT_A_WORD = re.compile(r"[/\\@_=?&]")
MAX_WORD_LENGTH = 40
# The smallest font a cell is shrunk to so that its longest word fits.
MIN_FONT_SIZE = 4.5
# reportlab's default left + right cell padding, and a little room for rounding.
CELL_PADDING = 12.0
SLACK = 0.5


def is_word(token: str) -> bool:
    return len(token) <= MAX_WORD_LENGTH and not _NOT_A_WORD.search(token)


def longest_word_width(text: str, font: str, size: float) -> float:
    """The width of the widest word of `text` (tokens that may break do not count)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(token, font, size) for token in str(text).split() if is_word(token)), default=0.0)


def fit_widths(needs: list[float], widths: list[float]) -> list[float]:
    """Widen each column narrower than it needs, taking the room from the columns wider than they need
    (in proportion to their spare room); the total width stays the same. When there is not enough spare
    room, the short columns share what there is in proportion to their shortfall."""
    widths = list(widths)
    short = [i for i, (need, width) in enumerate(zip(needs, widths, strict=True)) if width < need]
    if not short:
        return widths
    deficit = sum(needs[i] - widths[i] for i in short)
    spare_by_column = {i: widths[i] - needs[i] for i in range(len(widths)) if widths[i] > needs[i]}
    spare = sum(spare_by_column.values())
    if spare <= 0:
        return widths
    moved = min(spare, deficit)
    for i in short:
        widths[i] += moved * (needs[i] - widths[i]) / deficit
    for i, room in spare_by_column.items():
        widths[i] -= moved * room / spare
    return widths


@dataclass(frozen=True)
class CellFont:
    name: str
    size: float
    leading: float


def cell_font(text: str, font: CellFont, width: float) -> CellFont:
    """The cell's font, smaller when its widest word would not fit the column at the normal size."""
    available = width - CELL_PADDING - SLACK
    needed = longest_word_width(text, font.name, font.size)
    if needed <= available or needed <= 0:
        return font
    size = max(MIN_FONT_SIZE, int(font.size * available / needed * 10) / 10)
    return CellFont(font.name, size, font.leading * size / font.size)


def column_widths(rows: list[list[tuple[str, CellFont]]], fractions: list[float], total: float) -> list[float]:
    """Column widths (points) from the wanted fractions of `total`, widened to fit every word."""
    needs = [0.0] * len(fractions)
    for row in rows:
        for column, (text, font) in enumerate(row):
            width = longest_word_width(text, font.name, font.size)
            if width:
                needs[column] = max(needs[column], width + CELL_PADDING + SLACK)
    return fit_widths(needs, [fraction * total for fraction in fractions])
