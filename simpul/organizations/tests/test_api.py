"""The organisations API: filtering, ordering, pagination, and model validation through the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from simpul.organizations.models import PerangkatDaerah, RoleAssignment, User
from simpul.organizations.tests.factories import PerangkatDaerahFactory, UserFactory

OPD_URL = "/api/organizations/perangkat-daerah/"
USERS_URL = "/api/organizations/users/"
ROLE_URL = "/api/organizations/role-assignments/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="Akar-Sandi-Panjang-1")


@pytest.fixture
def many_opds(world):
    """Five more OPDs in A, of varied kinds, one inactive; and one in B that matches the same search."""
    world.extra = [
        PerangkatDaerahFactory(instansi=world.inst_a, short_name="BAPPEDA", name="Badan Perencanaan", kind="badan"),
        PerangkatDaerahFactory(instansi=world.inst_a, short_name="BKD", name="Badan Kepegawaian", kind="badan"),
        PerangkatDaerahFactory(instansi=world.inst_a, short_name="INSP", name="Inspektorat", kind="inspektorat"),
        PerangkatDaerahFactory(instansi=world.inst_a, short_name="KEC1", name="Kecamatan Satu", kind="kecamatan"),
        PerangkatDaerahFactory(
            instansi=world.inst_a, short_name="LAMA", name="Kantor Lama", kind="kantor", is_active=False
        ),
    ]
    world.b_badan = PerangkatDaerahFactory(
        instansi=world.inst_b, short_name="BAPPEDA", name="Badan Perencanaan", kind="badan"
    )
    return world


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Filtering -------------------------------------------------------------------------------------


def test_filter_by_instansi(many_opds, root):
    w = many_opds
    client = as_user(root)
    in_a = {w.a1.pk, w.a2.pk, *(opd.pk for opd in w.extra)}
    assert ids(client.get(OPD_URL, {"instansi": w.inst_a.pk})) == in_a
    assert ids(client.get(OPD_URL, {"instansi": w.inst_b.pk})) == {w.b1.pk, w.b_badan.pk}


def test_filter_by_another_instansi_never_widens_the_scope(many_opds):
    # Asking for B's OPDs as the operator of A1 gives nothing, not B's records.
    response = as_user(many_opds.operator_a1).get(OPD_URL, {"instansi": many_opds.inst_b.pk})
    assert ids(response) == set()
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Satu", {"a1", "KEC1"}),
        ("satu", {"a1", "KEC1"}),  # case-insensitive
        ("badan perencanaan", {"BAPPEDA"}),  # every word must match
        ("BKD", {"BKD"}),  # short name
        ("tidak-ada", set()),
    ],
)
def test_search_q(many_opds, query, expected):
    w = many_opds
    by_name = {"a1": w.a1.pk} | {opd.short_name: opd.pk for opd in w.extra}
    # Admin A sees its own OPDs only, even though B has a "Badan Perencanaan" too.
    assert ids(as_user(w.admin_a).get(OPD_URL, {"q": query})) == {by_name[name] for name in expected}


def test_search_q_combines_with_kind(many_opds):
    w = many_opds
    response = as_user(w.admin_a).get(OPD_URL, {"q": "Badan", "kind": "badan"})
    assert ids(response) == {w.extra[0].pk, w.extra[1].pk}


@pytest.mark.parametrize(
    ("kind", "expected_names"),
    [("badan", {"BAPPEDA", "BKD"}), ("inspektorat", {"INSP"}), ("dinas", {"A1", "A2"}), ("rsud", set())],
)
def test_filter_by_kind(many_opds, kind, expected_names):
    response = as_user(many_opds.admin_a).get(OPD_URL, {"kind": kind})
    returned = PerangkatDaerah.objects.filter(pk__in=ids(response))
    assert {opd.short_name for opd in returned} == expected_names


def test_filter_by_is_active_and_parent(many_opds):
    w = many_opds
    client = as_user(w.admin_a)
    assert ids(client.get(OPD_URL, {"is_active": "false"})) == {w.extra[4].pk}
    assert w.extra[4].pk not in ids(client.get(OPD_URL, {"is_active": "true"}))
    child = PerangkatDaerahFactory(instansi=w.inst_a, short_name="BAG", kind="bagian", parent=w.a1)
    assert ids(client.get(OPD_URL, {"parent": w.a1.pk})) == {child.pk}


def test_invalid_filter_value_is_a_400(many_opds):
    response = as_user(many_opds.admin_a).get(OPD_URL, {"kind": "bukan-jenis"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_user_filters(world):
    client = as_user(world.admin_a)
    assert ids(client.get(USERS_URL, {"role": "operator_opd"})) == {world.operator_a1.pk, world.operator_a2.pk}
    assert ids(client.get(USERS_URL, {"opd": world.a1.pk})) == {world.operator_a1.pk, world.asn_a1.pk}
    assert ids(client.get(USERS_URL, {"q": "koordinator"})) == {world.koordinator_a.pk}
    # admin B holds the same role name in B: a role filter stays inside the requester's scope.
    assert ids(client.get(USERS_URL, {"role": "admin_spbe"})) == {world.admin_a.pk}


def test_role_assignment_filters(world):
    client = as_user(world.admin_a)
    expected = set(RoleAssignment.objects.filter(role="operator_opd").values_list("pk", flat=True))
    assert ids(client.get(ROLE_URL, {"role": "operator_opd"})) == expected
    assert ids(client.get(ROLE_URL, {"opd": world.a2.pk})) == set(
        RoleAssignment.objects.filter(opd=world.a2).values_list("pk", flat=True)
    )


# --- Ordering and pagination ----------------------------------------------------------------------


def test_ordering(many_opds):
    client = as_user(many_opds.admin_a)
    ascending = [row["short_name"] for row in client.get(OPD_URL, {"ordering": "short_name"}).json()["results"]]
    assert ascending == sorted(ascending)
    assert ascending[0] == "A1"
    descending = [row["short_name"] for row in client.get(OPD_URL, {"ordering": "-short_name"}).json()["results"]]
    assert descending == list(reversed(ascending))
    by_name = [row["name"] for row in client.get(OPD_URL, {"ordering": "name"}).json()["results"]]
    assert by_name == sorted(by_name)


def test_limit_offset_pagination(many_opds):
    client = as_user(many_opds.admin_a)
    every = [row["id"] for row in client.get(OPD_URL, {"ordering": "short_name"}).json()["results"]]
    assert len(every) == 7

    first = client.get(OPD_URL, {"ordering": "short_name", "limit": 3}).json()
    assert first["count"] == 7
    assert [row["id"] for row in first["results"]] == every[:3]
    assert first["previous"] is None
    assert "offset=3" in first["next"] and "limit=3" in first["next"]

    # Following the links walks through every record exactly once.
    seen = [row["id"] for row in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen.extend(row["id"] for row in page["results"])
    assert seen == every

    last = client.get(OPD_URL, {"ordering": "short_name", "limit": 3, "offset": 6}).json()
    assert [row["id"] for row in last["results"]] == every[6:]
    assert last["next"] is None
    assert last["previous"] is not None


def test_default_page_size_and_maximum(world, settings):
    from simpul.core.api.pagination import StandardPagination

    assert StandardPagination.default_limit == 50
    for number in range(55):
        PerangkatDaerahFactory(instansi=world.inst_a, short_name=f"X{number:02d}", name=f"Unit {number}")
    client = as_user(world.admin_a)
    page = client.get(OPD_URL).json()
    assert page["count"] == 57
    assert len(page["results"]) == 50
    assert len(client.get(OPD_URL, {"limit": 100000}).json()["results"]) == 57


def test_list_query_count_does_not_grow_with_rows(world):
    client = as_user(world.admin_a)
    client.get(USERS_URL)  # warm caches (content types, grants of the request user are per request)
    with CaptureQueriesContext(connection) as few:
        assert client.get(USERS_URL).status_code == 200
    for number in range(10):
        UserFactory(instansi=world.inst_a, opd=world.a2, username=f"tambahan{number}")
    with CaptureQueriesContext(connection) as more:
        response = client.get(USERS_URL)
    assert response.json()["count"] == User.objects.filter(instansi=world.inst_a).count()
    assert len(more.captured_queries) == len(few.captured_queries)


# --- Representation -------------------------------------------------------------------------------


def test_opd_representation(world):
    row = as_user(world.operator_a1).get(f"{OPD_URL}{world.a1.pk}/").json()
    assert row["instansi"] == world.inst_a.pk
    assert row["short_name"] == "A1"
    assert row["url"].endswith(world.a1.get_absolute_url())
    assert row["url"].startswith("http")


def test_user_representation_never_shows_the_password(world):
    row = as_user(world.admin_a).get(f"{USERS_URL}{world.operator_a1.pk}/").json()
    assert "password" not in row
    assert row["username"] == "operator-a1"
    assert row["opd"] == world.a1.pk


# --- Model validation through the API -------------------------------------------------------------


def test_role_assignment_with_an_opd_of_another_instansi_is_a_field_error(world, root):
    payload = {"user": world.asn_a1.pk, "role": "operator_opd", "instansi": world.inst_a.pk, "opd": world.b1.pk}
    response = as_user(root).post(ROLE_URL, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["opd"]
    assert response.json()["opd"][0]
    assert not RoleAssignment.objects.filter(user=world.asn_a1, role="operator_opd").exists()


def test_role_assignment_with_an_opd_of_another_instansi_as_scoped_admin(world):
    # For admin A, B's OPD is not even a choice: still a field error on "opd", and nothing is saved.
    payload = {"user": world.asn_a1.pk, "role": "operator_opd", "instansi": world.inst_a.pk, "opd": world.b1.pk}
    response = as_user(world.admin_a).post(ROLE_URL, payload, format="json")
    assert response.status_code == 400
    assert "opd" in response.json()
    assert not RoleAssignment.objects.filter(user=world.asn_a1, role="operator_opd").exists()


@pytest.mark.parametrize(
    ("role", "with_opd", "ok"),
    [("operator_opd", False, False), ("operator_opd", True, True), ("admin_spbe", True, False)],
)
def test_role_assignment_scope_rules(world, role, with_opd, ok):
    payload = {"user": world.asn_a1.pk, "role": role, "instansi": world.inst_a.pk}
    if with_opd:
        payload["opd"] = world.a2.pk
    response = as_user(world.admin_a).post(ROLE_URL, payload, format="json")
    if ok:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 400
        assert "opd" in response.json()
    assert RoleAssignment.objects.filter(user=world.asn_a1, role=role).exists() == ok


def test_unknown_role_is_rejected(world):
    payload = {"user": world.asn_a1.pk, "role": "raja", "instansi": world.inst_a.pk}
    response = as_user(world.admin_a).post(ROLE_URL, payload, format="json")
    assert response.status_code == 400
    assert "role" in response.json()


def test_duplicate_role_assignment_is_a_400(world):
    payload = {"user": world.koordinator_a.pk, "role": "koordinator", "instansi": world.inst_a.pk}
    response = as_user(world.admin_a).post(ROLE_URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert RoleAssignment.objects.filter(user=world.koordinator_a, role="koordinator").count() == 1


def test_opd_parent_rules(world):
    client = as_user(world.admin_a)
    own_parent = client.patch(f"{OPD_URL}{world.a1.pk}/", {"parent": world.a1.pk}, format="json")
    assert own_parent.status_code == 400
    assert "parent" in own_parent.json()
    world.a1.refresh_from_db()
    assert world.a1.parent is None


def test_duplicate_opd_short_name_is_a_400(world):
    payload = {"instansi": world.inst_a.pk, "name": "Dinas Lain", "short_name": "A1", "kind": "dinas"}
    response = as_user(world.admin_a).post(OPD_URL, payload, format="json")
    assert response.status_code == 400
    assert PerangkatDaerah.objects.filter(instansi=world.inst_a, short_name="A1").count() == 1


def test_user_password_rules(world):
    client = as_user(world.admin_a)
    base = {"username": "pegawai-x", "instansi": world.inst_a.pk, "opd": world.a1.pk}
    missing = client.post(USERS_URL, base, format="json")
    assert missing.status_code == 400
    assert "password" in missing.json()
    weak = client.post(USERS_URL, base | {"password": "12345"}, format="json")
    assert weak.status_code == 400
    assert "password" in weak.json()
    assert not User.objects.filter(username="pegawai-x").exists()


def test_user_opd_must_match_instansi(world, root):
    payload = {
        "username": "pegawai-y",
        "instansi": world.inst_a.pk,
        "opd": world.b1.pk,
        "password": "Rahasia-Sangat-Panjang-99",
    }
    response = as_user(root).post(USERS_URL, payload, format="json")
    assert response.status_code == 400
    assert "opd" in response.json()
    assert not User.objects.filter(username="pegawai-y").exists()


def test_user_created_with_an_opd_gets_its_instansi(world):
    # The model's clean() fills the instansi from the OPD; the API keeps that, as the form does.
    payload = {"username": "pegawai-z", "opd": world.a2.pk, "password": "Rahasia-Sangat-Panjang-99"}
    response = as_user(world.admin_a).post(USERS_URL, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["instansi"] == world.inst_a.pk
    assert User.objects.get(username="pegawai-z").instansi == world.inst_a


def test_password_similar_to_the_username_is_refused(world):
    payload = {"username": "pegawaisimilar", "opd": world.a2.pk, "password": "pegawaisimilar1"}
    response = as_user(world.admin_a).post(USERS_URL, payload, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_user_password_change_through_the_api(world):
    response = as_user(world.admin_a).patch(
        f"{USERS_URL}{world.asn_a1.pk}/", {"password": "Sandi-Baru-Yang-Panjang-7"}, format="json"
    )
    assert response.status_code == 200
    world.asn_a1.refresh_from_db()
    assert world.asn_a1.check_password("Sandi-Baru-Yang-Panjang-7")
