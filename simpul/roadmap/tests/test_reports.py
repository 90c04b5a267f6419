"""Progress reports through every channel: an OPD reports only on its own outputs, only the Admin SPBE
accepts or returns, evidence freezes once submitted, and an accepted report is final."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from simpul.core.models import Notification, WorkflowEvent
from simpul.core.workflow import NOT_PERMITTED, NOTE_REQUIRED, TransitionError
from simpul.organizations.tests.factories import user_with_role
from simpul.roadmap import services, versions
from simpul.roadmap.choices import ReportStatus
from simpul.roadmap.models import NOT_CURRENT, ProgressEvidence, ProgressReport
from simpul.roadmap.tests.factories import make_roadmap

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


@pytest.fixture
def small(world):
    return make_roadmap(world)


def test_an_operator_files_submits_and_the_admin_accepts(world, small):
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Simpul dibangun.")
    assert (report.status, report.percent) == (ReportStatus.DRAFT, 40)
    with translation.override("en"):  # the operator browses in English; the notice is in Indonesian
        report = services.file_report(world.operator_a1, small.a1, 2024, 45, "Simpul dibangun dan diuji.", submit=True)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == world.operator_a1
    # The reviewers are told; the OPD is told of the decision.
    told = Notification.objects.get(recipient=world.admin_a, verb="roadmap.report_submitted")
    assert told.title == f"Laporan kemajuan untuk direviu: {report}"
    assert told.body == "45% dilaporkan untuk tahun 2024."
    report = services.review_report(world.admin_a, report, accept=True)
    assert report.status == ReportStatus.ACCEPTED and report.accepted_at is not None
    assert Notification.objects.filter(recipient=world.operator_a1, verb="roadmap.report_accepted").exists()
    steps = list(WorkflowEvent.objects.filter(object_id=str(report.pk)).values_list("transition", flat=True))
    assert sorted(steps) == ["accept", "submit"]


def test_an_operator_reports_only_on_its_own_outputs(world, small):
    with pytest.raises(PermissionDenied):
        services.file_report(world.operator_a1, small.a2, 2024, 40, "Bukan milik kami.")
    assert not ProgressReport.objects.exists()
    # Another OPD's draft cannot be rewritten either.
    draft = services.file_report(world.operator_a2, small.a2, 2024, 40, "Milik A2.")
    with pytest.raises(PermissionDenied):
        services.file_report(world.operator_a1, small.a2, 2024, 90, "Diubah A1.")
    draft.refresh_from_db()
    assert draft.percent == 40


def test_only_the_admin_accepts_or_returns(world, small):
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Simpul dibangun.", submit=True)
    for user in (world.operator_a1, world.koordinator_a, world.pimpinan_a, world.auditor_a):
        with pytest.raises(TransitionError) as refused:
            services.review_report(user, report, accept=True)
        assert refused.value.code == NOT_PERMITTED
    with pytest.raises(TransitionError) as refused:
        services.review_report(world.admin_b, report, accept=True)  # another instansi's admin
    assert refused.value.code == NOT_PERMITTED
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_returning_needs_a_note_and_the_operator_corrects_and_resubmits(world, small):
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Simpul dibangun.", submit=True)
    with pytest.raises(TransitionError) as refused:
        services.review_report(world.admin_a, report, accept=False, note="  ")
    assert refused.value.code == NOTE_REQUIRED
    report = services.review_report(world.admin_a, report, accept=False, note="Lampirkan BAST.")
    assert (report.status, report.review_note) == (ReportStatus.RETURNED, "Lampirkan BAST.")
    assert Notification.objects.filter(recipient=world.operator_a1, verb="roadmap.report_returned").exists()
    report = services.file_report(
        world.operator_a1, small.a1, 2024, 45, "Simpul dibangun; BAST terlampir.", submit=True
    )
    assert report.status == ReportStatus.SUBMITTED
    assert WorkflowEvent.objects.filter(object_id=str(report.pk), transition="resubmit").exists()


def test_an_accepted_report_is_final(world, small):
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Simpul dibangun.", submit=True)
    services.review_report(world.admin_a, report, accept=True)
    with pytest.raises(TransitionError):
        services.file_report(world.operator_a1, small.a1, 2024, 90, "Diubah sesudah diterima.")
    with pytest.raises(TransitionError):
        services.file_report(world.admin_a, small.a1, 2024, 90, "Diubah Admin.")
    report.refresh_from_db()
    assert report.percent == 40


def test_a_report_needs_a_narrative_to_be_submitted_and_a_year_of_the_output(world, small):
    with pytest.raises(TransitionError) as refused:
        services.file_report(world.operator_a1, small.a1, 2024, 40, "", submit=True)
    assert refused.value.fields == {"narrative": ["This field is required."]} or "narrative" in refused.value.fields
    assert not ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).exists()
    with pytest.raises(ValidationError):
        services.file_report(world.operator_a1, small.a1, 2022, 40, "Sebelum keluaran dimulai.")
    future = datetime.date.today().year + 1
    with pytest.raises(ValidationError):
        services.file_report(world.operator_a1, small.a1, future, 40, "Tahun yang belum mulai.")


def test_evidence_freezes_once_submitted(world, small):
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Simpul dibangun.")
    item = services.add_file(world.operator_a1, report, SimpleUploadedFile("bast.pdf", PDF), "BAST")
    assert item.kind == "file" and item.sha256
    with pytest.raises(TransitionError) as refused:
        services.add_file(world.operator_a2, report, SimpleUploadedFile("lain.pdf", PDF))
    assert refused.value.code == NOT_PERMITTED
    with pytest.raises(ValidationError):
        services.add_file(world.operator_a1, report, SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf"))
    report = services.submit_report(world.operator_a1, report)
    with pytest.raises(TransitionError) as refused:
        services.add_url(world.operator_a1, report, "https://jdih.example.go.id/perbup", "Perbup")
    assert refused.value.code == services.EVIDENCE_FROZEN
    with pytest.raises(TransitionError):
        services.remove_evidence(world.operator_a1, item)
    assert ProgressEvidence.objects.filter(report=report).count() == 1


def test_reports_of_a_version_no_longer_current_stay_as_they_were(world, small):
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Simpul dibangun.", submit=True)
    versions.new_version(world.admin_a, small.roadmap, "Reviu")
    with pytest.raises(TransitionError) as refused:
        services.review_report(world.admin_a, report, accept=True)
    assert refused.value.code == NOT_CURRENT
    with pytest.raises(TransitionError) as refused:
        services.file_report(world.operator_a1, small.a1, 2025, 60, "Di versi lama.")
    assert refused.value.code == NOT_CURRENT


# --- The same rules on the pages and the API ------------------------------------------------------------


def test_pages_file_a_report_with_evidence_and_the_admin_returns_it(world, small):
    operator = Client(headers={"accept-language": "en"})
    operator.force_login(world.operator_a1)
    url = reverse("roadmap:output_report", args=[small.a1.pk, 2024])
    assert operator.get(url).status_code == 200
    response = operator.post(url, {"percent": 40, "narrative": "Simpul dibangun.", "action": "draft"})
    report = ProgressReport.objects.get(output=small.a1, year=2024)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    response = operator.post(
        reverse("roadmap:progressreport_evidence", args=[report.pk, "file"]),
        {"file": SimpleUploadedFile("bast.pdf", PDF, content_type="application/pdf"), "title": "BAST"},
    )
    assert response.status_code == 302 and report.evidence.count() == 1
    operator.post(reverse("roadmap:progressreport_step", args=[report.pk]), {"step": "submit"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # Another OPD's operator may not file for it, nor take its steps.
    other = Client(headers={"accept-language": "en"})
    other.force_login(world.operator_a2)
    assert other.get(url).status_code == 403
    assert other.post(reverse("roadmap:progressreport_step", args=[report.pk]), {"step": "accept"}).status_code == 404

    admin = Client(headers={"accept-language": "en"})
    admin.force_login(world.admin_a)
    page = admin.get(report.get_absolute_url())
    assert page.context["can_review"]
    refused = admin.post(reverse("roadmap:progressreport_step", args=[report.pk]), {"step": "return", "note": ""})
    assert refused.status_code == 400 and "note" in refused.context["review_form"].errors
    admin.post(reverse("roadmap:progressreport_step", args=[report.pk]), {"step": "return", "note": "Lampirkan foto."})
    report.refresh_from_db()
    assert (report.status, report.review_note) == (ReportStatus.RETURNED, "Lampirkan foto.")
    page = operator.get(report.get_absolute_url())
    assert "Lampirkan foto." in page.content.decode()


def test_the_koordinator_reads_reports_but_may_not_review_on_the_page(world, small):
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Simpul dibangun.", submit=True)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.koordinator_a)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and not page.context["can_review"]
    response = client.post(reverse("roadmap:progressreport_step", args=[report.pk]), {"step": "accept"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_api_files_and_reviews_with_the_same_rules(world, small):
    api = APIClient(headers={"accept-language": "en"})
    api.force_authenticate(world.operator_a1)
    url = reverse("roadmap-api:progressreport-list")
    assert (
        api.post(url, {"output": small.a2.pk, "year": 2024, "percent": 40, "narrative": "x"}, format="json").status_code
        == 403
    )
    response = api.post(
        url, {"output": small.a1.pk, "year": 2024, "percent": 40, "narrative": "Dibangun."}, format="json"
    )
    assert response.status_code == 201, response.content
    report_id = response.json()["id"]
    content = reverse("roadmap-api:progressreport-content", args=[report_id])
    response = api.put(content, {"percent": 50, "narrative": "Dibangun dan diuji.", "submit": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    transition = reverse("roadmap-api:progressreport-transition", args=[report_id])
    response = api.post(transition, {"transition": "accept"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == NOT_PERMITTED
    admin = APIClient(headers={"accept-language": "en"})
    admin.force_authenticate(world.admin_a)
    response = admin.post(transition, {"transition": "return", "note": ""}, format="json")
    assert response.status_code == 400 and response.json()["code"] == NOTE_REQUIRED
    response = admin.post(transition, {"transition": "accept"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = api.put(content, {"percent": 90, "narrative": "Diubah.", "submit": False}, format="json")
    assert response.status_code == 409
    events = api.get(reverse("roadmap-api:progressreport-events", args=[report_id])).json()
    assert [event["transition"] for event in events] == ["accept", "submit"]


def test_an_operator_of_another_opd_sees_accepted_reports_only(world, small):
    draft = services.file_report(world.operator_a1, small.a1, 2024, 40, "Draf A1.")
    accepted = services.file_report(world.operator_a1, small.a1, 2023, 20, "Diterima A1.", submit=True)
    services.review_report(world.admin_a, accepted, accept=True)
    api = APIClient(headers={"accept-language": "en"})
    api.force_authenticate(world.operator_a2)
    rows = api.get(reverse("roadmap-api:progressreport-list")).json()["results"]
    assert [row["id"] for row in rows] == [accepted.pk]
    assert api.get(reverse("roadmap-api:progressreport-detail", args=[draft.pk])).status_code == 404


def test_reminders_go_to_the_opds_reporters_else_to_the_instansi(world, small):
    assert set(services.reporters_of(small.a1)) == {world.operator_a1}
    lone = user_with_role("operator_opd", world.inst_a, world.a2, username="operator-a2-kedua")
    assert set(services.reporters_of(small.a2)) == {world.operator_a2, lone}
    small.a2.responsible_opd = None
    assert world.admin_a in set(services.reporters_of(small.a2))


def test_the_page_links_a_simpul_record_as_evidence_of_a_draft(world, small):
    from simpul.architecture.tests.factories import InfrastructureFactory

    node = InfrastructureFactory(owner=world.a1, name="Simpul Jaringan A1", kind="simpul_jaringan")
    operator = Client(headers={"accept-language": "en"})
    operator.force_login(world.operator_a1)
    url = reverse("roadmap:output_report", args=[small.a1.pk, 2024])
    operator.post(url, {"percent": 40, "narrative": "Simpul dibangun.", "action": "draft"})
    report = ProgressReport.objects.get(output=small.a1, year=2024)
    found = operator.get(report.get_absolute_url(), {"type": "architecture.infrastructure", "q": "Simpul"})
    assert [record.pk for _key, record, _detail in found.context["results"]] == [node.pk]
    response = operator.post(
        reverse("roadmap:progressreport_evidence", args=[report.pk, "record"]),
        {"type": "architecture.infrastructure", "record": node.pk},
    )
    assert response.status_code == 302
    assert list(report.evidence.values_list("kind", "record_id")) == [("record", node.pk)]
