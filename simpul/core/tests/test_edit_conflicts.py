"""Nobody overwrites a change they have not seen: edit forms and API writes over a newer version.

The multi-process proof that concurrent PATCHes lose nothing is in test_concurrent_updates.py; these
tests make each interleaving happen deterministically.
"""

import pytest
from django.urls import reverse
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from simpul.core import services
from simpul.core.models import AuditEntry
from simpul.organizations.api.views import PerangkatDaerahViewSet
from simpul.organizations.models import PerangkatDaerah
from simpul.organizations.tests.factories import UserFactory

OPD_API = "/api/organizations/perangkat-daerah/"


def _form_data(opd: PerangkatDaerah, **changes) -> dict:
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
    return data | changes


def _someone_else_sets(opd: PerangkatDaerah, **values) -> None:
    other = PerangkatDaerah.objects.get(pk=opd.pk)
    for name, value in values.items():
        setattr(other, name, value)
    other.save()


def test_an_edit_form_posted_over_a_newer_version_is_refused_with_the_current_values(world, client):
    client.force_login(world.admin_a)
    url = reverse("organizations:perangkatdaerah_edit", args=[world.a1.pk])
    page = client.get(url)
    version = page.context["row_version"]
    assert f'name="_row_version" value="{version}"' in page.content.decode()

    _someone_else_sets(world.a1, head_name="Kepala Baru")
    response = client.post(url, _form_data(world.a1, name="Dinas A Satu (ubah)", _row_version=version))

    assert response.status_code == 409
    world.a1.refresh_from_db()
    assert world.a1.name == "Dinas A Satu"  # nothing written
    assert world.a1.head_name == "Kepala Baru"  # the other change kept
    assert str(services.EditConflict(world.a1)) in response.context["form"].non_field_errors()
    rows = {row["name"]: row for row in response.context["conflict_rows"]}
    assert rows["head_name"]["value"] == "Kepala Baru" and rows["head_name"]["differs"]
    assert not rows["short_name"]["differs"]
    # The user's input is still in the form, and saving again now is a choice made seeing the new values.
    assert response.context["form"]["name"].value() == "Dinas A Satu (ubah)"
    assert response.context["row_version"] == services.row_version(PerangkatDaerah.objects.get(pk=world.a1.pk))
    again = client.post(
        url, _form_data(world.a1, name="Dinas A Satu (ubah)", _row_version=response.context["row_version"])
    )
    assert again.status_code == 302
    world.a1.refresh_from_db()
    assert world.a1.name == "Dinas A Satu (ubah)"


def test_an_edit_form_of_an_unchanged_record_saves(world, client):
    client.force_login(world.admin_a)
    url = reverse("organizations:perangkatdaerah_edit", args=[world.a1.pk])
    version = client.get(url).context["row_version"]
    assert client.post(url, _form_data(world.a1, head_name="Ibu Kepala", _row_version=version)).status_code == 302
    world.a1.refresh_from_db()
    assert world.a1.head_name == "Ibu Kepala"


def test_update_object_with_named_fields_keeps_what_others_committed_since_the_read(world):
    stale = PerangkatDaerah.objects.get(pk=world.a1.pk)
    _someone_else_sets(world.a1, head_name="Kepala Baru", email="baru@akab.go.id")

    stale.name = "Dinas A Satu (ubah)"
    services.update_object(world.admin_a, stale, fields=["name"])

    stored = PerangkatDaerah.objects.get(pk=world.a1.pk)
    assert (stored.name, stored.head_name, stored.email) == ("Dinas A Satu (ubah)", "Kepala Baru", "baru@akab.go.id")
    assert (stale.head_name, stale.email) == ("Kepala Baru", "baru@akab.go.id")  # the caller sees the row as stored
    last = AuditEntry.objects.filter(object_id=str(world.a1.pk), content_type__model="perangkatdaerah").first()
    assert set(last.changes) == {"name"}


def test_update_object_with_a_stale_version_writes_nothing(world):
    stale = PerangkatDaerah.objects.get(pk=world.a1.pk)
    version = services.row_version(stale)
    _someone_else_sets(world.a1, head_name="Kepala Baru")
    stale.name = "Tertimpa"
    with pytest.raises(services.EditConflict) as raised:
        services.update_object(world.admin_a, stale, version=version)
    assert raised.value.current.head_name == "Kepala Baru"
    assert PerangkatDaerah.objects.get(pk=world.a1.pk).name == "Dinas A Satu"


def test_api_detail_has_an_etag_and_if_match_refuses_a_stale_write(world):
    api = APIClient()
    api.force_authenticate(world.admin_a)
    detail = api.get(f"{OPD_API}{world.a1.pk}/")
    etag = detail["ETag"]
    assert etag == f'"{services.row_version(world.a1)}"'

    _someone_else_sets(world.a1, head_name="Kepala Baru")
    response = api.patch(f"{OPD_API}{world.a1.pk}/", {"name": "Tertimpa"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["detail"] == str(services.EditConflict(world.a1))
    assert PerangkatDaerah.objects.get(pk=world.a1.pk).name == "Dinas A Satu"
    assert api.delete(f"{OPD_API}{world.a1.pk}/", HTTP_IF_MATCH=etag).status_code == 412
    assert PerangkatDaerah.objects.filter(pk=world.a1.pk).exists()

    fresh = api.get(f"{OPD_API}{world.a1.pk}/")["ETag"]
    response = api.patch(
        f"{OPD_API}{world.a1.pk}/", {"name": "Dinas A Satu (ubah)"}, format="json", HTTP_IF_MATCH=fresh
    )
    assert response.status_code == 200
    assert response.json()["head_name"] == "Kepala Baru"
    assert response["ETag"] == f'"{services.row_version(PerangkatDaerah.objects.get(pk=world.a1.pk))}"'


def test_api_patch_rechecks_the_model_rules_on_the_locked_row(world, superuser):
    """The serializer validated the PATCH against the row as read; the combination with what was
    committed since must hold too. Here: the PATCH moves an OPD to another instansi after someone
    else gave it a parent in the old one."""
    request = APIRequestFactory().patch(f"{OPD_API}{world.a1.pk}/", {"instansi": world.inst_b.pk}, format="json")
    view = PerangkatDaerahViewSet(request=Request(request), format_kwarg=None, kwargs={"pk": world.a1.pk})
    view.request.user = superuser
    stale = PerangkatDaerah.objects.get(pk=world.a1.pk)
    serializer = view.get_serializer(stale, data={"instansi": world.inst_b.pk}, partial=True)
    assert serializer.is_valid(), serializer.errors  # no parent yet: moving is fine as read

    _someone_else_sets(world.a1, parent=world.a2)
    with pytest.raises(ValidationError) as raised:
        view.perform_update(serializer)
    assert "parent" in raised.value.detail
    stored = PerangkatDaerah.objects.get(pk=world.a1.pk)
    assert (stored.instansi_id, stored.parent_id) == (world.inst_a.pk, world.a2.pk)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_the_schema_documents_if_match_and_412_on_versioned_writes(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/organizations/perangkat-daerah/{id}/"]
    for method in ("put", "patch", "delete"):
        assert "412" in operation[method]["responses"], method
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation[method]["parameters"]), method
    assert "412" not in operation["get"]["responses"]
