"""API keys are filtered by one filter set, on the list page and in the API alike."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from simpul.accounts.api.views import ApiKeyViewSet
from simpul.accounts.filters import ApiKeyFilterSet
from simpul.accounts.views import ApiKeyViews
from simpul.core.models import ApiKey

API_URL = "/api/core/api-keys/"


def issue_key(user, instansi, name, **fields) -> ApiKey:
    key = ApiKey(name=name, instansi=instansi, user=user, **fields)
    key.issue()
    key.save()
    return key


@pytest.fixture
def keys(world):
    return {
        "simpeg": issue_key(world.operator_a1, world.inst_a, "Integrasi SIMPEG", owner=world.a1),
        "mobile": issue_key(world.admin_a, world.inst_a, "Sinkron harian", external_system="Aplikasi mobile"),
        "dashboard": issue_key(world.admin_a, world.inst_a, "Dasbor pimpinan", external_system="Simpeg pusat"),
        "revoked": issue_key(world.admin_a, world.inst_a, "SIMPEG lama", revoked_at=timezone.now()),
        "other_instansi": issue_key(world.admin_b, world.inst_b, "Integrasi SIMPEG B"),
    }


def test_the_page_and_the_api_use_the_same_filter_set(world, keys, client):
    assert ApiKeyViews.filterset is ApiKeyFilterSet
    assert ApiKeyViewSet.filterset_class is ApiKeyFilterSet

    client.force_login(world.admin_a)
    page = client.get(reverse("accounts:apikey_list"), {"q": "simpeg"})
    assert type(page.context["filterset"]) is ApiKeyFilterSet


def page_ids(client, params) -> set[int]:
    response = client.get(reverse("accounts:apikey_list"), params)
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].rows}


def api_ids(api, params) -> set[int]:
    response = api.get(API_URL, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "simpeg"}, {"simpeg", "dashboard", "revoked"}),  # names, and the external system of one
        ({"q": "mobile"}, {"mobile"}),
        ({"q": "integrasi simpeg"}, {"simpeg"}),  # every word must match; B's key is out of scope
        ({"q": "tidak ada"}, set()),
        ({"user": "operator_a1"}, {"simpeg"}),
        ({"q": "simpeg", "revoked": "false"}, {"simpeg", "dashboard"}),
        ({"q": "simpeg", "revoked": "true"}, {"revoked"}),
    ],
)
def test_q_and_the_other_filters_find_the_same_keys_on_the_page_and_in_the_api(world, keys, client, params, expected):
    params = {name: getattr(world, value).pk if name == "user" else value for name, value in params.items()}
    client.force_login(world.admin_a)
    api = APIClient()
    api.force_authenticate(world.admin_a)

    found = {name for name, key in keys.items() if key.pk in page_ids(client, params)}
    assert found == expected
    assert api_ids(api, params) == page_ids(client, params)


def test_q_finds_a_key_by_its_prefix_in_both(world, keys, client):
    prefix = keys["mobile"].prefix
    client.force_login(world.admin_a)
    api = APIClient()
    api.force_authenticate(world.admin_a)
    assert page_ids(client, {"q": prefix}) == api_ids(api, {"q": prefix}) == {keys["mobile"].pk}
