"""Agents of two OPDs: each sees and acts on its own OPD's tickets only, on the pages and in the API;
readers read without acting; re-assignment and escalation are logged."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.core.models import WorkflowEvent
from simpul.core.workflow import NOT_PERMITTED, TransitionError
from simpul.servicedesk import services
from simpul.servicedesk.choices import ReplyKind
from simpul.servicedesk.models import Ticket, TicketReply
from simpul.servicedesk.tests.conftest import open_ticket


@pytest.fixture
def tickets(desk):
    desk.t1 = open_ticket(desk.admin_a, desk.a1, subject="Gangguan A1")
    desk.t2 = open_ticket(desk.admin_a, desk.a2, subject="Gangguan A2")
    desk.tb = open_ticket(desk.admin_b, desk.b1, subject="Gangguan B1")
    return desk


def _client(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_list_page_shows_an_agent_only_their_opds_tickets(tickets):
    html = _client(tickets.operator_a1).get(reverse("servicedesk:ticket_list")).content.decode()
    assert tickets.t1.code in html
    assert tickets.t2.code not in html and tickets.tb.code not in html


def test_another_opds_ticket_page_and_steps_are_not_found(tickets):
    client = _client(tickets.operator_a1)
    detail = reverse("servicedesk:ticket_detail", args=[tickets.t2.pk])
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"step": "start", "note": ""}).status_code == 404
    assert client.post(detail, {"step": "reply", "kind": "public", "body": "Halo"}).status_code == 404
    assert client.get(reverse("servicedesk:ticket_edit", args=[tickets.t2.pk])).status_code == 404
    assert Ticket.objects.get(pk=tickets.t2.pk).status == "new"
    assert not TicketReply.objects.exists()


def test_an_agent_takes_steps_and_replies_on_their_own_ticket_page(tickets):
    client = _client(tickets.operator_a1)
    detail = reverse("servicedesk:ticket_detail", args=[tickets.t1.pk])
    page = client.get(detail).content.decode()
    assert 'data-testid="step-button-start"' in page and 'data-testid="step-button-investigate"' not in page
    assert client.post(detail, {"step": "start", "start-note": ""}).status_code == 302
    assert client.post(detail, {"step": "reply", "kind": "internal", "body": "Cek server."}).status_code == 302
    assert client.post(detail, {"step": "wait", "note": ""}).status_code == 400  # the note is required
    ticket = Ticket.objects.get(pk=tickets.t1.pk)
    assert ticket.status == "in_progress"
    assert ticket.first_responded_at is None  # an internal note is no response to the reporter
    client.post(detail, {"step": "reply", "kind": "public", "body": "Sedang kami periksa."})
    assert Ticket.objects.get(pk=tickets.t1.pk).first_responded_at is not None
    page = client.get(detail).content.decode()
    assert "Cek server." in page and 'data-testid="reply-internal"' in page


def test_the_api_lists_and_acts_only_within_the_agents_opd(tickets):
    api = _api(tickets.operator_a1)
    codes = {row["code"] for row in api.get("/api/servicedesk/tickets/").json()["results"]}
    assert codes == {tickets.t1.code}
    other = f"/api/servicedesk/tickets/{tickets.t2.pk}/"
    assert api.get(other).status_code == 404
    assert api.patch(other, {"subject": "Diubah"}, format="json").status_code == 404
    assert api.post(f"{other}start/", {}, format="json").status_code == 404
    assert api.post(f"{other}reply/", {"body": "Halo"}, format="json").status_code == 404
    own = f"/api/servicedesk/tickets/{tickets.t1.pk}/"
    response = api.post(f"{own}start/", {}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "in_progress")
    refused = api.post(f"{own}investigate/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "invalid_state")
    assert api.post(f"{own}reply/", {"kind": "public", "body": "Halo"}, format="json").status_code == 201
    assert Ticket.objects.get(pk=tickets.t2.pk).status == "new"


def test_readers_read_but_do_not_act(tickets):
    for reader in (tickets.auditor_a, tickets.koordinator_a):
        api = _api(reader)
        codes = {row["code"] for row in api.get("/api/servicedesk/tickets/").json()["results"]}
        assert codes == {tickets.t1.code, tickets.t2.code}
        response = api.post(f"/api/servicedesk/tickets/{tickets.t1.pk}/start/", {}, format="json")
        assert (response.status_code, response.json()["code"]) == (403, NOT_PERMITTED)
        with pytest.raises(TransitionError):
            services.start(reader, tickets.t1)
    assert _api(tickets.admin_b).get(f"/api/servicedesk/tickets/{tickets.t1.pk}/").status_code == 404


def test_roles_without_a_grant_see_no_tickets(tickets):
    for user in (tickets.asn_a1, tickets.pimpinan_a, tickets.evaluator_a):
        assert _client(user).get(reverse("servicedesk:ticket_list")).status_code == 403
        assert _api(user).get("/api/servicedesk/tickets/").status_code == 403


def test_reassignment_is_logged_and_stays_within_the_opd(tickets, english):
    services.reassign(tickets.admin_a, tickets.t1, assignee=tickets.operator_a1, note="Giliran jaga.")
    event = WorkflowEvent.objects.get(object_id=str(tickets.t1.pk), transition="reassign")
    assert event.payload["to"]["assignee"] == tickets.operator_a1.pk
    assert event.note == "Giliran jaga."
    with pytest.raises(TransitionError) as refused:
        services.reassign(tickets.admin_a, tickets.t1, assignee=tickets.operator_a2)
    assert (refused.value.code, list(refused.value.fields)) == ("invalid_input", ["assignee"])
    response = _api(tickets.admin_a).post(
        f"/api/servicedesk/tickets/{tickets.t1.pk}/reassign/", {"group": tickets.group_a2.pk}, format="json"
    )
    assert (response.status_code, response.json()["code"], list(response.json()["fields"])) == (
        400,
        "invalid_input",
        ["group"],
    )


def test_escalation_hands_the_ticket_to_the_other_opd(tickets):
    services.escalate(tickets.operator_a1, tickets.t1, opd=tickets.a2, note="Aplikasi milik A2.")
    ticket = Ticket.objects.get(pk=tickets.t1.pk)
    assert ticket.opd == tickets.a2
    event = WorkflowEvent.objects.get(object_id=str(ticket.pk), transition="escalate")
    assert (event.payload["from"]["opd"], event.payload["to"]["opd"]) == (tickets.a1.pk, tickets.a2.pk)
    # The ticket is now the other OPD's: its agents act on it, the first OPD's no longer see it.
    assert services.start(tickets.operator_a2, ticket).status == "in_progress"
    assert _api(tickets.operator_a1).get(f"/api/servicedesk/tickets/{ticket.pk}/").status_code == 404
    with pytest.raises(TransitionError) as refused:
        services.escalate(tickets.operator_a1, ticket, opd=tickets.a1, note="Kembali.")
    assert refused.value.code == NOT_PERMITTED


def test_replies_through_the_api_keep_internal_notes_marked(tickets):
    services.add_reply(tickets.admin_a, tickets.t1, body="Catatan internal.", kind=ReplyKind.INTERNAL)
    rows = _api(tickets.operator_a1).get("/api/servicedesk/replies/", {"ticket": tickets.t1.pk}).json()["results"]
    assert [(row["kind"], row["body"]) for row in rows] == [("internal", "Catatan internal.")]
    assert _api(tickets.operator_a2).get("/api/servicedesk/replies/").json()["results"] == []
