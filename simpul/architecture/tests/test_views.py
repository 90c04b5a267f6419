"""The architecture pages: search and filters, typed lists, detail and impact pages, compliance, the
XLSX import template and import of applications, and exports."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from simpul.architecture.models import Application
from simpul.architecture.tests.factories import (
    ApplicationFactory,
    BusinessProcessFactory,
    DataSetFactory,
    InfrastructureFactory,
    ServiceFactory,
    link,
)


@pytest.fixture
def scene(world):
    w = world
    w.server = InfrastructureFactory(owner=w.a1, name="Server Utama", code="SRV-01", status="operasi")
    w.simpeg = ApplicationFactory(owner=w.a1, name="SIMPEG", description="Data kepegawaian daerah")
    w.sipp = ApplicationFactory(owner=w.a2, name="SIPP", code="APP-PR", status="rencana")
    w.service = ServiceFactory(owner=w.a2, name="Layanan Perencanaan")
    w.data = DataSetFactory(owner=w.a2, name="Data RKPD", status="dihentikan")
    ApplicationFactory(owner=w.b1, name="SIMPEG B")
    link(w.simpeg, "runs_on", w.server)
    return w


@pytest.fixture
def admin(scene):
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.admin_a)
    return client


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {str(row.record) for row in response.context["table"].rows}


def test_element_search_covers_name_code_owner_and_description(scene, admin):
    url = reverse("architecture:element_list")
    assert listed(admin.get(url)) == {"Server Utama", "SIMPEG", "SIPP", "Layanan Perencanaan", "Data RKPD"}
    assert listed(admin.get(url, {"q": "simpeg"})) == {"SIMPEG"}
    assert listed(admin.get(url, {"q": "APP-PR"})) == {"SIPP"}
    assert listed(admin.get(url, {"q": "kepegawaian"})) == {"SIMPEG"}
    assert listed(admin.get(url, {"q": "A2"})) == {"SIPP", "Layanan Perencanaan", "Data RKPD"}
    assert listed(admin.get(url, {"q": "Dinas A Satu"})) == {"Server Utama", "SIMPEG"}
    assert listed(admin.get(url, {"q": "tidak-ada-apa-apa"})) == set()


def test_element_filters_by_domain_opd_and_status(scene, admin):
    url = reverse("architecture:element_list")
    assert listed(admin.get(url, {"domain": "aplikasi"})) == {"SIMPEG", "SIPP"}
    assert listed(admin.get(url, {"owner": scene.a2.pk})) == {"SIPP", "Layanan Perencanaan", "Data RKPD"}
    assert listed(admin.get(url, {"status": "dihentikan"})) == {"Data RKPD"}
    assert listed(admin.get(url, {"domain": "aplikasi", "owner": scene.a2.pk})) == {"SIPP"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("businessprocess", set()),
        ("dataset", {"Data RKPD"}),
        ("service", {"Layanan Perencanaan"}),
        ("application", {"SIMPEG", "SIPP"}),
        ("infrastructurecomponent", {"Server Utama"}),
        ("securitycontrol", set()),
    ],
)
def test_typed_lists_show_their_type_only(scene, admin, name, expected):
    assert listed(admin.get(reverse(f"architecture:{name}_list"))) == expected


def test_overview_compliance_detail_and_impact_pages(scene, admin):
    response = admin.get(reverse("architecture:overview"))
    assert response.status_code == 200
    assert response.context["total"] == 5
    response = admin.get(reverse("architecture:compliance"))
    assert response.status_code == 200
    assert response.context["instansi"] == scene.inst_a
    response = admin.get(reverse("architecture:element_detail", args=[scene.server.pk]))
    assert response.status_code == 200
    assert [(row["label"], str(row["other"])) for row in response.context["relationships"]] == [("hosts", "SIMPEG")]
    response = admin.get(reverse("architecture:element_impact", args=[scene.server.pk]))
    assert [row["element"].name for row in response.context["rows"]] == ["SIMPEG"]
    response = admin.get(reverse("architecture:element_impact", args=[scene.simpeg.pk]), {"direction": "dependencies"})
    assert [row["element"].name for row in response.context["rows"]] == ["Server Utama"]
    assert admin.get(reverse("architecture:relationship_list")).status_code == 200
    assert admin.get(reverse("architecture:referencecode_list"), {"tree": "RAI"}).status_code == 200


def test_a_detail_page_names_the_records_of_a_many_to_many_field(scene, admin):
    process = BusinessProcessFactory(owner=scene.a1, name="Penyusunan RKPD")
    process.performers.set([scene.a1, scene.a2])
    response = admin.get(reverse("architecture:element_detail", args=[process.pk]))
    fields = {row["name"]: row["value"] for row in response.context["fields"]}
    assert sorted(fields["performers"].split(", ")) == ["A1", "A2"]
    assert "PerangkatDaerah.None" not in response.content.decode()


def test_the_application_import_template_is_an_xlsx_with_the_form_columns(scene, admin):
    response = admin.get(reverse("architecture:application_import"), {"template": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header[:3] == ["Owner OPD", "Name", "Code"]
    assert {"Reference code", "Kind", "Hosting", "Address (URL)"} <= set(header)
    guide = {row[0].value: row[2].value for row in workbook.worksheets[1].iter_rows(min_row=2)}
    assert "short name" in guide["Owner OPD"]
    assert "code" in guide["Reference code"].lower()


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("aplikasi.xlsx", buffer.getvalue(), "application/octet-stream")


HEADER = ["Owner OPD", "Name", "Status", "Reference code", "Kind", "Hosting", "Hosting exception", "Address (URL)"]


def test_applications_are_imported_with_owner_by_short_name_and_reference_by_code(scene):
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.operator_a1)
    rows = [
        HEADER,
        [
            "A1",
            "e-Office",
            "Operational",
            "RAA.01.02",
            "umum",
            "pusat_data",
            "tidak_perlu",
            "https://eoffice.akab.go.id",
        ],
        [
            "A1",
            "SIM-TARU",
            "operasi",
            "RAA.02.02",
            "Specific application (aplikasi khusus)",
            "pusat_data",
            "Not needed",
            "",
        ],
    ]
    response = client.post(reverse("architecture:application_import"), {"file": xlsx(rows), "mode": "import"})
    assert response.status_code == 302, [(e.row, e.column, e.message) for e in response.context["result"].errors]
    imported = {a.name: a for a in Application.objects.filter(name__in=["e-Office", "SIM-TARU"])}
    assert imported["e-Office"].owner == scene.a1
    assert imported["e-Office"].reference.code == "RAA.01.02"
    assert imported["SIM-TARU"].kind == "khusus"
    assert imported["SIM-TARU"].published is False


def test_an_import_for_another_opd_or_an_unknown_code_imports_nothing(scene):
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.operator_a1)
    rows = [
        HEADER,
        ["A1", "Baik", "operasi", "RAA.01.02", "umum", "pusat_data", "tidak_perlu", ""],
        ["A2", "Milik A2", "operasi", "", "umum", "pusat_data", "tidak_perlu", ""],
        ["A1", "Kode Salah", "operasi", "RAA.99", "umum", "pusat_data", "tidak_perlu", ""],
    ]
    response = client.post(reverse("architecture:application_import"), {"file": xlsx(rows), "mode": "import"})
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {(3, "Owner OPD"), (4, "Reference code")}
    assert not Application.objects.filter(name__in=["Baik", "Milik A2", "Kode Salah"]).exists()


def test_exports_hold_the_filtered_rows_the_user_may_see(scene):
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.operator_a1)
    response = client.get(reverse("architecture:application_list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    assert sorted(row[0] for row in rows[1:]) == ["SIMPEG", "SIPP"]  # not SIMPEG B of instansi B
    response = client.get(reverse("architecture:element_list"), {"export": "xlsx", "domain": "infrastruktur"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Server Utama"]


def test_developer_opd_is_imported_by_short_name_too(scene):
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.operator_a1)
    rows = [["Owner OPD", "Name", "Kind", "Developer OPD"], ["A1", "Aplikasi Mitra", "umum", "A2"]]
    response = client.post(reverse("architecture:application_import"), {"file": xlsx(rows), "mode": "import"})
    assert response.status_code == 302, [(e.row, e.column, e.message) for e in response.context["result"].errors]
    assert Application.objects.get(name="Aplikasi Mitra").developer.short_name == "A2"


@pytest.mark.parametrize("collected", [2000, 1, 0])
def test_typed_list_search_collects_among_the_visible_elements_of_its_domain(scene, monkeypatch, collected):
    """The application list collects matching ids from the element table (its domain, the user's scope);
    whether the matches are few or many, it shows exactly what searching the typed list shows."""
    from simpul.core import filters as core_filters

    monkeypatch.setattr(core_filters, "MAX_COLLECTED_MATCHES", collected)
    ApplicationFactory(owner=scene.a2, name="SIMPEG Draf A2", published=False)
    ServiceFactory(owner=scene.a1, name="Layanan SIMPEG")  # same term, another domain
    url = reverse("architecture:application_list")
    operator = Client(headers={"accept-language": "en"})
    operator.force_login(scene.operator_a1)
    # Another OPD's draft and instansi B's application stay out, as without a search.
    assert listed(operator.get(url, {"q": "simpeg"})) == {"SIMPEG"}
    admin = Client(headers={"accept-language": "en"})
    admin.force_login(scene.admin_a)
    assert listed(admin.get(url, {"q": "simpeg"})) == {"SIMPEG", "SIMPEG Draf A2"}
    assert listed(admin.get(url, {"q": "simpeg", "owner": scene.a2.pk})) == {"SIMPEG Draf A2"}
    assert listed(admin.get(url, {"q": "tidak-ada"})) == set()


def test_a_search_matching_more_than_can_be_collected_is_not_counted(scene, admin, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from simpul.core import filters as core_filters

    monkeypatch.setattr(core_filters, "MAX_COLLECTED_MATCHES", 2)
    for number in range(4):
        ApplicationFactory(owner=scene.a1, name=f"Sistem Arsip {number}")
    url = reverse("architecture:application_list")
    with CaptureQueriesContext(connection) as captured:
        response = admin.get(url, {"q": "arsip"})
    paginator = response.context["table"].paginator
    assert (paginator.count_is_minimum, paginator.count) == (True, 2)
    assert "More than 2 records" in response.content.decode()
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and "architecture_application" in q["sql"]]
    assert counts == []
    # Another filter may leave few of them, so then the list is counted again; so it is for few matches.
    response = admin.get(url, {"q": "arsip", "status": "operasi"})
    assert not getattr(response.context["table"].paginator, "count_is_minimum", False)
    assert (
        response.context["table"].paginator.count
        == Application.objects.filter(name__contains="Arsip", status="operasi").count()
    )
    # A search that collected its few matches knows its count: no counting query.
    with CaptureQueriesContext(connection) as captured:
        response = admin.get(url, {"q": "SIPP"})
    assert response.context["table"].paginator.count == 1 and listed(response) == {"SIPP"}
    assert not [q for q in captured if "COUNT(" in q["sql"].upper() and "architecture_" in q["sql"]]
    # The export is never cut: every match, whatever the list shows.
    export = admin.get(url, {"q": "arsip", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 4


def test_typed_list_counted_and_paged_from_the_element_table_when_only_element_filters_are_used(scene):
    """Status, owner or published alone: the count and the page's ids come from the element table (the
    type's domain, the user's scope) and give the list's rows in its order; a filter of the type's own
    (kind) reads the typed rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ApplicationFactory(owner=scene.a2, name="Draf A2", published=False)  # not visible to operator A1
    ApplicationFactory(owner=scene.a1, name="Arsip A1", status="rencana", kind="umum")
    ServiceFactory(owner=scene.a1, name="Layanan A1", status="rencana")  # same status, other domain
    url = reverse("architecture:application_list")
    operator = Client(headers={"accept-language": "en"})
    operator.force_login(scene.operator_a1)

    def read(params):
        with CaptureQueriesContext(connection) as captured:
            response = operator.get(url, params)
        assert response.status_code == 200
        table = response.context["table"]
        return {
            "count": table.paginator.count,
            "shown": [row.record.name for row in table.page.object_list],
            "counts": [q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and "architecture_" in q["sql"]],
            "id_reads": [
                q["sql"]
                for q in captured
                if 'SELECT "architecture_element"."id" AS "pk" FROM "architecture_element"' in q["sql"]
            ],
        }

    for params in ({}, {"status": "rencana"}, {"published": "true"}, {"owner": scene.a2.pk}):
        page = read(params)
        assert page["count"] == len(page["shown"]), params
        assert page["counts"] and all("architecture_application" not in sql for sql in page["counts"]), params
        assert len(page["id_reads"]) == 1 and "architecture_application" not in page["id_reads"][0], params
    assert read({})["shown"] == ["Arsip A1", "SIMPEG", "SIPP"]  # not the other OPD's draft, not instansi B's
    assert read({"sort": "-name"})["shown"] == ["SIPP", "SIMPEG", "Arsip A1"]
    assert read({"status": "rencana"})["shown"] == ["Arsip A1", "SIPP"]  # not the service of that status
    # A search that collected its matches is counted and paged from them in the element table too.
    page = read({"q": "si", "status": "operasi"})
    assert page["shown"] == ["SIMPEG"] and page["count"] == 1
    assert len(page["id_reads"]) == 2 and all("architecture_application" not in sql for sql in page["counts"])
    page = read({"kind": "umum"})
    assert page["shown"] == sorted(
        Application.objects.filter(kind="umum", published=True, owner__instansi=scene.inst_a).values_list(
            "name", flat=True
        )
    )
    assert page["count"] == len(page["shown"])
    assert any("architecture_application" in sql for sql in page["counts"]) and page["id_reads"] == []
