"""What the rate-limit tests share: a cache of each test's own, and the shape of a refusal."""

import pytest


@pytest.fixture
def own_cache(settings, tmp_path):
    """The throttle counters live in the cache: each test gets its own, empty one, and leaves the shared
    cache directory of other test runs alone."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }


def assert_throttled(response):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    seconds = "second" if wait == 1 else "seconds"
    assert response.json() == {"detail": f"Too many requests from your address. Try again in {wait} {seconds}."}
