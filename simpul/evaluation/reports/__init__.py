"""The evaluation report of a period, as PDF (reportlab) and XLSX (openpyxl), for the Tim Koordinasi
and the Bupati.

`collect()` gathers once what the reader may see; `render_pdf()` and `render_xlsx()` only lay it out,
so both files always say the same thing. The report is the instansi's official document, so it is
written in the deployment's language (Bahasa Indonesia) whatever language the reader's screen uses.

Who sees what: the index, domain and aspect values are results of the whole instansi and appear for
anyone who may view the period. The indicator rows, their evidence, the national results and the
improvement actions pass through `permissions.restrict()`, so a PIC's report lists its own indicators
only, and the report says how many rows were left out.

The report opens with an executive summary (the year's index from `results.year_result`, the change from
the previous period on the same basis, the items by level, the strongest and weakest domains and
aspects, the items with the lowest level, and a conclusion made from those figures only) and the method
in one paragraph (framework, formula, predicate bands from the framework's data, what the basis means);
it ends with the approval block (prepared by, approved by, place and date). National recommendations are
listed once per indicator, however many stages repeated them.

Modules: `content` (the permission-scoped data both formats share), `summary` (the summary's facts, the
recommendations per indicator, the approval block), `wording` (the sentences and number formats both
formats print), `layout` (PDF table columns that never cut a word), `pdf` and `xlsx` (the layouts).
"""

from simpul.evaluation.reports.content import BASES, IndicatorRow, Report, ValueRow, collect
from simpul.evaluation.reports.pdf import PDF_CONTENT_TYPE, render_pdf
from simpul.evaluation.reports.summary import Approval, RecommendationRow, Signatory, Summary
from simpul.evaluation.reports.wording import (
    basis_label,
    conclusion,
    evidence_kind,
    evidence_reference,
    filename,
    fmt_level,
    fmt_number,
    framework_warning,
    generated_line,
    hidden_note,
    method_paragraph,
    predicate_bands,
    score_note,
    summary_facts,
)
from simpul.evaluation.reports.xlsx import XLSX_CONTENT_TYPE, render_xlsx

__all__ = [
    "BASES",
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "Approval",
    "IndicatorRow",
    "RecommendationRow",
    "Report",
    "Signatory",
    "Summary",
    "ValueRow",
    "basis_label",
    "collect",
    "conclusion",
    "evidence_kind",
    "evidence_reference",
    "filename",
    "fmt_level",
    "fmt_number",
    "framework_warning",
    "generated_line",
    "hidden_note",
    "method_paragraph",
    "predicate_bands",
    "render_pdf",
    "render_xlsx",
    "score_note",
    "summary_facts",
]
