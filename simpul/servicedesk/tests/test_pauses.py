"""The SLA clock stands still while a ticket waits for its reporter: the pause is recorded, the due
moments move by the business time it took, and the time a ticket stood resolved before a reopen counts
as a pause too."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from simpul.servicedesk import services, sla
from simpul.servicedesk.models import InstansiDayOff, TicketPause
from simpul.servicedesk.services import clock
from simpul.servicedesk.tests.conftest import open_ticket

JAKARTA = ZoneInfo("Asia/Jakarta")


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment

    def at(self, hour, minute=0, day=2):
        self.moment = datetime.datetime(2026, 2, day, hour, minute, tzinfo=JAKARTA)


@pytest.fixture
def now(monkeypatch):
    """Monday 2 February 2026, a working day, 08.00 in Jakarta; tests move it."""
    current = Clock(datetime.datetime(2026, 2, 2, 8, 0, tzinfo=JAKARTA))
    monkeypatch.setattr(timezone, "now", current)
    return current


def test_waiting_pauses_the_clock_and_resuming_moves_the_due_moments(desk, now):
    ticket = open_ticket(desk.admin_a, desk.a1, "incident", impact=2, urgency=2)
    first_due, resolution_due = ticket.first_response_due, ticket.resolution_due
    now.at(8, 10)
    services.start(desk.admin_a, ticket)
    now.at(9, 0)
    services.wait(desk.admin_a, ticket, note="Mohon nomor NIP Anda.")
    pause = TicketPause.objects.get(ticket=ticket)
    assert (pause.started_at, pause.ended_at) == (now(), None)
    now.at(9, 30)
    assert clock.states(services_ticket(ticket)) == {"response": "paused", "resolution": "paused"}
    now.at(10, 0)
    resumed = services.resume(desk.admin_a, ticket)
    pause.refresh_from_db()
    assert pause.ended_at == now()
    calendar = clock.calendar_for(desk.inst_a.pk)
    # The hour waited is added to both clocks, counted in business minutes.
    assert sla.business_minutes(first_due, resumed.first_response_due, calendar) == 60
    assert sla.business_minutes(resolution_due, resumed.resolution_due, calendar) == 60
    _first, resolution = sla.targets("medium")
    pauses = [(pause.started_at, pause.ended_at)]
    assert sla.business_minutes(resumed.opened_at, resumed.resolution_due, calendar, pauses) == resolution
    now.at(11, 0)
    done = services.resolve(desk.admin_a, resumed, note="NIP diperbaiki.")
    assert done.resolved_at == now()
    assert clock.states(services_ticket(done))["resolution"] == "met"


def test_resolving_while_waiting_ends_the_pause(desk, now):
    ticket = open_ticket(desk.admin_a, desk.a1, "request")
    services.start(desk.admin_a, ticket)
    now.at(9)
    services.wait(desk.admin_a, ticket, note="Lengkapi formulir.")
    now.at(9, 45)
    services.resolve(desk.admin_a, ticket, note="Formulir diterima lewat e-mail.")
    assert list(TicketPause.objects.filter(ticket=ticket).values_list("ended_at", flat=True)) == [now()]


def test_a_reopened_ticket_does_not_count_the_time_it_stood_resolved(desk, now):
    ticket = open_ticket(desk.admin_a, desk.a1, "incident", impact=1, urgency=1)
    services.start(desk.admin_a, ticket)
    now.at(9)
    ticket = services.resolve(desk.admin_a, ticket, note="Sudah normal.")
    before = ticket.resolution_due
    now.at(10)
    ticket = services.reopen(desk.admin_a, ticket, note="Gangguan muncul lagi.")
    assert ticket.resolved_at is None
    pause = TicketPause.objects.get(ticket=ticket)
    assert (pause.started_at.astimezone(JAKARTA).hour, pause.ended_at.astimezone(JAKARTA).hour) == (9, 10)
    assert sla.business_minutes(before, ticket.resolution_due, clock.calendar_for(desk.inst_a.pk)) == 60


def test_the_instansi_days_off_stop_the_clock(desk, now):
    # Friday 6 February 2026, late: the resolution clock of a low ticket runs into the next week.
    now.at(15, 0, day=6)
    plain = open_ticket(desk.admin_a, desk.a1, "incident", impact=3, urgency=3)
    InstansiDayOff.objects.create(instansi=desk.inst_a, date=datetime.date(2026, 2, 9), name="Hari jadi")
    with_day_off = open_ticket(desk.admin_a, desk.a2, "incident", impact=3, urgency=3)
    assert with_day_off.resolution_due - plain.resolution_due >= datetime.timedelta(days=1)


def services_ticket(ticket):
    """The ticket as stored now (its pauses read afresh)."""
    return type(ticket).objects.get(pk=ticket.pk)
