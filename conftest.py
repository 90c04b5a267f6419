"""Shared fixtures: two instansi with two OPDs each, and users of every role, for permission tests."""

import pytest

from simpul.organizations.tests.factories import InstansiFactory, PerangkatDaerahFactory, user_with_role


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The production hasher is deliberately slow; tests create many users, so they hash with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Two instansi (A, B); A has OPDs a1, a2; B has b1. Users: admin of A, operator of a1, etc."""

    class World:
        pass

    w = World()
    w.inst_a = InstansiFactory(slug="inst-a", name="Pemerintah Kabupaten A", official_domain="akab.go.id")
    w.inst_b = InstansiFactory(slug="inst-b", name="Pemerintah Kabupaten B", official_domain="bkab.go.id")
    w.a1 = PerangkatDaerahFactory(instansi=w.inst_a, short_name="A1", name="Dinas A Satu")
    w.a2 = PerangkatDaerahFactory(instansi=w.inst_a, short_name="A2", name="Dinas A Dua")
    w.b1 = PerangkatDaerahFactory(instansi=w.inst_b, short_name="B1", name="Dinas B Satu")
    w.admin_a = user_with_role("admin_spbe", w.inst_a, username="admin-a", opd=None)
    w.admin_b = user_with_role("admin_spbe", w.inst_b, username="admin-b", opd=None)
    w.operator_a1 = user_with_role("operator_opd", w.inst_a, w.a1, username="operator-a1")
    w.operator_a2 = user_with_role("operator_opd", w.inst_a, w.a2, username="operator-a2")
    w.koordinator_a = user_with_role("koordinator", w.inst_a, username="koordinator-a")
    w.auditor_a = user_with_role("auditor", w.inst_a, username="auditor-a")
    w.pimpinan_a = user_with_role("pimpinan", w.inst_a, username="pimpinan-a")
    w.evaluator_a = user_with_role("evaluator_pj", w.inst_a, username="evaluator-a")
    w.asn_a1 = user_with_role("asn", w.inst_a, w.a1, username="asn-a1")
    return w


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
