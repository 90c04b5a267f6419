"""Evidence of an assessment: uploads checked and checksummed, served only to those allowed, links to
live Simpul records the user may view, web addresses, removal, and no change once the period is closed."""

import hashlib
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from simpul.architecture.tests.factories import ApplicationFactory, ServiceFactory
from simpul.core.models import AuditEntry
from simpul.evaluation import evidence, services
from simpul.evaluation.models import EvaluationPeriod, Evidence, Framework, IndicatorAssessment, PeriodStatus
from simpul.organizations.tests.factories import user_with_role

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    world.period = services.create_period(
        world.admin_a,
        EvaluationPeriod(instansi=world.inst_a, year=2024, framework=framework),
        default_pic=world.a1,
    )
    IndicatorAssessment.objects.filter(period=world.period, item_key="17").update(pic=world.a2)
    world.item = world.period.assessments.get(item_key="16")
    world.other_item = world.period.assessments.get(item_key="17")
    world.media = Path(settings.MEDIA_ROOT)
    return world


def audit_entries(item):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Evidence), object_id=str(item.pk)
    ).order_by("pk")


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def add_url(item, kind):
    return reverse("evaluation:evidence_add", args=[item.pk, kind])


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def upload_pdf(scene, user=None, name="Laporan Pusat Data.pdf", data=PDF):
    response = client_for(user or scene.operator_a1).post(
        add_url(scene.item, "file"), {"file": SimpleUploadedFile(name, data), "title": ""}
    )
    return response


def test_pic_uploads_a_file_which_is_checksummed_and_stored_under_its_checksum(scene):
    response = upload_pdf(scene)
    assert response.status_code == 302
    item = Evidence.objects.get()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (item.kind, item.sha256, item.size) == ("file", digest, len(PDF))
    assert (item.content_type, item.original_name, item.title) == (
        "application/pdf",
        "Laporan Pusat Data.pdf",
        "Laporan Pusat Data.pdf",
    )
    assert item.file.name == f"evaluation/evidence/{digest[:2]}/{digest}.pdf"
    assert (scene.media / item.file.name).read_bytes() == PDF
    assert item.added_by == scene.operator_a1
    entry = audit_entries(item).get()
    assert entry.action == "create"
    assert entry.actor == scene.operator_a1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", EXE, "The content of this file is not PDF"),
        ("setup.exe", EXE, "Files of type .exe are not accepted"),
        ("kosong.pdf", b"", "The submitted file is empty"),
        ("besar.pdf", PDF + b"0" * 2000, "The file is too large"),
    ],
)
def test_bad_files_are_refused_with_a_reason_and_nothing_is_stored(scene, settings, name, data, message):
    settings.SIMPUL_UPLOAD_MAX_BYTES = 1000
    response = upload_pdf(scene, name=name, data=data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(scene.media) == []


def test_refusals_use_the_shared_check_for_content_emptiness_and_size(scene, settings):
    # Django refuses a zero-byte upload itself; the shared check also does for other channels.
    settings.SIMPUL_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="empty"):
        evidence.add_file(scene.operator_a1, scene.item, SimpleUploadedFile("kosong.pdf", b""))
    assert not Evidence.objects.exists()


