"""Routing of a new ticket (element owner, else the instansi's service desk, else required input), its
priority from impact × urgency and its SLA due moments, on every channel that opens tickets."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.architecture.tests.factories import ElementFactory
from simpul.core.models import WorkflowEvent
from simpul.servicedesk import services, sla
from simpul.servicedesk.models import AssignmentGroup, Ticket
from simpul.servicedesk.services import clock


def _new(world, **fields):
    fields.setdefault("subject", "Aplikasi tidak bisa dibuka")
    return Ticket(instansi=world.inst_a, kind="incident", **fields)


def test_a_ticket_goes_to_the_owner_of_the_affected_element(desk):
    element = ElementFactory(owner=desk.a2, name="SIMPEG")
    ticket = services.open_ticket(desk.admin_a, _new(desk, element=element))
    assert ticket.opd == desk.a2
    assert WorkflowEvent.objects.get(object_id=str(ticket.pk), transition="open").payload["routed_by"] == "element"


def test_without_an_element_it_goes_to_the_service_desk_group(desk):
    AssignmentGroup.objects.filter(pk=desk.group_a1.pk).update(receives_unrouted=True)
    ticket = services.open_ticket(desk.admin_a, _new(desk))
    assert (ticket.opd, ticket.group) == (desk.a1, desk.group_a1)


def test_without_element_or_service_desk_the_opd_is_required(desk, english):
    with pytest.raises(ValidationError) as refused:
        services.open_ticket(desk.admin_a, _new(desk))
    assert "opd" in refused.value.message_dict
    assert not Ticket.objects.exists()


def test_a_chosen_opd_wins_over_the_element(desk):
    element = ElementFactory(owner=desk.a2, name="e-Office")
    ticket = services.open_ticket(desk.admin_a, _new(desk, element=element, opd=desk.a1))
    assert ticket.opd == desk.a1


def test_only_one_group_of_an_instansi_receives_unrouted_tickets(desk, english):
    AssignmentGroup.objects.filter(pk=desk.group_a1.pk).update(receives_unrouted=True)
    desk.group_a2.receives_unrouted = True
    with pytest.raises(ValidationError) as refused:
        desk.group_a2.full_clean()
    assert "receives_unrouted" in refused.value.message_dict


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"), [(1, 1, "critical"), (1, 2, "high"), (2, 2, "medium"), (3, 3, "low")]
)
def test_priority_and_due_moments_come_from_impact_urgency_and_the_calendar(desk, impact, urgency, priority):
    ticket = services.open_ticket(desk.admin_a, _new(desk, opd=desk.a1, impact=impact, urgency=urgency))
    assert ticket.priority == priority
    first, resolution = sla.targets(priority)
    calendar = clock.calendar_for(desk.inst_a.pk)
    assert sla.business_minutes(ticket.opened_at, ticket.first_response_due, calendar) == first
    assert sla.business_minutes(ticket.opened_at, ticket.resolution_due, calendar) == resolution


def test_a_changed_urgency_recomputes_priority_and_due_moments(desk):
    ticket = services.open_ticket(desk.admin_a, _new(desk, opd=desk.a1, impact=3, urgency=3))
    before = ticket.resolution_due
    ticket.urgency = 1
    ticket.impact = 1
    services.update_ticket(desk.admin_a, ticket)
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.priority == "critical"
    assert stored.resolution_due < before
    event = WorkflowEvent.objects.get(object_id=str(ticket.pk), transition="reprioritise")
    assert event.payload == {"from": "low", "to": "critical"}


def test_the_add_page_routes_by_the_element(desk):
    element = ElementFactory(owner=desk.a2, name="JePin")
    client = Client()
    client.force_login(desk.admin_a)
    response = client.post(
        reverse("servicedesk:ticket_add"),
        {
            "instansi": desk.inst_a.pk,
            "kind": "complaint",
            "channel": "phone",
            "subject": "Peta JePin kosong",
            "element": element.pk,
            "impact": 2,
            "urgency": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get()
    assert (ticket.opd, ticket.channel, ticket.status, ticket.priority) == (desk.a2, "phone", "new", "medium")


def test_the_add_page_asks_for_the_opd_when_nothing_routes(desk, english):
    client = Client(headers={"accept-language": "en"})
    client.force_login(desk.admin_a)
    response = client.post(
        reverse("servicedesk:ticket_add"),
        {"instansi": desk.inst_a.pk, "kind": "incident", "channel": "phone", "subject": "X", "impact": 2, "urgency": 2},
    )
    assert response.status_code == 400
    assert "Choose the handling OPD" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_api_routes_and_answers_with_the_code(desk):
    element = ElementFactory(owner=desk.a1, name="Portal")
    api = APIClient()
    api.force_authenticate(desk.operator_a1)
    response = api.post(
        "/api/servicedesk/tickets/",
        {"kind": "incident", "subject": "Portal lambat", "element": element.pk, "channel": "api"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get(code=body["code"])
    assert (ticket.opd, ticket.instansi, body["priority"], body["status"]) == (desk.a1, desk.inst_a, "medium", "new")


def test_an_agent_cannot_open_a_ticket_that_routes_to_another_opd(desk):
    element = ElementFactory(owner=desk.a2, name="Aplikasi A2")
    api = APIClient()
    api.force_authenticate(desk.operator_a1)
    response = api.post(
        "/api/servicedesk/tickets/", {"kind": "incident", "subject": "X", "element": element.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_codes_are_random_and_readable(desk):
    codes = {services.open_ticket(desk.admin_a, _new(desk, opd=desk.a1)).code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        _prefix, first, second = code.split("-")
        assert len(first) == len(second) == 4
        assert not set(first + second) & set("01OIL")
