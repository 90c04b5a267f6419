"""The executive dashboard as an A4 PDF, in the report style of `simpul.core.pdf`.

The same content as the page: every section's figures (a missing value written "not available yet"), its
trend as a table with each year's basis and a small line drawing, its rows, and the slots of the parts no
installed module supplies yet. The caller renders it in the report language (Bahasa Indonesia).
"""

from __future__ import annotations

import itertools

from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

from simpul.core import pdf
from simpul.core.executive import Section
from simpul.dashboard.charts import basis_text
from simpul.dashboard.executive import Board

PDF_CONTENT_TYPE = pdf.PDF_CONTENT_TYPE


def title(board: Board) -> str:
    if board.opd is not None:
        return _("Report card of %(name)s") % {"name": board.opd.name}
    return _("Executive dashboard")


def filename(board: Board) -> str:
    parts = ["dasbor-eksekutif", board.instansi.slug]
    if board.opd is not None:
        parts.append(slugify(board.opd.short_name or board.opd.name))
    parts.append(board.generated_at.date().isoformat())
    return "-".join(parts) + ".pdf"


def render(board: Board, *, compress: bool = True) -> bytes:
    """The dashboard as PDF bytes: the instansi, the OPD if narrowed, the date it was made and by whom."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    document = pdf.Document()
    p = document.p
    story = [p(title(board), "title"), p(board.instansi.name, "h2")]
    if board.opd is not None:
        story.append(p(_("OPD: %(name)s") % {"name": board.opd.name}, "h3"))
    made = _("Made on %(when)s by %(who)s in Simpul.") % {
        "when": formats.date_format(board.generated_at, "DATETIME_FORMAT"),
        "who": board.generated_by,
    }
    story += [
        p(made),
        p(_("Each figure counts the records the person who made this report may view."), "muted"),
        Spacer(1, 3 * mm),
    ]
    for section in board.sections:
        story += _section(document, section, slot=False)
    for section in board.slots:
        story += _section(document, section, slot=True)
    return document.render(
        story,
        title=f"{title(board)} – {board.instansi.name}",
        footer=f"{title(board)} · {board.instansi.name}",
        author=board.generated_by,
        compress=compress,
    )


def _section(document: pdf.Document, section: Section, *, slot: bool) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    p, table = document.p, document.table
    heading = [p(section.title, "h2")]
    if slot:
        heading.append(p(_("not available yet"), "warn"))
    if section.note:
        heading.append(p(section.note, "muted"))
    parts = []
    if section.figures:
        parts.append(
            table(
                [_("Figure"), _("Value"), _("Note")],
                [
                    [figure.label, figure.value if figure.value is not None else _("not available yet"), figure.note]
                    for figure in section.figures
                ],
                [0.3, 0.25, 0.45],
            )
        )
    if section.trend:
        drawing, mixed = _trend_drawing(section, document.width)
        if drawing is not None:
            parts += [Spacer(1, 2 * mm), drawing]
        if mixed:
            parts.append(p(_("dashed line: not the same measure (another basis, or provisional)"), "muted"))
        parts += [
            Spacer(1, 2 * mm),
            table(
                [_("Year"), _("Value"), _("Basis")],
                [
                    [
                        point["label"],
                        (point.get("display") or str(point["value"])) if point.get("value") is not None else "–",
                        basis_text(point) or "–",
                    ]
                    for point in section.trend
                ],
                [0.15, 0.3, 0.55],
            ),
        ]
    if section.rows:
        label, value = section.row_headers
        parts += [
            Spacer(1, 2 * mm),
            table(
                [label or _("Item"), value or _("Value")],
                [[row["label"], str(row["value"])] for row in section.rows],
                [0.75, 0.25],
            ),
        ]
    # A section's heading stays with the start of its content on one page.
    first = parts[:1]
    return [KeepTogether(heading + first), *parts[1:], Spacer(1, 4 * mm)]


def _trend_drawing(section: Section, width: float):
    """The trend as a small line, and whether any join is dashed: each year's value, a dashed join where the
    basis changes or a value is provisional (not one measure), a hollow mark for a provisional value."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, String
    from reportlab.lib import colors

    points = section.trend
    valued = [point["value"] for point in points if point.get("value") is not None]
    if not valued:
        return None, False
    low, high = int(min(valued)), int(max(valued)) + 1
    height, left, bottom, top = 110, 24, 18, 14
    plot_w, plot_h = width - left - 8, height - bottom - top
    slot = plot_w / len(points)
    drawing = Drawing(width, height)

    def x_of(index: int) -> float:
        return left + (index + 0.5) * slot

    def y_of(value: float) -> float:
        return bottom + (value - low) / (high - low) * plot_h

    grey = colors.HexColor("#adb5bd")
    for tick in range(low, high + 1):
        drawing.add(Line(left, y_of(tick), width - 8, y_of(tick), strokeColor=grey, strokeWidth=0.3))
        drawing.add(String(left - 4, y_of(tick) - 3, str(tick), fontName="Helvetica", fontSize=7, textAnchor="end"))
    positions = [index for index, point in enumerate(points) if point.get("value") is not None]
    ink = colors.HexColor("#0072B2")
    mixed = False
    for i, j in itertools.pairwise(positions):
        before, after = points[i], points[j]
        same = (
            before.get("basis") == after.get("basis") and not before.get("provisional") and not after.get("provisional")
        )
        mixed = mixed or not same
        drawing.add(
            Line(
                x_of(i),
                y_of(before["value"]),
                x_of(j),
                y_of(after["value"]),
                strokeColor=ink,
                strokeWidth=1.5,
                strokeDashArray=None if same else [4, 3],
            )
        )
    for index, point in enumerate(points):
        x = x_of(index)
        drawing.add(String(x, 4, point["label"], fontName="Helvetica", fontSize=7, textAnchor="middle"))
        if point.get("value") is None:
            continue
        y = y_of(point["value"])
        fill = colors.white if point.get("provisional") else ink
        drawing.add(Circle(x, y, 2.8, fillColor=fill, strokeColor=ink, strokeWidth=1))
        label = formats.number_format(point["value"], 2) + ("*" if point.get("provisional") else "")
        drawing.add(String(x, y + 5, label, fontName="Helvetica-Bold", fontSize=7, textAnchor="middle"))
    return drawing, mixed
