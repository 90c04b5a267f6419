"""Upload checks (extension AND content, size, emptiness, checksum) and the download response headers."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from simpul.core import files

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("laporan.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("sk.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("data.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notula.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("data.csv", b"nama;jumlah\nDinas Kominfo;3\n", "text/csv"),
        ("catatan.txt", "Perangkat Daerah — bukti dukung\n".encode(), "text/plain"),
    ],
)
def test_accepted_types_are_recognised_by_content(name, data, content_type):
    checked = files.check_upload(upload(name, data))
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.name == name


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("setup.exe", EXE, "file_type"),
        ("tanpa-ekstensi", PDF, "file_type"),
        ("halaman.html", b"<html><script>alert(1)</script></html>", "file_type"),
        ("laporan.pdf", EXE, "file_content"),  # a renamed executable
        ("foto.png", JPEG, "file_content"),
        ("sk.docx", XLSX, "file_content"),  # a zip of another kind
        ("sk.docx", zip_bytes({"a.txt": b"x"}), "file_content"),
        ("notula.odt", zip_bytes({"mimetype": b"application/x-other"}), "file_content"),
        ("data.xlsx", b"PK\x03\x04 broken zip", "file_content"),
        ("catatan.txt", EXE, "file_content"),
        ("data.csv", b"\xff\xfe\x00n\x00a", "file_content"),
        ("kosong.pdf", b"", "file_empty"),
    ],
)
def test_refused_uploads_say_why(name, data, code):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(name, data))
    assert error.value.code == code
    assert error.value.messages[0]


def test_size_is_counted_while_reading_not_taken_from_the_client(settings):
    settings.SIMPUL_UPLOAD_MAX_BYTES = 100
    big = upload("besar.pdf", PDF + b"0" * 200)
    big.size = 10  # a client may claim anything
    with pytest.raises(ValidationError) as error:
        files.check_upload(big)
    assert error.value.code == "file_size"
    assert files.check_upload(upload("kecil.pdf", PDF)).size == len(PDF)


def test_allowed_types_follow_the_setting(settings):
    settings.SIMPUL_UPLOAD_TYPES = ["pdf"]
    assert files.check_upload(upload("a.pdf", PDF)).content_type == "application/pdf"
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload("a.png", PNG))
    assert error.value.code == "file_type"
    settings.SIMPUL_UPLOAD_TYPES = ["pdf", "exe"]
    with pytest.raises(ValueError, match="exe"):
        files.allowed_types()


def test_file_is_rewound_after_the_check():
    file = upload("laporan.pdf", PDF)
    files.check_upload(file)
    assert file.read() == PDF


def test_safe_name_drops_paths_and_control_characters():
    assert files.safe_name("../../etc/passwd") == "passwd"
    assert files.safe_name("C:\\Users\\x\\laporan akhir.pdf") == "laporan akhir.pdf"
    assert files.safe_name('a"b\r\nc.pdf') == "a_b_c.pdf"
    assert files.safe_name("...") == "berkas"


def test_served_file_is_an_attachment_with_safe_headers():
    response = files.serve_file(
        io.BytesIO(PDF), filename="Laporan Pusat Data 2024 – final.pdf", content_type="application/pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Laporan%20Pusat%20Data%202024%20%E2%80%93%20final.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_active_content_is_never_served_with_its_own_type():
    response = files.serve_file(
        io.BytesIO(b"<html></html>"), filename="x.html", content_type="text/html; charset=utf-8"
    )
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
