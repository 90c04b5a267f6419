"""The permission matrix through the web UI: every role of `world` against every organisation/core page.

The expectations are written out from the policy (who may see and change what), not derived from
`permissions.restrict()`, so a regression in the permission code shows up here as a wrong row or status.
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from simpul.core.models import ApiKey, AuditEntry
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User
from simpul.organizations.tests.factories import UserFactory

ROLES = [
    "anonymous",
    "superuser",
    "admin_a",
    "admin_b",
    "operator_a1",
    "koordinator_a",
    "auditor_a",
    "pimpinan_a",
    "evaluator_a",
    "asn_a1",
]
MODELS = ["instansi", "perangkatdaerah", "user", "roleassignment", "auditentry", "apikey"]
URL_NAMESPACE = {
    "instansi": "organizations",
    "perangkatdaerah": "organizations",
    "user": "organizations",
    "roleassignment": "organizations",
    "auditentry": "core",
    "apikey": "accounts",
}
HAS_FORM = {"instansi", "perangkatdaerah", "user", "roleassignment", "apikey"}
IMPORTABLE = {"instansi", "perangkatdaerah", "user", "roleassignment"}
ALL = {"view", "add", "change", "delete"}
VIEW = {"view"}

# What each role may do per model, as the policy describes it (roles.py), within the role's scope.
ACTIONS = {
    "superuser": dict.fromkeys(MODELS, ALL),
    "admin_a": {
        "instansi": {"view", "change"},
        "perangkatdaerah": ALL,
        "user": ALL,
        "roleassignment": ALL,
        "auditentry": VIEW,
        "apikey": ALL,
    },
    "operator_a1": {"instansi": VIEW, "perangkatdaerah": VIEW, "user": VIEW, "apikey": ALL},
    "koordinator_a": {"instansi": VIEW, "perangkatdaerah": VIEW, "user": VIEW},
    "auditor_a": dict.fromkeys(MODELS, VIEW),
    "pimpinan_a": {"instansi": VIEW, "perangkatdaerah": VIEW},
    "evaluator_a": {"instansi": VIEW, "perangkatdaerah": VIEW},
    "asn_a1": {"instansi": VIEW, "perangkatdaerah": VIEW},
}
ACTIONS["admin_b"] = ACTIONS["admin_a"]


@pytest.fixture
def client():
    # English UI so that assertions on messages hold whatever translations are compiled.
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def scene(world):
    """`world` plus API keys in both instansi, a superuser, and (from the writes) audit entries."""
    w = world
    w.superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    w.key_a1 = _key("Kunci A1", w.inst_a, w.a1, w.operator_a1)
    w.key_a = _key("Kunci A", w.inst_a, None, w.admin_a)
    w.key_b = _key("Kunci B", w.inst_b, None, w.admin_b)
    w.anonymous = None
    return w


def _key(name, instansi, owner, user):
    key = ApiKey(name=name, instansi=instansi, owner=owner, user=user)
    key.issue()
    key.save()
    return key


def in_scope(w, role: str, model: str) -> set:
    """Every record of `model` inside the scope in which `role` holds its grants (ignoring actions)."""
    objects = {
        "instansi": Instansi.objects.all(),
        "perangkatdaerah": PerangkatDaerah.objects.all(),
        "user": User.objects.all(),
        "roleassignment": RoleAssignment.objects.all(),
        "auditentry": AuditEntry.objects.all(),
        "apikey": ApiKey.objects.all(),
    }[model]
    if role == "superuser":
        return set(objects)
    instansi = w.inst_b if role == "admin_b" else w.inst_a
    if model == "instansi":
        return {instansi}
    if model == "auditentry":
        return {entry for entry in objects if entry.instansi_id == instansi.pk}
    if model == "perangkatdaerah":
        # OPDs are the shared pick list of an instansi: a role held for one OPD sees all of them.
        return {opd for opd in objects if opd.instansi_id == instansi.pk}
    if role in ("operator_a1", "asn_a1"):
        owner_field = "owner_id" if model == "apikey" else "opd_id"
        return {obj for obj in objects if getattr(obj, owner_field) == w.a1.pk}
    return {obj for obj in objects if obj.instansi_id == instansi.pk}


def allowed(w, role: str, model: str, action: str) -> set:
    if role == "anonymous" or action not in ACTIONS[role].get(model, set()):
        return set()
    return in_scope(w, role, model)


def probes(w, model: str) -> list:
    """Records to open detail/edit/delete pages for: some inside A (in and outside OPD a1) and some in B."""
    return {
        "instansi": [w.inst_a, w.inst_b],
        "perangkatdaerah": [w.a1, w.a2, w.b1],
        "user": [w.asn_a1, w.operator_a2, w.admin_b],
        "roleassignment": [RoleAssignment.objects.get(user=u) for u in (w.asn_a1, w.operator_a2, w.admin_b)],
        "auditentry": [
            AuditEntry.objects.filter(instansi_id=w.inst_a.pk, opd_id=w.a1.pk).first(),
            AuditEntry.objects.filter(instansi_id=w.inst_a.pk, opd_id=w.a2.pk).first(),
            AuditEntry.objects.filter(instansi_id=w.inst_b.pk).first(),
        ],
        "apikey": [w.key_a1, w.key_a, w.key_b],
    }[model]


def identifier(obj) -> str:
    """The first default column of each table, which names the record in an export."""
    if isinstance(obj, Instansi | ApiKey):
        return obj.name
    if isinstance(obj, PerangkatDaerah):
        return obj.short_name
    if isinstance(obj, User):
        return obj.username
    return str(obj.pk)


def csv_first_column(response) -> set[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return {row[0] for row in rows[1:]}


def xlsx_first_column(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return {str(row[0]) for row in rows[1:]}


def _login(client, w, role):
    if role != "anonymous":
        client.force_login(getattr(w, role))


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(scene, client, role, model):
    w = scene
    _login(client, w, role)
    ns = f"{URL_NAMESPACE[model]}:{model}"
    problems = []

    def check(label, response, expected_status):
        if response.status_code != expected_status:
            problems.append(f"{label}: status {response.status_code}, expected {expected_status}")
            return False
        if expected_status == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        return True

    def status_for(permitted: bool, denied: int) -> int:
        if role == "anonymous":
            return 302
        return 200 if permitted else denied

    visible = allowed(w, role, model, "view")
    may_view_model = role == "superuser" or "view" in ACTIONS.get(role, {}).get(model, set())

    # List and exports: exactly the rows in scope.
    list_url = reverse(f"{ns}_list")
    response = client.get(list_url, {"per_page": 250})
    if check("list", response, status_for(may_view_model, 403)) and response.status_code == 200:
        shown = set(response.context["table"].data)
        if shown != visible:
            problems.append(f"list rows {sorted(map(str, shown))}, expected {sorted(map(str, visible))}")
    expected_ids = {identifier(obj) for obj in visible}
    response = client.get(list_url, {"export": "csv"})
    if check("export csv", response, status_for(may_view_model, 403)) and response.status_code == 200:
        assert response["Content-Type"].startswith("text/csv")
        if csv_first_column(response) != expected_ids:
            problems.append(f"csv rows {sorted(csv_first_column(response))}, expected {sorted(expected_ids)}")
    response = client.get(list_url, {"export": "xlsx"})
    xlsx_ok = check("export xlsx", response, status_for(may_view_model, 403)) and response.status_code == 200
    if xlsx_ok and xlsx_first_column(response) != expected_ids:
        problems.append(f"xlsx rows {sorted(xlsx_first_column(response))}, expected {sorted(expected_ids)}")

    # Detail, edit and delete pages of records inside and outside the scope.
    for obj in probes(w, model):
        assert obj is not None
        response = client.get(reverse(f"{ns}_detail", args=[obj.pk]))
        check(f"detail {obj}", response, status_for(obj in visible, 404))
        if model in HAS_FORM:
            response = client.get(reverse(f"{ns}_edit", args=[obj.pk]))
            check(f"edit {obj}", response, status_for(obj in allowed(w, role, model, "change"), 404))
        if model != "auditentry":
            response = client.get(reverse(f"{ns}_delete", args=[obj.pk]))
            check(f"delete {obj}", response, status_for(obj in allowed(w, role, model, "delete"), 404))

    may_add = role == "superuser" or "add" in ACTIONS.get(role, {}).get(model, set())
    if model in HAS_FORM:
        check("add", client.get(reverse(f"{ns}_add")), status_for(may_add, 403))
    if model in IMPORTABLE:
        check("import", client.get(reverse(f"{ns}_import")), status_for(may_add, 403))

    assert not problems, "\n".join(problems)


def test_pages_without_a_form_have_no_write_urls():
    from django.urls import NoReverseMatch

    for name in ("core:auditentry_add", "core:auditentry_edit", "core:auditentry_delete", "accounts:apikey_import"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1] if name.endswith(("edit", "delete")) else [])


# --- Writes that would move a record out of the writer's scope --------------------------------------


def opd_post_data(opd, **changes):
    data = {
        "instansi": opd.instansi_id,
        "name": opd.name,
        "short_name": opd.short_name,
        "kind": opd.kind,
        "parent": opd.parent_id or "",
        "head_name": opd.head_name,
        "email": opd.email,
        "website": opd.website,
        "is_active": "on" if opd.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in (None, "")}


def test_admin_cannot_move_opd_to_other_instansi(world, client):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("organizations:perangkatdaerah_edit", args=[world.a1.pk]),
        opd_post_data(world.a1, instansi=world.inst_b.pk, name="Dipindah"),
    )
    assert response.status_code == 400
    assert "instansi" in response.context["form"].errors
    world.a1.refresh_from_db()
    assert world.a1.instansi == world.inst_a
    assert world.a1.name == "Dinas A Satu"


def test_admin_cannot_create_opd_in_other_instansi(world, client):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("organizations:perangkatdaerah_add"),
        {"instansi": world.inst_b.pk, "name": "Dinas Baru", "short_name": "BARU", "kind": "dinas"},
    )
    assert response.status_code == 400
    assert not PerangkatDaerah.objects.filter(short_name="BARU").exists()


def test_admin_cannot_move_user_to_other_instansi(world, client):
    client.force_login(world.admin_a)
    user = world.asn_a1
    response = client.post(
        reverse("organizations:user_edit", args=[user.pk]),
        {"username": user.username, "full_name": "X", "instansi": world.inst_b.pk, "opd": world.b1.pk},
    )
    assert response.status_code == 400
    assert {"instansi", "opd"} <= set(response.context["form"].errors)
    user.refresh_from_db()
    assert (user.instansi, user.opd, user.full_name) == (world.inst_a, world.a1, user.full_name)
    assert user.full_name != "X"


def test_admin_cannot_grant_role_in_other_instansi(world, client):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("organizations:roleassignment_add"),
        {"user": world.asn_a1.pk, "role": "admin_spbe", "instansi": world.inst_b.pk},
    )
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(instansi=world.inst_b, user=world.asn_a1).exists()


def test_operator_cannot_move_api_key_out_of_own_opd(world, client):
    key = _key("Kunci A1", world.inst_a, world.a1, world.operator_a1)
    client.force_login(world.operator_a1)
    url = reverse("accounts:apikey_edit", args=[key.pk])
    base = {"name": "Kunci A1", "instansi": world.inst_a.pk, "user": world.operator_a1.pk}
    # Another OPD is not even offered...
    response = client.post(url, base | {"owner": world.a2.pk})
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    # ...and an instansi-wide key (no owner) is outside a role held for one OPD: the service refuses it.
    response = client.post(url, base | {"name": "Dipindah"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    key.refresh_from_db()
    assert (key.owner, key.name) == (world.a1, "Kunci A1")


def test_operator_cannot_issue_instansi_wide_api_key(world, client):
    client.force_login(world.operator_a1)
    response = client.post(
        reverse("accounts:apikey_add"),
        {"name": "Kunci Liar", "instansi": world.inst_a.pk, "user": world.operator_a1.pk},
    )
    assert response.status_code == 400
    assert not ApiKey.objects.filter(name="Kunci Liar").exists()


def test_operator_cannot_change_users_of_other_opd(world, client):
    client.force_login(world.operator_a1)
    for user in (world.operator_a2, world.asn_a1):
        response = client.post(
            reverse("organizations:user_edit", args=[user.pk]),
            {"username": user.username, "full_name": "Diubah", "instansi": world.inst_a.pk, "opd": world.a1.pk},
        )
        assert response.status_code == 404
        user.refresh_from_db()
        assert user.full_name != "Diubah"
    response = client.post(reverse("organizations:user_delete", args=[world.operator_a2.pk]))
    assert response.status_code == 404
    assert User.objects.filter(pk=world.operator_a2.pk).exists()


def _choices(form, name) -> set:
    return set(form.fields[name].queryset)


def test_form_choices_only_list_allowed_records(world, client):
    client.force_login(world.admin_a)
    form = client.get(reverse("organizations:perangkatdaerah_add")).context["form"]
    assert _choices(form, "instansi") == {world.inst_a}
    assert _choices(form, "parent") == {world.a1, world.a2}
    form = client.get(reverse("organizations:user_add")).context["form"]
    assert _choices(form, "opd") == {world.a1, world.a2}
    form = client.get(reverse("organizations:roleassignment_add")).context["form"]
    assert world.admin_b not in _choices(form, "user")
    assert world.asn_a1 in _choices(form, "user")

    client.force_login(world.operator_a1)
    form = client.get(reverse("accounts:apikey_add")).context["form"]
    assert _choices(form, "owner") == {world.a1}
    assert _choices(form, "instansi") == {world.inst_a}
    assert _choices(form, "user") == {world.operator_a1, world.asn_a1}


def test_admin_can_edit_opd_inside_scope(world, client):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("organizations:perangkatdaerah_edit", args=[world.a1.pk]),
        opd_post_data(world.a1, name="Dinas A Satu Baru", parent=world.a2.pk),
    )
    assert response.status_code == 302
    world.a1.refresh_from_db()
    assert (world.a1.name, world.a1.parent) == ("Dinas A Satu Baru", world.a2)
