"""The proposal pages: each step offered to whom the workflow allows it and taken through the page (with
its event), refused steps answered with their status and message, a publication request showing the
draft's fields, and both history panels showing the workflow's events."""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.architecture import services
from simpul.architecture.models import ChangeProposal, Element
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.workflow import events_of
from simpul.organizations.tests.factories import user_with_role

FORM = {
    "status": "operasi",
    "kind": "umum",
    "hosting": "pusat_data",
    "hosting_exception": "tidak_perlu",
    "url": "https://simpeg.akab.go.id",
}
PROPOSER_BUTTONS = ("revise-button", "resubmit-button", "withdraw-button")


@pytest.fixture
def scene(world):
    world.app = ApplicationFactory(
        owner=world.a1, name="SIMPEG", published=True, kind="umum", url="https://simpeg.akab.go.id"
    )
    world.colleague_a1 = user_with_role("operator_opd", world.inst_a, world.a1, username="operator-a1-b")
    return world


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def returned(scene, **data) -> ChangeProposal:
    proposal = services.propose_change(scene.operator_a1, scene.app, data or {"name": "SIMPEG Salah"})
    return services.return_proposal(scene.admin_a, proposal, "Nama belum baku; lampirkan BAST.")


def steps_taken(proposal) -> list[str]:
    return [event.transition for event in events_of(proposal).order_by("id")]


