"""State changes of an evaluation: every channel (UI, API, CLI, demo) calls these, and nothing else writes.

The workflows themselves (states, transitions, who may fire them, the closed-period guard) are declared
on the models (`EvaluationPeriod.workflow`, `IndicatorAssessment.workflow`, `ImprovementAction.workflow`)
and fired through `simpul.core.workflow.transition()`, which locks the row, checks state, permission,
guard and note, saves, and writes a WorkflowEvent in the same transaction. A refused step raises
`TransitionError` with a stable code. The functions here add what each step changes besides its state
(levels, justification, reviewer), keep the rules between those values, and recompute the period's index.

An indicator goes: not started → draft → submitted → accepted, or back to returned (and submitted again);
its PIC may withdraw a submission before review. A reviewer never edits the self-assessment: a different
final level needs a note and both levels stay side by side. Each write is audited by the model signals.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import audit, context, permissions, services
from simpul.core.notifications import Message, notify
from simpul.core.workflow import (
    INVALID_INPUT,
    INVALID_STATE,
    NOTE_REQUIRED,
    Transition,
    TransitionError,
    record_event,
    transition,
)
from simpul.evaluation import evidence, loader, planning, scoring
from simpul.evaluation.models import (
    NATIONAL_STAGE_ORDER,
    ActionStatus,
    EvaluationPeriod,
    Framework,
    ImprovementAction,
    Indicator,
    IndicatorAssessment,
    NationalStage,
    NationalStageResult,
    PeriodScore,
    PeriodStatus,
    ScoreBasis,
    ensure_open,
)

# The home cards read SELF_EDITABLE from here (the states in which a PIC still has to fill in).
from simpul.evaluation.models import SELF_EDITABLE as SELF_EDITABLE
from simpul.organizations.models import PerangkatDaerah, User

# --- Periods ----------------------------------------------------------------------------------------------


def create_period(user, period: EvaluationPeriod, default_pic: PerangkatDaerah | None = None) -> EvaluationPeriod:
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


def period_transition(user, period: EvaluationPeriod, name: str, note: str = "") -> EvaluationPeriod:
    """Move the period to its next (or previous) stage, or close it: see `EvaluationPeriod.workflow`.

    Closing is final: every level of the period is then locked, and a closed period cannot be reopened.
    """
    return transition(user, period, name, note=note)


def set_period_status(user, period: EvaluationPeriod, status: str, note: str = "") -> EvaluationPeriod:
    """Move the period to stage `status` by the one transition that leads there from its current stage.

    For callers that name the stage rather than the step (the demo, scripts); the rules are the same.
    """
    if status not in PeriodStatus.values:
        raise TransitionError(INVALID_INPUT, _("Unknown stage."), status=400, fields={"status": [_("Unknown stage.")]})
    return period_transition(user, period, step_to(period, status), note=note)


def step_to(record, target: str) -> str:
    """The name of the transition of `record`'s workflow from its current state to `target`."""
    workflow = type(record).workflow
    state = workflow.state_of(record)
    for step in workflow.transitions:
        if step.target == target and state in step.source:
            return step.name
    field = record._meta.get_field(workflow.field)
    labels = dict(field.flatchoices)
    raise TransitionError(
        INVALID_STATE,
        _("“%(state)s” cannot change to “%(target)s”.")
        % {"state": labels.get(state, state), "target": labels.get(target, target)},
    )


def allowed_transitions(user, record) -> list[Transition]:
    """The transitions `user` may fire on `record` now, for the buttons of a page."""
    return type(record).workflow.allowed(user, record)


# --- The self-assessment and its review ---------------------------------------------------------------------


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


def _names(user, record) -> set[str]:
    return {step.name for step in allowed_transitions(user, record)}


def may_self_assess(user, assessment: IndicatorAssessment) -> bool:
    """Whether the PIC's form is for `user` now (the `save_draft` step is open to them)."""
    return "save_draft" in _names(user, assessment)


