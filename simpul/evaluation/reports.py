"""The evaluation report of a period, as PDF (reportlab) and XLSX (openpyxl), for the Tim Koordinasi
and the Bupati.

`collect()` gathers once what the reader may see; `render_pdf()` and `render_xlsx()` only lay it out,
so both files always say the same thing. The report is the instansi's official document, so it is
written in the deployment's language (Bahasa Indonesia) whatever language the reader's screen uses.

Who sees what: the index, domain and aspect values are results of the whole instansi and appear for
anyone who may view the period. The indicator rows, their evidence, the national results and the
improvement actions pass through `permissions.restrict()`, so a PIC's report lists its own indicators
only, and the report says how many rows were left out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.core.importexport import XLSX_CONTENT_TYPE, _cell
from simpul.evaluation import scoring
from simpul.evaluation.models import (
    NATIONAL_STAGE_ORDER,
    EvaluationPeriod,
    Evidence,
    ImprovementAction,
    IndicatorAssessment,
    NationalStageResult,
    PeriodScore,
    ScoreBasis,
    VerificationStatus,
)

PDF_CONTENT_TYPE = "application/pdf"
__all__ = ["PDF_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "Report", "collect", "render_pdf", "render_xlsx"]

BASES = (ScoreBasis.SELF, ScoreBasis.INTERNAL, ScoreBasis.NATIONAL)


@dataclass
class IndicatorRow:
    """One assessed item (an indicator, or one part of it) as the report shows it."""

    assessment: IndicatorAssessment
    number: int
    item_key: str
    name: str
    aspect: str
    weight: float
    unverified: bool
    pic: str
    levels: dict[str, Decimal | None]
    status: str
    evidence: list[Evidence] = field(default_factory=list)
    national: list[NationalStageResult] = field(default_factory=list)


@dataclass
class ValueRow:
    """A domain or an aspect with its value on each basis that has a score."""

    code: str
    name: str
    weight: float
    domain: str
    values: dict[str, float | None]


@dataclass
class Report:
    period: EvaluationPeriod
    title: str
    framework_status: str
    framework_unverified: bool
    scores: dict[str, PeriodScore]
    domains: list[ValueRow]
    aspects: list[ValueRow]
    rows: list[IndicatorRow]
    hidden: int
    actions: list[ImprovementAction]
    generated_at: datetime
    generated_by: str

    @property
    def spec(self):
        return self.period.framework.spec

    @property
    def bases(self) -> list[str]:
        """The bases with a stored score, in the order of the evaluation (self, internal, national)."""
        return [basis for basis in BASES if basis in self.scores]

    @property
    def unverified_rows(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.unverified]

    @property
    def review_notes(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.assessment.review_note]

    @property
    def national_results(self) -> list[tuple[IndicatorRow, NationalStageResult]]:
        return [(row, result) for row in self.rows for result in row.national]


def _in_report_language(function):
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    wrapper.__doc__ = function.__doc__
    wrapper.__name__ = function.__name__
    return wrapper


@_in_report_language
def collect(period: EvaluationPeriod, user) -> Report:
    """Everything the report shows, read with a fixed number of queries and restricted to `user`.

    The caller has already checked that the user may view the period.
    """
    spec = period.framework.spec
    compiled = scoring.compile_framework(spec)
    item_weights = dict(zip(compiled.item_keys, compiled.item_weights, strict=True))

    base = IndicatorAssessment.objects.filter(period=period)
    visible = permissions.restrict(base, user, "view")
    evidence = permissions.restrict(Evidence.objects.select_related("record_type"), user, "view")
    national = permissions.restrict(NationalStageResult.objects.all(), user, "view")
    assessments = list(
        visible.select_related("indicator__aspect", "pic").prefetch_related(
            Prefetch("evidence", queryset=evidence.order_by("created_at", "pk"), to_attr="report_evidence"),
            Prefetch("national_results", queryset=national, to_attr="report_national"),
        )
    )
    hidden = base.count() - len(assessments)

    stage_order = {stage: index for index, stage in enumerate(NATIONAL_STAGE_ORDER)}
    rows = []
    for assessment in assessments:
        indicator = assessment.indicator
        rows.append(
            IndicatorRow(
                assessment=assessment,
                number=indicator.number,
                item_key=assessment.item_key,
                name=indicator.name + (f" ({assessment.subject})" if assessment.subject else ""),
                aspect=indicator.aspect.code,
                weight=item_weights.get(assessment.item_key, indicator.weight),
                unverified=indicator.unverified,
                pic=assessment.pic.short_name if assessment.pic else "",
                levels={
                    ScoreBasis.SELF: assessment.self_level,
                    ScoreBasis.INTERNAL: assessment.final_level,
                    ScoreBasis.NATIONAL: assessment.national_level,
                },
                status=assessment.get_status_display(),
                evidence=assessment.report_evidence,
                national=sorted(assessment.report_national, key=lambda r: stage_order.get(r.stage, 9)),
            )
        )
    rows.sort(key=lambda row: (row.number, _item_order(row.item_key)))

    scores = {
        score.basis: score
        for score in permissions.restrict(PeriodScore.objects.filter(period=period), user, "view")
        if score.basis in BASES
    }
    domains = [
        ValueRow(d.code, d.name, d.weight, "", {b: s.domains.get(d.code) for b, s in scores.items()})
        for d in spec.domains
    ]
    aspects = [
        ValueRow(a.code, a.name, a.weight, a.domain or "", {b: s.aspects.get(a.code) for b, s in scores.items()})
        for a in spec.aspects
    ]
    actions = list(
        permissions.restrict(
            ImprovementAction.objects.filter(period=period).select_related("indicator", "owner"), user, "view"
        ).order_by("indicator__number", "item_key", "due_date", "pk")
    )
    framework = period.framework
    status_labels = dict(VerificationStatus.choices)
    return Report(
        period=period,
        title=_("SPBE evaluation report %(year)s") % {"year": period.year},
        framework_status=str(status_labels.get(framework.status, framework.status)),
        framework_unverified=framework.unverified,
        scores=scores,
        domains=domains,
        aspects=aspects,
        rows=rows,
        hidden=hidden,
        actions=actions,
        generated_at=timezone.localtime(),
        generated_by=(getattr(user, "full_name", "") or user.get_username()),
    )


def _item_order(item_key: str) -> tuple[int, str]:
    # "35" before "35-1" before "35-2" … "35-10", without string order putting "35-10" before "35-2".
    _number, _sep, part = item_key.partition("-")
    return (int(part) if part.isdigit() else 0, item_key)


# --- Shared wording -----------------------------------------------------------------------------------


def basis_label(basis: str) -> str:
    return {
        ScoreBasis.SELF: _("Self-assessment"),
        ScoreBasis.INTERNAL: _("Final internal"),
        ScoreBasis.NATIONAL: _("National"),
    }[basis]


def fmt_number(value, decimals: int = 2) -> str:
    if value is None:
        return "–"
    return formats.number_format(value, decimals)


def fmt_level(value) -> str:
    """A level as people write it: 3, or 3,25 for a survey-scored indicator."""
    if value is None:
        return "–"
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value.normalize(), abs(value.normalize().as_tuple().exponent))


def evidence_kind(item: Evidence) -> str:
    return str(item.get_kind_display())


def evidence_reference(item: Evidence, full_hash: bool = False) -> str:
    """What identifies the evidence: file name and checksum, the linked record, or the address."""
    if item.kind == Evidence.Kind.FILE:
        checksum = item.sha256 if full_hash else item.sha256[:12]
        return f"{item.original_name} (SHA-256 {checksum})" if checksum else item.original_name
    if item.kind == Evidence.Kind.RECORD:
        model = item.record_type.model_class() if item.record_type_id else None
        kind = f"{model._meta.verbose_name}: " if model is not None else ""
        return f"{kind}{item.record_label}"
    return item.url


def generated_line(report: Report) -> str:
    return _("Generated on %(when)s by %(who)s in Simpul.") % {
        "when": formats.date_format(report.generated_at, "j F Y, H:i"),
        "who": report.generated_by,
    }


def framework_warning(report: Report) -> str:
    """The plain warning shown when the framework or some of its texts are not verified."""
    framework = report.period.framework
    parts = []
    if report.framework_unverified:
        parts.append(
            _(
                "The framework %(framework)s is not verified against the official text (status: %(status)s). "
                "Treat its weights and texts as provisional."
            )
            % {"framework": framework.title, "status": report.framework_status}
        )
    if report.unverified_rows:
        parts.append(
            _("Indicators marked * have level texts or weights that are not verified: %(numbers)s.")
            % {"numbers": ", ".join(sorted({str(row.number) for row in report.unverified_rows}, key=int))}
        )
    return " ".join(parts)


def score_note(score: PeriodScore) -> str:
    if score.complete:
        return ""
    return _("Provisional: %(assessed)s of %(total)s items have a level; the others count at the lowest level.") % {
        "assessed": score.assessed,
        "total": score.total,
    }


def hidden_note(report: Report) -> str:
    if not report.hidden:
        return ""
    return _(
        "%(count)s indicator item(s) of this period are not listed because your account may not view them; "
        "the index and the domain and aspect values are those of the whole instansi."
    ) % {"count": report.hidden}


def filename(report: Report, extension: str) -> str:
    period = report.period
    return f"laporan-evaluasi-spbe-{period.instansi.slug}-{period.year}.{extension}"


# --- PDF ------------------------------------------------------------------------------------------------


@_in_report_language
def render_pdf(report: Report, *, compress: bool = True) -> bytes:
    """The report as an A4 PDF with Helvetica (built into every PDF reader, nothing downloaded)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    sample = getSampleStyleSheet()
    styles = {
        "title": ParagraphStyle("title", parent=sample["Title"], fontName="Helvetica-Bold", fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", parent=sample["Heading2"], fontName="Helvetica-Bold", fontSize=12, leading=15),
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
        "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=7.5, leading=9),
    }
    width = A4[0] - 36 * mm

    def p(text, style="body"):
        return Paragraph(escape(str(text)), styles[style])

    def table(header, rows, widths, numeric_from=None):
        data = [[p(text, "head") for text in header]] + [
            [cell if hasattr(cell, "wrap") else p(cell, "cell") for cell in row] for row in rows
        ]
        result = Table(data, colWidths=[w * width for w in widths], repeatRows=1)
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dbe4f0")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#8c9bab")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        result.setStyle(TableStyle(commands))
        return result

    period = report.period
    framework = period.framework
    spec = report.spec
    story = [
        p(report.title, "title"),
        p(period.instansi.name, "h2"),
        Spacer(1, 2 * mm),
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
            ],
            [0.28, 0.72],
        ),
        Spacer(1, 2 * mm),
    ]
    warning = framework_warning(report)
    if warning:
        story += [p(warning, "warn"), Spacer(1, 2 * mm)]
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
                [0.07, 0.36, 0.08, 0.11, 0.08, 0.08, 0.09, 0.13],
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
    if report.national_results:
        story.append(
            table(
                [_("No."), _("Stage"), _("Level"), _("Evaluator's notes"), _("Recommendations")],
                [
                    [row.item_key, r.get_stage_display(), fmt_level(r.level), r.notes or "–", r.recommendations or "–"]
                    for row, r in report.national_results
                ],
                [0.07, 0.15, 0.08, 0.35, 0.35],
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
                        formats.date_format(action.due_date, "j M Y") if action.due_date else "–",
                        action.get_status_display(),
                    ]
                    for action in report.actions
                ],
                [0.07, 0.41, 0.12, 0.12, 0.13, 0.15],
            )
        )

    story += [Spacer(1, 4 * mm), p(generated_line(report))]

    footer = f"{report.title} · {period.instansi.name}"

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("page %(number)s") % {"number": doc.page})
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{report.title} – {period.instansi.name}",
        author=report.generated_by,
        creator="Simpul",
        lang="id",
        pageCompression=1 if compress else 0,
        # Without compression (tests) the output is also made reproducible: no timestamps or random ids.
        invariant=0 if compress else 1,
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


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


