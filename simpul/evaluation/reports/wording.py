"""The sentences and number formats that the PDF and the XLSX print alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from simpul.core.formats import datetime_text, document_date, number_text
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
    return number_text(value, decimals)


def fmt_level(value) -> str:
    """A level as people write it: 3, or 3,25 for a survey-scored indicator."""
    if value is None:
        return "–"
    return number_text(value)


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
        "when": datetime_text(report.generated_at),
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


# --- Executive summary, method, conclusion and approval -------------------------------------------------


def _band(predicate) -> str:
    low, high = predicate.min, predicate.max
    values = {"name": predicate.name, "min": fmt_level(low), "max": fmt_level(high)}
    if low is None and high is None:
        return predicate.name
    if low is None:
        if predicate.max_inclusive:
            return _("%(name)s up to %(max)s") % values
        return _("%(name)s below %(max)s") % values
    if high is None:
        if predicate.min_inclusive:
            return _("%(name)s from %(min)s") % values
        return _("%(name)s above %(min)s") % values
    if predicate.min_inclusive and predicate.max_inclusive:
        return _("%(name)s from %(min)s to %(max)s") % values
    if predicate.min_inclusive:
        return _("%(name)s from %(min)s to below %(max)s") % values
    if predicate.max_inclusive:
        return _("%(name)s above %(min)s up to %(max)s") % values
    return _("%(name)s above %(min)s to below %(max)s") % values


def predicate_bands(spec) -> str:
    """The framework's predicate bands from its data, lowest first: "Kurang below 1,8; Cukup from 1,8 …"."""
    ordered = sorted(spec.predicates, key=lambda p: float("-inf") if p.min is None else p.min)
    return "; ".join(_band(predicate) for predicate in ordered)


def method_paragraph(report: Report) -> str:
    """How the index is computed, in one paragraph, from the framework's own data (see scoring.py)."""
    framework = report.period.framework
    spec = report.spec
    values = {
        "framework": framework.title,
        "regulation": framework.source_regulation,
        "min": spec.scale_min,
        "max": spec.scale_max,
        "decimals": spec.decimals,
        "bands": predicate_bands(spec),
    }
    parts = [
        _("The evaluation follows %(framework)s (%(regulation)s).") % values,
        _("Each indicator is given a maturity level from %(min)s to %(max)s.") % values,
    ]
    if spec.satisfaction:
        satisfaction = spec.satisfaction
        parts.append(
            _(
                "The level of indicator %(number)s comes from a survey result x as %(a)s × x + %(b)s, "
                "with x from %(x_min)s to %(x_max)s."
            )
            % {
                "number": satisfaction.indicator,
                "a": fmt_level(satisfaction.a),
                "b": fmt_level(satisfaction.b),
                "x_min": fmt_level(satisfaction.x_min),
                "x_max": fmt_level(satisfaction.x_max),
            }
        )
    parts.append(
        _(
            "The value of an aspect is the average of its indicators' levels weighted by the indicator weights, "
            "and the value of a domain the average of its aspects' values weighted by the aspect weights."
        )
        if spec.domains
        else _("The value of an aspect is the average of its indicators' levels weighted by the indicator weights.")
    )
    parts.append(
        _("The index is the average of the domains' values weighted by the domain weights of the framework.")
        if spec.domains
        else _("The index is the average of the aspects' values weighted by the aspect weights of the framework.")
    )
    parts += [
        _("Values are rounded half up to %(decimals)s decimals at the end only.") % values,
        _(
            "While some items have no level, they count at the lowest level (%(min)s): the index is then a "
            "lower bound and is marked provisional."
        )
        % values,
        _("The predicate follows from the index: %(bands)s.") % values,
        _(
            "The basis says whose levels are counted: self-assessment (the levels the PICs gave), final "
            "internal (the levels the internal reviewers accepted) or national (the latest national stage "
            "recorded). The index of the year is the national one once recorded, else the final internal "
            "one, else the self-assessment."
        ),
    ]
    return " ".join(parts)


def level_label(level: int | None) -> str:
    return _("no level") if level is None else _("level %(level)s") % {"level": level}


def level_counts_text(report: Report) -> str:
    summary = report.summary
    if not summary or not summary.level_counts:
        return "–"
    return " · ".join(
        _("%(level)s: %(count)s") % {"level": level_label(level), "count": count}
        for level, count in summary.level_counts
    )


def extreme_kind(kind: str, strongest: bool) -> str:
    if kind == "domain":
        return _("Strongest domain") if strongest else _("Weakest domain")
    return _("Strongest aspect") if strongest else _("Weakest aspect")


# How many tied domains or aspects are named before "and N more".
NAMED_AT_MOST = 3


def named_values_text(items, decimals: int) -> str:
    text = "; ".join(f"{item.code} {item.name} ({fmt_number(item.value, decimals)})" for item in items[:NAMED_AT_MOST])
    if len(items) > NAMED_AT_MOST:
        text += " " + _("and %(count)s more with the same value") % {"count": len(items) - NAMED_AT_MOST}
    return text


def previous_text(report: Report) -> str:
    comparison = report.summary.comparison if report.summary else None
    if comparison is None:
        return "–"
    return f"{comparison.year}: {comparison.previous.label}"


def change_text(report: Report) -> str:
    """The change from the earlier period on the same basis, or why there is none."""
    summary = report.summary
    comparison = summary.comparison if summary else None
    if comparison is None:
        return _("No earlier period to compare with.")
    if not comparison.same_basis:
        return _("Not compared: the bases differ (%(current)s in %(year)s, %(previous)s in %(before)s).") % {
            "current": summary.result.basis_label,
            "year": report.period.year,
            "previous": comparison.previous.basis_label,
            "before": comparison.year,
        }
    change = comparison.change(summary.result)
    values = {
        "change": fmt_number(abs(change), report.spec.decimals),
        "year": comparison.year,
        "basis": summary.result.basis_label,
    }
    if change > 0:
        return _("Up %(change)s from %(year)s (same basis: %(basis)s)") % values
    if change < 0:
        return _("Down %(change)s from %(year)s (same basis: %(basis)s)") % values
    return _("Unchanged from %(year)s (same basis: %(basis)s)") % values