def may_review(user, assessment: IndicatorAssessment) -> bool:
    """Whether the review form is for `user` now (they may accept or return it)."""
    return bool(_names(user, assessment) & {"accept", "return"})


def _survey_level(assessment: IndicatorAssessment, satisfaction_x) -> tuple[Decimal, Decimal]:
    """The survey value x and the level it converts to, for the survey-scored indicator."""
    spec = assessment.period.framework.spec
    if spec.satisfaction is None or spec.satisfaction.indicator != assessment.indicator.number:
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
    return x, round(Decimal(str(spec.satisfaction.level_for(float(x)))), 2)


def save_self_assessment(
    user,
    assessment: IndicatorAssessment,
    level,
    justification: str,
    submit: bool = False,
    satisfaction_x=None,
) -> IndicatorAssessment:
    """Write the PIC's level and justification (transition `save_draft`); with `submit`, hand it to the
    reviewers (transition `submit`, which needs a level and a justification).

    For the survey-scored indicator the PIC may give the survey value x instead: the level is then
    the framework's conversion of x, so the two can never disagree.

    A submission freezes the evidence (see `evidence.ensure_editable`), and its event records which
    evidence it handed over (`{"evidence": [...]}`, see `evidence.snapshot`): the review judges that.
    """
    payload: dict = {}

    def apply(locked: IndicatorAssessment) -> None:
        chosen = level
        if satisfaction_x not in (None, ""):
            locked.satisfaction_x, chosen = _survey_level(locked, satisfaction_x)
        locked.self_level = None if chosen in (None, "") else _check_level(locked, chosen, "self_level")
        locked.self_justification = (justification or "").strip()
        locked.self_assessed_by = user
        if submit:
            if locked.self_level is None or not locked.self_justification:
                raise ValidationError(_("Give a level and a justification before submitting."))
            locked.submitted_at = timezone.now()
            # Taken under the row lock that evidence changes also take, so no evidence slips in between;
            # transition() writes the event after `apply`, with this dict filled in.
            payload["evidence"] = evidence.snapshot(locked)

    with transaction.atomic():
        saved = transition(user, assessment, "submit" if submit else "save_draft", apply=apply, payload=payload)
        recompute_period(saved.period)
        if submit:
            _notify(
                user,
                saved,
                "review",
                "evaluation.submitted",
                gettext_lazy("Self-assessment submitted for review: %(item)s"),
            )
    return saved


# What each kind of notification says; the title names the indicator, the body the period and the note.
def _notify(user, assessment: IndicatorAssessment, action: str, verb: str, title, note: Message | str = "") -> None:
    """Tell the users who may now act on `assessment` (`action` on it, by the grants) what happened;
    `title` is a lazy template naming the indicator as %(item)s."""
    if note:
        body = Message("%(period)s\n\n%(note)s", period=assessment.period, note=note)
    else:
        body = Message("%(period)s", period=assessment.period)
    notify(
        permissions.users_who_may(action, assessment),
        Message(title, item=assessment),
        body,
        record=assessment,
        verb=verb,
        exclude=user,
    )


def withdraw(user, assessment: IndicatorAssessment, note: str = "") -> IndicatorAssessment:
    """The PIC takes a submission back before it is reviewed; it is a draft again, levels unchanged,
    and its evidence may change again."""

    def apply(locked: IndicatorAssessment) -> None:
        locked.submitted_at = None

    return transition(user, assessment, "withdraw", note=note, apply=apply)


