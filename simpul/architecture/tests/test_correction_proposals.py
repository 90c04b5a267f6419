"""Corrections by another OPD (issue #12): an operator who sees another OPD's published element but may
not change it proposes a correction with a note, through the page or the API; the owner OPD and the Admin
SPBE are notified, the Admin SPBE decides, and the proposer follows their proposal."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from simpul.architecture import services
from simpul.architecture.models import Application, ChangeProposal, Element, ProposalKind, ProposalStatus
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.models import AuditEntry, Notification
from simpul.core.workflow import NOT_PERMITTED, NOTE_REQUIRED, TransitionError, events_of
from simpul.organizations.tests.factories import PerangkatDaerahFactory, user_with_role

API = "/api/architecture/proposals/propose-correction/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FORM = {
    "status": "operasi",
    "kind": "umum",
    "hosting": "pusat_data",
    "hosting_exception": "tidak_perlu",
    "url": "https://simpeg.akab.go.id",
}


@pytest.fixture
def scene(world):
    world.app = ApplicationFactory(
        owner=world.a1, name="SIMPEG", published=True, kind="umum", url="https://simpeg.akab.go.id"
    )
    world.draft = ApplicationFactory(owner=world.a1, name="SIMDA", published=False, kind="umum")
    world.operator_b1 = user_with_role("operator_opd", world.inst_b, world.b1, username="operator-b1")
    world.a3 = PerangkatDaerahFactory(instansi=world.inst_a, short_name="A3", name="Dinas A Tiga")
    return world


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def correction_url(element) -> str:
    return reverse("architecture:element_correction", args=[element.pk])


def page_data(scene, note="Nama resmi sesuai SK Bupati 12/2025.", **changes) -> dict:
    return {"owner": scene.a1.pk, "name": "SIMPEG", **FORM, **changes, "correction-note": note}


def recipients() -> set:
    return set(
        Notification.objects.filter(verb="architecture.correction_proposed").values_list(
            "recipient__username", flat=True
        )
    )


def test_another_opd_sees_the_button_and_the_owner_and_admin_do_not(scene):
    body = client_for(scene.operator_a2).get(scene.app.get_absolute_url()).content.decode()
    assert 'data-testid="correction-button"' in body
    assert 'data-testid="edit-button"' not in body
    for user in (scene.operator_a1, scene.admin_a, scene.koordinator_a):
        body = client_for(user).get(scene.app.get_absolute_url()).content.decode()
        assert 'data-testid="correction-button"' not in body, user


def test_an_operator_of_another_opd_proposes_a_correction_through_the_page(scene):
    client = client_for(scene.operator_a2)
    form = client.get(correction_url(scene.app))
    assert form.status_code == 200
    assert 'value="SIMPEG"' in form.content.decode()  # prefilled
    response = client.post(correction_url(scene.app), page_data(scene, name="SIMPEG Terpadu"))
    proposal = ChangeProposal.objects.get(element=scene.app)
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url()
    assert proposal.kind == ProposalKind.CHANGE
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.proposed_by == scene.operator_a2
    assert proposal.data["name"] == "SIMPEG Terpadu"
    assert proposal.data["owner"] == scene.a1.pk
    event = events_of(proposal).get()
    assert event.transition == services.CORRECTION_STEP
    assert event.note == "Nama resmi sesuai SK Bupati 12/2025."
    assert event.payload["from_opd"] == scene.a2.pk
    created = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ChangeProposal), object_id=str(proposal.pk), action="create"
    )
    assert created.actor == scene.operator_a2
    scene.app.refresh_from_db()
    assert scene.app.name == "SIMPEG"  # nothing changes before the review

    page = client.get(proposal.get_absolute_url())  # the proposer follows their proposal
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="correction-note"' in body
    assert "Correction proposed by" in body
    assert "Nama resmi sesuai SK Bupati 12/2025." in body
    assert "SIMPEG Terpadu" in body
    assert 'data-testid="approve-button"' not in body


def test_invalid_values_keep_the_input_and_change_nothing(scene):
    response = client_for(scene.operator_a2).post(
        correction_url(scene.app), page_data(scene, name="SIMPEG Terpadu", hosting="bukan-pilihan")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="SIMPEG Terpadu"' in body
    assert "Nama resmi sesuai SK Bupati 12/2025." in body
    assert not ChangeProposal.objects.exists()
    assert not Notification.objects.exists()


def test_the_owner_cannot_be_changed_by_a_correction(scene):
    response = client_for(scene.operator_a2).post(correction_url(scene.app), page_data(scene, owner=scene.a2.pk))
    assert response.status_code == 400
    assert not ChangeProposal.objects.exists()
    with pytest.raises(TransitionError) as refused:
        services.propose_correction(scene.operator_a2, scene.app, {"owner": scene.a2.pk}, "Pindah.")
    assert "owner" in refused.value.fields


def test_a_note_is_required(scene):
    response = client_for(scene.operator_a2).post(correction_url(scene.app), page_data(scene, note="  "))
    assert response.status_code == 400
    assert not ChangeProposal.objects.exists()
    with pytest.raises(TransitionError) as refused:
        services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, " ")
    assert refused.value.code == NOTE_REQUIRED
    answer = api(scene.operator_a2).post(API, {"element": scene.app.pk, "data": {"name": "X"}}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == NOTE_REQUIRED
    assert not ChangeProposal.objects.exists()


def test_who_may_not_propose_a_correction(scene):
    # Users who cannot see the element: 404 on the page, a refusal from the service.
    for user in (scene.operator_b1, scene.admin_b):
        assert client_for(user).get(correction_url(scene.app)).status_code == 404
        assert client_for(user).post(correction_url(scene.app), page_data(scene)).status_code == 404
        with pytest.raises(TransitionError) as refused:
            services.propose_correction(user, scene.app, {"name": "X"}, "Salah.")
        assert refused.value.code == NOT_PERMITTED
    # Another OPD does not see a draft.
    assert client_for(scene.operator_a2).get(correction_url(scene.draft)).status_code == 404
    # The owner OPD edits or proposes a change; the Admin SPBE edits directly.
    for user in (scene.operator_a1, scene.admin_a):
        assert client_for(user).get(correction_url(scene.app)).status_code == 403
        with pytest.raises(TransitionError) as refused:
            services.propose_correction(user, scene.app, {"name": "X"}, "Salah.")
        assert refused.value.code == NOT_PERMITTED
        assert refused.value.status == 403
    # A viewer with no OPD to propose for.
    assert client_for(scene.koordinator_a).get(correction_url(scene.app)).status_code == 403
    assert not ChangeProposal.objects.exists()


def test_the_owner_opd_and_the_admin_are_notified_and_nobody_of_instansi_b(scene):
    colleague_a1 = user_with_role("operator_opd", scene.inst_a, scene.a1, username="operator-a1-b")
    with translation.override("en"):  # the proposer browses in English; the notice is in Indonesian
        proposal = services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, "SK baru.")
    assert recipients() == {"operator-a1", colleague_a1.username, "admin-a"}
    row = Notification.objects.get(recipient=scene.operator_a1)
    assert row.link == proposal.get_absolute_url()
    assert row.body == "SK baru."
    assert row.title.startswith("Koreksi diusulkan oleh ") and "A2" in row.title
    assert not Notification.objects.filter(recipient__role_assignments__instansi=scene.inst_b).exists()


def test_the_admin_approves_and_the_element_changes(scene):
    proposal = services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, "SK baru.")
    page = client_for(scene.admin_a).get(proposal.get_absolute_url())
    assert 'data-testid="approve-button"' in page.content.decode()
    # The owner OPD is told and sees it, but the reviewers decide.
    assert (
        'data-testid="approve-button"'
        not in client_for(scene.operator_a1).get(proposal.get_absolute_url()).content.decode()
    )
    response = client_for(scene.admin_a).post(proposal.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == 302
    scene.app.refresh_from_db()
    proposal.refresh_from_db()
    assert scene.app.name == "SIMPEG Terpadu"
    assert proposal.status == ProposalStatus.APPROVED
    assert [e.transition for e in events_of(proposal).order_by("id")] == [services.CORRECTION_STEP, "approve"]
    content_type = ContentType.objects.get_for_model(Element)
    updates = AuditEntry.objects.filter(
        content_type__in=[content_type, ContentType.objects.get_for_model(Application)],
        object_id=str(scene.app.pk),
        action="update",
    )
    assert updates.exists()
    assert all(entry.actor == scene.admin_a for entry in updates)
    assert Notification.objects.filter(verb="architecture.approved", recipient=scene.operator_a2).exists()


def test_the_owner_opd_sees_the_correction_on_the_element_page_and_in_its_list(scene):
    proposal = services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, "SK baru.")
    body = client_for(scene.operator_a1).get(scene.app.get_absolute_url()).content.decode()
    assert 'data-testid="element-proposals"' in body
    assert "Correction proposed by A2" in body or "Correction proposed by Dinas A Dua" in body
    assert proposal.get_absolute_url() in body
    listing = client_for(scene.operator_a1).get(reverse("architecture:changeproposal_list"))
    assert proposal.get_absolute_url() in listing.content.decode()
    # The proposing OPD finds it on the element page too; other OPDs' users do not.
    assert (
        proposal.get_absolute_url() in client_for(scene.operator_a2).get(scene.app.get_absolute_url()).content.decode()
    )
    assert client_for(scene.operator_b1).get(proposal.get_absolute_url()).status_code == 404
    third = user_with_role("operator_opd", scene.inst_a, scene.a3, username="operator-a3")
    assert client_for(third).get(proposal.get_absolute_url()).status_code == 404


def test_the_proposing_opd_finds_its_corrections_in_the_list_and_the_api(scene):
    proposal = services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, "SK baru.")
    assert proposal.proposer_opd == scene.a2 and proposal.is_correction
    listing = client_for(scene.operator_a2).get(reverse("architecture:changeproposal_list"))
    assert proposal.get_absolute_url() in listing.content.decode()
    rows = api(scene.operator_a2).get("/api/architecture/proposals/").json()["results"]
    assert [(row["id"], row["proposer_opd"]) for row in rows] == [(proposal.pk, scene.a2.pk)]
    # A colleague of the proposing OPD follows it, but the proposer's steps stay the proposer's.
    colleague = user_with_role("operator_opd", scene.inst_a, scene.a2, username="operator-a2-b")
    assert client_for(colleague).get(proposal.get_absolute_url()).status_code == 200
    with pytest.raises(TransitionError) as refused:
        services.withdraw_proposal(colleague, proposal)
    assert refused.value.code == NOT_PERMITTED
    third = user_with_role("operator_opd", scene.inst_a, scene.a3, username="operator-a3")
    assert api(third).get("/api/architecture/proposals/").json()["results"] == []


def test_a_returned_correction_is_revised_and_resubmitted_by_its_proposer_with_a_file(scene):
    proposal = services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, "SK baru.")
    services.return_proposal(scene.admin_a, proposal, "Lampirkan SK-nya.")
    client = client_for(scene.operator_a2)
    page = client.get(proposal.get_absolute_url()).content.decode()
    for step in ("revise", "resubmit", "withdraw"):
        assert f'value="{step}"' in page or reverse("architecture:changeproposal_revise", args=[proposal.pk]) in page
    assert 'name="file"' in page  # the attachment form is offered
    revised = client.post(
        reverse("architecture:changeproposal_revise", args=[proposal.pk]),
        {"owner": scene.a1.pk, "name": "SIMPEG Terpadu Lampung Timur", **FORM},
    )
    assert revised.status_code == 302, revised.content.decode()[:500]
    upload = SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf")
    attached = client.post(
        reverse("architecture:proposal_attach", args=[proposal.pk]), {"title": "SK Bupati", "file": upload}
    )
    assert attached.status_code == 302
    attachment = proposal.attachments.get()
    assert attachment.added_by == scene.operator_a2
    # The owner OPD reads the file; the proposer may take it back while the proposal is open.
    assert (
        client_for(scene.operator_a1)
        .get(reverse("architecture:proposalattachment_download", args=[attachment.pk]))
        .status_code
        == 200
    )
    services.remove_attachment(scene.operator_a2, attachment)
    services.add_attachment(scene.operator_a2, proposal, SimpleUploadedFile("sk.pdf", PDF), title="SK Bupati")
    assert client.post(proposal.get_absolute_url(), {"decision": "resubmit"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.data["name"] == "SIMPEG Terpadu Lampung Timur"
    assert [event.transition for event in events_of(proposal)][:2] == ["resubmit", "revise"]
    services.approve_proposal(scene.admin_a, proposal)
    scene.app.refresh_from_db()
    assert scene.app.name == "SIMPEG Terpadu Lampung Timur"


def test_a_correction_is_withdrawn_through_the_api_by_its_proposer_only(scene):
    proposal = services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, "SK baru.")
    url = f"/api/architecture/proposals/{proposal.pk}/withdraw/"
    assert api(scene.operator_a1).post(url, {}, format="json").status_code == 403
    answer = api(scene.operator_a2).post(url, {"note": "Sudah benar."}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == ProposalStatus.WITHDRAWN


def test_an_operator_who_moved_away_from_the_proposing_opd_no_longer_acts_on_its_correction(scene):
    proposal = services.propose_correction(scene.operator_a2, scene.app, {"name": "SIMPEG Terpadu"}, "SK baru.")
    services.return_proposal(scene.admin_a, proposal, "Lampirkan SK-nya.")
    scene.operator_a2.role_assignments.update(opd=scene.a3)
    moved = type(scene.operator_a2).objects.get(pk=scene.operator_a2.pk)
    with pytest.raises(TransitionError) as refused:
        services.resubmit_proposal(moved, proposal)
    assert refused.value.code == NOT_PERMITTED
    assert not services.may_attach(moved, proposal)


def test_a_correction_through_the_api(scene):
    answer = api(scene.operator_a2).post(
        API, {"element": scene.app.pk, "data": {"name": "SIMPEG Terpadu"}, "note": "SK baru."}, format="json"
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["kind"] == "change"
    assert body["status"] == "pending"
    assert body["data"]["name"] == "SIMPEG Terpadu"
    proposal = ChangeProposal.objects.get(pk=body["id"])
    assert [e.transition for e in events_of(proposal)] == [services.CORRECTION_STEP]
    assert recipients() == {"operator-a1", "admin-a"}
    # The proposer reads it back; a user of a third OPD does not.
    assert api(scene.operator_a2).get(f"/api/architecture/proposals/{proposal.pk}/").status_code == 200
    listed = api(scene.operator_a2).get("/api/architecture/proposals/").json()
    assert proposal.pk in [row["id"] for row in listed["results"]]
    third = user_with_role("operator_opd", scene.inst_a, scene.a3, username="operator-a3")
    assert api(third).get(f"/api/architecture/proposals/{proposal.pk}/").status_code == 404


def test_api_refusals(scene):
    invalid = api(scene.operator_a2).post(
        API, {"element": scene.app.pk, "data": {"hosting": "bukan-pilihan"}, "note": "Salah."}, format="json"
    )
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid_input"
    assert "hosting" in invalid.json()["fields"]
    owner = api(scene.operator_a1).post(
        API, {"element": scene.app.pk, "data": {"name": "X"}, "note": "Salah."}, format="json"
    )
    assert owner.status_code == 403
    assert owner.json()["code"] == NOT_PERMITTED
    hidden = api(scene.operator_b1).post(
        API, {"element": scene.app.pk, "data": {"name": "X"}, "note": "Salah."}, format="json"
    )
    assert hidden.status_code == 400
    assert "element" in hidden.json()
    assert not ChangeProposal.objects.exists()
    assert not Notification.objects.exists()
