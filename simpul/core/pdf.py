"""Simpul's PDF reports (reportlab): one look for every module's report, and tables that never cut a word.

`Document` holds the house style (A4, Helvetica, which every PDF reader has built in, so nothing is
downloaded or embedded): its paragraph styles, a table whose header repeats on each page, and the footer
with the page number. A module builds its story with `document.p(...)` and `document.table(...)` and
gets the bytes from `document.render(story)`. The evaluation report and the executive dashboard use it.

Table columns never cut a word in two. reportlab breaks a cell's text at spaces, and cuts a word that is
wider than the column wherever the line runs out ("DISKOMINF" / "O"). Here every column is made at least
as wide as the widest word it holds, taking the room from columns that have more than they need; a word
that still does not fit (a very narrow page, a very long name) is printed in a smaller font in its cell
instead of being cut. Only tokens that are not words (web addresses, paths, e-mail addresses, very long
strings) may still break.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

PDF_CONTENT_TYPE = "application/pdf"

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


def paragraph_styles() -> dict:
    """The report's paragraph styles by name: title, h2, h3, body, warn, muted, name, and cell/head for tables."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    sample = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=sample["Title"], fontName="Helvetica-Bold", fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", parent=sample["Heading2"], fontName="Helvetica-Bold", fontSize=12, leading=15),
        "h3": ParagraphStyle("h3", parent=sample["Heading3"], fontName="Helvetica-Bold", fontSize=10, leading=13),
        "body": ParagraphStyle("body", parent=sample["BodyText"], fontName="Helvetica", fontSize=9, leading=11.5),
        "warn": ParagraphStyle(
            "warn",
            parent=sample["BodyText"],
            fontName="Helvetica-Bold",
            fontSize=9,
            leading=11.5,
            textColor=colors.HexColor("#8a4b00"),
            backColor=colors.HexColor("#fff3cd"),
            borderPadding=4,
        ),
        "muted": ParagraphStyle(
            "muted",
            parent=sample["BodyText"],
            fontName="Helvetica",
            fontSize=8,
            leading=10,
            textColor=colors.HexColor("#555555"),
        ),
        "name": ParagraphStyle("name", parent=sample["BodyText"], fontName="Helvetica-Bold", fontSize=9, leading=11.5),
        "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=7.5, leading=9),
    }


class Document:
    """An A4 report in Simpul's style: build a story with `p` and `table`, then `render` it to bytes."""

    def __init__(self) -> None:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm

        self.page_size = A4
        self.margin = 18 * mm
        self.styles = paragraph_styles()
        # The width of the text between the margins, in points.
        self.width = A4[0] - 2 * self.margin
        self._cell_styles: dict = {}

    def p(self, text, style: str = "body"):
        """A paragraph of plain text (escaped; never markup)."""
        from reportlab.platypus import Paragraph

        return Paragraph(escape(str(text)), self.styles[style])

    def cell(self, text: str, base: str, width: float):
        """A cell whose words are never cut: the column fits its widest word, else the font shrinks."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        style = self.styles[base]
        font = cell_font(text, CellFont(style.fontName, style.fontSize, style.leading), width)
        # Only tokens that are not words (addresses, paths) may break at the column's edge.
        may_break = any(not is_word(token) for token in text.split())
        key = (base, font.size, may_break)
        if key not in self._cell_styles:
            self._cell_styles[key] = ParagraphStyle(
                f"{base}-{font.size}-{int(may_break)}",
                parent=style,
                fontSize=font.size,
                leading=font.leading,
                splitLongWords=1 if may_break else 0,
            )
        return Paragraph(escape(text).replace("\n", "<br/>"), self._cell_styles[key])

    def table(self, header: list, rows: list[list], fractions: list[float]):
        """A table with a shaded header row repeated on every page; `fractions` are the wanted column
        widths as parts of the text width, widened where a word would not fit. A cell may be text or a
        flowable (anything with `wrap`), which is placed as it is."""
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        head_style, cell_style = self.styles["head"], self.styles["cell"]
        head_font = CellFont(head_style.fontName, head_style.fontSize, head_style.leading)
        body_font = CellFont(cell_style.fontName, cell_style.fontSize, cell_style.leading)
        texts = [[str(text) for text in header]] + [
            [cell if hasattr(cell, "wrap") else str(cell) for cell in row] for row in rows
        ]
        measured = [
            [("" if hasattr(cell, "wrap") else cell, head_font if index == 0 else body_font) for cell in row]
            for index, row in enumerate(texts)
        ]
        widths = column_widths(measured, fractions, self.width)
        data = [
            [
                cell if hasattr(cell, "wrap") else self.cell(cell, "head" if index == 0 else "cell", widths[c])
                for c, cell in enumerate(row)
            ]
            for index, row in enumerate(texts)
        ]
        result = Table(data, colWidths=widths, repeatRows=1)
        result.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dbe4f0")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#8c9bab")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return result

    def render(self, story: list, *, title: str, footer: str, author: str = "", compress: bool = True) -> bytes:
        """The story as PDF bytes, each page with `footer` and its number at the bottom.

        Without compression (tests) the output is also reproducible: no timestamps or random ids.
        """
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        page_width = self.page_size[0]
        margin = self.margin

        def on_page(canvas, doc):
            canvas.saveState()
            canvas.setFont("Helvetica", 7)
            canvas.setFillColor(colors.HexColor("#555555"))
            canvas.drawString(margin, 10 * mm, footer)
            canvas.drawRightString(page_width - margin, 10 * mm, _("page %(number)s") % {"number": doc.page})
            canvas.restoreState()

        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            title=title,
            author=author,
            creator="Simpul",
            lang="id",
            pageCompression=1 if compress else 0,
            invariant=0 if compress else 1,
        )
        document.build(story, onFirstPage=on_page, onLaterPages=on_page)
        return buffer.getvalue()
