"""Every transition of the evaluation's three workflows, allowed and refused (by state, by role, for a
missing note, in a closed period), through the service, the web page and the API, each with its event row.

One table per workflow: (state before, step, actor, note, refusal code or None). Each case runs on each
channel; an allowed step leaves the new state and exactly one WorkflowEvent naming step, states, actor
and note; a refused one leaves the state and the events as they were, and says why with the same code.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.core.models.workflow import WorkflowEvent
from simpul.core.workflow import TransitionError
from simpul.evaluation import services
from simpul.evaluation.models import (
    ActionStatus,
    AssessmentStatus,
    EvaluationPeriod,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    PeriodStatus,
)

BASE = "/api/evaluation"
CHANNELS = ("service", "ui", "api")
# The HTTP status of each refusal code in the API.
API_STATUS = {
    "invalid_state": 409,
    "not_permitted": 403,
    "note_required": 400,
    "period_closed": 409,
    "unknown_transition": 400,
}


@pytest.fixture
def period(world) -> EvaluationPeriod:
    """A 59/2020 period of instansi A; every indicator with OPD a1 as PIC."""
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    return services.create_period(
        world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=2025, framework=framework), default_pic=world.a1
    )


def web(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def events_of(record):
    return WorkflowEvent.objects.filter(content_type__model=record._meta.model_name, object_id=str(record.pk))


def check_outcome(record, before: str, target: str, step: str, actor, note: str, refusal: str | None, events: int):
    record.refresh_from_db()
    if refusal is None:
        assert record.status == target
        assert events_of(record).count() == events + 1
        event = events_of(record).order_by("-id").first()
        assert (event.transition, event.from_state, event.to_state) == (step, before, target)
        assert (event.actor, event.note) == (actor, note)
    else:
        assert record.status == before
        assert events_of(record).count() == events


# --- Indicator assessments -------------------------------------------------------------------------------


def assessment_in(world, period, state: str) -> IndicatorAssessment:
    """Indicator 1 of the period, brought to `state` through the workflow itself."""
    item = period.assessments.get(item_key="1")
    pic, reviewer = world.operator_a1, world.evaluator_a
    if state == AssessmentStatus.DRAFT:
        services.save_self_assessment(pic, item, 3, "")
    elif state in (AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED, AssessmentStatus.ACCEPTED):
        services.save_self_assessment(pic, item, 3, "Perbup 12/2023", submit=True)
        if state == AssessmentStatus.RETURNED:
            services.review(reviewer, item, accept=False, note="Lampirkan SK.")
        elif state == AssessmentStatus.ACCEPTED:
            services.review(reviewer, item, accept=True)
    item.refresh_from_db()
    return item


NS, DRAFT, SUB, RET, ACC = (
    AssessmentStatus.NOT_STARTED,
    AssessmentStatus.DRAFT,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.RETURNED,
    AssessmentStatus.ACCEPTED,
)
ASSESSMENT_TARGET = {"save_draft": DRAFT, "submit": SUB, "withdraw": DRAFT, "accept": ACC, "return": RET}

ASSESSMENT_CASES = [
    # Allowed.
    (NS, "save_draft", "operator_a1", "", None),
    (DRAFT, "save_draft", "operator_a1", "", None),
    (RET, "save_draft", "operator_a1", "", None),
    (NS, "submit", "operator_a1", "", None),
    (DRAFT, "submit", "operator_a1", "", None),
    (RET, "submit", "operator_a1", "", None),
    (SUB, "withdraw", "operator_a1", "", None),
    (SUB, "withdraw", "operator_a1", "Bukti belum lengkap.", None),
    (SUB, "accept", "evaluator_a", "", None),
    (SUB, "return", "evaluator_a", "Lampirkan SK.", None),
    (ACC, "return", "evaluator_a", "Cek ulang.", None),
    # Refused by state.
    (SUB, "save_draft", "operator_a1", "", "invalid_state"),
    (ACC, "submit", "operator_a1", "", "invalid_state"),
    (DRAFT, "withdraw", "operator_a1", "", "invalid_state"),
    (ACC, "withdraw", "operator_a1", "", "invalid_state"),
    (DRAFT, "accept", "evaluator_a", "", "invalid_state"),
    (RET, "return", "evaluator_a", "x", "invalid_state"),
    # Refused by role: a PIC does not review, a reviewer does not fill in, a reader does neither.
    (SUB, "accept", "operator_a1", "", "not_permitted"),
    (SUB, "return", "operator_a1", "Saya sendiri.", "not_permitted"),
    (NS, "save_draft", "evaluator_a", "", "not_permitted"),
    (SUB, "withdraw", "evaluator_a", "", "not_permitted"),
    (DRAFT, "submit", "koordinator_a", "", "not_permitted"),
    # Refused for a missing note.
    (SUB, "return", "evaluator_a", "", "note_required"),
    (ACC, "return", "evaluator_a", "  ", "note_required"),
]


def fire_assessment(channel: str, actor, item: IndicatorAssessment, step: str, note: str):
    """Take `step` on `item`; the service's refusal code, the page's or the API's response."""
    submit = step == "submit"
    if channel == "service":
        try:
            if step in ("save_draft", "submit"):
                services.save_self_assessment(actor, item, 3, "Perbup 12/2023", submit=submit)
            elif step == "withdraw":
                services.withdraw(actor, item, note=note)
            else:
                services.review(actor, item, accept=step == "accept", note=note)
        except TransitionError as error:
            return error.code
        return None
    if channel == "ui":
        client = web(actor)
        if step in ("save_draft", "submit"):
            url = reverse("evaluation:indicatorassessment_self", args=[item.pk])
            body = {"self_level": "3", "justification": "Perbup 12/2023", "action": "submit" if submit else "draft"}
        elif step == "withdraw":
            url, body = reverse("evaluation:indicatorassessment_withdraw", args=[item.pk]), {"note": note}
        else:
            url = reverse("evaluation:indicatorassessment_review", args=[item.pk])
            body = {"action": step, "review_note": note}
        return client.post(url, body)
    client, target = api(actor), f"{BASE}/assessments/{item.pk}"
    if step in ("save_draft", "submit"):
        body = {"level": 3, "justification": "Perbup 12/2023", "submit": submit}
        return client.put(f"{target}/self-assessment/", body, format="json")
    if step == "withdraw":
        return client.post(f"{target}/withdraw/", {"note": note}, format="json")
    return client.post(f"{target}/review/", {"decision": step, "note": note}, format="json")


