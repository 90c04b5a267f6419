"""The stored form of an upload (`StoredFile`), as the three models that keep uploads use it."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from simpul.architecture.models import ProposalAttachment
from simpul.core import files
from simpul.evaluation.models import Evidence
from simpul.roadmap.models import ProgressEvidence

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DIGEST = hashlib.sha256(PDF).hexdigest()

# Where each model's files are: stored names of existing files must never change.
FOLDERS = [
    (Evidence, "evaluation/evidence"),
    (ProposalAttachment, "architecture/proposals"),
    (ProgressEvidence, "roadmap/evidence"),
]


def checked_pdf(name: str = "Laporan Akhir.PDF") -> tuple[SimpleUploadedFile, files.CheckedFile]:
    upload = SimpleUploadedFile(name, PDF)
    return upload, files.check_upload(upload)


@pytest.mark.parametrize(("model", "folder"), FOLDERS)
def test_store_describes_the_upload_and_its_path_is_the_checksum_in_the_folder(model, folder):
    _upload, checked = checked_pdf()
    user = get_user_model()(username="operator")
    item = model()

    item.store(checked, user)

    assert (item.original_name, item.content_type, item.size, item.sha256) == (
        "Laporan Akhir.PDF",
        "application/pdf",
        len(PDF),
        DIGEST,
    )
    assert item.added_by is user
    # The suffix is lower-cased; the user's name is kept only in `original_name`.
    assert item.file.field.generate_filename(item, checked.name) == f"{folder}/{DIGEST[:2]}/{DIGEST}.pdf"


@pytest.mark.parametrize(("model", "folder"), FOLDERS)
def test_save_file_writes_the_bytes_once(model, folder, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload, checked = checked_pdf()
    first = model()
    first.store(checked, None)

    written = first.save_file(upload)

    assert written == first.file.name == f"{folder}/{DIGEST[:2]}/{DIGEST}.pdf"
    assert (tmp_path / written).read_bytes() == PDF

    again, checked = checked_pdf("copy.pdf")
    second = model()
    second.store(checked, None)
    # The same bytes are already stored: reused, nothing written (so nothing for the caller to clean up).
    assert second.save_file(again) is None
    assert second.file.name == written
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == 1


def test_a_record_that_is_always_a_file_needs_one():
    with pytest.raises(ValidationError) as error:
        ProposalAttachment().clean()
    assert "file" in error.value.message_dict

    _upload, checked = checked_pdf()
    attachment = ProposalAttachment()
    attachment.store(checked, None)
    attachment.clean()  # described: nothing missing

    Evidence(kind=Evidence.Kind.URL, url="https://example.org").clean()  # optional where a record may be a link
