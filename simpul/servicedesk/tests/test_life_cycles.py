"""Every step of every kind's life cycle, allowed and refused, from every state the kind has (table-driven:
the tables below are the life cycles as docs/servicedesk/index.md states them, written out by hand, not
read from the workflow declaration)."""

import datetime

import pytest
from django.utils import timezone

from simpul.core.models import WorkflowEvent
from simpul.core.workflow import INVALID_STATE, NOT_PERMITTED, NOTE_REQUIRED, TransitionError
from simpul.servicedesk import services
from simpul.servicedesk.models import Ticket
from simpul.servicedesk.tests.conftest import open_ticket

SERVICE = {
    ("new", "assign"): "assigned",
    ("new", "start"): "in_progress",
    ("assigned", "start"): "in_progress",
    ("in_progress", "wait"): "waiting",
    ("waiting", "resume"): "in_progress",
    ("in_progress", "resolve"): "resolved",
    ("waiting", "resolve"): "resolved",
    ("resolved", "reopen"): "in_progress",
    ("resolved", "close"): "closed",
}
PROBLEM = {
    ("new", "investigate"): "investigating",
    ("investigating", "record_known_error"): "known_error",
    ("investigating", "resolve"): "resolved",
    ("known_error", "resolve"): "resolved",
    ("resolved", "close"): "closed",
}
CHANGE = {
    ("requested", "assess"): "assessed",
    ("assessed", "approve"): "approved",
    ("assessed", "reject"): "rejected",
    ("approved", "schedule"): "scheduled",
    ("scheduled", "implement"): "implemented",
    ("implemented", "review"): "reviewed",
    ("reviewed", "close"): "closed",
    ("rejected", "close"): "closed",
}
LIFE_CYCLES = {"complaint": SERVICE, "incident": SERVICE, "request": SERVICE, "problem": PROBLEM, "change": CHANGE}
STATES = {
    "complaint": ["new", "assigned", "in_progress", "waiting", "resolved", "closed"],
    "problem": ["new", "investigating", "known_error", "resolved", "closed"],
    "change": [
        "requested",
        "assessed",
        "approved",
        "rejected",
        "scheduled",
        "implemented",
        "reviewed",
        "closed",
    ],
}
STATES["incident"] = STATES["request"] = STATES["complaint"]
CASES = [(kind, state) for kind in LIFE_CYCLES for state in STATES[kind]]


def _arguments(world, name):
    """What each step's service needs besides the ticket: everything a successful step asks for."""
    start = timezone.now() + datetime.timedelta(days=2)
    return {
        "assign": {"group": world.group_a1},
        "record_known_error": {"workaround": "Mulai ulang layanan.", "root_cause": "Memori penuh."},
        "assess": {"risk": "low", "impact_analysis": "Layanan berhenti 10 menit."},
        "schedule": {"planned_start": start, "planned_end": start + datetime.timedelta(hours=1)},
    }.get(name, {}) | {"note": "Catatan langkah."}


@pytest.mark.parametrize(("kind", "state"), CASES)
def test_each_step_from_each_state(desk, kind, state):
    world = desk
    ticket = open_ticket(world.admin_a, world.a1, kind)
    table = LIFE_CYCLES[kind]
    for name, service in services.STEPS.items():
        Ticket.objects.filter(pk=ticket.pk).update(status=state)
        ticket.refresh_from_db()
        events = WorkflowEvent.objects.filter(object_id=str(ticket.pk), transition=name).count()
        target = table.get((state, name))
        if target is None:
            with pytest.raises(TransitionError) as refused:
                service(world.admin_a, ticket, **_arguments(world, name))
            assert refused.value.code == INVALID_STATE, (kind, state, name)
            ticket.refresh_from_db()
            assert ticket.status == state
        else:
            done = service(world.admin_a, ticket, **_arguments(world, name))
            assert done.status == target, (kind, state, name)
            assert Ticket.objects.get(pk=ticket.pk).status == target
            # The kit wrote the step's event.
            assert WorkflowEvent.objects.filter(object_id=str(ticket.pk), transition=name).count() == events + 1