def test_a_returned_proposal_offers_its_proposer_revise_resubmit_and_withdraw(scene):
    proposal = returned(scene)
    page = client_for(scene.operator_a1).get(proposal.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert "Nama belum baku; lampirkan BAST." in body
    for button in PROPOSER_BUTTONS:
        assert f'data-testid="{button}"' in body
    assert 'data-testid="approve-button"' not in body
    for user in (scene.admin_a, scene.colleague_a1, scene.koordinator_a):
        body = client_for(user).get(proposal.get_absolute_url()).content.decode()
        assert not any(f'data-testid="{button}"' in body for button in PROPOSER_BUTTONS), user


def test_a_pending_proposal_offers_the_reviewer_a_styled_note_and_the_proposer_only_withdraw(scene):
    proposal = services.propose_change(scene.operator_a1, scene.app, {"name": "SIMPEG Baru"})
    page = client_for(scene.admin_a).get(proposal.get_absolute_url())
    body = page.content.decode()
    assert 'data-testid="approve-button"' in body and 'data-testid="return-button"' in body
    note = str(page.context["review_form"]["note"])
    assert 'class="form-control"' in note and note in body
    body = client_for(scene.operator_a1).get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="withdraw-button"' in body
    assert 'data-testid="resubmit-button"' not in body and 'data-testid="revise-button"' not in body


def test_the_proposer_revises_through_the_elements_form_and_resubmits(scene):
    proposal = returned(scene)
    operator = client_for(scene.operator_a1)
    url = reverse("architecture:changeproposal_revise", args=[proposal.pk])
    page = operator.get(url)
    assert page.status_code == 200
    assert page.context["form"]["name"].value() == "SIMPEG Salah"  # the proposed values, not the element's
    refused = operator.post(url, {"owner": scene.a1.pk, "name": "SIMPEG Benar", **FORM, "hosting": "di-bulan"})
    assert refused.status_code == 400
    response = operator.post(url, {"owner": scene.a1.pk, "name": "SIMPEG Benar", **FORM})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.data["name"]) == ("returned", "SIMPEG Benar")
    response = operator.post(proposal.get_absolute_url(), {"decision": "resubmit", "note": "Sudah baku."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    assert steps_taken(proposal) == ["propose", "return", "revise", "resubmit"]
    assert events_of(proposal).first().note == "Sudah baku."
    response = client_for(scene.admin_a).post(proposal.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == 302
    scene.app.refresh_from_db()
    assert scene.app.name == "SIMPEG Benar"


@pytest.mark.parametrize("role", ["admin_a", "colleague_a1", "operator_a2", "koordinator_a"])
def test_only_the_proposer_may_open_the_revise_page(scene, role):
    proposal = returned(scene)
    url = reverse("architecture:changeproposal_revise", args=[proposal.pk])
    client = client_for(getattr(scene, role))
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"owner": scene.a1.pk, "name": "Diambil", **FORM}).status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.data["name"] == "SIMPEG Salah"


def test_the_proposer_withdraws_from_the_page(scene):
    proposal = services.propose_change(scene.operator_a1, scene.app, {"name": "SIMPEG Baru"})
    response = client_for(scene.operator_a1).post(proposal.get_absolute_url(), {"decision": "withdraw"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert steps_taken(proposal) == ["propose", "withdraw"]
    page = client_for(scene.operator_a1).get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="proposer-form"' not in page and 'data-testid="attachment-form"' not in page


@pytest.mark.parametrize(
    ("user", "step", "state", "status", "message"),
    [
        ("admin_a", "withdraw", "pending", 403, "Only the proposer may do this."),
        ("colleague_a1", "resubmit", "returned", 403, "Only the proposer may do this."),
        ("operator_a1", "approve", "pending", 403, "You may not do this."),
        ("operator_a1", "resubmit", "pending", 409, "This cannot be done while the record is “Waiting for review”."),
        ("admin_a", "return", "returned", 409, "This cannot be done while the record is “Returned with a note”."),
        ("admin_a", "return", "pending", 400, "Write a note saying why."),
    ],
)
def test_a_refused_step_is_answered_with_its_status_and_reason_and_changes_nothing(
    scene, user, step, state, status, message
):
    proposal = returned(scene) if state == "returned" else services.propose_change(scene.operator_a1, scene.app, {})
    before = steps_taken(proposal)
    response = client_for(getattr(scene, user)).post(proposal.get_absolute_url(), {"decision": step, "note": ""})
    assert response.status_code == status
    assert message in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == state
    assert steps_taken(proposal) == before


def test_a_publication_request_shows_the_reviewer_the_drafts_fields(scene):
    draft = ApplicationFactory(
        owner=scene.a1, name="SIPD Draf", published=False, kind="khusus", technology="Laravel", description="Baru."
    )
    request = services.request_publication(scene.operator_a1, draft)
    page = client_for(scene.admin_a).get(request.get_absolute_url())
    body = page.content.decode()
    assert 'data-testid="proposal-element"' in body
    shown = {str(field["label"]).lower(): str(field["value"]) for field in page.context["element_fields"]}
    assert (shown["name"], shown["technology"]) == ("SIPD Draf", "Laravel")
    assert "Laravel" in body and "Baru." in body
    response = client_for(scene.admin_a).post(request.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published is True


def test_the_history_panels_show_the_workflow_events(scene):
    draft = ApplicationFactory(owner=scene.a1, name="SIPD Draf", published=False)
    request = services.request_publication(scene.operator_a1, draft)
    services.return_proposal(scene.admin_a, request, "Lengkapi deskripsi.")
    services.resubmit_proposal(scene.operator_a1, request, note="Sudah.")
    services.approve_proposal(scene.admin_a, request)
    page = client_for(scene.operator_a1).get(request.get_absolute_url())
    events = [entry for entry in page.context["history"] if getattr(entry, "is_workflow_event", False)]
    assert [(e.from_state_label, e.to_state_label) for e in events] == [
        ("Waiting for review", "Approved"),
        ("Returned with a note", "Waiting for review"),
        ("Waiting for review", "Returned with a note"),
        ("—", "Waiting for review"),
    ]
    assert page.content.decode().count('data-testid="history-event"') == 4
    element_page = client_for(scene.operator_a1).get(Element.objects.get(pk=draft.pk).get_absolute_url())
    body = element_page.content.decode()
    assert body.count('data-testid="history-event"') == 1
    assert "Draft → Published" in body
    assert 'data-testid="element-proposals"' in body


def test_a_reviewer_publishes_a_draft_from_its_page(scene):
    draft = ApplicationFactory(owner=scene.a1, name="SIPD Draf", published=False)
    url = Element.objects.get(pk=draft.pk).get_absolute_url()
    assert 'data-testid="publish-button"' in client_for(scene.admin_a).get(url).content.decode()
    operator_page = client_for(scene.operator_a1).get(url).content.decode()
    assert 'data-testid="publish-button"' not in operator_page
    assert 'data-testid="request-publication"' in operator_page
    publish = reverse("architecture:element_publish_now", args=[draft.pk])
    client_for(scene.operator_a1).post(publish)
    draft.refresh_from_db()
    assert draft.published is False
    assert client_for(scene.admin_a).post(publish).status_code == 302
    draft.refresh_from_db()
    assert draft.published is True
    assert [e.transition for e in events_of(Element.objects.get(pk=draft.pk))] == ["publish"]


def test_a_refused_publication_request_says_why(scene):
    draft = ApplicationFactory(owner=scene.a1, published=False)
    operator = client_for(scene.operator_a1)
    url = reverse("architecture:element_publish", args=[draft.pk])
    assert operator.post(url).status_code == 302
    response = operator.post(url, follow=True)
    assert "Publication of this element was already requested." in response.content.decode()
    assert ChangeProposal.objects.filter(element=draft).count() == 1
