"""Bulk import through the model's own form: all or nothing, with errors naming the row and the column."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from simpul.core.models import AuditEntry, ImportJob
from simpul.organizations.models import PerangkatDaerah, User

URL = "organizations:perangkatdaerah_import"


@pytest.fixture
def client(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    return client


def csv_file(rows, name="opd.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), "text/csv")


def xlsx_file(rows, name="opd.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


def post(client, upload, mode="import", url=URL):
    return client.post(reverse(url), {"file": upload, "mode": mode})


def errors(response) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in response.context["result"].errors]


HEADER = ["instansi", "name", "short_name", "kind"]
GOOD = [HEADER, ["inst-a", "Dinas Baru Satu", "BARU1", "dinas"], ["inst-a", "Dinas Baru Dua", "BARU2", "badan"]]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_one_bad_row_imports_nothing(client, make_file):
    rows = [*GOOD, ["inst-a", "Dinas Baru Tiga", "BARU3", "bukan-jenis"]]
    response = post(client, make_file(rows))
    assert response.status_code == 400
    assert errors(response) == [(4, "Kind")]
    content = response.content.decode()
    assert "<td>4</td><td>Kind</td>" in content
    assert 'data-testid="import-errors"' in content
    assert not PerangkatDaerah.objects.filter(short_name__startswith="BARU").exists()


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_good_file_imports_every_row_with_audit_entries(client, world, make_file):
    before = AuditEntry.objects.count()
    response = post(client, make_file(GOOD))
    assert response.status_code == 302
    imported = PerangkatDaerah.objects.filter(short_name__in=["BARU1", "BARU2"])
    assert {(o.short_name, o.instansi, o.kind) for o in imported} == {
        ("BARU1", world.inst_a, "dinas"),
        ("BARU2", world.inst_a, "badan"),
    }
    new = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.object_repr, e.actor_id) for e in new] == [
        ("create", "BARU1", world.admin_a.pk),
        ("create", "BARU2", world.admin_a.pk),
    ]


def test_dry_run_saves_nothing(client):
    before = AuditEntry.objects.count()
    response = post(client, csv_file(GOOD), mode="preview")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok and result.saved == 2
    assert [item["row"] for item in result.preview] == [2, 3]
    assert 'data-testid="import-ok"' in response.content.decode()
    assert not PerangkatDaerah.objects.filter(short_name__startswith="BARU").exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("template_format", ["csv", "xlsx"])
def test_template_headers(client, template_format):
    response = client.get(reverse(URL), {"template": template_format})
    assert response.status_code == 200
    assert f"template-perangkatdaerah.{template_format}" in response["Content-Disposition"]
    expected = ["Instansi", "Name", "Short name", "Kind", "Parent OPD", "Head", "E-mail", "Website", "Active"]
    if template_format == "csv":
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        workbook = load_workbook(io.BytesIO(response.content))
        header = [cell.value for cell in workbook["Data"][1]]
        guide = [row[0] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
        assert guide == expected
    assert header == expected


def test_template_file_round_trips(client, world):
    response = client.get(reverse(URL), {"template": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    workbook["Data"].append(["inst-a", "Dinas Dari Template", "TPL", "Dinas", None, None, None, None, "Ya"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post(client, SimpleUploadedFile("isi.xlsx", buffer.getvalue()))
    assert response.status_code == 302, response.context["result"].errors
    assert PerangkatDaerah.objects.get(short_name="TPL").is_active


def test_wrong_file_type_is_refused(client):
    response = post(client, SimpleUploadedFile("opd.pdf", b"%PDF-1.4", "application/pdf"))
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"] == ["Only .csv and .xlsx files can be imported."]
    response = post(client, SimpleUploadedFile("opd.xlsx", b"instansi,name\n", "text/csv"))
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"] == ["This file is not a valid Excel (.xlsx) file."]


def test_oversized_file_is_refused(client, settings):
    settings.SIMPUL_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    big = csv_file([HEADER] + [["inst-a", f"Dinas {i}", f"D{i}", "dinas"] for i in range(80_000)])
    assert big.size > settings.SIMPUL_UPLOAD_MAX_BYTES
    response = post(client, big)
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"] == ["The file is too large (maximum 2 MB)."]
    assert not PerangkatDaerah.objects.filter(short_name="D1").exists()


def test_errors_are_translatable(world):
    client = Client(headers={"accept-language": "id"})
    client.force_login(world.admin_a)
    response = post(client, SimpleUploadedFile("opd.pdf", b"%PDF", "application/pdf"))
    with translation.override("id"):
        expected = translation.gettext("Only .csv and .xlsx files can be imported.")
    assert expected != "Only .csv and .xlsx files can be imported."
    assert response.context["upload_form"].errors["file"] == [expected]


def test_headers_by_label_and_choice_values_by_label(client, world):
    rows = [
        ["Instansi", "Name", "Short name", "Kind", "Parent OPD", "Active"],
        ["inst-a", "Bagian Umum", "UMUM", "Section of the secretariat", "A1", "Tidak"],
    ]
    response = post(client, csv_file(rows))
    assert response.status_code == 302
    opd = PerangkatDaerah.objects.get(short_name="UMUM")
    assert (opd.kind, opd.parent, opd.instansi, opd.is_active) == ("bagian", world.a1, world.inst_a, False)


def test_foreign_keys_by_natural_key_within_scope(client, world):
    # instansi by slug and parent by short name; instansi B and its OPD are not choosable for A's admin.
    rows = [
        ["instansi", "name", "short_name", "kind", "parent"],
        ["inst-b", "Dinas Lain", "LAIN", "dinas", ""],
        ["inst-a", "Dinas Anak", "ANAK", "dinas", "B1"],
        ["tidak-ada", "Dinas Hilang", "HILANG", "dinas", ""],
    ]
    response = post(client, csv_file(rows))
    assert response.status_code == 400
    assert errors(response) == [(2, "Instansi"), (3, "Parent OPD"), (4, "Instansi")]
    assert not PerangkatDaerah.objects.filter(short_name__in=["LAIN", "ANAK", "HILANG"]).exists()


def test_duplicate_rows_in_one_file_are_reported(client):
    rows = [HEADER, ["inst-a", "Dinas Kembar", "KEMBAR", "dinas"], ["inst-a", "Dinas Kembar", "KEMBAR", "dinas"]]
    response = post(client, csv_file(rows))
    assert response.status_code == 400
    assert [row for row, _column in errors(response)] and {row for row, _column in errors(response)} == {3}
    assert not PerangkatDaerah.objects.filter(short_name="KEMBAR").exists()


def test_missing_required_column_is_reported(client):
    response = post(client, csv_file([["instansi", "name"], ["inst-a", "Dinas Tanpa Singkatan"]]))
    assert response.status_code == 400
    assert set(errors(response)) == {(1, "Short name"), (1, "Kind")}


def test_semicolon_csv_from_spreadsheet_is_read(client):
    content = "\ufeffinstansi;name;short_name;kind\ninst-a;Dinas Titik Koma;TK;dinas\n".encode()
    response = post(client, SimpleUploadedFile("opd.csv", content, "text/csv"))
    assert response.status_code == 302
    assert PerangkatDaerah.objects.filter(short_name="TK").exists()


def test_user_import_hashes_password_and_checks_scope(client, world):
    rows = [
        ["username", "full_name", "instansi", "opd", "password1", "is_active"],
        ["impor1", "Pengguna Impor", "inst-a", "A2", "Sandi-Impor-Panjang-1", "ya"],
    ]
    response = post(client, csv_file(rows), url="organizations:user_import")
    assert response.status_code == 302
    user = User.objects.get(username="impor1")
    assert user.opd == world.a2 and user.check_password("Sandi-Impor-Panjang-1")


def test_import_needs_add_permission(world):
    client = Client()
    client.force_login(world.koordinator_a)
    response = post(client, csv_file(GOOD))
    assert response.status_code == 403
    assert not PerangkatDaerah.objects.filter(short_name__startswith="BARU").exists()


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_skipping_bad_rows_is_an_explicit_choice_that_saves_the_rest(client, make_file):
    rows = [*GOOD, ["inst-a", "Dinas Baru Tiga", "BARU3", "bukan-jenis"], ["inst-a", "", "BARU4", "dinas"]]
    response = post(client, make_file(rows), mode="partial")
    assert response.status_code == 200
    assert response.context["result"].skipped_rows == [4, 5]
    assert errors(response) == [(4, "Kind"), (5, "Name")]
    assert 'data-testid="import-skipped"' in response.content.decode()
    saved = set(PerangkatDaerah.objects.filter(short_name__startswith="BARU").values_list("short_name", flat=True))
    assert saved == {"BARU1", "BARU2"}


def test_skipping_does_not_save_when_a_required_column_is_missing(client):
    response = post(client, csv_file([["instansi", "name", "kind"], ["inst-a", "Dinas Baru", "dinas"]]), mode="partial")
    assert response.status_code == 400
    assert errors(response) == [(1, "Short name")]
    assert not PerangkatDaerah.objects.filter(name="Dinas Baru").exists()


def test_columns_with_a_model_default_may_be_left_out(client):
    """is_active defaults to True: a file without that column imports active OPDs, and the template
    marks the column optional and says what an empty cell means."""
    response = post(client, csv_file(GOOD))
    assert response.status_code == 302
    assert set(
        PerangkatDaerah.objects.filter(short_name__in=["BARU1", "BARU2"]).values_list("is_active", flat=True)
    ) == {True}
    from simpul.core.importexport import import_columns
    from simpul.organizations.views import PerangkatDaerahViews

    with translation.override("en"):
        columns = {column.name: column for column in import_columns(PerangkatDaerahViews)}
    assert not columns["is_active"].required
    assert "Empty: Yes." in columns["is_active"].help
    assert columns["name"].required


def test_each_distinct_lookup_value_is_queried_once_per_import(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [[*HEADER, "parent"], *[["inst-a", f"Bagian {i}", f"BAG{i}", "bagian", "A1"] for i in range(5)]]
    with CaptureQueriesContext(connection) as queries:
        response = post(client, csv_file(rows))
    assert response.status_code == 302
    parent_lookups = [q["sql"] for q in queries if '"short_name" = ' in q["sql"] and "'A1'" in q["sql"]]
    assert len(parent_lookups) == 1, parent_lookups
    assert PerangkatDaerah.objects.filter(parent=world.a1, short_name__startswith="BAG").count() == 5


def _failing_save(monkeypatch, name: str, error: Exception):
    """The save of the record called `name` fails after writing it, as a permission re-check would."""
    from simpul.core import services

    original = services.create_object

    def create_object(user, instance, **kwargs):
        saved = original(user, instance, **kwargs)
        if saved.name == name:
            raise error
        return saved

    monkeypatch.setattr(services, "create_object", create_object)


@pytest.mark.parametrize("error", [IntegrityError("duplicate key"), PermissionDenied("not here")])
def test_a_failed_save_is_reported_with_the_errors_of_every_later_row(client, monkeypatch, error):
    from simpul.core.audit import verify_chain

    _failing_save(monkeypatch, "Dinas Baru Dua", error)
    before = AuditEntry.objects.count()
    rows = [
        *GOOD,
        ["inst-a", "Dinas Baru Tiga", "BARU3", "bukan-jenis"],
        ["inst-a", "Dinas Baru Empat", "BARU4", "dinas"],
    ]
    response = post(client, csv_file(rows))
    assert response.status_code == 400
    assert errors(response) == [(3, "—"), (4, "Kind")]
    assert not PerangkatDaerah.objects.filter(short_name__startswith="BARU").exists()
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok


def test_skipping_a_row_whose_save_failed_keeps_one_audit_entry_per_saved_record(client, monkeypatch, world):
    from simpul.core.audit import verify_chain

    _failing_save(monkeypatch, "Dinas Baru Dua", PermissionDenied("not here"))
    before = AuditEntry.objects.count()
    rows = [*GOOD, ["inst-a", "Dinas Baru Tiga", "BARU3", "dinas"]]
    response = post(client, csv_file(rows), mode="partial")
    assert response.status_code == 200
    assert response.context["result"].skipped_rows == [3]
    new = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.object_repr) for e in new] == [("create", "BARU1"), ("create", "BARU3")]
    assert verify_chain().ok


def test_queries_per_row_stay_few_and_no_savepoint_per_row(client, world):
    """Each row costs its INSERT and the form's uniqueness checks: no savepoint, no repeated lookup,
    no foreign-key existence query, no audit chain lock; the audit entries are written in bulk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(count: int, prefix: str) -> list[str]:
        rows = [
            [*HEADER, "parent"],
            *[["inst-a", f"Bagian {prefix}{i}", f"{prefix}{i}", "bagian", "A1"] for i in range(count)],
        ]
        with CaptureQueriesContext(connection) as queries:
            assert post(client, csv_file(rows)).status_code == 302
        return [q["sql"] for q in queries]

    small, large = run(5, "S"), run(25, "L")
    per_row = (len(large) - len(small)) / 20
    savepoints = [sql for sql in large if sql.startswith("SAVEPOINT")]
    assert per_row <= 3, per_row
    assert len(savepoints) <= 3, savepoints
    assert PerangkatDaerah.objects.filter(parent=world.a1, short_name__startswith="L").count() == 25


