"""Rate limits of the API's unauthenticated entry points: the token endpoint and anonymous requests."""

import pytest
from rest_framework.test import APIClient

from simpul.organizations.tests.factories import TEST_PASSWORD

TOKEN_URL = "/api/auth/token/"
# Served to anyone; the JSON form shows the refusal's detail (the HTML pages answer a bare 429 page).
SCHEMA_URL = "/api/schema/?format=json"


@pytest.fixture(autouse=True)
def own_cache(settings, tmp_path):
    # The counters live in the cache: each test gets its own, empty one, and leaves the shared cache
    # directory of other test runs alone.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }


@pytest.fixture
def api():
    return APIClient(headers={"accept-language": "en"})


def assert_throttled(response):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    seconds = "second" if wait == 1 else "seconds"
    assert response.json() == {"detail": f"Too many requests from your address. Try again in {wait} {seconds}."}


def test_token_endpoint_refuses_attempts_over_its_rate(world, api, settings):
    settings.SIMPUL_RATE_TOKEN = "3/min"
    wrong = {"username": "operator-a1", "password": "salah-sekali"}
    for forged in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        # A forged X-Forwarded-For does not start a fresh count: without a trusted proxy it is ignored.
        response = api.post(TOKEN_URL, wrong, format="json", headers={"x-forwarded-for": forged})
        assert response.status_code == 400
    assert_throttled(api.post(TOKEN_URL, wrong, format="json", headers={"x-forwarded-for": "10.0.0.4"}))
    # Right credentials count too, or a guesser would learn the password by the answer changing.
    right = {"username": "operator-a1", "password": TEST_PASSWORD}
    assert_throttled(api.post(TOKEN_URL, right, format="json"))


def test_token_rate_is_per_client_behind_a_trusted_proxy(world, api, settings):
    settings.SIMPUL_RATE_TOKEN = "1/min"
    settings.SIMPUL_TRUST_X_FORWARDED_FOR = True
    credentials = {"username": "operator-a1", "password": TEST_PASSWORD}
    first = api.post(TOKEN_URL, credentials, format="json", headers={"x-forwarded-for": "203.0.113.7"})
    assert first.status_code == 200
    assert_throttled(api.post(TOKEN_URL, credentials, format="json", headers={"x-forwarded-for": "203.0.113.7"}))
    other = api.post(TOKEN_URL, credentials, format="json", headers={"x-forwarded-for": "203.0.113.8"})
    assert other.status_code == 200


def test_token_rate_default_is_ten_a_minute(world, api):
    # A different name each time: five failures for one name are the sign-in lockout's (django-axes).
    attempts = [{"username": f"tamu{number}", "password": "salah-sekali"} for number in range(11)]
    assert [api.post(TOKEN_URL, attempt, format="json").status_code for attempt in attempts[:10]] == [400] * 10
    assert_throttled(api.post(TOKEN_URL, attempts[10], format="json"))


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
