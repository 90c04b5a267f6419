"""Evidence is frozen while its assessment is with the reviewers (issue #12, point 5): what the reviewer
judges is what was submitted. Adding and removing are refused under review and after acceptance, through
the service, the web pages and the API, with the code `evidence_frozen` (409); a withdrawal or a return
makes the evidence editable again; only the PIC side removes evidence; a closed period answers 409
`period_closed`; and the submit event records the evidence it handed over."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.workflow import TransitionError, events_of
from simpul.evaluation import evidence, services
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Evidence,
    Framework,
    IndicatorAssessment,
    PeriodStatus,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OTHER_PDF = b"%PDF-1.4\n% SK Tim Koordinasi SPBE\n%%EOF\n"
BASE = "/api/evaluation"
FROZEN_NOTE = "Evidence is frozen while under review; withdraw the submission to change it."


@pytest.fixture(autouse=True)
def english():
    """The service's messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def scene(world, settings, tmp_path):
    """A 59/2020 period of instansi A with indicator 16 (PIC: OPD a1) holding a file and a web address."""
    settings.MEDIA_ROOT = tmp_path / "media"
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    world.period = services.create_period(
        world.admin_a,
        EvaluationPeriod(instansi=world.inst_a, year=2024, framework=framework),
        default_pic=world.a1,
    )
    world.item = world.period.assessments.get(item_key="16")
    world.media = Path(settings.MEDIA_ROOT)
    world.file = evidence.add_file(world.operator_a1, world.item, SimpleUploadedFile("SOP Pusat Data.pdf", PDF))
    world.link = evidence.add_url(world.operator_a1, world.item, "https://akab.go.id/sop", title="SOP daring")
    return world


def submit(scene, user=None) -> IndicatorAssessment:
    return services.save_self_assessment(user or scene.operator_a1, scene.item, 3, "Perbup 12/2023", submit=True)


def refresh(scene) -> IndicatorAssessment:
    scene.item = IndicatorAssessment.objects.get(pk=scene.item.pk)
    return scene.item