# --- Limits: a file is refused as soon as it passes one, before the work it would cost -----------

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def handmade_xlsx(rows, *, dimension=None, padding=0, extra_parts=0) -> bytes:
    """A minimal XLSX written directly (openpyxl takes seconds for 200,000 rows): inline strings, an
    optional declared size, `padding` spaces after the data (compressible almost to nothing) and
    `extra_parts` empty parts beside the spreadsheet's own."""

    def cell(column, number, value):
        return f'<c r="{column}{number}" t="inlineStr"><is><t>{value}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{number}">{"".join(cell(chr(65 + i), number, v) for i, v in enumerate(row))}</row>'
        for number, row in enumerate(rows, start=1)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{SHEET_NS}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{SHEET_NS}">{declared}<sheetData>{sheet_rows}</sheetData>{" " * padding}</worksheet>',
        )
        for number in range(extra_parts):
            archive.writestr(f"customXml/item{number}.xml", "")
    return buffer.getvalue()


def many_rows(count: int) -> list[list[str]]:
    return [HEADER, *[["inst-a", f"Dinas Banyak {i}", f"BANYAK{i}", "dinas"] for i in range(count)]]


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows openpyxl and the csv module hand out while a file is read: wraps both readers."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    pulled = {"xlsx": 0, "csv": 0}
    cells_by_row = ReadOnlyWorksheet._cells_by_row
    csv_reader = csv.reader

    def counted_cells_by_row(self, *args, **kwargs):
        for row in cells_by_row(self, *args, **kwargs):
            pulled["xlsx"] += 1
            yield row

    def counted_csv_reader(*args, **kwargs):
        for row in csv_reader(*args, **kwargs):
            pulled["csv"] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted_cells_by_row)
    monkeypatch.setattr(csv, "reader", counted_csv_reader)
    return pulled