def summary_facts(report: Report) -> list[tuple[str, str]]:
    """The key figures of the executive summary, as (label, text) pairs printed by both formats."""
    summary = report.summary
    result = summary.result if summary else None
    spec = report.spec
    if result is None:
        return [(_("Index of the year"), "–")]
    facts = [
        # Written as on every page of Simpul: value, predicate, basis and, while incomplete, the item count.
        (_("Index of the year"), result.label),
        (_("Target index"), fmt_number(summary.target, spec.decimals)),
        (_("Previous period"), previous_text(report)),
        (_("Change from the previous period"), change_text(report)),
        (_("Items by level (%(basis)s)") % {"basis": result.basis_label}, level_counts_text(report)),
    ]
    for extremes in summary.extremes:
        facts.append((extreme_kind(extremes.kind, True), named_values_text(extremes.strongest, spec.decimals)))
        facts.append((extreme_kind(extremes.kind, False), named_values_text(extremes.weakest, spec.decimals)))
    return facts


def conclusion(report: Report) -> str:
    """Plain sentences made from the summary's figures only."""
    summary = report.summary
    result = summary.result if summary else None
    if result is None:
        return _("No level has been recorded yet, so there is no index. Fill in the self-assessments first.")
    spec = report.spec
    decimals = spec.decimals
    values = {
        "instansi": report.period.instansi.name,
        "year": report.period.year,
        "index": result.index_text,
        "predicate": result.predicate,
        "basis": result.basis_label,
    }
    sentences = [
        (
            _(
                "The SPBE index of %(instansi)s for %(year)s is %(index)s, predicate %(predicate)s, on the %(basis)s basis."
            )
            if result.predicate
            else _("The SPBE index of %(instansi)s for %(year)s is %(index)s on the %(basis)s basis.")
        )
        % values
    ]
    if result.provisional:
        sentences.append(
            _(
                "This value is provisional: %(assessed)s of %(total)s items have a level and the others count at "
                "the lowest level, so it is a lower bound."
            )
            % {"assessed": result.assessed, "total": result.total}
        )
    if summary.target is not None:
        gap = Decimal(str(summary.target)) - result.index
        target = {"target": fmt_number(summary.target, decimals), "gap": fmt_number(gap, decimals)}
        sentences.append(
            _("It reaches the target of %(target)s.") % target
            if gap <= 0
            else _("It is %(gap)s below the target of %(target)s.") % target
        )
    comparison = summary.comparison
    if comparison is not None:
        before = {
            "year": comparison.year,
            "previous": comparison.previous.label,
            "basis": comparison.previous.basis_label,
            "framework": comparison.framework_title,
        }
        if comparison.same_basis:
            change = comparison.change(result)
            before["change"] = fmt_number(abs(change), decimals)
            if change > 0:
                sentence = _("Compared with %(year)s (%(previous)s), the index rose by %(change)s on the same basis.")
            elif change < 0:
                sentence = _("Compared with %(year)s (%(previous)s), the index fell by %(change)s on the same basis.")
            else:
                sentence = _("Compared with %(year)s (%(previous)s), the index is unchanged on the same basis.")
            sentences.append(sentence % before)
            if result.provisional or comparison.previous.provisional:
                sentences.append(_("At least one of the two values is provisional."))
        else:
            sentences.append(
                _("The %(year)s result (%(previous)s) is on another basis, so the two years are not compared.") % before
            )
        if not comparison.same_framework:
            sentences.append(_("The %(year)s result was measured with another framework, %(framework)s.") % before)
    for extremes in summary.extremes[:1]:
        strongest = named_values_text(extremes.strongest, decimals)
        weakest = named_values_text(extremes.weakest, decimals)
        if extremes.strongest == extremes.weakest:
            text = (
                _("All domains have the same value, %(value)s.")
                if extremes.kind == "domain"
                else _("All aspects have the same value, %(value)s.")
            )
            sentences.append(text % {"value": fmt_number(extremes.strongest[0].value, decimals)})
        else:
            text = (
                _("The strongest domain is %(strongest)s and the weakest %(weakest)s.")
                if extremes.kind == "domain"
                else _("The strongest aspect is %(strongest)s and the weakest %(weakest)s.")
            )
            sentences.append(text % {"strongest": strongest, "weakest": weakest})
    if summary.lowest:
        sentences.append(
            _("The items with the lowest level are %(items)s.")
            % {
                "items": ", ".join(
                    f"{row.item_key} ({level_label(fmt_level(row.levels[result.basis]))})" for row in summary.lowest
                )
            }
        )
    if report.hidden:
        sentences.append(
            _("The counts by level and the lowest items cover only the indicator items your account may view.")
        )
    return " ".join(sentences)


def stage_levels(recommendation) -> str:
    """The level given at each national stage: "document assessment 3; field validation 4"."""
    several = len(recommendation.item_keys) > 1
    return "; ".join(
        f"{item_key} · {stage} {fmt_level(level)}" if several else f"{stage} {fmt_level(level)}"
        for item_key, stage, level in recommendation.stages
    )


def place_and_date(report: Report) -> str:
    approval = report.approval
    when = document_date(approval.prepared_on)
    return f"{approval.place}, {when}" if approval.place else when


def prepared_date(report: Report) -> str:
    return document_date(report.approval.prepared_on)


SIGN_LINE = "." * 40
