"""The architecture API: lists with search and filters, typed endpoints, impact and compliance, and the
same permissions and review rule as the web pages."""

import pytest
from rest_framework.test import APIClient

from simpul.architecture.models import Application, ChangeProposal
from simpul.architecture.tests.factories import (
    ApplicationFactory,
    DataSetFactory,
    InfrastructureFactory,
    ServiceFactory,
    link,
)


def api(user):
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


@pytest.fixture
def scene(world):
    w = world
    w.server = InfrastructureFactory(owner=w.a1, name="Server Utama", code="SRV-01")
    w.simpeg = ApplicationFactory(owner=w.a1, name="SIMPEG", description="Kepegawaian", hosting="pihak_ketiga")
    w.sipp = ApplicationFactory(owner=w.a2, name="SIPP", code="APP-PR", status="pengembangan")
    w.service = ServiceFactory(owner=w.a2, name="Layanan Kepegawaian")
    w.data = DataSetFactory(owner=w.a2, name="Data Pegawai", published=False)
    w.other = ApplicationFactory(owner=w.b1, name="SIMPEG B")
    link(w.simpeg, "runs_on", w.server)
    link(w.simpeg, "realizes", w.service)
    return w


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    return {row["name"] for row in (body["results"] if isinstance(body, dict) else body)}


@pytest.mark.parametrize("collected", [2000, 1, 0])
def test_element_list_search_and_filters(scene, monkeypatch, collected):
    """Searches with few matches are answered from the collected ids, the others as a filter: same results."""
    from simpul.core import filters as core_filters

    monkeypatch.setattr(core_filters, "MAX_COLLECTED_MATCHES", collected)
    client = api(scene.admin_a)
    url = "/api/architecture/elements/"
    assert names(client.get(url)) == {"Server Utama", "SIMPEG", "SIPP", "Layanan Kepegawaian", "Data Pegawai"}
    assert names(client.get(url, {"q": "pegawai"})) == {"SIMPEG", "Layanan Kepegawaian", "Data Pegawai"}
    assert names(client.get(url, {"q": "SRV-01"})) == {"Server Utama"}
    assert names(client.get(url, {"q": "A2"})) == {"SIPP", "Layanan Kepegawaian", "Data Pegawai"}
    assert names(client.get(url, {"domain": "aplikasi"})) == {"SIMPEG", "SIPP"}
    assert names(client.get(url, {"owner": scene.a1.pk})) == {"Server Utama", "SIMPEG"}
    assert names(client.get(url, {"status": "pengembangan"})) == {"SIPP"}
    assert names(client.get(url, {"published": "false"})) == {"Data Pegawai"}
    assert names(client.get(url, {"q": "pegawai", "owner": scene.a2.pk})) == {"Layanan Kepegawaian", "Data Pegawai"}
    assert names(client.get(url, {"q": "pegawai", "ordering": "-name"})) == {
        "SIMPEG",
        "Layanan Kepegawaian",
        "Data Pegawai",
    }
    assert names(client.get(url, {"q": "tidak-ada"})) == set()
    ordered = client.get(url, {"q": "pegawai", "ordering": "name"}).json()["results"]
    assert [row["name"] for row in ordered] == ["Data Pegawai", "Layanan Kepegawaian", "SIMPEG"]


@pytest.mark.parametrize("max_ids", [1000, 0])
def test_search_reaches_the_owner_and_the_reference_code(scene, monkeypatch, max_ids):
    """Matches through a foreign key are looked up first; past `MAX_SEARCH_IDS` of them they stay a
    subquery. Both give what searching across the join gave."""
    from simpul.architecture.models import ReferenceCode
    from simpul.core import filters as core_filters

    monkeypatch.setattr(core_filters, "MAX_SEARCH_IDS", max_ids)
    code = ReferenceCode.objects.filter(tree="RAA").order_by("code").first()
    Application.objects.filter(pk=scene.sipp.pk).update(reference=code)
    client = api(scene.admin_a)
    url = "/api/architecture/elements/"
    assert names(client.get(url, {"q": code.code.lower()})) == {"SIPP"}
    assert names(client.get(url, {"q": "dinas a dua"})) == {"SIPP", "Layanan Kepegawaian", "Data Pegawai"}
    assert names(client.get(url, {"q": "A1 simpeg"})) == {"SIMPEG"}
    assert names(client.get("/api/architecture/applications/", {"q": "a2"})) == {"SIPP"}


