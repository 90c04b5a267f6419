"""The evaluation API: who sees and does what, the workflow through the API, the compute endpoint, the schema."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.models import AuditEntry
from simpul.evaluation import scoring, services
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Evidence,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
)
from simpul.evaluation.tests.test_scoring import DENPASAR_2021

BASE = "/api/evaluation"
FRAMEWORK = "permenpanrb-59-2020"


def api(user=None) -> APIClient:
    # Indonesian, the deployment's language, so the messages checked are the ones users read.
    client = APIClient(headers={"accept-language": "id"})
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def period(world) -> EvaluationPeriod:
    """A fresh 59/2020 period of instansi A: indicators 1–20 with OPD a1, the rest with a2."""
    framework = Framework.objects.get(code=FRAMEWORK)
    period = services.create_period(
        world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=2025, framework=framework), default_pic=world.a2
    )
    for assessment in IndicatorAssessment.objects.filter(period=period, indicator__number__lte=20):
        services.assign_pic(world.admin_a, assessment, world.a1)
    return period


def item(period, key: str) -> IndicatorAssessment:
    return IndicatorAssessment.objects.get(period=period, item_key=key)


def listed(client, path: str, **params) -> list[dict]:
    response = client.get(f"{BASE}/{path}/", {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Permission matrix ---------------------------------------------------------------------------------


def test_each_role_lists_exactly_its_assessments(world, period):
    assert len(listed(api(world.operator_a1), "assessments", period=period.pk)) == 20
    assert {row["indicator"] for row in listed(api(world.operator_a2), "assessments", period=period.pk)} == set(
        range(21, 48)
    )
    assert len(listed(api(world.koordinator_a), "assessments", period=period.pk)) == 47
    assert len(listed(api(world.evaluator_a), "assessments")) == 47
    assert listed(api(world.admin_b), "assessments") == []
    assert api(world.asn_a1).get(f"{BASE}/assessments/").status_code == 403
    assert api().get(f"{BASE}/assessments/").status_code in (401, 403)
    # Other instansi: neither the period nor its items exist for them.
    assert api(world.admin_b).get(f"{BASE}/periods/{period.pk}/").status_code == 404
    assert api(world.admin_b).get(f"{BASE}/assessments/{item(period, '1').pk}/").status_code == 404


def test_assessment_filters(world, period):
    client = api(world.evaluator_a)
    assert len(listed(client, "assessments", period=period.pk, aspect="A1")) == 10
    assert len(listed(client, "assessments", pic=world.a1.pk)) == 20
    assert [row["item_key"] for row in listed(client, "assessments", indicator=5)] == ["5"]
    assert len(listed(client, "assessments", status="not_started")) == 47
    assert listed(client, "assessments", status="accepted") == []


def test_assessments_change_only_through_the_workflow(world, period):
    client = api(world.admin_a)
    target = f"{BASE}/assessments/{item(period, '1').pk}/"
    assert client.put(target, {"self_level": 5}, format="json").status_code == 405
    assert client.patch(target, {"final_level": 5}, format="json").status_code == 405
    assert client.delete(target).status_code == 405
    assert client.post(f"{BASE}/assessments/", {}, format="json").status_code == 405


def test_pic_cannot_review_or_assign_and_reviewer_cannot_self_assess(world, period):
    own = item(period, "1")
    body = {"level": 3, "justification": "Ada Perbup.", "submit": True}
    assert api(world.operator_a1).put(f"{BASE}/assessments/{own.pk}/self-assessment/", body).status_code == 200

    review = api(world.operator_a1).post(f"{BASE}/assessments/{own.pk}/review/", {"decision": "accept"})
    assert review.status_code == 403
    assign = api(world.operator_a1).post(f"{BASE}/assessments/{own.pk}/assign/", {"pic": world.a1.pk})
    assert assign.status_code == 403

    other = item(period, "2")
    assert api(world.evaluator_a).put(f"{BASE}/assessments/{other.pk}/self-assessment/", body).status_code == 403
    assert api(world.koordinator_a).put(f"{BASE}/assessments/{other.pk}/self-assessment/", body).status_code == 403
    # Another OPD's item is not even visible to a PIC.
    assert api(world.operator_a2).put(f"{BASE}/assessments/{other.pk}/self-assessment/", body).status_code == 404
    assert api(world.admin_b).post(f"{BASE}/assessments/{own.pk}/review/", {"decision": "accept"}).status_code == 404
    other.refresh_from_db()
    assert other.status == AssessmentStatus.NOT_STARTED and other.self_level is None


# --- Workflow ------------------------------------------------------------------------------------------


def test_the_whole_workflow_through_the_api(world, period):
    pic, reviewer = api(world.operator_a1), api(world.evaluator_a)
    target = f"{BASE}/assessments/{item(period, '3').pk}"

    draft = pic.put(f"{target}/self-assessment/", {"level": 2, "justification": ""}, format="json")
    assert draft.status_code == 200
    assert draft.json()["status"] == "draft" and draft.json()["self_level"] == 2

    incomplete = pic.put(f"{target}/self-assessment/", {"level": 3, "submit": True}, format="json")
    assert incomplete.status_code == 400
    submitted = pic.put(
        f"{target}/self-assessment/", {"level": 3, "justification": "SK ditetapkan.", "submit": True}, format="json"
    )
    assert submitted.json()["status"] == "submitted"
    # Submitted: the PIC can no longer change it until a reviewer returns it.
    again = pic.put(f"{target}/self-assessment/", {"level": 4}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"

    no_note = reviewer.post(f"{target}/review/", {"decision": "return"}, format="json")
    assert no_note.status_code == 400 and no_note.json()["code"] == "note_required"
    assert "note" in no_note.json()["fields"]
    returned = reviewer.post(f"{target}/review/", {"decision": "return", "note": "Lampirkan SK."}, format="json")
    assert returned.json()["status"] == "returned" and returned.json()["review_note"] == "Lampirkan SK."

    pic.put(f"{target}/self-assessment/", {"level": 3, "justification": "SK terlampir.", "submit": True}, format="json")
    silent = reviewer.post(f"{target}/review/", {"decision": "accept", "final_level": 4}, format="json")
    assert silent.status_code == 400 and silent.json()["code"] == "note_required"
    assert "note" in silent.json()["fields"]
    accepted = reviewer.post(
        f"{target}/review/", {"decision": "accept", "final_level": 2, "note": "Belum diterapkan."}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert (accepted.json()["self_level"], accepted.json()["final_level"]) == (3, 2)

    national = reviewer.post(
        f"{target}/national/",
        {"stage": "document", "level": 2, "notes": "Cukup.", "recommendations": "Terapkan SK."},
        format="json",
    )
    assert national.status_code == 201, national.content
    assert national.json()["recommendations"] == "Terapkan SK."
    assert api(world.koordinator_a).get(f"{target}/").json()["national_level"] == 2
    results = listed(api(world.koordinator_a), "national-results", period=period.pk)
    assert [(row["item_key"], row["stage"], row["level"]) for row in results] == [("3", "document", 2)]

    scores = {row["basis"]: row for row in listed(api(world.koordinator_a), "scores", period=period.pk)}
    assert set(scores) == {"self", "internal", "national"}
    assert scores["internal"]["assessed"] == 1 and scores["internal"]["total"] == 47
    # Every step is in the audit trail, on the API channel, under the acting user.
    entries = AuditEntry.objects.filter(object_id=str(item(period, "3").pk), object_repr__startswith="3.")
    assert entries.filter(source="api", actor=world.operator_a1).exists()


def test_bad_levels_are_refused_with_the_services_message(world, period):
    target = f"{BASE}/assessments/{item(period, '1').pk}/self-assessment/"
    client = api(world.operator_a1)
    outside = client.put(target, {"level": 7, "justification": "x"}, format="json")
    assert outside.status_code == 400 and outside.json()["code"] == "invalid_input"
    message = outside.json()["fields"]["level"][0]
    assert "1" in message and "5" in message and outside.json()["detail"] == message
    fraction = client.put(target, {"level": 2.5, "justification": "x"}, format="json")
    assert fraction.status_code == 400 and "level" in fraction.json()["fields"]
    assert item(period, "1").status == AssessmentStatus.NOT_STARTED


def test_survey_scored_indicator_takes_the_survey_value(world):
    framework = Framework.objects.get(code="indeks-pemdi-2025")
    period = services.create_period(
        world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=2024, framework=framework), default_pic=world.a1
    )
    survey = framework.spec.satisfaction
    target = item(period, str(survey.indicator))
    client = api(world.operator_a1)
    response = client.put(
        f"{BASE}/assessments/{target.pk}/self-assessment/",
        {"satisfaction_x": 1, "justification": "Survei 2024"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["self_level"] == pytest.approx(round(survey.level_for(1.0), 2))
    assert response.json()["satisfaction_x"] == 1
    other = item(period, "1")
    refused = client.put(
        f"{BASE}/assessments/{other.pk}/self-assessment/", {"satisfaction_x": 1, "justification": "x"}, format="json"
    )
    assert refused.status_code == 400 and "satisfaction_x" in refused.json()["fields"]


def test_assign_pic(world, period):
    target = f"{BASE}/assessments/{item(period, '1').pk}/assign/"
    moved = api(world.evaluator_a).post(target, {"pic": world.a2.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["pic"] == world.a2.pk
    # An OPD of another instansi is not a choice at all.
    assert api(world.evaluator_a).post(target, {"pic": world.b1.pk}, format="json").status_code == 400
    assert item(period, "1").pic == world.a2


def test_a_closed_period_refuses_changes(world, period):
    services.set_period_status(world.admin_a, period, "closed")
    response = api(world.operator_a1).put(
        f"{BASE}/assessments/{item(period, '1').pk}/self-assessment/", {"level": 3, "justification": "x"}
    )
    assert response.status_code == 409 and response.json()["code"] == "period_closed"
    national = api(world.admin_a).post(
        f"{BASE}/assessments/{item(period, '1').pk}/national/", {"stage": "document", "level": 3}, format="json"
    )
    assert national.status_code == 409 and national.json()["code"] == "period_closed"


# --- Periods -------------------------------------------------------------------------------------------


def test_create_a_period_creates_its_items_through_the_service(world):
    body = {"instansi": world.inst_a.pk, "year": 2026, "framework": FRAMEWORK, "default_pic": world.a1.pk}
    created = api(world.admin_a).post(f"{BASE}/periods/", body, format="json")
    assert created.status_code == 201, created.content
    period = EvaluationPeriod.objects.get(pk=created.json()["id"])
    assert period.assessments.count() == 47
    assert set(period.assessments.values_list("pic", flat=True)) == {world.a1.pk}
    assert created.json()["framework"] == FRAMEWORK and created.json()["status"] == "preparation"

    again = api(world.admin_a).post(f"{BASE}/periods/", body, format="json")
    assert again.status_code == 400
    assert api(world.operator_a1).post(f"{BASE}/periods/", {**body, "year": 2027}, format="json").status_code == 403
    other = {**body, "year": 2028, "default_pic": world.b1.pk}
    assert api(world.admin_a).post(f"{BASE}/periods/", other, format="json").status_code == 400
    assert not EvaluationPeriod.objects.filter(year__in=(2027, 2028)).exists()


def test_update_a_period(world, period):
    target = f"{BASE}/periods/{period.pk}/"
    assert api(world.koordinator_a).patch(target, {"target_index": 3.5}, format="json").status_code == 403
    # The stage is not a field to write: it changes through the period's steps only.
    stage = api(world.admin_a).patch(target, {"status": "self_assessment", "target_index": 3.5}, format="json")
    assert stage.status_code == 400 and "status" in stage.json()
    unchanged = api(world.admin_a).patch(target, {"status": "preparation", "target_index": 3.5}, format="json")
    assert unchanged.status_code == 200, unchanged.content
    changed = api(world.admin_a).post(f"{target}transition/", {"transition": "start_self_assessment"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "self_assessment" and changed.json()["target_index"] == 3.5
    refused = api(world.admin_a).patch(target, {"framework": "permenpanrb-8-2026"}, format="json")
    assert refused.status_code == 400 and "framework" in refused.json()
    outside = api(world.admin_a).patch(target, {"target_index": 6}, format="json")
    assert outside.status_code == 400
    period.refresh_from_db()
    assert period.status == "self_assessment" and period.framework.code == FRAMEWORK


# --- Frameworks and compute ----------------------------------------------------------------------------


def test_framework_detail_has_weights_levels_and_verification(world):
    client = api(world.asn_a1)
    codes = {row["code"] for row in listed(client, "frameworks")}
    assert {FRAMEWORK, "indeks-pemdi-2025"} <= codes
    detail = client.get(f"{BASE}/frameworks/{FRAMEWORK}/").json()
    assert (len(detail["domains"]), len(detail["aspects"]), len(detail["indicators"])) == (4, 8, 47)
    assert sum(domain["weight"] for domain in detail["domains"]) == pytest.approx(100)
    first = detail["indicators"][0]
    assert first["number"] == 1 and first["weight"] == 1.3 and first["aspect"] == "A1"
    assert [level["level"] for level in first["levels"]] == [1, 2, 3, 4, 5]
    assert all(level["criterion"] for level in first["levels"])
    assert detail["unverified"] is False
    assert any(indicator["unverified"] for indicator in detail["indicators"])
    assert client.get(f"{BASE}/frameworks/indeks-pemdi-2025/").json()["unverified"] is True
    assert api(world.admin_a).post(f"{BASE}/frameworks/", {"code": "x"}, format="json").status_code == 405


def test_compute_returns_what_the_cli_prints(world, tmp_path):
    spec = Framework.objects.get(code=FRAMEWORK).spec
    response = api(world.asn_a1).post(
        f"{BASE}/frameworks/{FRAMEWORK}/compute/", {"levels": DENPASAR_2021}, format="json"
    )
    assert response.status_code == 200, response.content
    expected = scoring.compute(spec, scoring.normalize_levels(spec, DENPASAR_2021)).as_dict()
    assert response.json() == expected
    assert response.json()["index"] == 3.19 and response.json()["predicate"] == "Baik"

    levels = tmp_path / "levels.json"
    levels.write_text(json.dumps(DENPASAR_2021))
    out = io.StringIO()
    call_command("evaluation", "compute", "--framework", FRAMEWORK, str(levels), stdout=out)
    assert response.json() == json.loads(out.getvalue())


def test_compute_with_missing_levels(world):
    url = f"{BASE}/frameworks/{FRAMEWORK}/compute/"
    partial = {"levels": {"1": 5}}
    missing = api(world.koordinator_a).post(url, partial, format="json")
    assert missing.status_code == 400 and "levels" in missing.json()
    floor = api(world.koordinator_a).post(url, {**partial, "missing_as_minimum": True}, format="json")
    spec = Framework.objects.get(code=FRAMEWORK).spec
    assert floor.json() == scoring.compute(spec, {"1": 5.0}, missing_as_minimum=True).as_dict()


@pytest.mark.parametrize(
    "body",
    [
        {"levels": {"1": 9}},
        {"levels": {"999": 3}},
        {"levels": {"1": "tiga"}},
        {"levels": {"1": 2.5}},
        {"levels": [3, 4]},
        {"levels": "3"},
        {},
    ],
)
def test_compute_refuses_bad_levels_with_messages(world, body):
    response = api(world.koordinator_a).post(f"{BASE}/frameworks/{FRAMEWORK}/compute/", body, format="json")
    assert response.status_code == 400
    messages = response.json()["levels"]
    assert messages and all(isinstance(message, str) and message for message in messages)


def test_compute_messages_are_indonesian(world):
    response = api(world.koordinator_a).post(
        f"{BASE}/frameworks/{FRAMEWORK}/compute/", {"levels": {"999": 3}}, format="json"
    )
    spec = Framework.objects.get(code=FRAMEWORK).spec
    with pytest.raises(scoring.LevelsError) as error, translation.override("id"):
        scoring.normalize_levels(spec, {"999": 3})
    assert response.json()["levels"] == error.value.errors


def test_compute_of_an_unknown_framework_is_404(world):
    assert (
        api(world.koordinator_a).post(f"{BASE}/frameworks/nope/compute/", {"levels": {}}, format="json").status_code
        == 404
    )


# --- Evidence, improvement actions, scores -------------------------------------------------------------


def test_evidence_links_by_the_pic(world, period):
    own, other = item(period, "1"), item(period, "30")
    application = ApplicationFactory(owner=world.a1, name="SIMPEG")
    client = api(world.operator_a1)
    url = client.post(
        f"{BASE}/evidence/",
        {"assessment": own.pk, "kind": "url", "title": "Portal SPBE", "url": "https://akab.go.id/spbe"},
        format="json",
    )
    assert url.status_code == 201, url.content
    assert Evidence.objects.get(pk=url.json()["id"]).added_by == world.operator_a1

    link = {"assessment": own.pk, "kind": "record", "record_type": "architecture.application"}
    record = client.post(f"{BASE}/evidence/", {**link, "record_id": application.pk}, format="json")
    assert record.status_code == 201, record.content
    assert record.json()["record_label"] == "SIMPEG" and record.json()["title"] == "SIMPEG"
    assert record.json()["record_type"] == "architecture.element"
    twice = client.post(f"{BASE}/evidence/", {**link, "record_id": application.pk}, format="json")
    assert twice.status_code == 400 and "record_id" in twice.json()

    foreign = ApplicationFactory(owner=world.b1)
    refused = client.post(f"{BASE}/evidence/", {**link, "record_id": foreign.pk}, format="json")
    assert refused.status_code == 400 and "record_id" in refused.json()
    unknown = {**link, "record_type": "organizations.perangkatdaerah", "record_id": world.a1.pk}
    assert "record_type" in client.post(f"{BASE}/evidence/", unknown, format="json").json()
    no_file = client.post(f"{BASE}/evidence/", {"assessment": own.pk, "kind": "file", "title": "SK"}, format="json")
    assert no_file.status_code == 400 and "file" in no_file.json()
    not_mine = client.post(
        f"{BASE}/evidence/", {"assessment": other.pk, "kind": "url", "title": "x", "url": "https://a.id"}, format="json"
    )
    assert not_mine.status_code == 400

    assert len(listed(client, "evidence", period=period.pk)) == 2
    assert listed(api(world.operator_a2), "evidence", period=period.pk) == []
    assert api(world.operator_a2).delete(f"{BASE}/evidence/{url.json()['id']}/").status_code == 404
    assert client.delete(f"{BASE}/evidence/{url.json()['id']}/").status_code == 204
    assert Evidence.objects.filter(assessment=own).count() == 1
    assert client.patch(f"{BASE}/evidence/{record.json()['id']}/", {"title": "x"}).status_code == 405


def test_evidence_file_upload_is_checked_like_the_web_page(world, period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = item(period, "1")
    client = api(world.operator_a1)
    content = b"%PDF-1.4\n% SK Tim Koordinasi SPBE\n%%EOF\n"
    upload = SimpleUploadedFile("sk-tim.pdf", content, content_type="application/pdf")
    created = client.post(
        f"{BASE}/evidence/", {"assessment": own.pk, "kind": "file", "file": upload}, format="multipart"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["original_name"] == "sk-tim.pdf" and body["title"] == "sk-tim.pdf"
    assert body["sha256"] == hashlib.sha256(content).hexdigest() and body["size"] == len(content)
    assert body["download_url"].endswith(f"/evidence/{body['id']}/download/")

    fake = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = client.post(f"{BASE}/evidence/", {"assessment": own.pk, "kind": "file", "file": fake}, format="multipart")
    assert refused.status_code == 400
    assert Evidence.objects.filter(assessment=own).count() == 1


def test_evidence_of_a_closed_period_cannot_change(world, period):
    own = item(period, "1")
    client = api(world.operator_a1)
    added = client.post(
        f"{BASE}/evidence/", {"assessment": own.pk, "kind": "url", "url": "https://akab.go.id"}, format="json"
    )
    services.set_period_status(world.admin_a, period, "closed")
    again = client.post(
        f"{BASE}/evidence/", {"assessment": own.pk, "kind": "url", "url": "https://akab.go.id/2"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "period_closed"
    removed = client.delete(f"{BASE}/evidence/{added.json()['id']}/")
    assert (removed.status_code, removed.json()["code"]) == (409, "period_closed")
    assert Evidence.objects.filter(assessment=own).count() == 1


def test_improvement_actions(world, period):
    indicator = item(period, "5").indicator
    body = {
        "owner": world.a1.pk,
        "period": period.pk,
        "indicator": indicator.pk,
        "from_level": 2,
        "to_level": 3,
        "title": "Susun SOP manajemen data",
        "due_date": "2025-10-31",
    }
    assert api(world.operator_a1).post(f"{BASE}/improvement-actions/", body, format="json").status_code == 403
    created = api(world.admin_a).post(f"{BASE}/improvement-actions/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["item_key"] == "5" and created.json()["indicator_number"] == 5

    down = api(world.admin_a).post(f"{BASE}/improvement-actions/", {**body, "to_level": 1}, format="json")
    assert down.status_code == 400 and "to_level" in down.json()
    other_framework = Framework.objects.get(code="indeks-pemdi-2025").indicators.first()
    wrong = api(world.admin_a).post(
        f"{BASE}/improvement-actions/", {**body, "indicator": other_framework.pk}, format="json"
    )
    assert wrong.status_code == 400 and "indicator" in wrong.json()

    assert created.json()["status"] == "planned"
    target = f"{BASE}/improvement-actions/{created.json()['id']}/"
    # The status is not a field to write: it changes through the action's steps.
    assert api(world.operator_a1).patch(target, {"status": "in_progress"}, format="json").status_code == 400
    started = api(world.operator_a1).post(f"{target}transition/", {"transition": "start"}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    assert api(world.operator_a1).patch(target, {"title": "SOP data"}, format="json").status_code == 200
    other = api(world.operator_a2).post(f"{target}transition/", {"transition": "complete"}, format="json")
    assert other.status_code == 404
    assert api(world.operator_a1).delete(target).status_code == 403
    assert ImprovementAction.objects.get().status == "in_progress"
    events = api(world.koordinator_a).get(f"{target}events/").json()
    assert [(row["transition"], row["to_state"]) for row in events] == [("start", "in_progress"), ("create", "planned")]


def test_scores_by_period_and_basis(world, period):
    for number in (1, 2):
        services.save_self_assessment(world.operator_a1, item(period, str(number)), 4, "ok")
    rows = listed(api(world.pimpinan_a), "scores", period=period.pk, basis="self")
    assert len(rows) == 1 and rows[0]["assessed"] == 2 and rows[0]["complete"] is False
    assert listed(api(world.admin_b), "scores") == []
    assert listed(api(world.koordinator_a), "scores", year=2025, instansi=world.inst_a.pk)[0]["basis"] == "self"


# --- Schema --------------------------------------------------------------------------------------------


def test_schema_documents_the_evaluation_api_without_warnings(db, tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    paths = json.loads(target.read_text())["paths"]
    assert set(paths[f"{BASE}/assessments/{{id}}/"]) == {"get"}
    assert set(paths[f"{BASE}/assessments/{{id}}/self-assessment/"]) == {"put"}
    assert set(paths[f"{BASE}/frameworks/{{code}}/compute/"]) == {"post"}
    assert set(paths[f"{BASE}/evidence/{{id}}/"]) == {"get", "delete"}
    assert set(paths[f"{BASE}/periods/{{id}}/"]) >= {"get", "put", "patch", "delete"}
    for name in ("national-results", "scores", "improvement-actions"):
        assert f"{BASE}/{name}/" in paths


# --- Malformed input and the schema's truth ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "action"),
    [("post", "review"), ("post", "assign"), ("post", "national"), ("put", "self-assessment")],
)
@pytest.mark.parametrize("pk", ["abc", "1.5"])
def test_a_workflow_action_on_an_id_that_is_not_one_is_404(world, method, action, pk):
    client = api(world.admin_a)
    client.raise_request_exception = False
    # The lookup read `abc` as an id: a server error.
    response = getattr(client, method)(f"{BASE}/assessments/{pk}/{action}/", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Data tidak ditemukan."}


def test_levels_not_yet_given_are_null_and_the_schema_says_they_may_be(world, period):
    row = api(world.evaluator_a).get(f"{BASE}/assessments/{item(period, '1').pk}/").json()
    assert row["self_level"] is None and row["final_level"] is None and row["national_level"] is None
    schema = api(world.evaluator_a).get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    for name in ("self_level", "final_level", "national_level", "satisfaction_x"):
        assert schema["IndicatorAssessment"]["properties"][name]["nullable"] is True, name