def check_response(channel: str, response, refusal: str | None) -> None:
    if channel == "service":
        assert response == refusal
    elif channel == "ui":
        # A page answers a step with a redirect; a step it does not offer is forbidden (403), other refusals
        # show the page again with the message (400, 409).
        if refusal is None:
            assert response.status_code == 302, response.status_code
        else:
            assert response.status_code == (403 if refusal == "not_permitted" else response.status_code)
            assert response.status_code in (400, 403, 409), response.status_code
    elif refusal is None:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == API_STATUS[refusal], response.content
        assert response.json()["code"] == refusal


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("state", "step", "actor", "note", "refusal"), ASSESSMENT_CASES)
def test_assessment_transitions(world, period, channel, state, step, actor, note, refusal):
    item = assessment_in(world, period, state)
    user = getattr(world, actor)
    events = events_of(item).count()
    response = fire_assessment(channel, user, item, step, note)
    check_response(channel, response, refusal)
    check_outcome(item, state, ASSESSMENT_TARGET[step], step, user, note.strip(), refusal, events)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("state", "step", "actor"), [(DRAFT, "submit", "operator_a1"), (SUB, "accept", "evaluator_a")])
def test_no_assessment_moves_in_a_closed_period(world, period, channel, state, step, actor):
    item = assessment_in(world, period, state)
    services.set_period_status(world.admin_a, period, PeriodStatus.CLOSED)
    events = events_of(item).count()
    response = fire_assessment(channel, getattr(world, actor), item, step, "")
    if channel == "ui":
        # The page no longer offers the form at all.
        assert response.status_code == 403
    else:
        check_response(channel, response, "period_closed")
    check_outcome(item, state, ASSESSMENT_TARGET[step], step, None, "", "period_closed", events)


