"""Rate limits of the API's unauthenticated entry points: anonymous requests (the token endpoint's own
limit is tested in simpul/accounts/tests/test_token_throttling.py), and turning the limits off."""

import pytest
from rest_framework.test import APIClient

from simpul.core.tests.throttling import assert_throttled, own_cache  # noqa: F401 (a fixture)

TOKEN_URL = "/api/auth/token/"
# Served to anyone; the JSON form shows the refusal's detail (the HTML pages answer a bare 429 page).
SCHEMA_URL = "/api/schema/?format=json"


pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def api():
    return APIClient(headers={"accept-language": "en"})


def test_anonymous_requests_are_limited_and_signed_in_ones_are_not(world, api, settings, client):
    settings.SIMPUL_RATE_ANON = "1/min"
    assert api.get(SCHEMA_URL).status_code == 200
    assert_throttled(api.get(SCHEMA_URL))
    assert api.get("/api/docs/").status_code == 429  # the same count for every anonymous page

    client.force_login(world.operator_a1)
    assert {client.get("/api/docs/").status_code for _ in range(3)} == {200}
    token = APIClient()
    token.force_authenticate(world.operator_a1)
    assert {token.get("/api/organizations/perangkat-daerah/").status_code for _ in range(5)} == {200}


def test_throttled_detail_is_in_the_users_language(world, settings):
    from django.utils import translation

    settings.SIMPUL_RATE_ANON = "1/min"
    api = APIClient(headers={"accept-language": "id"})
    api.get("/api/docs/")
    response = api.get(SCHEMA_URL)
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    with translation.override("id"):
        expected = translation.ngettext(
            "Too many requests from your address. Try again in %(seconds)d second.",
            "Too many requests from your address. Try again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
    assert response.json() == {"detail": expected}


def test_an_empty_rate_turns_the_limit_off(world, api, settings):
    settings.SIMPUL_RATE_TOKEN = ""
    settings.SIMPUL_RATE_ANON = ""
    attempts = [{"username": f"tamu{number}", "password": "salah-sekali"} for number in range(35)]
    assert {api.post(TOKEN_URL, attempt, format="json").status_code for attempt in attempts} == {400}
    assert {api.get("/api/docs/").status_code for _ in range(35)} == {200}