def test_the_same_file_twice_is_stored_once_and_removed_with_its_last_evidence(
    scene, django_capture_on_commit_callbacks
):
    upload_pdf(scene)
    client_for(scene.evaluator_a).post(
        add_url(scene.other_item, "file"), {"file": SimpleUploadedFile("salinan.pdf", PDF)}
    )
    first, second = Evidence.objects.order_by("pk")
    assert first.file.name == second.file.name
    assert (first.original_name, second.original_name) == ("Laporan Pusat Data.pdf", "salinan.pdf")
    assert len(stored_files(scene.media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        evidence.remove(scene.operator_a1, first)
    assert len(stored_files(scene.media)) == 1  # still the evidence of indicator 17
    with django_capture_on_commit_callbacks(execute=True):
        # Added by the evaluator, removed by the indicator's PIC: only the PIC side removes evidence.
        evidence.remove(scene.operator_a2, second)
    assert stored_files(scene.media) == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator_a1", 200),  # PIC of the indicator
        ("operator_a2", 404),  # PIC of other indicators
        ("evaluator_a", 200),  # reviewer of the instansi
        ("auditor_a", 200),
        ("asn_a1", 404),
        ("admin_b", 404),  # another instansi
    ],
)
def test_download_permission_matrix(scene, who, status):
    upload_pdf(scene)
    item = Evidence.objects.get()
    response = client_for(getattr(scene, who)).get(reverse("evaluation:evidence_download", args=[item.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Disposition"] == 'attachment; filename="Laporan Pusat Data.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"


def test_download_needs_sign_in_and_media_is_not_served_by_url(scene, settings):
    upload_pdf(scene)
    item = Evidence.objects.get()
    anonymous = Client()
    response = anonymous.get(reverse("evaluation:evidence_download", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(scene.admin_a).get(settings.MEDIA_URL + item.file.name).status_code == 404


def test_evidence_list_shows_kind_title_size_checksum_author_and_the_required_evidence(scene):
    upload_pdf(scene)
    item = Evidence.objects.get()
    response = client_for(scene.evaluator_a).get(reverse("evaluation:evidence", args=[scene.item.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-kind="file"' in page
    assert "Laporan Pusat Data.pdf" in page
    assert item.sha256[:12] in page
    assert "bytes" in page  # filesizeformat
    assert str(scene.operator_a1.full_name) in page
    # Level texts of 59/2020 indicator 16 (what the framework asks as evidence).
    assert "SOP penggunaan pusat data" in page
    assert 'data-testid="evidence-add"' in page


def add_section(html: str) -> tuple[str, str]:
    """The "Add evidence" toggle button and the class of the collapsible block of add forms."""
    button = re.search(r'<button[^>]*data-testid="evidence-add-toggle"[^>]*>[^<]*</button>', html).group(0)
    block = re.search(r'<div class="([^"]*)" id="ev-add-\d+" data-testid="evidence-add-forms">', html).group(1)
    return button, block


def test_add_forms_are_collapsed_behind_a_button_until_the_user_adds(scene):
    client = client_for(scene.operator_a1)
    htmx = {"hx-request": "true"}
    # In the assessment page (htmx): the list first, the forms behind "Add evidence".
    panel = client.get(reverse("evaluation:evidence", args=[scene.item.pk]), headers=htmx).content.decode()
    button, block = add_section(panel)
    assert ">Add evidence</button>" in button and 'aria-expanded="false"' in button
    assert f'data-bs-target="#ev-add-{scene.item.pk}"' in button
    assert block.split() == ["collapse"]
    assert 'data-testid="evidence-file-form"' in panel  # still there, only folded
    # A refused input opens the forms on the tab that was used, with the reason.
    refused = client.post(add_url(scene.item, "url"), {"url": "javascript:alert(1)"}, headers=htmx).content.decode()
    button, block = add_section(refused)
    assert block.split() == ["collapse", "show"] and 'aria-expanded="true"' in button
    url_tab = re.search(r'<div class="([^"]*)" id="ev-url-\d+"', refused).group(1)
    assert "active" in url_tab.split() and "invalid-feedback" in refused
    # After an add they stay open for the next one.
    done = client.post(add_url(scene.item, "url"), {"url": "https://akab.go.id/sop"}, headers=htmx).content.decode()
    assert add_section(done)[1].split() == ["collapse", "show"]
    assert 'data-testid="evidence-item"' in done
    # The evidence page on its own (what a browser without JavaScript opens) shows them open.
    page = client.get(reverse("evaluation:evidence", args=[scene.item.pk])).content.decode()
    assert add_section(page)[1].split() == ["collapse", "show"]


def test_a_user_who_may_not_add_sees_no_form_and_is_refused(scene):
    koordinator = client_for(scene.koordinator_a)
    page = koordinator.get(reverse("evaluation:evidence", args=[scene.item.pk])).content.decode()
    assert 'data-testid="evidence-add"' not in page
    response = koordinator.post(add_url(scene.item, "url"), {"url": "https://akab.go.id/sop"})
    assert response.status_code == 403
    assert client_for(scene.operator_a2).get(reverse("evaluation:evidence", args=[scene.item.pk])).status_code == 404
    assert client_for(scene.asn_a1).get(reverse("evaluation:evidence", args=[scene.item.pk])).status_code == 404
    assert not Evidence.objects.exists()


def test_data_collector_adds_evidence_for_any_indicator_of_the_instansi(scene):
    collector = user_with_role("evaluator_pengumpul", scene.inst_a, username="pengumpul-a")
    response = client_for(collector).post(add_url(scene.other_item, "url"), {"url": "https://akab.go.id/jaringan"})
    assert response.status_code == 302
    assert Evidence.objects.get().assessment == scene.other_item


def test_web_address_evidence(scene):
    client = client_for(scene.operator_a1)
    assert client.post(add_url(scene.item, "url"), {"url": "javascript:alert(1)"}).status_code == 400
    response = client.post(add_url(scene.item, "url"), {"url": "https://akab.go.id/sop-pusat-data", "title": "SOP"})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.kind, item.url, item.title) == ("url", "https://akab.go.id/sop-pusat-data", "SOP")


@pytest.fixture
def records(scene):
    scene.own_app = ApplicationFactory(owner=scene.a1, name="SIMPEG", published=False)
    scene.shared_app = ApplicationFactory(owner=scene.a2, name="SIMDA Keuangan", published=True)
    scene.hidden_app = ApplicationFactory(owner=scene.a2, name="Aplikasi Draf A2", published=False)
    scene.service = ServiceFactory(owner=scene.a2, name="Layanan Pengaduan", published=True)
    scene.foreign_app = ApplicationFactory(owner=scene.b1, name="SIMPEG B", published=True)
    return scene


def search(client, item, **params):
    response = client.get(
        reverse("evaluation:evidence_records", args=[item.pk]), params, headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    return response


def test_record_picker_lists_only_records_the_user_may_view(records):
    client = client_for(records.operator_a1)
    names = {
        str(obj) for _key, obj, _detail in search(client, records.item, type="architecture.element").context["results"]
    }
    assert names == {"SIMPEG", "SIMDA Keuangan", "Layanan Pengaduan"}
    apps = search(client, records.item, type="architecture.application", q="sim").context["results"]
    assert {str(obj) for _key, obj, _detail in apps} == {"SIMPEG", "SIMDA Keuangan"}
    admin_names = {
        str(obj) for _k, obj, _d in search(client_for(records.admin_a), records.item, q="a").context["results"]
    }
    assert "Aplikasi Draf A2" in admin_names and "SIMPEG B" not in admin_names


def test_linking_a_record_shows_its_current_label_and_link(records):
    client = client_for(records.operator_a1)
    key = evidence.record_key(records.shared_app)
    response = client.post(add_url(records.item, "record"), {"record": key}, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert 'data-testid="evidence-panel"' in response.content.decode()
    assert response["HX-Trigger"] == "evidence-updated"
    item = Evidence.objects.get()
    assert (item.kind, item.record_id, item.record_label) == ("record", records.shared_app.pk, "SIMDA Keuangan")
    records.shared_app.name = "SIMDA Keuangan v2"
    records.shared_app.save()
    page = client.get(reverse("evaluation:evidence", args=[records.item.pk])).content.decode()
    assert "SIMDA Keuangan v2" in page
    assert records.shared_app.get_absolute_url() in page
    # Linked once only: the picker no longer offers it, a second link adds nothing.
    client.post(add_url(records.item, "record"), {"record": key})
    assert Evidence.objects.count() == 1
    offered = {obj.pk for _k, obj, _d in search(client, records.item).context["results"]}
    assert records.shared_app.pk not in offered


@pytest.mark.parametrize("target", ["hidden_app", "foreign_app"])
def test_records_the_user_may_not_view_cannot_be_linked(records, target):
    key = evidence.record_key(getattr(records, target))
    response = client_for(records.operator_a1).post(add_url(records.item, "record"), {"record": key})
    assert response.status_code == 400
    assert "does not exist or you may not see it" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_linked_record_hidden_from_a_viewer_shows_no_label_or_link(records):
    evidence.add_records(records.admin_a, records.item, [records.hidden_app])
    page = client_for(records.operator_a1).get(reverse("evaluation:evidence", args=[records.item.pk])).content.decode()
    assert "record not visible to you" in page
    assert records.hidden_app.get_absolute_url() not in page


def test_removal_needs_delete_permission_and_is_audited(scene):
    client_for(scene.operator_a1).post(add_url(scene.item, "url"), {"url": "https://akab.go.id/a"})
    item = Evidence.objects.get()
    delete = reverse("evaluation:evidence_delete", args=[item.pk])
    assert client_for(scene.operator_a2).post(delete).status_code == 404
    assert client_for(scene.koordinator_a).post(delete).status_code == 403
    assert Evidence.objects.exists()
    assert client_for(scene.operator_a1).post(delete).status_code == 302
    assert not Evidence.objects.exists()
    assert audit_entries(item).filter(action="delete").exists()


def test_closed_period_refuses_every_evidence_change(records):
    client = client_for(records.operator_a1)
    client.post(add_url(records.item, "url"), {"url": "https://akab.go.id/a"})
    item = Evidence.objects.get()
    services.set_period_status(records.admin_a, records.period, PeriodStatus.CLOSED)
    closed = "This evaluation period is closed"
    for response in (
        client.post(add_url(records.item, "url"), {"url": "https://akab.go.id/b"}),
        client.post(add_url(records.item, "file"), {"file": SimpleUploadedFile("a.pdf", PDF)}),
        client.post(add_url(records.item, "record"), {"record": evidence.record_key(records.own_app)}),
    ):
        assert response.status_code == 409
        assert closed in response.content.decode()
    response = client.post(reverse("evaluation:evidence_delete", args=[item.pk]))
    assert response.status_code == 409
    assert closed in response.content.decode()
    assert list(Evidence.objects.all()) == [item]
    assert stored_files(records.media) == []
    page = client.get(reverse("evaluation:evidence", args=[records.item.pk])).content.decode()
    assert 'data-testid="evidence-add"' not in page and 'data-testid="evidence-remove"' not in page


def test_the_panel_placeholder_renders_inside_the_assessment_page(scene):
    request = RequestFactory().get("/")
    request.user = scene.operator_a1
    html = render_to_string("evaluation/_evidence.html", {"assessment": scene.item}, request=request)
    assert reverse("evaluation:evidence", args=[scene.item.pk]) in html
    assert f'id="evidence-{scene.item.pk}"' in html
