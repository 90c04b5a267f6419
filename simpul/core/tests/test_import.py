"""Bulk import through the model's own form: all or nothing, with errors naming the row and the column."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from simpul.core.models import AuditEntry
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
    from simpul.core import importexport

    original = importexport.services.create_object

    def create_object(user, instance, **kwargs):
        saved = original(user, instance, **kwargs)
        if saved.name == name:
            raise error
        return saved

    monkeypatch.setattr(importexport.services, "create_object", create_object)


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
