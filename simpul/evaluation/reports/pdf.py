"""The report as an A4 PDF (reportlab)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _

from simpul.core import pdf
from simpul.evaluation.models import ScoreBasis
from simpul.evaluation.reports.content import Report, _in_report_language
from simpul.evaluation.reports.wording import (
    SIGN_LINE,
    basis_label,
    conclusion,
    evidence_kind,
    evidence_reference,
    fmt_level,
    fmt_number,
    framework_warning,
    generated_line,
    hidden_note,
    method_paragraph,
    place_and_date,
    prepared_date,
    score_note,
    stage_levels,
    summary_facts,
)

PDF_CONTENT_TYPE = pdf.PDF_CONTENT_TYPE


@_in_report_language
def render_pdf(report: Report, *, compress: bool = True) -> bytes:
    """The report as an A4 PDF with Helvetica (built into every PDF reader, nothing downloaded)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    document = pdf.Document()
    styles, width, p, table = document.styles, document.width, document.p, document.table

    period = report.period
    framework = period.framework
    spec = report.spec
    story = [p(report.title, "title"), p(period.instansi.name, "h2"), Spacer(1, 2 * mm)]
    warning = framework_warning(report)
    if warning:
        story += [p(warning, "warn"), Spacer(1, 2 * mm)]

    # The executive summary: the first thing the Tim Koordinasi reads.
    story.append(p(_("Executive summary"), "h2"))
    story.append(table([_("Particular"), _("Value")], summary_facts(report), [0.28, 0.72]))
    summary = report.summary
    if summary and summary.lowest:
        basis = summary.result.basis
        story += [
            Spacer(1, 2 * mm),
            p(_("Items with the lowest level (%(basis)s)") % {"basis": summary.result.basis_label}),
            table(
                [_("No."), _("Indicator"), _("Weight (%)"), _("PIC"), _("Level")],
                [
                    [row.item_key, row.name, fmt_number(row.weight), row.pic or "–", fmt_level(row.levels[basis])]
                    for row in summary.lowest
                ],
                [0.07, 0.55, 0.1, 0.18, 0.1],
            ),
        ]
    story += [
        p(_("Conclusion"), "h3"),
        p(conclusion(report)),
        p(_("Method"), "h3"),
        p(method_paragraph(report)),
        Spacer(1, 2 * mm),
    ]

    story += [
        p(_("Identity"), "h2"),
        table(
            [_("Particular"), _("Value")],
            [
                [_("Instansi"), period.instansi.name],
                [_("Year"), str(period.year)],
                [_("Framework"), framework.title],
                [_("Source regulation"), framework.source_regulation],
                [_("Verification status"), report.framework_status],
                [_("Stage"), period.get_status_display()],
                [_("Target index"), fmt_number(period.target_index, spec.decimals)],
                [_("Index of the year"), report.result.label if report.result else "–"],
            ],
            [0.28, 0.72],
        ),
        Spacer(1, 2 * mm),
    ]
    if report.hidden:
        story += [p(hidden_note(report)), Spacer(1, 2 * mm)]

    story.append(p(_("SPBE index"), "h2"))
    if report.scores:
        story.append(
            table(
                [_("Basis"), _("Index"), _("Predicate"), _("Items with a level"), _("Note")],
                [
                    [
                        basis_label(basis),
                        fmt_number(score.index, spec.decimals),
                        score.predicate,
                        f"{score.assessed} / {score.total}",
                        score_note(score),
                    ]
                    for basis, score in ((b, report.scores[b]) for b in report.bases)
                ],
                [0.2, 0.1, 0.15, 0.15, 0.4],
            )
        )
    else:
        story.append(p(_("No level has been recorded yet, so there is no index. Fill in the self-assessments first.")))

    story.append(p(_("Domain and aspect values"), "h2"))
    bases = report.bases
    value_header = [_("Code"), _("Name"), _("Weight (%)"), *[basis_label(b) for b in bases]]
    value_widths = [0.07, 0.38, 0.09] + [0.46 / max(len(bases), 1)] * len(bases)
    if report.domains:
        story.append(
            table(
                value_header,
                [
                    [d.code, d.name, fmt_number(d.weight), *[fmt_number(d.values.get(b), spec.decimals) for b in bases]]
                    for d in report.domains
                ],
                value_widths,
            )
        )
        story.append(Spacer(1, 2 * mm))
    story.append(
        table(
            value_header,
            [
                [a.code, a.name, fmt_number(a.weight), *[fmt_number(a.values.get(b), spec.decimals) for b in bases]]
                for a in report.aspects
            ],
            value_widths,
        )
    )
    if bases:
        story += [Spacer(1, 3 * mm), _bar_chart(report, width)]

    story.append(p(_("Indicators"), "h2"))
    if report.rows:
        story.append(
            table(
                [
                    _("No."),
                    _("Indicator"),
                    _("Weight (%)"),
                    _("PIC"),
                    _("Self"),
                    _("Final"),
                    _("National"),
                    _("Status"),
                ],
                [
                    [
                        row.item_key + ("*" if row.unverified else ""),
                        row.name,
                        fmt_number(row.weight),
                        row.pic or "–",
                        fmt_level(row.levels[ScoreBasis.SELF]),
                        fmt_level(row.levels[ScoreBasis.INTERNAL]),
                        fmt_level(row.levels[ScoreBasis.NATIONAL]),
                        row.status,
                    ]
                    for row in report.rows
                ],
                # PIC wide enough for one OPD short name (DISKOMINFO, INSPEKTORAT) on a line.
                [0.05, 0.34, 0.08, 0.15, 0.08, 0.08, 0.09, 0.13],
            )
        )
    else:
        story.append(p(_("Your account may not view any indicator of this period.")))

    story.append(p(_("Evidence"), "h2"))
    evidence_rows = [
        [row.item_key, item.title, evidence_kind(item), evidence_reference(item)]
        for row in report.rows
        for item in row.evidence
    ]
    if evidence_rows:
        story.append(
            table(
                [_("No."), _("Title"), _("Kind"), _("File, record or address")], evidence_rows, [0.07, 0.35, 0.13, 0.45]
            )
        )
    without = [row.item_key for row in report.rows if not row.evidence]
    if without:
        story.append(p(_("Indicators without evidence: %(items)s.") % {"items": ", ".join(without)}))

    story.append(p(_("Recommendations"), "h2"))
    if report.recommendations:
        # One row per indicator: a text the evaluators repeated at several stages appears once.
        story.append(
            table(
                [_("No."), _("Indicator"), _("Level per stage"), _("Evaluator's notes"), _("Recommendations")],
                [
                    [
                        ", ".join(item.item_keys),
                        item.name,
                        stage_levels(item),
                        "\n".join(item.notes) or "–",
                        "\n".join(item.recommendations) or "–",
                    ]
                    for item in report.recommendations
                ],
                [0.06, 0.2, 0.16, 0.27, 0.31],
            )
        )
    else:
        story.append(p(_("No result of the national evaluation has been recorded yet.")))
    if report.review_notes:
        story += [Spacer(1, 2 * mm), p(_("Notes of the internal review"), "body")]
        story.append(
            table(
                [_("No."), _("Status"), _("Review note")],
                [[row.item_key, row.status, row.assessment.review_note] for row in report.review_notes],
                [0.07, 0.18, 0.75],
            )
        )

    if report.actions:
        story.append(p(_("Improvement actions"), "h2"))
        story.append(
            table(
                [_("No."), _("Action"), _("Level"), _("OPD"), _("Due date"), _("Status")],
                [
                    [
                        action.item_key,
                        action.title,
                        _("from %(from)s to %(to)s") % {"from": action.from_level, "to": action.to_level},
                        action.owner.short_name,
                        formats.date_format(action.due_date) if action.due_date else "–",
                        action.get_status_display(),
                    ]
                    for action in report.actions
                ],
                [0.07, 0.41, 0.12, 0.12, 0.13, 0.15],
            )
        )

    story += [Spacer(1, 4 * mm), p(generated_line(report))]
    if report.approval:
        story += [Spacer(1, 6 * mm), _approval_block(report, width, styles)]

    return document.render(
        story,
        title=f"{report.title} – {period.instansi.name}",
        footer=f"{report.title} · {period.instansi.name}",
        author=report.generated_by,
        compress=compress,
    )


