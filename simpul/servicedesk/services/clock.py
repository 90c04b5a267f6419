"""The SLA clock of a ticket: its priority and due moments from the pure `simpul.servicedesk.sla` (imported
where used, so that the models and pages load without it), with the instansi's extra days off and the
ticket's pauses."""

from __future__ import annotations

import datetime

from django.utils import timezone

from simpul.servicedesk.models import InstansiDayOff, Ticket


def _sla():
    from simpul.servicedesk import sla

    return sla


def calendar_for(instansi_id: int, cache: dict | None = None):
    """The instansi's calendar (national holidays, cuti bersama, its own days off); `cache` keeps one per
    instansi for a page listing many tickets."""
    if cache is not None and instansi_id in cache:
        return cache[instansi_id]
    days_off = frozenset(InstansiDayOff.objects.filter(instansi_id=instansi_id).values_list("date", flat=True))
    calendar = _sla().Calendar(days_off=days_off)
    if cache is not None:
        cache[instansi_id] = calendar
    return calendar


def priority_of(ticket: Ticket) -> str:
    return _sla().priority(int(ticket.impact), int(ticket.urgency))


def closed_pauses(ticket: Ticket) -> list[tuple[datetime.datetime, datetime.datetime]]:
    if not ticket.pk:
        return []
    return [(start, end) for start, end in ticket.pause_intervals() if end is not None]


def set_due(ticket: Ticket) -> None:
    """Set the ticket's priority and both due moments from its impact, urgency, opening and ended pauses.
    An open pause is left out: the due moments move when it ends (`resume`), by the business time it took."""
    sla = _sla()
    ticket.priority = priority_of(ticket)
    ticket.first_response_due, ticket.resolution_due = sla.due_moments(
        ticket.opened_at, ticket.priority, calendar_for(ticket.instansi_id), closed_pauses(ticket)
    )


def states(ticket: Ticket, now: datetime.datetime | None = None, calendars: dict | None = None) -> dict[str, str]:
    """The SLA state of the first response and of the resolution: ok, warning, breached, met or paused
    (empty without a due moment)."""
    sla = _sla()
    now = now or timezone.now()
    calendar = None
    result = {}
    for key, due, done in (
        ("response", ticket.first_response_due, ticket.first_responded_at),
        ("resolution", ticket.resolution_due, ticket.resolved_at),
    ):
        if due is None:
            result[key] = ""
            continue
        calendar = calendar or calendar_for(ticket.instansi_id, calendars)
        result[key] = sla.state(
            due,
            done,
            now,
            sla.default_config().warn_fraction,
            start=ticket.opened_at,
            calendar=calendar,
            pauses=ticket.pause_intervals(),
        )
    return result
