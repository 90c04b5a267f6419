"""Files on a proposal (e.g. the BAST the reviewer asks for): checked by type and size with the shared
upload rules, stored under their checksum, served only to those who may view the proposal, and taken
only while the proposal is open."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from simpul.architecture import services
from simpul.architecture.models import ProposalAttachment
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.workflow import TransitionError

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world.media = Path(settings.MEDIA_ROOT)
    world.app = ApplicationFactory(owner=world.a1, name="SIMPEG", published=True, kind="umum")
    world.proposal = services.propose_change(world.operator_a1, world.app, {"name": "SIMPEG Baru"})
    return world


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def attach(scene, user=None, name="BAST Serah Terima.pdf", data=PDF, title=""):
    url = reverse("architecture:proposal_attach", args=[scene.proposal.pk])
    return client_for(user or scene.operator_a1).post(url, {"file": SimpleUploadedFile(name, data), "title": title})


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_the_proposer_attaches_a_bast_stored_under_its_checksum_and_shown_in_the_history(scene):
    response = attach(scene, title="BAST aplikasi")
    assert response.status_code == 302
    item = ProposalAttachment.objects.get()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (item.title, item.original_name, item.content_type, item.size, item.sha256) == (
        "BAST aplikasi",
        "BAST Serah Terima.pdf",
        "application/pdf",
        len(PDF),
        digest,
    )
    assert item.file.name == f"architecture/proposals/{digest[:2]}/{digest}.pdf"
    assert (scene.media / item.file.name).read_bytes() == PDF
    page = client_for(scene.admin_a).get(scene.proposal.get_absolute_url())
    assert "BAST aplikasi" in page.content.decode()
    created = [e for e in page.context["history"] if getattr(e, "object_repr", "") == "BAST aplikasi"]
    assert [(e.action, e.actor) for e in created] == [("create", scene.operator_a1)]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bast.pdf", EXE, "The content of this file is not PDF"),
        ("bast.exe", EXE, "Files of type .exe are not accepted"),
        ("bast.pdf", PDF + b"0" * 2000, "The file is too large"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused_with_a_reason_and_nothing_is_stored(
    scene, settings, name, data, message
):
    settings.SIMPUL_UPLOAD_MAX_BYTES = 1000
    response = attach(scene, name=name, data=data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProposalAttachment.objects.exists()
    assert stored_files(scene.media) == []
    # The service refuses the same way for every channel.
    with pytest.raises(ValidationError, match=message):
        services.add_attachment(scene.operator_a1, scene.proposal, SimpleUploadedFile(name, data))
    assert stored_files(scene.media) == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("operator_a1", 200),
        ("admin_a", 200),
        ("koordinator_a", 200),
        ("operator_a2", 404),
        ("admin_b", 404),
        ("asn_a1", 404),
    ],
)
def test_the_file_is_served_only_to_those_who_may_view_the_proposal(scene, role, status):
    attach(scene)
    item = ProposalAttachment.objects.get()
    response = client_for(getattr(scene, role)).get(reverse("architecture:proposalattachment_download", args=[item.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_file_is_not_public(scene, client):
    attach(scene)
    item = ProposalAttachment.objects.get()
    response = client.get(reverse("architecture:proposalattachment_download", args=[item.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["operator_a2", "koordinator_a", "admin_b"])
def test_who_may_not_propose_here_may_not_attach(scene, role):
    response = attach(scene, user=getattr(scene, role))
    assert response.status_code in (403, 404)
    assert not ProposalAttachment.objects.exists()
    assert stored_files(scene.media) == []


def test_files_are_taken_and_removed_only_while_the_proposal_is_open(scene, django_capture_on_commit_callbacks):
    attach(scene)
    item = ProposalAttachment.objects.get()
    services.approve_proposal(scene.admin_a, scene.proposal)
    page = client_for(scene.operator_a1).get(scene.proposal.get_absolute_url()).content.decode()
    assert 'data-testid="attachment-form"' not in page
    with pytest.raises(TransitionError) as refused:
        services.add_attachment(scene.operator_a1, scene.proposal, SimpleUploadedFile("lagi.pdf", PDF))
    assert refused.value.code == "invalid_state"
    with pytest.raises(TransitionError):
        services.remove_attachment(scene.operator_a1, item)
    assert ProposalAttachment.objects.count() == 1


def test_removing_a_file_deletes_the_stored_bytes_once_unused(scene, django_capture_on_commit_callbacks):
    attach(scene)
    attach(scene, name="salinan.pdf")
    first, second = ProposalAttachment.objects.order_by("pk")
    assert first.file.name == second.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(scene.operator_a1).post(
            reverse("architecture:proposalattachment_remove", args=[first.pk])
        )
    assert response.status_code == 302
    assert len(stored_files(scene.media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(scene.admin_a, second)
    assert stored_files(scene.media) == []
    # The removal stays in the proposal's history.
    page = client_for(scene.operator_a1).get(scene.proposal.get_absolute_url())
    assert [e.action for e in page.context["history"] if getattr(e, "object_repr", "") == "salinan.pdf"] == [
        "delete",
        "create",
    ]


def test_deleting_the_element_deletes_its_proposals_files(scene, django_capture_on_commit_callbacks):
    attach(scene)
    assert len(stored_files(scene.media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(scene.admin_a).post(reverse("architecture:application_delete", args=[scene.app.pk]))
    assert response.status_code == 302
    assert not ProposalAttachment.objects.exists()
    assert stored_files(scene.media) == []