def test_withdrawing_clears_the_submission_time_and_keeps_the_level(world, period):
    item = assessment_in(world, period, SUB)
    assert item.submitted_at is not None
    page = web(world.operator_a1).get(item.get_absolute_url())
    assert page.context["can_withdraw"] and 'data-testid="withdraw"' in page.content.decode()
    assert 'data-testid="withdraw"' not in web(world.evaluator_a).get(item.get_absolute_url()).content.decode()
    services.withdraw(world.operator_a1, item)
    item.refresh_from_db()
    assert (item.status, item.self_level, item.submitted_at) == (DRAFT, 3, None)
    assert not web(world.operator_a1).get(item.get_absolute_url()).context["can_withdraw"]


def test_the_api_lists_the_events_of_an_assessment(world, period):
    item = assessment_in(world, period, RET)
    events = api(world.koordinator_a).get(f"{BASE}/assessments/{item.pk}/events/")
    assert events.status_code == 200
    assert [(row["transition"], row["to_state"], row["actor"]) for row in events.json()] == [
        ("return", "returned", world.evaluator_a.pk),
        ("submit", "submitted", world.operator_a1.pk),
    ]
    assert events.json()[0]["note"] == "Lampirkan SK."
    assert api(world.admin_b).get(f"{BASE}/assessments/{item.pk}/events/").status_code == 404


# --- Evaluation periods -----------------------------------------------------------------------------------

PREP, SELF, REVIEW, NATIONAL, CLOSED = (
    PeriodStatus.PREPARATION,
    PeriodStatus.SELF_ASSESSMENT,
    PeriodStatus.INTERNAL_REVIEW,
    PeriodStatus.NATIONAL,
    PeriodStatus.CLOSED,
)
PERIOD_TARGET = {
    "start_self_assessment": SELF,
    "start_review": REVIEW,
    "start_national": NATIONAL,
    "close": CLOSED,
    "back_to_preparation": PREP,
    "back_to_self_assessment": SELF,
    "back_to_review": REVIEW,
}
PERIOD_CASES = [
    # Allowed: forward one stage, close from any open stage, back one stage with a note.
    (PREP, "start_self_assessment", "evaluator_a", "", None),
    (SELF, "start_review", "admin_a", "", None),
    (REVIEW, "start_national", "evaluator_a", "", None),
    (NATIONAL, "close", "evaluator_a", "", None),
    (PREP, "close", "admin_a", "Evaluasi dibatalkan.", None),
    (SELF, "back_to_preparation", "evaluator_a", "PIC belum lengkap.", None),
    (REVIEW, "back_to_self_assessment", "evaluator_a", "Tenggat diperpanjang.", None),
    (NATIONAL, "back_to_self_assessment", "admin_a", "Diulang.", None),
    (NATIONAL, "back_to_review", "evaluator_a", "Reviu ulang.", None),
    # Refused by state: a closed period is never reopened, and no stage is skipped.
    (CLOSED, "back_to_review", "admin_a", "Dibuka lagi.", "invalid_state"),
    (CLOSED, "back_to_self_assessment", "admin_a", "Dibuka lagi.", "invalid_state"),
    (CLOSED, "close", "admin_a", "", "invalid_state"),
    (PREP, "start_review", "evaluator_a", "", "invalid_state"),
    (SELF, "back_to_review", "evaluator_a", "x", "invalid_state"),
    # Refused by role: only who may change the period moves its stage.
    (PREP, "start_self_assessment", "koordinator_a", "", "not_permitted"),
    (SELF, "close", "operator_a1", "", "not_permitted"),
    # Refused for a missing note.
    (SELF, "back_to_preparation", "evaluator_a", "", "note_required"),
    (NATIONAL, "back_to_review", "admin_a", "", "note_required"),
]


