"""Shared fixtures: two instansi with two OPDs each, and users of every role, for permission tests."""

import io
import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from simpul.organizations.tests.factories import make_world


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The production hasher is deliberately slow; tests create many users, so they hash with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Two instansi (A, B); A has OPDs a1, a2; B has b1. Users: admin of A, operator of a1, etc."""
    return make_world()


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The Lampung Timur demo (`simpul demo`, every module's loader), loaded once per test module inside
    a transaction rolled back after the module's last test; each test runs in a savepoint within it
    (pytest-django's `db`), so what a test changes is gone for the next. Loading it per test cost the
    demo tests most of their time. Only for a module whose every test uses it: the demo stays in the
    database from the first test that asks for it to the module's end."""
    previous = os.environ.get("SIMPUL_DEMO_PASSWORD")
    os.environ["SIMPUL_DEMO_PASSWORD"] = "Sandi-Demo-Uji-2026"  # noqa: S105 (the demo's test password)
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("demo-media")
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=str(media)),
            transaction.atomic(),
        ):
            call_command("demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)
    finally:
        if previous is None:
            os.environ.pop("SIMPUL_DEMO_PASSWORD", None)
        else:
            os.environ["SIMPUL_DEMO_PASSWORD"] = previous


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(transactional) or "transactional_db" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by the markers set here
def pytest_collection_modifyitems(config, items):
    """Tests that commit (transactional_db) are marked `serial`: they end by emptying the test database,
    migration-loaded data included, so `make test` runs them in a pass of their own after the parallel
    one (pytest-xdist), never beside tests that read that data.

    Tests marked postgres_only run in the PostgreSQL pass of `make test` and are deselected (not
    skipped) in the SQLite pass, where what they test cannot happen."""
    from django.conf import settings

    for item in items:
        if _commits(item):
            item.add_marker(pytest.mark.serial)

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    selected = [item for item in items if item.get_closest_marker("postgres_only") is None]
    deselected = [item for item in items if item.get_closest_marker("postgres_only") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
