"""State changes of an evaluation: every channel (UI, API, CLI, demo) calls these.

The workflow of an indicator is: not started → draft → submitted → accepted, or back to returned
and submitted again. The PIC writes the self-assessment while it is a draft or returned; a reviewer
(the "review" permission) accepts it, fixing the final internal level, or returns it with a note. A
reviewer never edits the self-assessment: a different final level needs a note and both levels stay
side by side. Each write is audited by the model signals, and the period's indices are recomputed.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.core import audit, permissions, services
from simpul.evaluation import scoring
from simpul.evaluation.models import (
    NATIONAL_STAGE_ORDER,
    AssessmentStatus,
    EvaluationPeriod,
    Indicator,
    IndicatorAssessment,
    NationalStage,
    NationalStageResult,
    PeriodScore,
    PeriodStatus,
    ScoreBasis,
)

SELF_EDITABLE = (AssessmentStatus.NOT_STARTED, AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


def create_period(user, period: EvaluationPeriod, default_pic=None) -> EvaluationPeriod:
    """Save a new period with one assessment per scored item of its framework."""
    with transaction.atomic():
        period.full_clean()
        period = services.create_object(user, period)
        spec = period.framework.spec
        indicators = {row.number: row for row in Indicator.objects.filter(framework=period.framework)}
        # One save per assessment, so that each has its "created" entry in the audit trail.
        with audit.batch():
            for indicator in spec.indicators:
                for key in indicator.item_keys:
                    IndicatorAssessment(
                        period=period, indicator=indicators[indicator.number], item_key=key, pic=default_pic
                    ).save()
        recompute_period(period)
    return period


def _ensure_open(assessment: IndicatorAssessment) -> None:
    if assessment.period.is_closed:
        raise ValidationError(_("This evaluation period is closed; its assessments can no longer change."))


def _check_level(assessment: IndicatorAssessment, level, field: str) -> Decimal:
    spec = assessment.period.framework.spec
    try:
        value = Decimal(str(level))
    except (ArithmeticError, ValueError) as error:
        raise ValidationError({field: _("Enter a level as a number.")}) from error
    fractional = scoring.compile_framework(spec).fractional_items
    if not spec.scale_min <= value <= spec.scale_max:
        raise ValidationError(
            {field: _("Choose a level from %(min)s to %(max)s.") % {"min": spec.scale_min, "max": spec.scale_max}}
        )
    if assessment.item_key not in fractional and value != value.to_integral_value():
        raise ValidationError({field: _("The level of this indicator is a whole number.")})
    return value


def may_self_assess(user, assessment: IndicatorAssessment) -> bool:
    return (
        assessment.status in SELF_EDITABLE
        and not assessment.period.is_closed
        and permissions.can(user, "change", assessment)
    )


def may_review(user, assessment: IndicatorAssessment) -> bool:
    return not assessment.period.is_closed and permissions.can(user, "review", assessment)


def save_self_assessment(
    user, assessment: IndicatorAssessment, level, justification: str, submit: bool = False, satisfaction_x=None
):
    """Write the PIC's level and justification; with `submit`, hand it to the reviewers.

    For the survey-scored indicator the PIC may give the survey value x instead: the level is then
    the framework's conversion of x, so the two can never disagree.
    """
    with transaction.atomic():
        assessment = (
            IndicatorAssessment.objects.select_for_update().select_related("period__framework").get(pk=assessment.pk)
        )
        _ensure_open(assessment)
        if assessment.status not in SELF_EDITABLE:
            raise ValidationError(
                _("This indicator is %(status)s; it can be edited again only after a reviewer returns it.")
                % {"status": assessment.get_status_display()}
            )
        spec = assessment.period.framework.spec
        is_survey_item = spec.satisfaction is not None and spec.satisfaction.indicator == assessment.indicator.number
        if satisfaction_x not in (None, ""):
            if not is_survey_item:
                raise ValidationError({"satisfaction_x": _("This indicator is not scored from a survey.")})
            try:
                x = Decimal(str(satisfaction_x))
            except (ArithmeticError, ValueError) as error:
                raise ValidationError({"satisfaction_x": _("Enter the survey value x as a number.")}) from error
            if not spec.satisfaction.x_min <= x <= spec.satisfaction.x_max:
                raise ValidationError(
                    {
                        "satisfaction_x": _("The survey value x lies from %(min)s to %(max)s.")
                        % {"min": spec.satisfaction.x_min, "max": spec.satisfaction.x_max}
                    }
                )
            assessment.satisfaction_x = x
            level = round(Decimal(str(spec.satisfaction.level_for(float(x)))), 2)
        assessment.self_level = None if level in (None, "") else _check_level(assessment, level, "self_level")
        assessment.self_justification = (justification or "").strip()
        assessment.self_assessed_by = user
        if submit:
            if assessment.self_level is None or not assessment.self_justification:
                raise ValidationError(_("Give a level and a justification before submitting."))
            assessment.status = AssessmentStatus.SUBMITTED
            assessment.submitted_at = timezone.now()
        else:
            assessment.status = AssessmentStatus.DRAFT
        services.update_object(user, assessment)
        recompute_period(assessment.period)
    return assessment


def review(user, assessment: IndicatorAssessment, accept: bool, note: str = "", final_level=None):
    """Accept (fixing the final internal level) or return a submitted self-assessment."""
    with transaction.atomic():
        assessment = (
            IndicatorAssessment.objects.select_for_update().select_related("period__framework").get(pk=assessment.pk)
        )
        _ensure_open(assessment)
        if not permissions.can(user, "review", assessment):
            raise PermissionDenied(_("You may not review this indicator."))
        note = (note or "").strip()
        if accept:
            if assessment.status != AssessmentStatus.SUBMITTED:
                raise ValidationError(_("Only a submitted self-assessment can be accepted."))
            level = assessment.self_level if final_level in (None, "") else final_level
            level = _check_level(assessment, level, "final_level")
            if level != assessment.self_level and not note:
                raise ValidationError(
                    {"review_note": _("Explain in the note why the final level differs from the self-assessment.")}
                )
            assessment.final_level = level
            assessment.status = AssessmentStatus.ACCEPTED
        else:
            if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED):
                raise ValidationError(_("Only a submitted or accepted self-assessment can be returned."))
            if not note:
                raise ValidationError({"review_note": _("Say in the note what the PIC should change.")})
            assessment.status = AssessmentStatus.RETURNED
            assessment.final_level = None
        assessment.review_note = note
        assessment.reviewed_by = user
        assessment.reviewed_at = timezone.now()
        # The reviewer's grant is "review", which need not include "change": the check above is the gate.
        assessment.save()
        recompute_period(assessment.period)
    return assessment


def record_national_result(user, assessment: IndicatorAssessment, stage: str, level, **fields) -> NationalStageResult:
    """Record (or correct) the level given at one national stage; the latest stage sets the national level."""
    with transaction.atomic():
        assessment = IndicatorAssessment.objects.select_related("period__framework").get(pk=assessment.pk)
        if not permissions.can(user, "view", assessment):
            raise PermissionDenied(_("You may not record results for this indicator."))
        _ensure_open(assessment)
        if stage not in NationalStage.values:
            raise ValidationError({"stage": _("Unknown stage.")})
        value = _check_level(assessment, level, "level")
        result = NationalStageResult.objects.filter(assessment=assessment, stage=stage).first()
        if result is None:
            result = NationalStageResult(assessment=assessment, stage=stage, level=value, **fields)
            services.create_object(user, result)
        else:
            result.level = value
            for key, field_value in fields.items():
                setattr(result, key, field_value)
            services.update_object(user, result)
        refresh_national_level(assessment)
        recompute_period(assessment.period)
    return result


def refresh_national_level(assessment: IndicatorAssessment) -> None:
    results = {row.stage: row.level for row in assessment.national_results.all()}
    latest = next((results[stage] for stage in reversed(NATIONAL_STAGE_ORDER) if stage in results), None)
    if latest != assessment.national_level:
        IndicatorAssessment.objects.filter(pk=assessment.pk).update(national_level=latest)
        assessment.national_level = latest


BASIS_FIELDS = {
    ScoreBasis.SELF: "self_level",
    ScoreBasis.INTERNAL: "final_level",
    ScoreBasis.NATIONAL: "national_level",
}


def period_levels(period: EvaluationPeriod, basis: str) -> dict[str, float]:
    """The levels of a period on one basis, as the scoring function takes them."""
    field = BASIS_FIELDS[basis]
    rows = IndicatorAssessment.objects.filter(period=period, **{f"{field}__isnull": False}).values_list(
        "item_key", field
    )
    return {key: float(value) for key, value in rows}


def score_from_levels(period: EvaluationPeriod, basis: str, levels: dict[str, float]) -> PeriodScore:
    return score_from_result(period, basis, scoring.compute(period.framework.spec, levels, missing_as_minimum=True))


# The columns of a stored score, in the order `score_values` gives them (the batch writes them as rows).
SCORE_FIELDS = ("period", "basis", "index", "raw_index", "predicate", "domains", "aspects", "assessed", "total")


def score_values(period_id: int, basis: str, result: scoring.IndexResult, total: int) -> tuple:
    """A stored score's values, in the order of SCORE_FIELDS; `total` is the framework's item count."""
    return (
        period_id,
        basis,
        Decimal(str(result.index)),
        result.raw_index,
        result.predicate,
        result.domains,
        result.aspects,
        total - len(result.missing),
        total,
    )


def score_from_result(period: EvaluationPeriod, basis: str, result: scoring.IndexResult) -> PeriodScore:
    total = len(scoring.compile_framework(period.framework.spec).item_keys)
    values = dict(zip(SCORE_FIELDS, score_values(period.pk, basis, result, total), strict=True))
    values["period"] = period
    return PeriodScore(**values)


def recompute_period(period: EvaluationPeriod) -> list[PeriodScore]:
    """Store the period's index on each basis; a basis without any level yet has no score."""
    scores = []
    with transaction.atomic():
        PeriodScore.objects.filter(period=period).delete()
        for basis in ScoreBasis.values:
            levels = period_levels(period, basis)
            if levels:
                scores.append(score_from_levels(period, basis, levels))
        PeriodScore.objects.bulk_create(scores)
    return scores