def period_in(period: EvaluationPeriod, state: str) -> EvaluationPeriod:
    # The stage before the step is set directly: the path there is not what these cases are about.
    EvaluationPeriod.objects.filter(pk=period.pk).update(status=state)
    period.refresh_from_db()
    return period


def fire_period(channel: str, actor, period: EvaluationPeriod, step: str, note: str):
    if channel == "service":
        try:
            services.period_transition(actor, period, step, note=note)
        except TransitionError as error:
            return error.code
        return None
    if channel == "ui":
        url = reverse("evaluation:evaluationperiod_status", args=[period.pk])
        return web(actor).post(url, {"transition": step, "note": note})
    return api(actor).post(f"{BASE}/periods/{period.pk}/transition/", {"transition": step, "note": note}, format="json")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("state", "step", "actor", "note", "refusal"), PERIOD_CASES)
def test_period_transitions(world, period, channel, state, step, actor, note, refusal):
    period = period_in(period, state)
    user = getattr(world, actor)
    events = events_of(period).count()
    response = fire_period(channel, user, period, step, note)
    check_response(channel, response, refusal)
    if channel == "ui" and refusal is not None and refusal != "not_permitted":
        assert response.status_code == API_STATUS[refusal]
    check_outcome(period, state, PERIOD_TARGET[step], step, user, note, refusal, events)


def test_the_period_page_offers_the_steps_the_user_may_take(world, period):
    period = period_in(period, SELF)
    html = web(world.evaluator_a).get(period.get_absolute_url()).content.decode()
    assert 'data-testid="step-start_review"' in html and 'data-testid="step-back_to_preparation"' in html
    assert 'data-testid="step-close"' in html and 'data-testid="step-start_national"' not in html
    assert 'data-testid="stage-form"' not in web(world.koordinator_a).get(period.get_absolute_url()).content.decode()
    # Once closed, nothing is offered: the period cannot be reopened.
    services.period_transition(world.evaluator_a, period, "close")
    page = web(world.admin_a).get(period.get_absolute_url())
    assert page.context["transition_form"] is None
    # Its steps are in the history panel, with the note.
    assert page.content.decode().count('data-testid="history-event"') == 1