def web(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def evidence_ids(scene) -> set[int]:
    return set(Evidence.objects.filter(assessment=scene.item).values_list("pk", flat=True))


def refused(call) -> TransitionError:
    with pytest.raises(TransitionError) as error:
        call()
    return error.value


# --- The service ---------------------------------------------------------------------------------------


def test_under_review_the_service_refuses_every_add_and_remove_with_evidence_frozen(scene):
    submit(scene)
    item, before = refresh(scene), evidence_ids(scene)
    assert item.status == AssessmentStatus.SUBMITTED
    application = ApplicationFactory(owner=scene.a1, name="SIMPEG")
    for user in (scene.operator_a1, scene.admin_a, scene.evaluator_a):
        attempts = [
            lambda user=user: evidence.add_url(user, item, "https://akab.go.id/baru"),
            lambda user=user: evidence.add_file(user, item, SimpleUploadedFile("baru.pdf", OTHER_PDF)),
            lambda user=user: evidence.add_records(user, item, [application]),
        ]
        for attempt in attempts:
            error = refused(attempt)
            assert (error.code, error.status) == ("evidence_frozen", 409)
            assert error.detail == FROZEN_NOTE
    error = refused(lambda: evidence.remove(scene.operator_a1, scene.file))
    assert (error.code, error.status) == ("evidence_frozen", 409)
    assert evidence_ids(scene) == before
    # The refused upload left no file behind: only the one submitted is stored.
    assert [path.name for path in stored_files(scene.media)] == [f"{hashlib.sha256(PDF).hexdigest()}.pdf"]
    assert not evidence.may_add_evidence(scene.operator_a1, item)


def test_withdrawing_makes_the_evidence_editable_again(scene):
    submit(scene)
    services.withdraw(scene.operator_a1, refresh(scene))
    item = refresh(scene)
    assert item.status == AssessmentStatus.DRAFT
    assert evidence.may_add_evidence(scene.operator_a1, item)
    added = evidence.add_url(scene.operator_a1, item, "https://akab.go.id/baru")
    evidence.remove(scene.operator_a1, scene.link)
    assert evidence_ids(scene) == {scene.file.pk, added.pk}


def test_a_return_unfreezes_and_an_acceptance_keeps_it_frozen(scene):
    submit(scene)
    services.review(scene.evaluator_a, refresh(scene), accept=False, note="Lampirkan SK tim.")
    item = refresh(scene)
    assert item.status == AssessmentStatus.RETURNED
    added = evidence.add_url(scene.operator_a1, item, "https://akab.go.id/sk-tim")
    submit(scene)
    services.review(scene.evaluator_a, refresh(scene), accept=True)
    item = refresh(scene)
    error = refused(lambda: evidence.add_url(scene.operator_a1, item, "https://akab.go.id/lagi"))
    assert error.code == "evidence_frozen" and "accepted" in error.detail
    assert refused(lambda: evidence.remove(scene.operator_a1, added)).code == "evidence_frozen"
    assert evidence_ids(scene) == {scene.file.pk, scene.link.pk, added.pk}


def test_only_the_pic_side_removes_evidence(scene):
    # The evaluator may add (e.g. evidence they collected) but not take the PIC's evidence away.
    collected = evidence.add_url(scene.evaluator_a, scene.item, "https://akab.go.id/dikumpulkan")
    for item in (scene.file, collected):
        error = refused(lambda item=item: evidence.remove(scene.evaluator_a, item))
        assert (error.code, error.status) == ("not_permitted", 403)
    assert evidence_ids(scene) == {scene.file.pk, scene.link.pk, collected.pk}
    # The PIC side: the OPD's operator and the Admin SPBE (both may change the assessment).
    evidence.remove(scene.operator_a1, collected)
    evidence.remove(scene.admin_a, scene.link)
    assert evidence_ids(scene) == {scene.file.pk}


def test_a_closed_period_refuses_with_period_closed(scene):
    services.set_period_status(scene.admin_a, scene.period, PeriodStatus.CLOSED)
    item = refresh(scene)
    for attempt in (
        lambda: evidence.add_url(scene.operator_a1, item, "https://akab.go.id/baru"),
        lambda: evidence.remove(scene.operator_a1, scene.link),
    ):
        error = refused(attempt)
        assert (error.code, error.status) == ("period_closed", 409)
    assert evidence_ids(scene) == {scene.file.pk, scene.link.pk}


def test_the_submit_event_records_the_evidence_it_handed_over(scene):
    submit(scene)
    event = events_of(scene.item).get(transition="submit")
    assert event.payload == {
        "evidence": [
            {
                "id": scene.file.pk,
                "kind": "file",
                "title": "SOP Pusat Data.pdf",
                "name": "SOP Pusat Data.pdf",
                "sha256": hashlib.sha256(PDF).hexdigest(),
                "size": len(PDF),
            },
            {"id": scene.link.pk, "kind": "url", "title": "SOP daring", "url": "https://akab.go.id/sop"},
        ]
    }
    # A draft save records nothing; a new submission records the evidence as it is then.
    services.withdraw(scene.operator_a1, refresh(scene))
    evidence.remove(scene.operator_a1, scene.file)
    application = ApplicationFactory(owner=scene.a1, name="SIMPEG")
    [record] = evidence.add_records(scene.operator_a1, refresh(scene), [application])
    services.save_self_assessment(scene.operator_a1, refresh(scene), 3, "Perbup 12/2023")
    assert events_of(scene.item).get(transition="save_draft").payload == {}
    submit(scene)
    latest = events_of(scene.item).filter(transition="submit").order_by("-pk").first()
    assert [row["id"] for row in latest.payload["evidence"]] == [scene.link.pk, record.pk]
    assert latest.payload["evidence"][1] == {
        "id": record.pk,
        "kind": "record",
        "title": "SIMPEG",
        "record_type": "architecture.element",
        "record_id": application.pk,
    }
    assert evidence.submitted_evidence(refresh(scene)) == latest.payload["evidence"]


# --- The web pages -------------------------------------------------------------------------------------


def test_the_panel_says_the_evidence_is_frozen_and_hides_its_controls(scene):
    panel_url = reverse("evaluation:evidence", args=[scene.item.pk])
    draft = web(scene.operator_a1).get(panel_url, headers={"hx-request": "true"}).content.decode()
    assert 'data-testid="evidence-add"' in draft and 'data-testid="evidence-remove"' in draft
    assert 'data-testid="evidence-frozen"' not in draft
    submit(scene)
    for user in (scene.operator_a1, scene.evaluator_a):
        page = web(user).get(panel_url, headers={"hx-request": "true"}).content.decode()
        assert 'data-testid="evidence-frozen"' in page and FROZEN_NOTE in page
        assert 'data-testid="evidence-add"' not in page and 'data-testid="evidence-remove"' not in page
        assert page.count('data-testid="evidence-item"') == 2
    hints = web(scene.operator_a1).get(reverse("evaluation:evidence_hints", args=[scene.item.pk])).content.decode()
    assert 'data-testid="hint-accept"' not in hints


def test_the_pages_refuse_adding_and_removing_under_review(scene):
    submit(scene)
    client = web(scene.operator_a1)
    add = reverse("evaluation:evidence_add", args=[scene.item.pk, "url"])
    upload = reverse("evaluation:evidence_add", args=[scene.item.pk, "file"])
    remove = reverse("evaluation:evidence_delete", args=[scene.link.pk])
    for response in (
        client.post(add, {"url": "https://akab.go.id/baru"}),
        client.post(upload, {"file": SimpleUploadedFile("baru.pdf", OTHER_PDF)}),
        client.post(remove),
    ):
        assert response.status_code == 409
        assert FROZEN_NOTE in response.content.decode()
    # With htmx the panel is swapped in (a 2xx), saying why and still listing what was submitted.
    response = client.post(add, {"url": "https://akab.go.id/baru"}, headers={"hx-request": "true"})
    assert response.status_code == 200 and FROZEN_NOTE in response.content.decode()
    assert "HX-Trigger" not in response
    accept = reverse("evaluation:evidence_hint_accept", args=[scene.item.pk])
    assert client.post(accept, {"hint": "application_hosting-0"}).status_code == 409
    assert evidence_ids(scene) == {scene.file.pk, scene.link.pk}
    assert len(stored_files(scene.media)) == 1


def test_withdrawing_on_the_page_brings_the_controls_back(scene):
    submit(scene)
    client = web(scene.operator_a1)
    response = client.post(reverse("evaluation:indicatorassessment_withdraw", args=[scene.item.pk]))
    assert response.status_code == 302
    assert refresh(scene).status == AssessmentStatus.DRAFT
    panel = client.get(reverse("evaluation:evidence", args=[scene.item.pk])).content.decode()
    assert 'data-testid="evidence-frozen"' not in panel and 'data-testid="evidence-add"' in panel
    added = client.post(
        reverse("evaluation:evidence_add", args=[scene.item.pk, "url"]), {"url": "https://akab.go.id/baru"}
    )
    assert added.status_code == 302
    assert client.post(reverse("evaluation:evidence_delete", args=[scene.link.pk])).status_code == 302
    assert set(Evidence.objects.filter(assessment=scene.item).values_list("url", flat=True)) == {
        "",
        "https://akab.go.id/baru",
    }


def test_the_evaluator_gets_no_remove_button_and_a_direct_post_is_refused(scene):
    page = web(scene.evaluator_a).get(reverse("evaluation:evidence", args=[scene.item.pk])).content.decode()
    # The evaluator may still add in a draft, but not remove the PIC's evidence.
    assert 'data-testid="evidence-add"' in page
    assert 'data-testid="evidence-remove"' not in page
    for item in (scene.file, scene.link):
        response = web(scene.evaluator_a).post(reverse("evaluation:evidence_delete", args=[item.pk]))
        assert response.status_code == 403
    assert evidence_ids(scene) == {scene.file.pk, scene.link.pk}


def test_the_assessment_page_shows_the_evidence_submitted(scene):
    url = scene.item.get_absolute_url()
    assert 'data-testid="submitted-evidence"' not in web(scene.evaluator_a).get(url).content.decode()
    submit(scene)
    # Removed behind the service's back (not possible through Simpul): the page shows the submitted record.
    Evidence.objects.filter(pk=scene.link.pk).delete()
    page = web(scene.evaluator_a).get(url).content.decode()
    assert "Evidence submitted: 2 items" in page
    assert page.count('data-testid="submitted-evidence-item"') == 2
    assert "SOP daring" in page and hashlib.sha256(PDF).hexdigest()[:12] in page


# --- The API -------------------------------------------------------------------------------------------


def test_the_api_refuses_evidence_changes_under_review_until_withdrawn(scene):
    submit(scene)
    client = api(scene.operator_a1)
    body = {"assessment": scene.item.pk, "kind": "url", "url": "https://akab.go.id/baru"}
    added = client.post(f"{BASE}/evidence/", body, format="json")
    assert added.status_code == 409
    assert added.json() == {"code": "evidence_frozen", "detail": FROZEN_NOTE}
    upload = client.post(
        f"{BASE}/evidence/",
        {"assessment": scene.item.pk, "kind": "file", "file": SimpleUploadedFile("baru.pdf", OTHER_PDF)},
        format="multipart",
    )
    assert (upload.status_code, upload.json()["code"]) == (409, "evidence_frozen")
    removed = client.delete(f"{BASE}/evidence/{scene.link.pk}/")
    assert (removed.status_code, removed.json()["code"]) == (409, "evidence_frozen")
    assert evidence_ids(scene) == {scene.file.pk, scene.link.pk}

    withdrawn = client.post(f"{BASE}/assessments/{scene.item.pk}/withdraw/", {"note": ""}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "draft"
    again = client.post(f"{BASE}/evidence/", body, format="json")
    assert again.status_code == 201, again.content
    assert client.delete(f"{BASE}/evidence/{scene.link.pk}/").status_code == 204
    assert evidence_ids(scene) == {scene.file.pk, again.json()["id"]}


def test_the_api_refuses_removal_by_the_evaluator_and_lists_the_submitted_evidence(scene):
    # The evaluator team is granted to add evidence, not to remove it.
    removed = api(scene.evaluator_a).delete(f"{BASE}/evidence/{scene.file.pk}/")
    assert removed.status_code == 403
    assert removed.json()["detail"]
    assert Evidence.objects.filter(pk=scene.file.pk).exists()
    # A stale If-Match stops a delete before anything is removed, as on every other endpoint.
    stale = api(scene.operator_a1).delete(f"{BASE}/evidence/{scene.link.pk}/", headers={"If-Match": '"stale"'})
    assert stale.status_code == 412
    assert Evidence.objects.filter(pk=scene.link.pk).exists()
    submit(scene)
    events = api(scene.evaluator_a).get(f"{BASE}/assessments/{scene.item.pk}/events/").json()
    assert [row["id"] for row in events[0]["payload"]["evidence"]] == [scene.file.pk, scene.link.pk]
    assert events[0]["payload"]["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_the_api_answers_period_closed_for_evidence_of_a_closed_period(scene):
    services.set_period_status(scene.admin_a, scene.period, PeriodStatus.CLOSED)
    client = api(scene.operator_a1)
    added = client.post(
        f"{BASE}/evidence/", {"assessment": scene.item.pk, "kind": "url", "url": "https://akab.go.id/b"}, format="json"
    )
    assert (added.status_code, added.json()["code"]) == (409, "period_closed")
    removed = client.delete(f"{BASE}/evidence/{scene.link.pk}/")
    assert (removed.status_code, removed.json()["code"]) == (409, "period_closed")
    assert evidence_ids(scene) == {scene.file.pk, scene.link.pk}
