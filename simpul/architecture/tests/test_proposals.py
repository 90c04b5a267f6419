"""Draft → review → publish: an operator's edit of a published element becomes a ChangeProposal that the
Admin SPBE approves (the element changes, the audit trail shows both) or returns with a note."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import translation

from simpul.architecture import services
from simpul.architecture.models import Application, ChangeProposal, Element, ProposalKind, ProposalStatus
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.models import AuditEntry
from simpul.core.workflow import TransitionError

FORM = {
    "status": "operasi",
    "kind": "umum",
    "hosting": "pusat_data",
    "hosting_exception": "tidak_perlu",
    "url": "https://simpeg.akab.go.id",
}


@pytest.fixture
def app(world):
    return ApplicationFactory(owner=world.a1, name="SIMPEG", published=True, url="https://simpeg.akab.go.id")


def client_for(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def propose(world, app, **changes):
    response = client_for(world.operator_a1).post(
        reverse("architecture:application_edit", args=[app.pk]),
        {"owner": world.a1.pk, "name": app.name, **FORM, **changes},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return ChangeProposal.objects.get(element=app, status=ProposalStatus.PENDING)


def history(obj, model=None):
    content_type = ContentType.objects.get_for_model(model or type(obj), for_concrete_model=True)
    return list(AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("pk"))


def test_an_operator_editing_a_published_element_proposes_instead_of_changing(world, app):
    proposal = propose(world, app, name="SIMPEG Baru", technology="Laravel")
    app.refresh_from_db()
    assert (app.name, app.technology) == ("SIMPEG", "")
    assert proposal.kind == ProposalKind.CHANGE
    assert proposal.proposed_by == world.operator_a1
    assert proposal.data["name"] == "SIMPEG Baru"
    assert proposal.before["name"] == "SIMPEG"


def test_an_operator_edits_a_draft_directly(world):
    draft = ApplicationFactory(owner=world.a1, name="Draf", published=False)
    response = client_for(world.operator_a1).post(
        reverse("architecture:application_edit", args=[draft.pk]), {"owner": world.a1.pk, "name": "Draf 2", **FORM}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Draf 2"
    assert not ChangeProposal.objects.exists()


def test_the_admin_edits_a_published_element_directly(world, app):
    response = client_for(world.admin_a).post(
        reverse("architecture:application_edit", args=[app.pk]), {"owner": world.a1.pk, "name": "SIMPEG v2", **FORM}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.name == "SIMPEG v2"
    assert not ChangeProposal.objects.exists()


def test_the_reviewer_sees_the_difference(world, app):
    proposal = propose(world, app, name="SIMPEG Baru", hosting="pihak_ketiga")
    with translation.override("en"):
        rows = {row["label"]: row for row in services.proposal_diff(proposal)}
    assert rows["Name"] == {
        "name": "name",
        "label": "Name",
        "now": "SIMPEG",
        "proposed": "SIMPEG Baru",
        "changed": True,
    }
    assert rows["Hosting"]["now"] == "Regional data centre (Pusat Data)"
    assert rows["Hosting"]["proposed"] == "Third-party / commercial cloud"
    assert rows["Hosting"]["changed"] is True
    assert rows["Address (URL)"]["changed"] is False
    assert rows["Owner OPD"]["changed"] is False
    page = client_for(world.admin_a).get(proposal.get_absolute_url())
    assert page.status_code == 200
    assert page.context["can_review"] is True
    assert "SIMPEG Baru" in page.content.decode()
    # The proposer sees the proposal but may not decide it.
    assert client_for(world.operator_a1).get(proposal.get_absolute_url()).context["can_review"] is False


def test_approval_changes_the_element_and_the_audit_trail_shows_both(world, app):
    proposal = propose(world, app, name="SIMPEG Baru")
    response = client_for(world.admin_a).post(proposal.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == 302
    app.refresh_from_db()
    proposal.refresh_from_db()
    assert app.name == "SIMPEG Baru"
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.reviewed_by == world.admin_a
    assert proposal.reviewed_at is not None
    proposal_entries = history(proposal)
    assert [e.action for e in proposal_entries] == ["create", "update"]
    assert proposal_entries[0].actor == world.operator_a1
    assert proposal_entries[1].actor == world.admin_a
    element_updates = [e for e in history(app, Application) + history(app, Element) if e.action == "update"]
    assert element_updates
    assert all(e.actor == world.admin_a for e in element_updates)
    assert "SIMPEG Baru" in str([e.changes for e in element_updates])


def test_returning_needs_a_note_and_leaves_the_element_unchanged(world, app):
    proposal = propose(world, app, name="SIMPEG Salah")
    admin = client_for(world.admin_a)
    response = admin.post(proposal.get_absolute_url(), {"decision": "return", "note": "  "})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    response = admin.post(proposal.get_absolute_url(), {"decision": "return", "note": "Nama sudah baku."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    app.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    assert proposal.note == "Nama sudah baku."
    assert proposal.reviewed_by == world.admin_a
    assert app.name == "SIMPEG"


def test_a_decided_proposal_cannot_be_decided_again(world, app):
    approved = propose(world, app, name="SIMPEG Satu")
    services.approve_proposal(world.admin_a, approved)
    with pytest.raises(TransitionError) as refused:
        services.approve_proposal(world.admin_a, approved)
    assert refused.value.code == "invalid_state"
    with pytest.raises(TransitionError) as refused:
        services.return_proposal(world.admin_a, approved, "Terlambat.")
    assert refused.value.code == "invalid_state"
    returned = propose(world, app, name="SIMPEG Dua")
    services.return_proposal(world.admin_a, returned, "Tidak.")
    with pytest.raises(TransitionError):
        services.approve_proposal(world.admin_a, returned)
    app.refresh_from_db()
    assert app.name == "SIMPEG Satu"
    # Through the page as well: a refused step is a conflict with the proposal's state.
    response = client_for(world.admin_a).post(returned.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == 409
    app.refresh_from_db()
    assert app.name == "SIMPEG Satu"


@pytest.mark.parametrize("role", ["operator_a1", "operator_a2", "koordinator_a", "auditor_a", "admin_b"])
def test_only_reviewers_decide(world, app, role):
    proposal = propose(world, app, name="SIMPEG Baru")
    user = getattr(world, role)
    with pytest.raises(TransitionError) as refused:
        services.approve_proposal(user, proposal)
    assert (refused.value.code, refused.value.status) == ("not_permitted", 403)
    with pytest.raises(TransitionError) as refused:
        services.return_proposal(user, proposal, "Tidak.")
    assert refused.value.code == "not_permitted"
    proposal.refresh_from_db()
    app.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert app.name == "SIMPEG"


def test_an_operator_of_another_opd_cannot_propose(world, app):
    with pytest.raises(TransitionError) as refused:
        services.propose_change(world.operator_a2, app, {"name": "Diambil"})
    assert refused.value.code == "not_permitted"
    assert not ChangeProposal.objects.exists()


def test_a_proposal_that_no_longer_fits_is_not_applied(world, app):
    proposal = propose(world, app, name="SIMPEG Baru")
    proposal.data["hosting"] = "bukan-pilihan"
    proposal.save()
    with pytest.raises(TransitionError) as refused:
        services.approve_proposal(world.admin_a, proposal)
    assert (refused.value.code, refused.value.status) == ("invalid_input", 400)
    assert "hosting" in refused.value.fields
    proposal.refresh_from_db()
    app.refresh_from_db()
    assert (proposal.status, app.name) == (ProposalStatus.PENDING, "SIMPEG")


def test_publication_is_requested_for_a_draft_and_granted_by_the_reviewer(world):
    draft = ApplicationFactory(owner=world.a1, name="Draf", published=False)
    operator = client_for(world.operator_a1)
    response = operator.post(reverse("architecture:element_publish", args=[draft.pk]))
    assert response.status_code == 302
    proposal = ChangeProposal.objects.get(element=draft)
    assert (proposal.kind, proposal.status) == (ProposalKind.PUBLISH, ProposalStatus.PENDING)
    # Asking twice is refused.
    with pytest.raises(TransitionError) as refused:
        services.request_publication(world.operator_a1, draft)
    assert refused.value.code == "already_requested"
    # Another OPD's operator cannot ask (nor find the draft).
    assert client_for(world.operator_a2).post(reverse("architecture:element_publish", args=[draft.pk])).status_code == (
        404
    )
    with pytest.raises(TransitionError) as refused:
        services.request_publication(world.operator_a2, draft)
    assert refused.value.code == "not_permitted"
    draft.refresh_from_db()
    assert draft.published is False
    services.approve_proposal(world.admin_a, proposal)
    draft.refresh_from_db()
    assert draft.published is True
    with pytest.raises(TransitionError) as refused:
        services.request_publication(world.operator_a1, draft)
    assert refused.value.code == "already_published"


def test_a_returned_publication_request_can_be_made_again(world):
    draft = ApplicationFactory(owner=world.a1, name="Draf", published=False)
    first = services.request_publication(world.operator_a1, draft)
    services.return_proposal(world.admin_a, first, "Lengkapi deskripsi.")
    draft.refresh_from_db()
    assert draft.published is False
    second = services.request_publication(world.operator_a1, draft)
    assert second.pk != first.pk


def test_operators_see_proposals_of_their_own_opd_only(world, app):
    mine = propose(world, app, name="SIMPEG Baru")
    other_app = ApplicationFactory(owner=world.a2, published=False)
    theirs = services.request_publication(world.operator_a2, other_app)
    from simpul.core import permissions

    assert set(permissions.restrict(ChangeProposal.objects.all(), world.operator_a1)) == {mine}
    assert set(permissions.restrict(ChangeProposal.objects.all(), world.admin_a)) == {mine, theirs}
    assert not permissions.restrict(ChangeProposal.objects.all(), world.admin_b).exists()


@pytest.mark.django_db
def test_an_operator_cannot_delete_a_published_element_but_may_delete_a_draft(world):
    from django.test import Client

    published = Application.objects.create(owner=world.a1, name="Terbit", kind="khusus", published=True)
    draft = Application.objects.create(owner=world.a1, name="Draf", kind="khusus", published=False)
    client = Client()
    client.force_login(world.operator_a1)
    assert client.get(f"/architecture/applications/{published.pk}/delete/").status_code == 403
    assert client.post(f"/architecture/applications/{published.pk}/delete/").status_code == 403
    assert client.delete(f"/api/architecture/applications/{published.pk}/").status_code == 403
    assert Application.objects.filter(pk=published.pk).exists()
    assert client.post(f"/architecture/applications/{draft.pk}/delete/").status_code == 302
    assert not Application.objects.filter(pk=draft.pk).exists()
    admin = Client()
    admin.force_login(world.admin_a)
    assert admin.delete(f"/api/architecture/applications/{published.pk}/").status_code == 204
