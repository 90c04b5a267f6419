"""Deleting: records others depend on are refused with the blockers listed; nothing is deleted."""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.core.models import AuditEntry
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment
from simpul.organizations.tests.factories import InstansiFactory, PerangkatDaerahFactory, UserFactory


@pytest.fixture
def root_client(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def test_instansi_with_opds_cannot_be_deleted(world, root_client):
    url = reverse("organizations:instansi_delete", args=[world.inst_a.pk])
    response = root_client.get(url)
    assert response.status_code == 200
    blocking = set(response.context["blocking"])
    assert {world.a1, world.a2} <= blocking
    assert response.context["blocking_count"] == len(blocking)
    content = response.content.decode()
    assert 'data-testid="protected"' in content and "cannot be deleted" in content
    assert 'data-testid="confirm-delete"' not in content
    assert f'href="{world.a1.get_absolute_url()}"' in content

    entries = AuditEntry.objects.count()
    response = root_client.post(url)
    assert response.status_code == 409
    assert {world.a1, world.a2} <= set(response.context["blocking"])
    assert "cannot be deleted while other records depend on it" in response.content.decode()
    assert Instansi.objects.filter(pk=world.inst_a.pk).exists()
    assert PerangkatDaerah.objects.filter(instansi=world.inst_a).count() == 2
    assert RoleAssignment.objects.filter(instansi=world.inst_a).exists()  # cascades rolled back as well
    assert AuditEntry.objects.count() == entries


def test_opd_with_sub_units_cannot_be_deleted(world, client):
    child = PerangkatDaerahFactory(instansi=world.inst_a, parent=world.a2, short_name="ANAK")
    client.force_login(world.admin_a)
    response = client.post(reverse("organizations:perangkatdaerah_delete", args=[world.a2.pk]))
    assert response.status_code == 409
    assert child in response.context["blocking"] and world.operator_a2 in response.context["blocking"]
    assert PerangkatDaerah.objects.filter(pk=world.a2.pk).exists()


def test_unblocked_instansi_is_deleted_with_its_role_assignments_listed(world, root_client):
    lonely = InstansiFactory()
    RoleAssignment.objects.create(user=world.asn_a1, role="pimpinan", instansi=lonely)
    url = reverse("organizations:instansi_delete", args=[lonely.pk])
    response = root_client.get(url)
    assert response.status_code == 200
    assert response.context["blocking"] == []
    assert [count for _name, count in response.context["cascades"]] == [1]
    response = root_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:instansi_list")
    assert not Instansi.objects.filter(pk=lonely.pk).exists()
    assert not RoleAssignment.objects.filter(instansi_id=lonely.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(lonely.pk)).exists()
