"""The sentences and number formats that the PDF and the XLSX print alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from simpul.evaluation.models import Evidence, PeriodScore, ScoreBasis
from simpul.evaluation.reports.content import Report


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