def test_an_unknown_step_is_refused(world, period):
    with pytest.raises(TransitionError) as refused:
        services.period_transition(world.admin_a, period, "reopen")
    assert (refused.value.code, refused.value.status) == ("unknown_transition", 400)
    response = api(world.admin_a).post(f"{BASE}/periods/{period.pk}/transition/", {"transition": "reopen"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_transition"
    page = web(world.admin_a).post(
        reverse("evaluation:evaluationperiod_status", args=[period.pk]), {"transition": "reopen"}
    )
    assert page.status_code == 400


def test_the_api_answers_refused_steps_with_their_code_and_status(world, period):
    """The three refusals a client meets most, each with its stable code."""
    closed = period_in(period, CLOSED)
    reopen = api(world.admin_a).post(
        f"{BASE}/periods/{closed.pk}/transition/", {"transition": "back_to_review", "note": "Buka lagi."}
    )
    assert (reopen.status_code, reopen.json()["code"]) == (409, "invalid_state")
    assert set(reopen.json()) == {"code", "detail"} and reopen.json()["detail"]

    period_in(period, NATIONAL)
    item = assessment_in(world, period, SUB)
    pic_review = api(world.operator_a1).post(f"{BASE}/assessments/{item.pk}/review/", {"decision": "accept"})
    assert (pic_review.status_code, pic_review.json()["code"]) == (403, "not_permitted")
    no_note = api(world.evaluator_a).post(f"{BASE}/assessments/{item.pk}/review/", {"decision": "return"})
    assert (no_note.status_code, no_note.json()["code"]) == (400, "note_required")
    assert no_note.json()["fields"]["note"]


# --- Improvement actions ----------------------------------------------------------------------------------

PLANNED, IN_PROGRESS, DONE, DROPPED = (
    ActionStatus.PLANNED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.DROPPED,
)
ACTION_TARGET = {"start": IN_PROGRESS, "complete": DONE, "drop": DROPPED, "reopen": IN_PROGRESS, "restore": PLANNED}
ACTION_CASES = [
    # Allowed, for the owner OPD's operator and for the evaluator team.
    (PLANNED, "start", "operator_a2", None),
    (PLANNED, "complete", "evaluator_a", None),
    (IN_PROGRESS, "complete", "operator_a2", None),
    (PLANNED, "drop", "evaluator_a", None),
    (IN_PROGRESS, "drop", "operator_a2", None),
    (DONE, "reopen", "operator_a2", None),
    (DROPPED, "restore", "evaluator_a", None),
    # Refused by state (each to a status no step reaches from there, since the page names statuses).
    (DONE, "drop", "operator_a2", "invalid_state"),
    (DROPPED, "complete", "evaluator_a", "invalid_state"),
    (DROPPED, "start", "operator_a2", "invalid_state"),
    (IN_PROGRESS, "restore", "operator_a2", "invalid_state"),
    # Refused by role: the Tim Koordinasi reads; another OPD's actions are not its own.
    (PLANNED, "start", "koordinator_a", "not_permitted"),
]


@pytest.fixture
def action(world, period) -> ImprovementAction:
    indicator = period.assessments.get(item_key="5").indicator
    return services.create_action(
        world.evaluator_a,
        ImprovementAction(
            owner=world.a2, period=period, indicator=indicator, item_key="5", from_level=2, to_level=3, title="SOP"
        ),
    )


def fire_action(channel: str, actor, action: ImprovementAction, step: str):
    if channel == "service":
        try:
            services.action_transition(actor, action, step)
        except TransitionError as error:
            return error.code
        return None
    if channel == "ui":
        # The action list posts the status chosen in the row's select.
        url = reverse("evaluation:action_status", args=[action.pk])
        return web(actor).post(url, {"status": ACTION_TARGET[step]}, follow=True)
    return api(actor).post(f"{BASE}/improvement-actions/{action.pk}/transition/", {"transition": step})


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("state", "step", "actor", "refusal"), ACTION_CASES)
def test_action_transitions(world, action, channel, state, step, actor, refusal):
    ImprovementAction.objects.filter(pk=action.pk).update(status=state)
    action.refresh_from_db()
    user = getattr(world, actor)
    events = events_of(action).count()
    response = fire_action(channel, user, action, step)
    if channel == "ui":
        # The list page answers with itself and says what happened.
        assert response.status_code == 200
        levels = [message.level_tag for message in response.context["messages"]]
        assert levels == (["success"] if refusal is None else ["error"])
    else:
        check_response(channel, response, refusal)
    check_outcome(action, state, ACTION_TARGET[step], step, user, "", refusal, events)


def test_a_new_action_starts_planned_with_its_event(world, action):
    assert action.status == PLANNED
    event = events_of(action).get()
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "create",
        "",
        "planned",
        world.evaluator_a,
    )


def test_the_action_list_offers_the_statuses_reachable_from_each_action(world, action):
    page = web(world.operator_a2).get(reverse("evaluation:period_actions", args=[action.period_id]))
    row = next(row for row in page.context["actions"] if row.pk == action.pk)
    assert [value for value, _label in row.status_choices] == [PLANNED, IN_PROGRESS, DONE, DROPPED]
    services.action_transition(world.operator_a2, action, "complete")
    page = web(world.operator_a2).get(reverse("evaluation:period_actions", args=[action.period_id]))
    row = next(row for row in page.context["actions"] if row.pk == action.pk)
    assert [value for value, _label in row.status_choices] == [DONE, IN_PROGRESS]