def file_errors(response) -> list[str]:
    return response.context["upload_form"].errors["file"]


TOO_MANY_ROWS = (
    "The file holds more than 1,000 rows; the import limit is 1,000 rows. Split the file into several parts."
)


@pytest.mark.parametrize(
    ("dimension", "most_rows_read"),
    [
        (None, 1_002),  # no declared size (as openpyxl's write-only mode writes): counted while read
        ("A1:D2", 1_002),  # a declared size that lies: not trusted, counted while read
        ("A1:D200001", 0),  # an honest declared size: refused before a row is read
    ],
)
def test_xlsx_over_the_row_limit_is_refused_without_reading_it_all(
    client, settings, rows_read, dimension, most_rows_read
):
    """The reported bomb: 533 KB of XLSX holding a million rows took 144 s and 590 MB to refuse. Now
    reading stops at the first row past the limit (header, 1,000 rows, one more), or earlier."""
    settings.SIMPUL_IMPORT_MAX_ROWS = 1_000
    upload = SimpleUploadedFile("banyak.xlsx", handmade_xlsx(many_rows(200_000), dimension=dimension))
    response = post(client, upload)
    assert response.status_code == 400
    assert file_errors(response) == [TOO_MANY_ROWS]
    assert rows_read["xlsx"] <= most_rows_read
    assert not ImportJob.objects.exists()
    assert not PerangkatDaerah.objects.filter(short_name__startswith="BANYAK").exists()


