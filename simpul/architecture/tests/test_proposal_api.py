"""The proposal workflow through the API: creating proposals, each step as an action of the proposal
endpoint calling the same service as the page, refusals answered as `{"code", "detail"}` with their
status, each step's event, and the actions documented in the OpenAPI schema."""

import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from simpul.architecture import services
from simpul.architecture.models import ChangeProposal, Element
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.workflow import events_of
from simpul.organizations.tests.factories import user_with_role

BASE = "/api/architecture/proposals/"


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


@pytest.fixture
def scene(world):
    world.app = ApplicationFactory(owner=world.a1, name="SIMPEG", published=True, kind="umum")
    world.draft = ApplicationFactory(owner=world.a1, name="SIPD Draf", published=False, kind="khusus")
    world.colleague_a1 = user_with_role("operator_opd", world.inst_a, world.a1, username="operator-a1-b")
    return world


def steps_taken(proposal_id) -> list[str]:
    return [e.transition for e in events_of(ChangeProposal.objects.get(pk=proposal_id)).order_by("id")]


def post(user, url, body=None):
    return api(user).post(url, body or {}, format="json")


def refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"], body


def propose(scene, data=None) -> dict:
    response = post(scene.operator_a1, BASE, {"element": scene.app.pk, "data": data or {"name": "SIMPEG Baru"}})
    assert response.status_code == 201, response.content
    return response.json()


def test_an_operator_proposes_a_change_and_the_admin_approves_it(scene):
    body = propose(scene, {"name": "SIMPEG Baru", "hosting": "pihak_ketiga"})
    assert (body["kind"], body["status"], body["proposed_by"]) == ("change", "pending", scene.operator_a1.pk)
    assert (body["data"]["name"], body["data"]["hosting"], body["data"]["kind"]) == (
        "SIMPEG Baru",
        "pihak_ketiga",
        "umum",
    )
    scene.app.refresh_from_db()
    assert scene.app.name == "SIMPEG"
    response = post(scene.admin_a, f"{BASE}{body['id']}/approve/", {"note": "Oke."})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reviewed_by"]) == ("approved", scene.admin_a.pk)
    scene.app.refresh_from_db()
    assert (scene.app.name, scene.app.hosting) == ("SIMPEG Baru", "pihak_ketiga")
    assert steps_taken(body["id"]) == ["propose", "approve"]


def test_the_error_codes_of_refused_steps(scene):
    proposal = propose(scene)["id"]
    refused(post(scene.operator_a1, f"{BASE}{proposal}/approve/"), 403, "not_permitted")
    refused(post(scene.koordinator_a, f"{BASE}{proposal}/approve/"), 403, "not_permitted")
    response = post(scene.admin_a, f"{BASE}{proposal}/return/")
    refused(response, 400, "note_required")
    assert "note" in response.json()["fields"]
    refused(post(scene.admin_a, f"{BASE}{proposal}/return/", {"note": "  "}), 400, "note_required")
    assert post(scene.admin_a, f"{BASE}{proposal}/approve/").status_code == 200
    refused(post(scene.admin_a, f"{BASE}{proposal}/approve/"), 409, "invalid_state")
    refused(post(scene.operator_a1, f"{BASE}{proposal}/withdraw/"), 409, "invalid_state")
    assert steps_taken(proposal) == ["propose", "approve"]


def test_a_returned_proposal_is_revised_resubmitted_or_withdrawn_by_its_proposer(scene):
    proposal = propose(scene, {"name": "SIMPEG Salah"})["id"]
    response = post(scene.admin_a, f"{BASE}{proposal}/return/", {"note": "Nama belum baku."})
    assert (response.status_code, response.json()["note"]) == (200, "Nama belum baku.")
    for user in (scene.admin_a, scene.colleague_a1):
        refused(post(user, f"{BASE}{proposal}/revise/", {"data": {"name": "Diambil"}}), 403, "not_permitted")
        refused(post(user, f"{BASE}{proposal}/resubmit/"), 403, "not_permitted")
        refused(post(user, f"{BASE}{proposal}/withdraw/"), 403, "not_permitted")
    response = post(scene.operator_a1, f"{BASE}{proposal}/revise/", {"data": {"hosting": "di-bulan"}})
    refused(response, 400, "invalid_input")
    assert set(response.json()["fields"]) == {"hosting"}
    response = post(scene.operator_a1, f"{BASE}{proposal}/revise/", {"data": {"name": "SIMPEG Baku"}})
    assert (response.status_code, response.json()["status"], response.json()["data"]["name"]) == (
        200,
        "returned",
        "SIMPEG Baku",
    )
    response = post(scene.operator_a1, f"{BASE}{proposal}/resubmit/", {"note": "Sudah."})
    assert (response.status_code, response.json()["status"], response.json()["note"]) == (200, "pending", "")
    refused(post(scene.operator_a1, f"{BASE}{proposal}/resubmit/"), 409, "invalid_state")
    refused(post(scene.operator_a1, f"{BASE}{proposal}/revise/", {"data": {"name": "x"}}), 409, "invalid_state")
    response = post(scene.operator_a1, f"{BASE}{proposal}/withdraw/")
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    assert steps_taken(proposal) == ["propose", "return", "revise", "resubmit", "withdraw"]
    scene.app.refresh_from_db()
    assert scene.app.name == "SIMPEG"


