"""Permission cases of the organisation and core pages that the generated matrix does not reach:
writes that would move a record out of the writer's scope, and the choices forms offer.

Who sees and may open which page, export and row is the generated matrix's
(core/tests/test_generated_permissions.py), for every model, role and channel.
"""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.core.models import ApiKey
from simpul.organizations.models import PerangkatDaerah, RoleAssignment, User


@pytest.fixture
def client():
    # English UI so that assertions on messages hold whatever translations are compiled.
    return Client(headers={"accept-language": "en"})


def _key(name, instansi, owner, user):
    key = ApiKey(name=name, instansi=instansi, owner=owner, user=user)
    key.issue()
    key.save()
    return key


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
