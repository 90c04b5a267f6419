"""API permission cases the generated matrix (core/tests/test_generated_permissions.py) does not reach:
creating records inside and outside the writer's scope, moving records out of it, authentication
schemes and CSRF, and the read-only core endpoints. Which rows each role lists, reads, changes and
deletes through every endpoint is the matrix's."""

import pytest
from rest_framework.test import APIClient

from simpul.core.models import ApiKey, AuditEntry
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User
from simpul.organizations.tests.factories import PerangkatDaerahFactory

ROLES = (
    "admin_a",
    "admin_b",
    "operator_a1",
    "operator_a2",
    "koordinator_a",
    "auditor_a",
    "pimpinan_a",
    "evaluator_a",
    "asn_a1",
    None,  # anonymous
)


@pytest.fixture
def keyed_world(world):
    """The world plus one API key per kind of owner: OPD A1, an external system of A, and B."""
    for name, instansi, owner, user, external in (
        ("key-a1", world.inst_a, world.a1, world.operator_a1, ""),
        ("key-a-external", world.inst_a, None, world.admin_a, "Aplikasi mobile"),
        ("key-b", world.inst_b, None, world.admin_b, "Portal B"),
    ):
        key = ApiKey(name=name, instansi=instansi, owner=owner, user=user, external_system=external)
        key.issue()
        key.save()
        setattr(world, name.replace("-", "_"), key)
    return world


def client_for(world, role: str | None) -> APIClient:
    client = APIClient()
    if role is not None:
        client.force_authenticate(getattr(world, role))
    return client


def test_superuser_sees_every_instansi(world):
    root = User.objects.create_superuser("root", password="Akar-Sandi-Panjang-1")
    client = APIClient()
    client.force_authenticate(root)
    listed = client.get("/api/organizations/perangkat-daerah/")
    assert {row["id"] for row in listed.json()["results"]} == {world.a1.pk, world.a2.pk, world.b1.pk}
    response = client.post("/api/organizations/perangkat-daerah/", opd_payload(world, "inst_b", "ROOT"), format="json")
    assert response.status_code == 201
    assert PerangkatDaerah.objects.get(short_name="ROOT").instansi == world.inst_b


def test_anonymous_gets_401_with_a_scheme(world):
    response = APIClient().get("/api/organizations/perangkat-daerah/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"]


def test_session_authentication_works_and_checks_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    listed = client.get("/api/organizations/perangkat-daerah/")
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {world.a1.pk, world.a2.pk}
    # A session write without the CSRF token is refused: a page on another site cannot use the session.
    refused = client.patch(f"/api/organizations/perangkat-daerah/{world.a1.pk}/", {"head_name": "X"}, format="json")
    assert refused.status_code == 403
    world.a1.refresh_from_db()
    assert world.a1.head_name != "X"


# --- Writes ----------------------------------------------------------------------------------------

WRITERS = [role for role in ROLES if role is not None]


def opd_payload(world, instansi_attr: str, short_name: str) -> dict:
    return {
        "instansi": getattr(world, instansi_attr).pk,
        "name": f"Badan {short_name}",
        "short_name": short_name,
        "kind": "badan",
    }


CREATE_OPD = {"admin_a": 201, "admin_b": 400}  # admin B cannot even name instansi A; everybody else 403


@pytest.mark.parametrize("role", [*WRITERS, None])
def test_create_opd_in_instansi_a(world, role):
    response = client_for(world, role).post(
        "/api/organizations/perangkat-daerah/", opd_payload(world, "inst_a", "NEW"), format="json"
    )
    expected = 401 if role is None else CREATE_OPD.get(role, 403)
    assert response.status_code == expected, response.content
    created = PerangkatDaerah.objects.filter(short_name="NEW")
    if expected == 201:
        assert created.get().instansi == world.inst_a
        assert response.json()["id"] == created.get().pk
    else:
        assert not created.exists()
    if expected == 400:
        assert "instansi" in response.json()