def test_typed_endpoints_carry_their_own_fields_and_filters(scene):
    client = api(scene.admin_a)
    response = client.get("/api/architecture/applications/", {"hosting": "pihak_ketiga"})
    assert names(response) == {"SIMPEG"}
    row = response.json()["results"][0]
    assert row["domain"] == "aplikasi"
    assert row["hosting"] == "pihak_ketiga"
    assert names(client.get("/api/architecture/services/")) == {"Layanan Kepegawaian"}
    assert names(client.get("/api/architecture/infrastructure/", {"kind": "server"})) == {"Server Utama"}
    assert names(client.get("/api/architecture/data-sets/")) == {"Data Pegawai"}


@pytest.mark.parametrize("deferred_from", [500, 1])
def test_typed_endpoint_counted_and_paged_from_the_element_table_when_only_element_filters_are_used(
    scene, monkeypatch, deferred_from
):
    """As on the list pages: with status, owner or published alone, the count and each page's ids come from
    the element table (the type's domain, the user's scope), and the pages hold the list's rows in its
    order; a filter of the type's own (hosting) reads the typed rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from simpul.core import paging

    monkeypatch.setattr(paging, "DEFERRED_ROWS_FROM", deferred_from)
    ApplicationFactory(owner=scene.a2, name="Draf A2", published=False)  # not visible to operator A1
    ApplicationFactory(owner=scene.a1, name="Arsip A1", status="rencana")
    ServiceFactory(owner=scene.a1, name="Layanan A1", status="rencana")  # same status, other domain
    client = api(scene.operator_a1)
    url = "/api/architecture/applications/"

    def read(params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        sql = [q["sql"] for q in captured]
        return {
            "count": body["count"],
            "shown": [row["name"] for row in body["results"]],
            "next": body["next"],
            "counts": [q for q in sql if "COUNT(" in q.upper() and "architecture_" in q],
            "id_reads": [
                q for q in sql if 'SELECT "architecture_element"."id" AS "pk" FROM "architecture_element"' in q
            ],
        }

    for params in ({}, {"status": "rencana"}, {"published": "true"}, {"owner": scene.a2.pk}):
        page = read(params)
        assert page["count"] == len(page["shown"]), params
        assert page["counts"] and all("architecture_application" not in q for q in page["counts"]), params
        assert len(page["id_reads"]) == 1 and "architecture_application" not in page["id_reads"][0], params
    assert read({})["shown"] == ["Arsip A1", "SIMPEG", "SIPP"]  # not the other OPD's draft, not instansi B's
    assert read({"ordering": "-name"})["shown"] == ["SIPP", "SIMPEG", "Arsip A1"]
    assert read({"status": "rencana"})["shown"] == ["Arsip A1"]  # not the service of that status
    pages = [read({"limit": 1, "offset": offset}) for offset in range(4)]
    assert [p["shown"] for p in pages] == [["Arsip A1"], ["SIMPEG"], ["SIPP"], []]
    assert all(p["count"] == 3 for p in pages) and pages[1]["next"] and not pages[2]["next"]
    page = read({"hosting": "pihak_ketiga"})
    assert page["shown"] == ["SIMPEG"] and page["count"] == 1
    assert any("architecture_application" in q for q in page["counts"]) and page["id_reads"] == []
    assert read({"hosting": "pihak_ketiga", "offset": 1})["shown"] == []


def test_creating_a_typed_element_sets_its_domain_and_starts_as_a_draft(scene):
    response = api(scene.operator_a1).post(
        "/api/architecture/applications/",
        {"owner": scene.a1.pk, "name": "Aplikasi Baru", "kind": "khusus", "reference": "RAA.02.02"},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Application.objects.get(name="Aplikasi Baru")
    assert (created.domain, created.published, created.reference.code) == ("aplikasi", False, "RAA.02.02")
    assert created.archimate_type == "ApplicationComponent"
    # Not for another OPD.
    response = api(scene.operator_a1).post(
        "/api/architecture/applications/", {"owner": scene.a2.pk, "name": "Bukan Milik", "kind": "umum"}, format="json"
    )
    assert response.status_code in (400, 403)
    assert not Application.objects.filter(name="Bukan Milik").exists()


def test_an_operator_cannot_change_a_published_element_through_the_api(scene):
    client = api(scene.operator_a1)
    response = client.patch(f"/api/architecture/applications/{scene.simpeg.pk}/", {"name": "Diubah"}, format="json")
    assert response.status_code == 403
    assert "published" in response.json()["detail"]
    response = client.patch(f"/api/architecture/elements/{scene.simpeg.pk}/", {"name": "Diubah"}, format="json")
    assert response.status_code == 403
    scene.simpeg.refresh_from_db()
    assert scene.simpeg.name == "SIMPEG"
    # A draft it may change; the Admin SPBE changes published elements directly.
    draft = ApplicationFactory(owner=scene.a1, name="Draf", published=False)
    response = client.patch(f"/api/architecture/applications/{draft.pk}/", {"name": "Draf 2"}, format="json")
    assert response.status_code == 200
    response = api(scene.admin_a).patch(
        f"/api/architecture/applications/{scene.simpeg.pk}/", {"name": "SIMPEG v2"}, format="json"
    )
    assert response.status_code == 200
    scene.simpeg.refresh_from_db()
    assert scene.simpeg.name == "SIMPEG v2"
    assert not ChangeProposal.objects.exists()


def test_published_is_read_only_in_the_api(scene):
    draft = ApplicationFactory(owner=scene.a1, name="Draf", published=False)
    response = api(scene.operator_a1).patch(
        f"/api/architecture/applications/{draft.pk}/", {"published": True}, format="json"
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.published is False


def test_impact_endpoint(scene):
    client = api(scene.admin_a)
    data = client.get(f"/api/architecture/elements/{scene.server.pk}/impact/").json()
    assert data["direction"] == "dependents"
    assert [(row["name"], row["depth"]) for row in data["elements"]] == [("SIMPEG", 1), ("Layanan Kepegawaian", 2)]
    assert data["affected_opds"] == ["A1", "A2"]
    assert data["hidden"] == 0
    data = client.get(f"/api/architecture/elements/{scene.service.pk}/impact/", {"direction": "dependencies"}).json()
    assert [(row["name"], row["depth"]) for row in data["elements"]] == [("SIMPEG", 1), ("Server Utama", 2)]
    # Another instansi cannot ask about this element at all.
    assert api(scene.admin_b).get(f"/api/architecture/elements/{scene.server.pk}/impact/").status_code == 404


def test_compliance_endpoint(scene):
    rows = api(scene.admin_a).get("/api/architecture/compliance/", {"instansi": "inst-a"}).json()
    found = {(row["rule"], row["record"]) for row in rows}
    assert ("hosting", "SIMPEG") in found
    assert ("service_application", "Layanan Kepegawaian") not in found
    assert all(row["opd"] in ("A1", "A2") for row in rows)
    # The admin of B asking for A's slug gets no instansi it may see.
    assert api(scene.admin_b).get("/api/architecture/compliance/", {"instansi": "inst-a"}).status_code == 404
    rows_b = api(scene.admin_b).get("/api/architecture/compliance/").json()
    assert {row["record"] for row in rows_b} <= {"SIMPEG B", "B1"}


def test_relationship_list_filters(scene):
    client = api(scene.admin_a)
    rows = client.get("/api/architecture/relationships/", {"kind": "realizes"}).json()["results"]
    assert [(r["source"], r["target"]) for r in rows] == [(scene.simpeg.pk, scene.service.pk)]
    rows = client.get("/api/architecture/relationships/", {"target": scene.server.pk}).json()["results"]
    assert [r["kind"] for r in rows] == ["runs_on"]


def test_reference_codes_by_code_and_tree(world):
    client = api(world.operator_a1)
    assert client.get("/api/architecture/reference-codes/RAL.01.02/").json()["parent"] == "RAL.01"
    rows = client.get("/api/architecture/reference-codes/", {"tree": "RAI", "page_size": 100}).json()["results"]
    assert {row["tree"] for row in rows} == {"RAI"}
    assert len(rows) == 3


def test_a_search_with_many_matches_is_paged_without_a_count(scene, monkeypatch):
    """Past MAX_COLLECTED_MATCHES matches and with no other filter, `count` is null and `next` leads on
    while rows remain: following it gives every match exactly once, in the list's order."""
    from simpul.core import filters as core_filters

    monkeypatch.setattr(core_filters, "MAX_COLLECTED_MATCHES", 2)
    for _number in range(5):
        ApplicationFactory(owner=scene.a1, name="Arsip Bersama")  # same name: order by the id among them
    client = api(scene.admin_a)
    url, seen = "/api/architecture/elements/?q=arsip&limit=2", []
    while url:
        body = client.get(url).json()
        assert body["count"] is None
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(Application.objects.filter(name="Arsip Bersama").values_list("pk", flat=True))
    narrowed = client.get("/api/architecture/elements/", {"q": "arsip", "status": "operasi", "limit": 2}).json()
    assert narrowed["count"] == 5 and narrowed["next"] is not None
    assert client.get("/api/architecture/elements/", {"q": "SIPP"}).json()["count"] == 1


