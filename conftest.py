"""Shared fixtures: two instansi with two OPDs each, and users of every role, for permission tests."""

import pytest

from simpul.organizations.tests.factories import make_world


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The production hasher is deliberately slow; tests create many users, so they hash with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Two instansi (A, B); A has OPDs a1, a2; B has b1. Users: admin of A, operator of a1, etc."""
    return make_world()


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only run in the PostgreSQL pass of `make test` and are deselected (not
    skipped) in the SQLite pass, where what they test cannot happen."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    selected = [item for item in items if item.get_closest_marker("postgres_only") is None]
    deselected = [item for item in items if item.get_closest_marker("postgres_only") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