def review(
    user, assessment: IndicatorAssessment, accept: bool, note: str = "", final_level=None
) -> IndicatorAssessment:
    """Accept a submitted self-assessment, fixing the final internal level (the self-assessed one unless
    `final_level` says otherwise, which needs a note), or return it to its PIC with a note saying what
    to change (an accepted one too: its final level is then cleared)."""
    note = (note or "").strip()

    def reviewed(locked: IndicatorAssessment) -> None:
        locked.review_note = note
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()

    def accepted(locked: IndicatorAssessment) -> None:
        chosen = locked.self_level if final_level in (None, "") else final_level
        chosen = _check_level(locked, chosen, "final_level")
        if chosen != locked.self_level and not note:
            message = _("Explain in the note why the final level differs from the self-assessment.")
            raise TransitionError(NOTE_REQUIRED, message, status=400, fields={"note": [message]})
        locked.final_level = chosen
        reviewed(locked)

    def returned(locked: IndicatorAssessment) -> None:
        locked.final_level = None
        reviewed(locked)

    with transaction.atomic():
        saved = transition(
            user, assessment, "accept" if accept else "return", note=note, apply=accepted if accept else returned
        )
        recompute_period(saved.period)
        if accept:
            _notify(
                user, saved, "change", "evaluation.accepted", gettext_lazy("Self-assessment accepted: %(item)s"), note
            )
        else:
            _notify(
                user, saved, "change", "evaluation.returned", gettext_lazy("Self-assessment returned: %(item)s"), note
            )
    return saved


# --- PICs, national results, efforts ------------------------------------------------------------------------


# `assign_pic(..., due_date=KEEP)` leaves the indicator's own deadline as it is.
KEEP = object()


def assign_pic(
    user,
    assessment: IndicatorAssessment,
    pic: PerangkatDaerah | None,
    pic_user: User | None = None,
    due_date: datetime.date | object | None = KEEP,
) -> IndicatorAssessment:
    """Give an indicator to an OPD (and optionally a contact person and its own deadline, which overrides
    the period's self-assessment deadline; None clears it); a reviewer's task. The users who may fill it
    in are notified when it reaches a new OPD."""
    with context.acting_as(user), transaction.atomic():
        locked = IndicatorAssessment.objects.select_for_update().filter(pk=assessment.pk).first()
        if locked is None or not permissions.can(user, "review", locked):
            raise PermissionDenied(_("You may not assign this indicator."))
        ensure_open(locked.period)
        if pic is not None and pic.instansi_id != locked.period.instansi_id:
            raise ValidationError({"pic": _("The PIC must be an OPD of the instansi being evaluated.")})
        previous_pic = locked.pic_id
        locked.pic, locked.pic_user = pic, pic_user
        fields = ["pic", "pic_user", "updated_at"]
        if due_date is not KEEP:
            locked.due_date = due_date
            fields.append("due_date")
        # Only these columns: the status or levels of the row as the caller read it may be stale.
        locked.save(update_fields=fields)
        if pic is not None and pic.pk != previous_pic:
            due = locked.effective_due
            _notify(
                user,
                locked,
                "change",
                "evaluation.assigned",
                gettext_lazy("Indicator assigned to your OPD: %(item)s"),
                Message(gettext_lazy("Self-assessment due: %(date)s"), date=due) if due else "",
            )
    assessment.pic, assessment.pic_user = pic, pic_user
    if due_date is not KEEP:
        assessment.due_date = due_date
    return locked


def assign_pics(
    user,
    period: EvaluationPeriod,
    assessments: Iterable[IndicatorAssessment],
    pic: PerangkatDaerah | None,
    pic_user: User | None = None,
    due_date: datetime.date | object | None = KEEP,
) -> int:
    """Give several indicators of one period to one OPD (or back to none), all or nothing; `due_date`
    as in `assign_pic`."""
    with transaction.atomic():
        count = 0
        for assessment in assessments:
            if assessment.period_id != period.pk:
                raise ValidationError({"assessments": _("Every indicator must belong to this period.")})
            assign_pic(user, assessment, pic, pic_user, due_date=due_date)
            count += 1
    return count


def record_national_result(user, assessment: IndicatorAssessment, stage: str, level, **fields) -> NationalStageResult:
    """Record (or correct) the level given at one national stage; the latest stage sets the national level."""
    with transaction.atomic():
        assessment = IndicatorAssessment.objects.select_related("period__framework").get(pk=assessment.pk)
        if not permissions.can(user, "view", assessment):
            raise PermissionDenied(_("You may not record results for this indicator."))
        ensure_open(assessment.period)
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
        refresh_national_level(user, assessment)
        recompute_period(assessment.period)
    return result