def test_admin_of_a_cannot_create_an_opd_in_b(world):
    client = client_for(world, "admin_a")
    response = client.post(
        "/api/organizations/perangkat-daerah/", opd_payload(world, "inst_b", "INTRUDE"), format="json"
    )
    assert response.status_code in (400, 403)
    assert not PerangkatDaerah.objects.filter(short_name="INTRUDE").exists()
    # Not even with B's OPD as parent in A: the parent must be visible and of the same instansi.
    payload = opd_payload(world, "inst_a", "CHILD") | {"parent": world.b1.pk}
    response = client.post("/api/organizations/perangkat-daerah/", payload, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not PerangkatDaerah.objects.filter(short_name="CHILD").exists()


UPDATE_OPD = {
    # (role, target OPD) -> status
    ("admin_a", "a1"): 200,
    ("admin_a", "b1"): 404,
    ("admin_b", "a1"): 404,
    ("admin_b", "b1"): 200,
}


@pytest.mark.parametrize("target", ["a1", "b1"])
@pytest.mark.parametrize("role", [*WRITERS, None])
def test_update_opd(world, role, target):
    opd = getattr(world, target)
    response = client_for(world, role).patch(
        f"/api/organizations/perangkat-daerah/{opd.pk}/", {"head_name": "Kepala Baru"}, format="json"
    )
    expected = 401 if role is None else UPDATE_OPD.get((role, target), 403)
    assert response.status_code == expected
    opd.refresh_from_db()
    assert (opd.head_name == "Kepala Baru") == (expected == 200)


def test_admin_cannot_move_an_opd_to_another_instansi(world):
    # admin-b may see instansi B only, so A is not even a valid choice for them.
    response = client_for(world, "admin_b").patch(
        f"/api/organizations/perangkat-daerah/{world.b1.pk}/", {"instansi": world.inst_a.pk}, format="json"
    )
    assert response.status_code == 400
    world.b1.refresh_from_db()
    assert world.b1.instansi == world.inst_b


@pytest.mark.parametrize("target", ["a3", "b3"])
@pytest.mark.parametrize("role", [*WRITERS, None])
def test_delete_opd(world, role, target):
    world.a3 = PerangkatDaerahFactory(instansi=world.inst_a, short_name="A3")
    world.b3 = PerangkatDaerahFactory(instansi=world.inst_b, short_name="B3")
    opd = getattr(world, target)
    response = client_for(world, role).delete(f"/api/organizations/perangkat-daerah/{opd.pk}/")
    owner_admin = "admin_a" if target == "a3" else "admin_b"
    other_admin = "admin_b" if target == "a3" else "admin_a"
    expected = {None: 401, owner_admin: 204, other_admin: 404}.get(role, 403)
    assert response.status_code == expected
    assert PerangkatDaerah.objects.filter(pk=opd.pk).exists() == (expected != 204)


def test_deleting_an_opd_in_use_is_a_conflict(world):
    # OPD A1 has users: the protected relation is reported, nothing is deleted.
    response = client_for(world, "admin_a").delete(f"/api/organizations/perangkat-daerah/{world.a1.pk}/")
    assert response.status_code == 409
    assert response.json()["blocking"]
    assert PerangkatDaerah.objects.filter(pk=world.a1.pk).exists()


UPDATE_INSTANSI = {"admin_a": 200}


@pytest.mark.parametrize("role", [*WRITERS, None])
def test_instansi_writes(world, role):
    client = client_for(world, role)
    url = f"/api/organizations/instansi/{world.inst_a.pk}/"
    expected_update = 401 if role is None else UPDATE_INSTANSI.get(role, 404 if role == "admin_b" else 403)
    assert client.patch(url, {"address": "Jl. Baru 1"}, format="json").status_code == expected_update
    world.inst_a.refresh_from_db()
    assert (world.inst_a.address == "Jl. Baru 1") == (expected_update == 200)
    # Nobody but a superuser creates or deletes an instansi.
    payload = {"kind": "kota", "name": "Kota Baru", "slug": "kota-baru", "official_domain": "kotabaru.go.id"}
    assert client.post("/api/organizations/instansi/", payload, format="json").status_code == (
        401 if role is None else 403
    )
    assert client.delete(url).status_code == (401 if role is None else 403)
    assert not Instansi.objects.filter(slug="kota-baru").exists()
    assert Instansi.objects.filter(pk=world.inst_a.pk).exists()


CREATE_USER = {"admin_a": 201, "admin_b": 400}


@pytest.mark.parametrize("role", [*WRITERS, None])
def test_create_user_in_opd_a1(world, role):
    payload = {
        "username": "pegawai-baru",
        "full_name": "Pegawai Baru",
        "instansi": world.inst_a.pk,
        "opd": world.a1.pk,
        "password": "Rahasia-Sangat-Panjang-99",
    }
    response = client_for(world, role).post("/api/organizations/users/", payload, format="json")
    expected = 401 if role is None else CREATE_USER.get(role, 403)
    assert response.status_code == expected, response.content
    created = User.objects.filter(username="pegawai-baru")
    assert created.exists() == (expected == 201)
    if expected == 201:
        assert "password" not in response.json()
        assert created.get().check_password("Rahasia-Sangat-Panjang-99")


def test_admin_cannot_move_a_user_out_of_their_instansi(world):
    # Even with a (visible) instansi B, which admin A cannot see, the move is refused and rolled back.
    response = client_for(world, "admin_a").patch(
        f"/api/organizations/users/{world.operator_a1.pk}/",
        {"instansi": world.inst_b.pk, "opd": world.b1.pk},
        format="json",
    )
    assert response.status_code == 400
    world.operator_a1.refresh_from_db()
    assert (world.operator_a1.instansi, world.operator_a1.opd) == (world.inst_a, world.a1)


def test_admin_cannot_make_a_user_leave_every_scope(world):
    # admin A makes the user belong to no instansi at all: the record would leave A's scope, so the
    # service refuses after the save and rolls the change back.
    response = client_for(world, "admin_a").patch(
        f"/api/organizations/users/{world.operator_a1.pk}/", {"instansi": None, "opd": None}, format="json"
    )
    assert response.status_code == 403
    world.operator_a1.refresh_from_db()
    assert (world.operator_a1.instansi, world.operator_a1.opd) == (world.inst_a, world.a1)


@pytest.mark.parametrize("role", [*WRITERS, None])
def test_role_assignment_create(world, role):
    payload = {"user": world.asn_a1.pk, "role": "pimpinan", "instansi": world.inst_a.pk}
    response = client_for(world, role).post("/api/organizations/role-assignments/", payload, format="json")
    expected = {None: 401, "admin_a": 201, "admin_b": 400}.get(role, 403)
    assert response.status_code == expected, response.content
    assert RoleAssignment.objects.filter(user=world.asn_a1, role="pimpinan").exists() == (expected == 201)


@pytest.mark.parametrize("role", ["admin_a", "auditor_a", "operator_a1"])
def test_core_endpoints_are_read_only(keyed_world, role):
    world = keyed_world
    client = client_for(world, role)
    entry = AuditEntry.objects.filter(instansi_id=world.inst_a.pk).first()
    count = AuditEntry.objects.count()
    assert client.delete(f"/api/core/audit-entries/{entry.pk}/").status_code in (403, 405)
    assert client.patch(f"/api/core/audit-entries/{entry.pk}/", {"object_repr": "x"}, format="json").status_code in (
        403,
        405,
    )
    assert AuditEntry.objects.count() == count
    # Keys are issued in the UI only, where the secret is shown once.
    response = client.post(
        "/api/core/api-keys/",
        {"name": "via-api", "instansi": world.inst_a.pk, "owner": world.a1.pk, "user": world.operator_a1.pk},
        format="json",
    )
    assert response.status_code in (403, 405)
    assert client.delete(f"/api/core/api-keys/{world.key_a1.pk}/").status_code in (403, 405)
    assert not ApiKey.objects.filter(name="via-api").exists()
    assert ApiKey.objects.filter(pk=world.key_a1.pk).exists()


def test_api_key_listing_never_contains_the_hash(keyed_world):
    response = client_for(keyed_world, "admin_a").get("/api/core/api-keys/")
    for row in response.json()["results"]:
        assert "key_hash" not in row
        assert ApiKey.objects.get(pk=row["id"]).key_hash not in response.content.decode()
