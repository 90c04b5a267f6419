import pytest
from django.urls import reverse

from simpul.core import permissions
from simpul.organizations.models import PerangkatDaerah


@pytest.mark.django_db
def test_operator_sees_only_own_instansi_opds(world, client):
    visible = permissions.restrict(PerangkatDaerah.objects.all(), world.operator_a1, "view")
    assert set(visible) == {world.a1, world.a2}
    assert not permissions.restrict(PerangkatDaerah.objects.all(), world.operator_a1, "change").exists()
    client.force_login(world.operator_a1)
    response = client.get(reverse("organizations:perangkatdaerah_detail", args=[world.b1.pk]))
    assert response.status_code == 404
