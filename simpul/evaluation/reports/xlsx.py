"""The report as a workbook (openpyxl)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.core import formats
from simpul.core.importexport import XLSX_CONTENT_TYPE, _cell
from simpul.evaluation.models import Evidence, ScoreBasis
from simpul.evaluation.reports.content import Report, _in_report_language
from simpul.evaluation.reports.wording import (
    SIGN_LINE,
    basis_label,
    conclusion,
    evidence_kind,
    evidence_reference,
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

__all__ = ["XLSX_CONTENT_TYPE", "render_xlsx"]


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

    # The executive summary comes first: key figures, conclusion, method, and the approval block.
    overview = sheet(_("Summary"), [_("Particular"), _("Value"), "", "", ""], [30, 90, 11, 16, 10], first=True)
    for label, value in [
        (_("Report"), report.title),
        (_("Instansi"), period.instansi.name),
        *summary_facts(report),
    ]:
        append(overview, [label, text(value)])
    result = report.result
    if result is not None:
        append(overview, [_("Index"), number(result.index)], {2: index_format})
        comparison = report.summary.comparison if report.summary else None
        change = comparison.change(result) if comparison else None
        if change is not None:
            append(overview, [_("Change of the index (points)"), number(change)], {2: index_format})
    lowest = report.summary.lowest if report.summary else []
    if lowest:
        overview.append([])
        basis = result.basis
        append(
            overview,
            [_("Items with the lowest level (%(basis)s)") % {"basis": result.basis_label}],
        )
        overview.cell(row=overview.max_row, column=1).font = header_font
        overview.append([_("No."), _("Indicator"), _("Weight (%)"), _("PIC"), _("Level")])
        for column in range(1, 6):
            cell = overview.cell(row=overview.max_row, column=column)
            cell.font, cell.fill = header_font, header_fill
        for row in lowest:
            append(
                overview,
                [row.item_key, text(row.name), row.weight, row.pic or None, number(row.levels[basis])],
                {5: level_format},
            )
    overview.append([])
    for label, paragraph in ((_("Conclusion"), conclusion(report)), (_("Method"), method_paragraph(report))):
        append(overview, [label, paragraph])
        overview.cell(row=overview.max_row, column=1).font = header_font
    approval = report.approval
    if approval is not None:
        overview.append([])
        append(overview, [_("Approval")])
        overview.cell(row=overview.max_row, column=1).font = header_font
        for label, value in [
            (_("Prepared by"), approval.prepared_by.name),
            (_("Position"), approval.prepared_by.position or None),
            (_("NIP"), approval.prepared_by.nip or None),
            (_("Date"), prepared_date(report)),
            (_("Approved by"), approval.approved_by.name or SIGN_LINE),
            (_("Position"), approval.approved_by.position or SIGN_LINE),
            (_("NIP"), approval.approved_by.nip or SIGN_LINE),
            (_("Place and date"), place_and_date(report)),
            (_("Signature"), SIGN_LINE),
        ]:
            append(overview, [label, text(value)])

    summary = sheet(_("Identity and index"), [_("Particular"), _("Value"), "", "", ""], [28, 60, 14, 22, 50])
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
    # The value standing for the year, written as on every page (its number is in the basis table below).
    append(summary, [_("Index of the year"), text(report.result.label) if report.result else None])
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
                {8: formats.XLSX_DATETIME},
            )

    recommendations = sheet(
        _("Recommendations"),
        [_("No."), _("Item"), _("Indicator"), _("Source"), _("Level"), _("Notes"), _("Recommendations"), _("Date")],
        [6, 8, 40, 22, 8, 50, 50, 12],
    )
    # One row per indicator: a note or recommendation repeated at several stages is written once.
    for item in report.recommendations:
        append(
            recommendations,
            [
                item.number,
                ", ".join(item.item_keys),
                text(item.name),
                stage_levels(item),
                number(item.level),
                text("\n".join(item.notes)),
                text("\n".join(item.recommendations)),
                item.assessed_on,
            ],
            {5: level_format, 8: formats.XLSX_DATE},
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
            {5: level_format, 8: formats.XLSX_DATE},
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
                {7: formats.XLSX_DATE},
            )

    workbook.properties.title = f"{report.title} – {period.instansi.name}"
    workbook.properties.creator = report.generated_by
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