def refresh_national_level(user, assessment: IndicatorAssessment) -> None:
    """Store the level of the latest national stage recorded as the assessment's national level."""
    with context.acting_as(user), transaction.atomic():
        locked = IndicatorAssessment.objects.select_for_update().get(pk=assessment.pk)
        results = {row.stage: row.level for row in locked.national_results.all()}
        latest = next((results[stage] for stage in reversed(NATIONAL_STAGE_ORDER) if stage in results), None)
        if latest != locked.national_level:
            locked.national_level = latest
            # A save, not QuerySet.update: the national level is a change the audit trail must show.
            locked.save(update_fields=["national_level", "updated_at"])
    assessment.national_level = latest


def effort_editable(user, period: EvaluationPeriod):
    """The assessments whose effort the user may set: all for who may change the period, else those they review."""
    if permissions.can(user, "change", period):
        return IndicatorAssessment.objects.filter(period=period)
    return permissions.restrict(IndicatorAssessment.objects.filter(period=period), user, "review")


def set_efforts(user, period: EvaluationPeriod, efforts: dict[str, int]) -> int:
    """Store the planner's effort per item; all or nothing, each change in the audit trail."""
    with context.acting_as(user), transaction.atomic():
        rows = {row.item_key: row for row in effort_editable(user, period).select_for_update()}
        refused = sorted(set(efforts) - set(rows))
        if refused:
            raise PermissionDenied(_("You may not set the effort of: %(items)s.") % {"items": ", ".join(refused)})
        invalid = sorted(key for key, value in efforts.items() if not 1 <= value <= planning.MAX_EFFORT)
        if invalid:
            raise ValidationError(
                _("The effort must be a whole number from 1 to %(max)s (check: %(items)s). Nothing was saved.")
                % {"max": planning.MAX_EFFORT, "items": ", ".join(invalid)}
            )
        changed = 0
        for key, value in efforts.items():
            row = rows[key]
            if row.effort != value:
                row.effort = value
                # Effort is planning data beside the levels: the reviewer's "review" grant suffices.
                row.save(update_fields=["effort", "updated_at"])
                changed += 1
    return changed


# --- Scores -------------------------------------------------------------------------------------------------

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
    """The (unsaved) score of a period on one basis from its levels; missing ones count at the minimum."""
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
    """The (unsaved) score row of a computed index."""
    total = len(scoring.compile_framework(period.framework.spec).item_keys)
    values = dict(zip(SCORE_FIELDS, score_values(period.pk, basis, result, total), strict=True))
    values["period"] = period
    return PeriodScore(**values)


def recompute_period(period: EvaluationPeriod) -> list[PeriodScore]:
    """Store the period's index on each basis; a basis without any level yet has no score.

    Scores are derived data outside the audit trail (PeriodScore is not audited): the levels they come
    from are.
    """
    scores = []
    with transaction.atomic():
        PeriodScore.objects.filter(period=period).delete()
        for basis in ScoreBasis.values:
            levels = period_levels(period, basis)
            if levels:
                scores.append(score_from_levels(period, basis, levels))
        PeriodScore.objects.bulk_create(scores)
    return scores


# --- Improvement actions ------------------------------------------------------------------------------------


def create_action(user, action: ImprovementAction) -> ImprovementAction:
    """Save a new improvement action; it starts planned, and its first event says so."""
    with transaction.atomic():
        action.status = ActionStatus.PLANNED
        action.full_clean()
        action = services.create_object(user, action)
        record_event(user, action, ImprovementAction.workflow.name, "create", "", action.status)
    return action


def action_transition(user, action: ImprovementAction, name: str, note: str = "") -> ImprovementAction:
    """Start, complete, drop, reopen or plan again an action: see `ImprovementAction.workflow`."""
    return transition(user, action, name, note=note)