def test_csv_over_the_row_limit_is_refused_without_reading_it_all(client, settings, rows_read):
    settings.SIMPUL_IMPORT_MAX_ROWS = 1_000
    response = post(client, csv_file(many_rows(200_000)))
    assert response.status_code == 400
    assert file_errors(response) == [TOO_MANY_ROWS]
    assert rows_read["csv"] <= 1_002
    assert not ImportJob.objects.exists()


def test_the_row_limit_is_in_the_users_language(world, settings, tmp_path):
    settings.SIMPUL_IMPORT_MAX_ROWS = 1_000
    settings.MEDIA_ROOT = tmp_path
    client = Client(headers={"accept-language": "id"})
    client.force_login(world.admin_a)
    response = post(client, csv_file(many_rows(1_001)))
    assert response.status_code == 400
    message = "The file holds more than %(limit)s rows; the import limit is %(limit)s rows. Split the file into several parts."
    with translation.override("id"):
        expected = translation.gettext(message) % {"limit": "1.000"}
    assert file_errors(response) == [expected]
    # Exactly at the limit is accepted (and, above the background threshold, queued).
    assert post(client, csv_file(many_rows(1_000))).status_code == 302


def test_declared_size_that_is_too_small_does_not_cut_the_file_short(client):
    upload = SimpleUploadedFile("opd.xlsx", handmade_xlsx(GOOD, dimension="A1:B2"))
    response = post(client, upload)
    assert response.status_code == 302
    assert set(PerangkatDaerah.objects.filter(short_name__startswith="BARU").values_list("short_name", flat=True)) == {
        "BARU1",
        "BARU2",
    }


