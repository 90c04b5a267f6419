"""The agents' pages render for every kind with the steps its state allows, SLA badges and conversation;
attachments are checked on upload and served only to those who may view the ticket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from simpul.servicedesk.models import TicketAttachment
from simpul.servicedesk.tests.conftest import open_ticket

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _client(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("kind", "offered", "not_offered"),
    [
        ("complaint", {"assign", "start", "reassign", "escalate"}, {"investigate", "assess"}),
        ("problem", {"investigate", "reassign"}, {"assign", "start", "assess"}),
        ("change", {"assess", "escalate"}, {"approve", "start", "investigate"}),
    ],
)
def test_a_tickets_page_offers_the_steps_of_its_kind(desk, kind, offered, not_offered):
    ticket = open_ticket(desk.admin_a, desk.a1, kind)
    html = _client(desk.admin_a).get(reverse("servicedesk:ticket_detail", args=[ticket.pk])).content.decode()
    for name in offered:
        assert f'data-testid="step-button-{name}"' in html, name
    for name in not_offered:
        assert f'data-testid="step-button-{name}"' not in html, name
    assert 'data-testid="sla-resolution"' in html
    assert ticket.code in html


def test_the_lists_and_forms_render(desk):
    open_ticket(desk.admin_a, desk.a1, "incident")
    client = _client(desk.admin_a)
    for name in ("ticket_list", "ticket_add", "assignmentgroup_list", "assignmentgroup_add", "instansidayoff_list"):
        assert client.get(reverse(f"servicedesk:{name}")).status_code == 200, name
    listing = client.get(reverse("servicedesk:ticket_list")).content.decode()
    assert 'data-testid="sla-resolution"' in listing


def test_attachments_are_checked_and_served_only_within_the_scope(desk, english):
    ticket = open_ticket(desk.admin_a, desk.a1, "incident")
    detail = reverse("servicedesk:ticket_detail", args=[ticket.pk])
    agent = _client(desk.operator_a1)
    refused = agent.post(detail, {"step": "attach", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert refused.status_code == 400 and "not accepted" in refused.content.decode()
    assert agent.post(detail, {"step": "attach", "file": SimpleUploadedFile("bukti.pdf", PDF)}).status_code == 302
    attachment = TicketAttachment.objects.get()
    url = reverse("servicedesk:ticketattachment_download", args=[attachment.pk])
    response = agent.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert _client(desk.operator_a2).get(url).status_code == 404