def test_a_list_reads_one_page_of_rows_whatever_the_table_holds(scene):
    """The list endpoint reads its page with a LIMIT and counts the rest: never every row (a national
    repository holds 100k elements), and the same number of queries for 5 rows as for 40."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(scene.admin_a)

    def reads():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/architecture/elements/", {"limit": 3}).status_code == 200
        selects = [q["sql"] for q in captured if 'FROM "architecture_element"' in q["sql"]]
        assert selects and all("LIMIT" in sql or "COUNT(" in sql for sql in selects), selects
        return len(captured)

    reads()  # the first request also loads the user's grants
    few = reads()
    for number in range(35):
        ApplicationFactory(owner=scene.a1, name=f"Aplikasi {number}")
    assert reads() == few


# --- Malformed input and the schema's truth ---------------------------------------------------------------


def schema_of(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_compliance_has_no_detail_route(scene):
    client = api(scene.admin_a)
    client.raise_request_exception = False
    # It served an Element through the finding serializer: a server error for every id.
    response = client.get(f"/api/architecture/compliance/{scene.simpeg.pk}/")
    assert response.status_code == 404
    paths = schema_of(client)["paths"]
    assert "/api/architecture/compliance/{id}/" not in paths
    # Findings are neither ordered nor filtered by query: the schema offers only what the view reads.
    assert [p["name"] for p in paths["/api/architecture/compliance/"]["get"]["parameters"]] == ["instansi"]


def test_impact_refuses_invalid_direction_limit_and_offset_by_name(scene):
    client = api(scene.admin_a)
    url = f"/api/architecture/elements/{scene.server.pk}/impact/"
    # They were silently read as dependents, 200 and 0.
    for query, name in (
        ({"direction": "sideways"}, "direction"),
        ({"limit": "many"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"offset": "-3"}, "offset"),
    ):
        response = client.get(url, query)
        assert response.status_code == 400, query
        assert list(response.json()) == [name]
    assert client.get(url, {"direction": "sideways"}).json() == {
        "direction": ["Choose one of: dependents, dependencies."]
    }
    data = client.get(url, {"limit": 1, "offset": 1}).json()
    assert [row["name"] for row in data["elements"]] == ["Layanan Kepegawaian"]
    assert client.get(url, {"limit": 5000}).json()["limit"] == 1000


def test_a_top_reference_code_has_a_null_parent_and_the_schema_says_so(world):
    from simpul.architecture.models import ReferenceCode

    top = ReferenceCode.objects.filter(parent=None).order_by("code").first()
    client = api(world.operator_a1)
    assert client.get(f"/api/architecture/reference-codes/{top.code}/").json()["parent"] is None
    parent = schema_of(client)["components"]["schemas"]["ReferenceCode"]["properties"]["parent"]
    assert parent["nullable"] is True


def test_an_applications_own_address_is_readable_and_writable_as_address(world):
    """`url` is each record's link in the API; the application's address used to be hidden behind it and a
    PATCH of it was answered 200 while nothing changed."""
    from rest_framework.test import APIClient

    from simpul.architecture.tests.factories import ApplicationFactory

    application = ApplicationFactory(owner=world.a1, url="https://lama.akab.go.id/", published=False)
    api = APIClient()
    api.force_authenticate(world.operator_a1)
    detail = f"/api/architecture/applications/{application.pk}/"
    body = api.get(detail).json()
    assert body["address"] == "https://lama.akab.go.id/"
    assert body["url"].endswith(application.get_absolute_url())

    response = api.patch(detail, {"address": "https://baru.akab.go.id/"}, format="json")
    assert response.status_code == 200, response.json()
    application.refresh_from_db()
    assert application.url == "https://baru.akab.go.id/"
    assert api.patch(detail, {"address": "bukan alamat"}, format="json").status_code == 400
