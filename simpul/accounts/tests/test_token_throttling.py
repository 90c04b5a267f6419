"""The token endpoint's rate limit (the anonymous limit is core's: simpul/core/tests/test_api_throttling.py)."""

import pytest
from rest_framework.test import APIClient

from simpul.core.tests.throttling import assert_throttled, own_cache  # noqa: F401 (a fixture)
from simpul.organizations.tests.factories import TEST_PASSWORD

TOKEN_URL = "/api/auth/token/"


pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def api():
    return APIClient(headers={"accept-language": "en"})


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
