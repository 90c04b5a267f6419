"""The evaluation report of a period, as PDF (reportlab) and XLSX (openpyxl), for the Tim Koordinasi
and the Bupati.

`collect()` gathers once what the reader may see; `render_pdf()` and `render_xlsx()` only lay it out,
so both files always say the same thing. The report is the instansi's official document, so it is
written in the deployment's language (Bahasa Indonesia) whatever language the reader's screen uses.

Who sees what: the index, domain and aspect values are results of the whole instansi and appear for
anyone who may view the period. The indicator rows, their evidence, the national results and the
improvement actions pass through `permissions.restrict()`, so a PIC's report lists its own indicators
only, and the report says how many rows were left out.

Modules: `content` (the permission-scoped data both formats share), `wording` (the sentences and number
formats both formats print), `pdf` and `xlsx` (the layouts).
"""

from simpul.evaluation.reports.content import BASES, IndicatorRow, Report, ValueRow, collect
from simpul.evaluation.reports.pdf import PDF_CONTENT_TYPE, render_pdf
from simpul.evaluation.reports.wording import (
    basis_label,
    evidence_kind,
    evidence_reference,
    filename,
    fmt_level,
    fmt_number,
    framework_warning,
    generated_line,
    hidden_note,
    score_note,
)
from simpul.evaluation.reports.xlsx import XLSX_CONTENT_TYPE, render_xlsx

__all__ = [
    "BASES",
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "IndicatorRow",
    "Report",
    "ValueRow",
    "basis_label",
    "collect",
    "evidence_kind",
    "evidence_reference",
    "filename",
    "fmt_level",
    "fmt_number",
    "framework_warning",
    "generated_line",
    "hidden_note",
    "render_pdf",
    "render_xlsx",
    "score_note",
]
