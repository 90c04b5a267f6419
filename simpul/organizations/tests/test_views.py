"""Organisation pages beyond the permission matrix: related lists, user creation, role assignment."""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.organizations.models import RoleAssignment, User


@pytest.fixture
def client(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    return client


def test_opd_detail_lists_only_visible_related_records(world, client):
    response = client.get(reverse("organizations:perangkatdaerah_detail", args=[world.a1.pk]))
    assert response.status_code == 200
    related = {str(block["title"]): set(block["objects"]) for block in response.context["related"]}
    assert related["Users"] == {world.operator_a1, world.asn_a1}
    assert response.context["can_change"] and response.context["can_delete"]

    client.force_login(world.koordinator_a)
    response = client.get(reverse("organizations:perangkatdaerah_detail", args=[world.a1.pk]))
    assert not response.context["can_change"] and not response.context["can_delete"]


def test_instansi_detail_lists_its_opds(world, client):
    response = client.get(reverse("organizations:instansi_detail", args=[world.inst_a.pk]))
    assert {o for block in response.context["related"] for o in block["objects"]} == {world.a1, world.a2}


def test_admin_creates_user_with_valid_password(world, client):
    data = {"username": "baru", "instansi": world.inst_a.pk, "opd": world.a1.pk, "is_active": "on"}
    response = client.post(reverse("organizations:user_add"), data | {"password1": "123"})
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
    response = client.post(reverse("organizations:user_add"), data)
    assert "password1" in response.context["form"].errors  # required for a new account
    response = client.post(reverse("organizations:user_add"), data | {"password1": "Sandi-Pengguna-Baru-9"})
    assert response.status_code == 302
    user = User.objects.get(username="baru")
    assert response["Location"] == reverse("organizations:user_detail", args=[user.pk])
    assert user.check_password("Sandi-Pengguna-Baru-9")


def test_editing_user_without_password_keeps_it(world, client):
    user = world.asn_a1
    old = user.password
    response = client.post(
        reverse("organizations:user_edit", args=[user.pk]),
        {"username": user.username, "full_name": "Nama Baru", "instansi": world.inst_a.pk, "opd": world.a1.pk},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.password) == ("Nama Baru", old)


def test_role_assignment_form_enforces_scope_rules(world, client):
    url = reverse("organizations:roleassignment_add")
    response = client.post(url, {"user": world.asn_a1.pk, "role": "operator_opd", "instansi": world.inst_a.pk})
    assert response.status_code == 400
    assert "opd" in response.context["form"].errors
    response = client.post(
        url, {"user": world.asn_a1.pk, "role": "operator_opd", "instansi": world.inst_a.pk, "opd": world.a1.pk}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=world.asn_a1, role="operator_opd", opd=world.a1).exists()