def set_action_status(user, action: ImprovementAction, status: str, note: str = "") -> ImprovementAction:
    """Move an action to `status` by the one transition that leads there (the action list's select)."""
    if status not in ActionStatus.values:
        raise TransitionError(
            INVALID_INPUT, _("Choose a status."), status=400, fields={"status": [_("Choose a status.")]}
        )
    return action_transition(user, action, step_to(action, status), note=note)


@dataclass
class PlannedActions:
    created: list[ImprovementAction] = field(default_factory=list)
    skipped: int = 0


def plan_actions(
    user,
    period: EvaluationPeriod,
    raises: Iterable[tuple[str, float, float]],
    *,
    owner: PerangkatDaerah | None = None,
    due_date: datetime.date | None = None,
) -> PlannedActions:
    """Turn raises of a plan, each (item key, from level, to level), into improvement actions, all or nothing.

    An action is one level up: an indicator raised from 2 to 4 becomes the actions 2→3 and 3→4, so the
    owner reports progress level by level, and a level that already has an action (not dropped) is
    skipped instead of made twice. Each action is owned by `owner`, else by the indicator's PIC.
    """
    spec = period.framework.spec
    rows = {row.item_key: row for row in planning.planner_rows(period)}
    steps, unknown = [], []
    for key, low, high in raises:
        row = rows.get(key)
        levels = planning.one_level_steps(spec, low, high) if row is not None else None
        if levels is None:
            unknown.append(f"{key}:{low:g}:{high:g}")
        else:
            steps.extend((row, from_level, to_level) for from_level, to_level in levels)
    if unknown:
        raise ValidationError(
            _("These steps are not part of this evaluation: %(steps)s.") % {"steps": ", ".join(unknown)}
        )
    if not steps:
        raise ValidationError(_("Tick at least one indicator of the plan."))
    if owner is not None and not planning.action_owners(user, period).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose an OPD of this instansi for which you may plan actions.")})
    missing_owner = list(
        dict.fromkeys(row.item_key for row, _low, _high in steps if owner is None and row.pic_id is None)
    )
    if missing_owner:
        raise ValidationError(
            {
                "owner": _("Indicators %(items)s have no PIC: choose the OPD that will own the actions.")
                % {"items": ", ".join(missing_owner)}
            }
        )
    result = PlannedActions()
    with transaction.atomic():
        # Two planners at once would both miss the other's new actions: they take turns on the period row.
        EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).first()
        existing = set(
            ImprovementAction.objects.filter(period=period)
            .exclude(status=ActionStatus.DROPPED)
            .values_list("item_key", "from_level", "to_level")
        )
        for row, from_level, to_level in steps:
            if (row.item_key, from_level, to_level) in existing:
                result.skipped += 1
                continue
            action = ImprovementAction(
                owner=owner or row.pic,
                period=period,
                indicator=row.indicator,
                item_key=row.item_key,
                from_level=from_level,
                to_level=to_level,
                title=planning.action_title(spec, row.indicator.number, from_level, to_level),
                due_date=due_date,
            )
            result.created.append(create_action(user, action))
            # Overlapping ticked ranges of one indicator make each level's action once.
            existing.add((row.item_key, from_level, to_level))
    return result


# --- Frameworks ---------------------------------------------------------------------------------------------


def _may_load_frameworks(user) -> None:
    # `None` is the server's console (`simpul evaluation load-framework` without --user, the migration):
    # whoever runs it holds the database already.
    if user is not None and not permissions.can_add(user, Framework, None, None):
        raise PermissionDenied(_("You may not load evaluation frameworks."))


def load_framework(user, document: dict, source_file: str = "") -> tuple[Framework, str]:
    """Check and store a framework document: ("created" | "updated" | "unchanged"). A document with any
    problem raises FrameworkError with every message and stores nothing."""
    _may_load_frameworks(user)
    with context.acting_as(user):
        return loader.load_framework_document(document, source_file=source_file)


def load_framework_file(user, path: Path | str) -> tuple[Framework, str]:
    """`load_framework` for a framework file on disk."""
    _may_load_frameworks(user)
    with context.acting_as(user):
        return loader.load_framework_file(path)
