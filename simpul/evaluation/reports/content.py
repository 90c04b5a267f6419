"""What the report shows, gathered once and restricted to the reader; both formats lay out this data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.evaluation import results, scoring
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
from simpul.evaluation.reports.summary import (
    Approval,
    RecommendationRow,
    Signatory,
    Summary,
    build_summary,
    recommendation_rows,
)

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
    # The index standing for the year (`results.pick`), as every page of Simpul shows it.
    result: results.YearResult | None
    domains: list[ValueRow]
    aspects: list[ValueRow]
    rows: list[IndicatorRow]
    hidden: int
    actions: list[ImprovementAction]
    generated_at: datetime
    generated_by: str
    # The executive summary (year result, change, levels, strongest and weakest parts, lowest items).
    summary: Summary | None = None
    # The national evaluators' notes and recommendations, one row per indicator.
    recommendations: list[RecommendationRow] = field(default_factory=list)
    # Who prepared the report and who approves it (blank lines to sign when not given).
    approval: Approval | None = None

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
def collect(period: EvaluationPeriod, user, *, approved_by: Signatory | None = None, place: str = "") -> Report:
    """Everything the report shows, read with a fixed number of queries and restricted to `user`.

    The caller has already checked that the user may view the period. `approved_by` and `place` fill the
    approval block (the official who signs it, the place before the date); left out, it has lines to sign.
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
    result = results.pick(scores.values())
    previous = (
        permissions.restrict(
            EvaluationPeriod.objects.filter(instansi_id=period.instansi_id, year__lt=period.year), user, "view"
        )
        .select_related("framework")
        .prefetch_related("scores")
        .order_by("-year", "-pk")
        .first()
    )
    generated_at = timezone.localtime()
    return Report(
        period=period,
        title=_("SPBE evaluation report %(year)s") % {"year": period.year},
        framework_status=str(status_labels.get(framework.status, framework.status)),
        framework_unverified=framework.unverified,
        scores=scores,
        result=result,
        domains=domains,
        aspects=aspects,
        rows=rows,
        hidden=hidden,
        actions=actions,
        generated_at=generated_at,
        generated_by=(getattr(user, "full_name", "") or user.get_username()),
        summary=build_summary(period, result, rows, spec, previous),
        recommendations=recommendation_rows(rows),
        approval=Approval(
            prepared_by=_signatory(user, period.instansi_id),
            prepared_on=generated_at.date(),
            approved_by=approved_by or Signatory(),
            place=place.strip(),
        ),
    )


def _signatory(user, instansi_id: int) -> Signatory:
    """The user preparing the report: name, NIP, and position (else the roles held in the instansi)."""
    position = (getattr(user, "position", "") or "").strip()
    if not position:
        known = permissions.roles()
        labels: list[str] = []
        for grant in permissions.user_grants(user):
            if grant.instansi_id == instansi_id and grant.role in known:
                label = str(known[grant.role].label)
                if label not in labels:
                    labels.append(label)
        position = ", ".join(labels)
    return Signatory(
        name=(getattr(user, "full_name", "") or user.get_username()),
        position=position,
        nip=getattr(user, "nip", "") or "",
    )


def _item_order(item_key: str) -> tuple[int, str]:
    # "35" before "35-1" before "35-2" … "35-10", without string order putting "35-10" before "35-2".
    _number, _sep, part = item_key.partition("-")
    return (int(part) if part.isdigit() else 0, item_key)