@pytest.fixture
def excel_reads(monkeypatch):
    """How often openpyxl starts reading a workbook: wraps its reader."""
    from openpyxl.reader.excel import ExcelReader

    calls = []
    read = ExcelReader.read

    def counted_read(self):
        calls.append(self)
        return read(self)

    monkeypatch.setattr(ExcelReader, "read", counted_read)
    return calls


def test_xlsx_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_opened(client, settings, excel_reads):
    settings.SIMPUL_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("bom.xlsx", handmade_xlsx(GOOD, padding=2 * 1024 * 1024))
    assert upload.size < 20_000
    response = post(client, upload)
    assert response.status_code == 400
    assert file_errors(response) == [
        "The Excel file unpacks to 2.0\xa0MB, more than the import limit of 1.0\xa0MB. Split the file into several parts."
    ]
    assert excel_reads == []
    assert not PerangkatDaerah.objects.filter(short_name__startswith="BARU").exists()


def test_zip_bomb_is_refused_before_it_is_opened(client, excel_reads):
    # 20 MB of spaces pack into about 20 KB: far below the unpacked limit (100 MB), but a ratio of ~1000.
    upload = SimpleUploadedFile("bom.xlsx", handmade_xlsx(GOOD, padding=20 * 1024 * 1024))
    response = post(client, upload)
    assert response.status_code == 400
    [message] = file_errors(response)
    assert message.startswith("A part of the Excel file unpacks to ")
    assert message.endswith(
        " times its packed size, more than the limit of 100 times; a file packed this tightly (a “zip bomb”) is not imported."
    )
    assert excel_reads == []


def test_xlsx_of_very_many_parts_is_refused_before_its_directory_is_read(client, excel_reads, monkeypatch):
    opened = []
    read_directory = zipfile.ZipFile._RealGetContents

    def counted_read_directory(self):
        opened.append(self)
        return read_directory(self)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", counted_read_directory)
    upload = SimpleUploadedFile("bagian.xlsx", handmade_xlsx(GOOD, extra_parts=10_001))
    response = post(client, upload)
    assert response.status_code == 400
    assert file_errors(response) == [
        "The Excel file holds more than 10,000 internal parts, which no ordinary spreadsheet needs; it is not imported."
    ]
    assert opened == [] and excel_reads == []


def test_header_wider_than_any_form_is_refused(client):
    header = [*HEADER, *[""] * 200, "kolom jauh"]
    response = post(client, csv_file([header, ["inst-a", "Dinas Lebar", "LEBAR", "dinas"]]))
    assert response.status_code == 400
    assert file_errors(response) == [
        "The first row holds more than 100 columns; an import accepts at most 100 columns."
    ]
    assert not PerangkatDaerah.objects.filter(short_name="LEBAR").exists()


def test_unreadable_csv_is_a_message_not_a_crash(client):
    long_cell = "x" * (csv.field_size_limit() + 1)
    response = post(client, csv_file([HEADER, ["inst-a", long_cell, "PANJANG", "dinas"]]))
    assert response.status_code == 400
    [message] = file_errors(response)
    assert message.startswith("The CSV file cannot be read: ")