def _bar_chart(report: Report, width: float):
    """Domain values per basis (aspect values for a framework without domains), as grouped bars."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    rows = report.domains or report.aspects
    bases = report.bases
    palette = {
        ScoreBasis.SELF: colors.HexColor("#9ab7d9"),
        ScoreBasis.INTERNAL: colors.HexColor("#2f6aa8"),
        ScoreBasis.NATIONAL: colors.HexColor("#d98c2b"),
    }
    spec = report.spec
    drawing = Drawing(width, 190)
    drawing.add(
        String(
            0, 178, _("Domain values") if report.domains else _("Aspect values"), fontName="Helvetica-Bold", fontSize=9
        )
    )
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 150, 135
    chart.data = [[row.values.get(basis) or 0 for row in rows] for basis in bases]
    chart.categoryAxis.categoryNames = [row.code for row in rows]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = min(0, spec.scale_min)
    chart.valueAxis.valueMax = spec.scale_max
    chart.valueAxis.valueStep = 1
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    chart.barSpacing = 1
    chart.groupSpacing = 8
    for index, basis in enumerate(bases):
        chart.bars[index].fillColor = palette[basis]
        chart.bars[index].strokeColor = None
    chart.barLabelFormat = lambda value: fmt_number(value, spec.decimals)
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 5.5
    chart.barLabels.nudge = 5
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 110, 150
    legend.fontName = "Helvetica"
    legend.fontSize = 7
    legend.alignment = "right"
    legend.colorNamePairs = [(palette[basis], basis_label(basis)) for basis in bases]
    drawing.add(legend)
    return drawing


def _approval_block(report: Report, width: float, styles):
    """Prepared by (the user who generated the report) and approved by (named, or lines to sign)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    approval = report.approval

    def line(text, style="body"):
        return Paragraph(escape(str(text)), styles[style])

    def column(signatory, top: str, heading: str):
        return [
            line(top),
            line(heading),
            line(signatory.position or SIGN_LINE),
            Spacer(1, 18 * mm),
            line(signatory.name or SIGN_LINE, "name"),
            line(_("NIP %(nip)s") % {"nip": signatory.nip or SIGN_LINE}),
        ]

    left = column(approval.prepared_by, prepared_date(report), _("Prepared by,"))
    right = column(approval.approved_by, place_and_date(report), _("Approved by,"))
    block = Table([[left, right]], colWidths=[width / 2, width / 2])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([line(_("Approval"), "h3"), block])