def set_period_status(user, period: EvaluationPeriod, status: str) -> EvaluationPeriod:
    if status not in PeriodStatus.values:
        raise ValidationError(_("Unknown stage."))
    period.status = status
    return services.update_object(user, period)


def assign_pic(user, assessment: IndicatorAssessment, pic, pic_user=None) -> IndicatorAssessment:
    """Give an indicator to an OPD (and optionally a contact person); a reviewer's task."""
    with transaction.atomic():
        if not permissions.can(user, "review", assessment):
            raise PermissionDenied(_("You may not assign this indicator."))
        if pic is not None and pic.instansi_id != assessment.period.instansi_id:
            raise ValidationError({"pic": _("The PIC must be an OPD of the instansi being evaluated.")})
        assessment.pic = pic
        assessment.pic_user = pic_user
        assessment.save()
    return assessment


def effort_editable(user, period: EvaluationPeriod):
    """The assessments whose effort the user may set: all for who may change the period, else those they review."""
    if permissions.can(user, "change", period):
        return IndicatorAssessment.objects.filter(period=period)
    return permissions.restrict(IndicatorAssessment.objects.filter(period=period), user, "review")


def set_efforts(user, period: EvaluationPeriod, efforts: dict[str, int]) -> int:
    """Store the planner's effort per item; all or nothing, each change in the audit trail."""
    with transaction.atomic():
        rows = {row.item_key: row for row in effort_editable(user, period).select_for_update()}
        refused = sorted(set(efforts) - set(rows))
        if refused:
            raise PermissionDenied(_("You may not set the effort of: %(items)s.") % {"items": ", ".join(refused)})
        changed = 0
        for key, value in efforts.items():
            row = rows[key]
            if row.effort != value:
                row.effort = value
                # Effort is planning data beside the levels: the reviewer's "review" grant suffices.
                row.save(update_fields=["effort", "updated_at"])
                changed += 1
    return changed