def test_a_kind_starts_in_its_first_state_and_its_opening_is_an_event(desk):
    incident = open_ticket(desk.admin_a, desk.a1, "incident")
    change = open_ticket(desk.admin_a, desk.a1, "change")
    assert (incident.status, change.status) == ("new", "requested")
    opening = WorkflowEvent.objects.get(object_id=str(change.pk), transition="open")
    assert (opening.from_state, opening.to_state, opening.payload["routed_by"]) == ("", "requested", "chosen")


def test_approving_or_rejecting_a_change_needs_review(desk):
    change = open_ticket(desk.admin_a, desk.a1, "change")
    change = services.assess(desk.operator_a1, change, risk="medium", impact_analysis="Jaringan putus sebentar.")
    for step in (services.approve, services.reject):
        with pytest.raises(TransitionError) as refused:
            step(desk.operator_a1, change, note="Saya setuju.")
        assert refused.value.code == NOT_PERMITTED
    # The operator is not offered them; the Admin SPBE (review) is.
    allowed = {t.name for t in Ticket.workflow.allowed(desk.operator_a1, change)}
    assert not allowed & {"approve", "reject"}
    assert {"approve", "reject"} <= {t.name for t in Ticket.workflow.allowed(desk.admin_a, change)}
    assert services.approve(desk.admin_a, change).status == "approved"


@pytest.mark.parametrize("name", ["wait", "resolve", "reopen", "reject", "review"])
def test_steps_that_need_a_note_refuse_without_one(desk, name):
    kind = "change" if name in ("reject", "review") else "incident"
    state = {"wait": "in_progress", "resolve": "in_progress", "reopen": "resolved"}.get(
        name, "assessed" if name == "reject" else "implemented"
    )
    ticket = open_ticket(desk.admin_a, desk.a1, kind)
    Ticket.objects.filter(pk=ticket.pk).update(status=state)
    with pytest.raises(TransitionError) as refused:
        services.STEPS[name](desk.admin_a, ticket, note="  ")
    assert refused.value.code == NOTE_REQUIRED
    assert Ticket.objects.get(pk=ticket.pk).status == state


def test_steps_refuse_missing_input_and_write_nothing(desk, english):
    problem = open_ticket(desk.admin_a, desk.a1, "problem")
    services.investigate(desk.admin_a, problem)
    with pytest.raises(TransitionError) as refused:
        services.record_known_error(desk.admin_a, problem, workaround="")
    assert (refused.value.code, list(refused.value.fields)) == ("invalid_input", ["workaround"])
    change = open_ticket(desk.admin_a, desk.a1, "change")
    with pytest.raises(TransitionError) as refused:
        services.assess(desk.admin_a, change, risk="", impact_analysis="")
    assert set(refused.value.fields) == {"risk", "impact_analysis"}
    incident = open_ticket(desk.admin_a, desk.a1, "incident")
    with pytest.raises(TransitionError) as refused:
        services.assign(desk.admin_a, incident, group=desk.group_a2)
    assert list(refused.value.fields) == ["group"]
    assert [t.status for t in Ticket.objects.filter(pk__in=[problem.pk, change.pk, incident.pk]).order_by("pk")] == [
        "investigating",
        "requested",
        "new",
    ]


def test_a_known_error_keeps_its_cause_and_workaround(desk):
    problem = open_ticket(desk.admin_a, desk.a1, "problem")
    incident = open_ticket(desk.admin_a, desk.a1, "incident", problem=None)
    services.investigate(desk.admin_a, problem)
    services.record_known_error(desk.admin_a, problem, workaround="Pakai VPN cadangan.", root_cause="Router rusak.")
    incident.problem = problem
    services.update_ticket(desk.admin_a, incident)
    problem.refresh_from_db()
    assert (problem.known_error, problem.workaround, problem.root_cause) == (
        True,
        "Pakai VPN cadangan.",
        "Router rusak.",
    )
    assert list(problem.incidents.all()) == [incident]