def test_creating_a_proposal_is_refused_with_its_code(scene):
    response = post(scene.operator_a1, BASE, {"element": scene.app.pk, "data": {"hosting": "di-bulan", "nama": "x"}})
    refused(response, 400, "invalid_input")
    assert set(response.json()["fields"]) == {"nama"}
    refused(post(scene.operator_a1, BASE, {"element": scene.draft.pk, "data": {"name": "x"}}), 409, "not_published")
    # Another OPD's operator sees the published element but may not change it.
    refused(post(scene.operator_a2, BASE, {"element": scene.app.pk, "data": {"name": "x"}}), 403, "not_permitted")
    # An element one may not see is not named.
    response = post(scene.operator_a2, BASE, {"element": scene.draft.pk, "data": {"name": "x"}})
    assert response.status_code == 400 and "element" in response.json()
    assert post(scene.operator_a1, BASE, {"element": scene.app.pk}).status_code == 400
    assert post(scene.koordinator_a, BASE, {"element": scene.app.pk, "data": {"name": "x"}}).status_code == 403
    assert not ChangeProposal.objects.exists()


def test_publication_is_requested_and_approved_through_the_api(scene):
    url = f"{BASE}request-publication/"
    response = post(scene.operator_a1, url, {"element": scene.draft.pk})
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert (proposal["kind"], proposal["status"]) == ("publish", "pending")
    refused(post(scene.operator_a1, url, {"element": scene.draft.pk}), 409, "already_requested")
    refused(post(scene.operator_a1, f"{BASE}{proposal['id']}/revise/", {"data": {}}), 409, "invalid_state")
    assert post(scene.admin_a, f"{BASE}{proposal['id']}/approve/").status_code == 200
    scene.draft.refresh_from_db()
    assert scene.draft.published is True
    assert [e.transition for e in events_of(Element.objects.get(pk=scene.draft.pk))] == ["publish"]
    refused(post(scene.operator_a1, url, {"element": scene.draft.pk}), 409, "already_published")


def test_a_reviewer_publishes_a_draft_through_the_element_endpoint(scene):
    url = f"/api/architecture/applications/{scene.draft.pk}/publish/"
    refused(post(scene.operator_a1, url), 403, "not_permitted")
    refused(post(scene.koordinator_a, url), 403, "not_permitted")
    response = post(scene.admin_a, url, {"note": "Lengkap."})
    assert response.status_code == 200, response.content
    assert (response.json()["published"], response.json()["technology"]) == (True, "")
    refused(post(scene.admin_a, f"/api/architecture/elements/{scene.draft.pk}/publish/"), 409, "already_published")
    assert events_of(Element.objects.get(pk=scene.draft.pk)).get().note == "Lengkap."


@pytest.mark.parametrize("step", ["approve", "return", "revise", "resubmit", "withdraw"])
def test_a_proposal_one_may_not_see_or_a_malformed_id_is_not_found(scene, step):
    proposal = propose(scene)["id"]
    assert post(scene.admin_b, f"{BASE}{proposal}/{step}/", {"note": "x", "data": {}}).status_code == 404
    assert post(scene.operator_a2, f"{BASE}{proposal}/{step}/", {"note": "x", "data": {}}).status_code == 404
    for malformed in ("abc", "1.5", "99999999999999999999"):
        response = post(scene.admin_a, f"{BASE}{malformed}/{step}/", {"note": "x"})
        assert response.status_code == 404, (malformed, response.content)
    assert steps_taken(proposal) == ["propose"]


def test_the_proposal_shows_its_attachments(scene, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    proposal = ChangeProposal.objects.get(pk=propose(scene)["id"])
    services.add_attachment(scene.operator_a1, proposal, SimpleUploadedFile("bast.pdf", b"%PDF-1.4\n%%EOF\n"), "BAST")
    body = api(scene.admin_a).get(f"{BASE}{proposal.pk}/").json()
    assert [(a["title"], a["original_name"], a["content_type"]) for a in body["attachments"]] == [
        ("BAST", "bast.pdf", "application/pdf")
    ]


def test_the_actions_are_documented_with_their_refusals():
    patterns = [path("api/architecture/", include("simpul.architecture.api.urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    paths = schema["paths"]
    for step, request in [
        ("approve", "ProposalNoteRequest"),
        ("return", "ProposalReturnRequest"),
        ("revise", "ProposalReviseRequest"),
        ("resubmit", "ProposalNoteRequest"),
        ("withdraw", "ProposalNoteRequest"),
    ]:
        operation = paths[f"/api/architecture/proposals/{{id}}/{step}/"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(request)
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ChangeProposal"
        )
        assert "invalid_state" in operation["responses"]["409"]["description"]
    create = paths["/api/architecture/proposals/"]["post"]
    assert {"201", "400", "403", "409"} <= set(create["responses"])
    assert "request-publication" in str(list(paths))
    publish = paths["/api/architecture/applications/{id}/publish/"]["post"]
    assert publish["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Application")