# --- XLSX -----------------------------------------------------------------------------------------------


@_in_report_language
def render_xlsx(report: Report) -> bytes:
    """The report as a workbook: one sheet per part, numbers as numbers, frozen headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DBE4F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    spec = report.spec
    index_format = "0." + "0" * spec.decimals if spec.decimals else "0"
    level_format = "0.##"

    workbook = Workbook()

    def sheet(title: str, header: list[str], widths: list[int], first=False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title[:31]
        ws.append(header)
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
            cell = ws.cell(row=1, column=column)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        ws.freeze_panes = "A2"
        return ws

    def text(value):
        # User-entered text is defused against formula injection, like every export of Simpul.
        return _cell(value) if value not in (None, "") else None

    def number(value):
        return None if value is None else float(value)

    def append(ws, values, formats_by_column=None):
        ws.append(values)
        row = ws.max_row
        for column in range(1, len(values) + 1):
            ws.cell(row=row, column=column).alignment = wrap
        for column, number_format in (formats_by_column or {}).items():
            ws.cell(row=row, column=column).number_format = number_format

    period = report.period
    framework = period.framework
    bases = report.bases

    summary = sheet(_("Summary"), [_("Particular"), _("Value"), "", "", ""], [28, 60, 14, 22, 50], first=True)
    for label, value in [
        (_("Report"), report.title),
        (_("Instansi"), period.instansi.name),
        (_("Year"), period.year),
        (_("Framework"), framework.title),
        (_("Source regulation"), framework.source_regulation),
        (_("Verification status"), report.framework_status),
        (_("Verification note"), framework.status_note),
        (_("Stage"), period.get_status_display()),
        (_("Target index"), number(period.target_index)),
    ]:
        append(summary, [label, value if isinstance(value, int | float) or value is None else text(value)])
    summary.cell(row=summary.max_row, column=2).number_format = index_format
    for note in (framework_warning(report), hidden_note(report)):
        if note:
            append(summary, [_("Attention"), note])
            summary.cell(row=summary.max_row, column=2).font = Font(bold=True, color="8A4B00")
    summary.append([])
    summary.append([_("Basis"), _("Index"), _("Predicate"), _("Items with a level"), _("Note")])
    for column in range(1, 6):
        cell = summary.cell(row=summary.max_row, column=column)
        cell.font, cell.fill = header_font, header_fill
    for basis in bases:
        score = report.scores[basis]
        append(
            summary,
            [basis_label(basis), number(score.index), score.predicate, score.assessed, score_note(score) or None],
            {2: index_format},
        )
    if not bases:
        append(
            summary, [_("No level has been recorded yet, so there is no index. Fill in the self-assessments first.")]
        )
    summary.append([])
    append(summary, [_("Generated"), generated_line(report)])

    values = sheet(
        _("Domains & Aspects"),
        [_("Kind"), _("Code"), _("Name"), _("Domain"), _("Weight (%)"), *[basis_label(b) for b in bases]],
        [10, 8, 50, 10, 11, *[16] * len(bases)],
    )
    value_formats = {6 + offset: index_format for offset in range(len(bases))}
    for kind, items in ((_("Domain"), report.domains), (_("Aspect"), report.aspects)):
        for item in items:
            append(
                values,
                [kind, item.code, item.name, item.domain or None, item.weight, *[item.values.get(b) for b in bases]],
                value_formats,
            )

    indicators = sheet(
        _("Indicators"),
        [
            _("No."),
            _("Item"),
            _("Indicator"),
            _("Aspect"),
            _("Weight (%)"),
            _("PIC"),
            _("Self-assessed level"),
            _("Final internal level"),
            _("National level"),
            _("Status"),
            _("Evidence items"),
            _("Text not verified"),
        ],
        [6, 8, 55, 8, 11, 14, 12, 12, 12, 18, 10, 12],
    )
    for row in report.rows:
        append(
            indicators,
            [
                row.number,
                row.item_key,
                text(row.name),
                row.aspect,
                row.weight,
                row.pic or None,
                number(row.levels[ScoreBasis.SELF]),
                number(row.levels[ScoreBasis.INTERNAL]),
                number(row.levels[ScoreBasis.NATIONAL]),
                row.status,
                len(row.evidence),
                _("yes") if row.unverified else None,
            ],
            {7: level_format, 8: level_format, 9: level_format},
        )

    evidence = sheet(
        _("Supporting Evidence"),
        [
            _("No."),
            _("Item"),
            _("Indicator"),
            _("Title"),
            _("Kind"),
            _("File, record or address"),
            _("SHA-256"),
            _("Added on"),
        ],
        [6, 8, 40, 40, 14, 50, 20, 18],
    )
    for row in report.rows:
        for item in row.evidence:
            reference = item.original_name if item.kind == Evidence.Kind.FILE else evidence_reference(item)
            append(
                evidence,
                [
                    row.number,
                    row.item_key,
                    text(row.name),
                    text(item.title),
                    evidence_kind(item),
                    text(reference),
                    item.sha256 or None,
                    timezone.localtime(item.created_at).replace(tzinfo=None),
                ],
                {8: "yyyy-mm-dd hh:mm"},
            )

    recommendations = sheet(
        _("Recommendations"),
        [_("No."), _("Item"), _("Indicator"), _("Source"), _("Level"), _("Notes"), _("Recommendations"), _("Date")],
        [6, 8, 40, 22, 8, 50, 50, 12],
    )
    for row, result in report.national_results:
        append(
            recommendations,
            [
                row.number,
                row.item_key,
                text(row.name),
                result.get_stage_display(),
                number(result.level),
                text(result.notes),
                text(result.recommendations),
                result.assessed_on,
            ],
            {5: level_format, 8: "yyyy-mm-dd"},
        )
    for row in report.review_notes:
        append(
            recommendations,
            [
                row.number,
                row.item_key,
                text(row.name),
                _("Internal review"),
                number(row.assessment.final_level),
                text(row.assessment.review_note),
                None,
                timezone.localtime(row.assessment.reviewed_at).date() if row.assessment.reviewed_at else None,
            ],
            {5: level_format, 8: "yyyy-mm-dd"},
        )

    if report.actions:
        actions = sheet(
            _("Improvement actions"),
            [_("No."), _("Item"), _("Action"), _("From level"), _("To level"), _("OPD"), _("Due date"), _("Status")],
            [6, 8, 55, 10, 10, 14, 12, 14],
        )
        for action in report.actions:
            append(
                actions,
                [
                    action.indicator.number,
                    action.item_key,
                    text(action.title),
                    action.from_level,
                    action.to_level,
                    action.owner.short_name,
                    action.due_date,
                    action.get_status_display(),
                ],
                {7: "yyyy-mm-dd"},
            )

    workbook.properties.title = f"{report.title} – {period.instansi.name}"
    workbook.properties.creator = report.generated_by
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
