"""The API against its own OpenAPI document: Schemathesis generates requests for every operation of
`/api/schema/` and fails on any server error and on any response the document does not describe
(undocumented status code, wrong content type, body not matching its schema).

One pytest test per operation, `test_api_matches_its_schema[<METHOD> <path>]`; it runs in `make test` on
SQLite and again on PostgreSQL. Settings and measured times: docs/development.md, "API contract tests
(Schemathesis)".
"""

from __future__ import annotations

import io
import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.urls import resolve
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework import relations
from rest_framework.authtoken.models import Token

from simpul.organizations.models import User
from simpul.organizations.tests.factories import TEST_PASSWORD

# Generated cases per operation: with the existing records mixed in (KnownRecords), 15 meet records that
# exist, records that do not and invalid input on every operation, in about a minute on SQLite.
MAX_EXAMPLES = 15

CONFIG = {
    "generation": {
        "max-examples": MAX_EXAMPLES,
        # The same cases on every run and machine: a failure in CI is a failure locally.
        "deterministic": True,
        "database": "none",
        # The test sends its own token; generated credentials would only ever meet 401.
        "with-security-parameters": False,
    },
    "phases": {
        "examples": {"enabled": True},
        "fuzzing": {"enabled": True},
        "coverage": {"enabled": False},
        "stateful": {"enabled": False},
    },
    "checks": {
        "enabled": False,
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
        "response_headers_conformance": {"enabled": True},
    },
}


# Rate-limit counters in a cache of this module's own, not the shared one of other runs and processes:
# earlier tests' requests must not make these 429, nor these make later tests' requests 429.
OWN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-contract"}}

# The document the API serves, read once at collection through the WSGI application like any client
# (anonymously: without the anonymous rate limit, which other tests of the run may have used up).
WSGI_APPLICATION = get_wsgi_application()
with override_settings(CACHES=OWN_CACHE, SIMPUL_RATE_ANON=""):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", WSGI_APPLICATION, config=schemathesis.Config.from_dict(CONFIG)
    )


@pytest.fixture(scope="module")
def contract_token(django_db_setup, django_db_blocker):
    """The demo (every module's loader, as `simpul demo`) and the token of a platform administrator.

    Loaded once for all operations inside a transaction rolled back at the end of the module; each
    operation's test and each example run in savepoints within it. The superuser may call every
    operation, so each reaches its own code rather than a 403.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        user = User.objects.create_superuser(username="kontrak", password=TEST_PASSWORD, full_name="Uji Kontrak API")
        yield Token.objects.create(user=user).key
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def in_process_requests():
    """Requests served in the test's own transaction, with rate limits counted apart (OWN_CACHE).

    Django closes a connection at the start and end of every request when its transaction is open; here
    that transaction is the test's. Django's own test client detaches these receivers the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with override_settings(CACHES=OWN_CACHE):
        yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.hook
def filter_path_parameters(context, path_parameters):
    # An empty value or one with "/" makes the URL of another route (or of none, answered by Django's own
    # HTML page), not a request to this operation.
    return all(str(value) and "/" not in str(value) for value in (path_parameters or {}).values())


@schema.hook
def map_case(context, case):
    return KNOWN_RECORDS.use_some(case)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_matches_its_schema(case, contract_token, in_process_requests):
    # Every example starts from the same data: whatever it created, changed or deleted is rolled back.
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Token {contract_token}", "Accept-Language": "en"})
        transaction.set_rollback(True)


class KnownRecords:
    """Turns some generated ids and codes into those of existing demo records.

    Generated ids almost never exist, so detail, update and delete operations and writes naming related
    records would only ever answer 404 and 400. The choice follows from the generated value alone, so the
    run stays deterministic; the other values are kept and still test the "does not exist" answers.
    """

    SAMPLE = 10

    def __init__(self):
        self._lookups: dict[str, list] = {}
        self._relations: dict[tuple[str, str], dict[str, list]] = {}

    def use_some(self, case):
        operation = case.operation
        path_values = self._path_values(operation.path)
        for name, value in list((case.path_parameters or {}).items()):
            if path_values and _pick(value):
                case.path_parameters[name] = _choose(path_values, value)
        if isinstance(case.body, dict):
            for name, values in self._relation_values(operation.path, operation.method.upper()).items():
                value = case.body.get(name)
                if values and _pick(value):
                    case.body[name] = _choose(values, value)
        return case

    def _path_values(self, path: str) -> list:
        if path not in self._lookups:
            view = _viewset(path)
            values = []
            if view is not None and "{" in path and getattr(view, "queryset", None) is not None:
                field = view.lookup_field
                rows = view.queryset.model._default_manager.order_by(field).values_list(field, flat=True)
                values = list(rows[: self.SAMPLE])
            self._lookups[path] = values
        return self._lookups[path]

    def _relation_values(self, path: str, method: str) -> dict[str, list]:
        key = (path, method)
        if key not in self._relations:
            self._relations[key] = {}
            view = _viewset(path)
            serializer_class = getattr(view, "serializer_class", None)
            if serializer_class is not None and method in ("POST", "PUT", "PATCH"):
                for name, field in serializer_class().fields.items():
                    field = getattr(field, "child_relation", field)
                    if field.read_only or not isinstance(field, relations.RelatedField) or field.queryset is None:
                        continue
                    attribute = getattr(field, "slug_field", "pk")
                    values = field.queryset.order_by("pk").values_list(attribute, flat=True)[: self.SAMPLE]
                    self._relations[key][name] = list(values)
        return self._relations[key]


def _viewset(path: str):
    match = resolve(re.sub(r"\{[^}]+\}", "1", path))
    return getattr(match.func, "cls", None)


def _pick(value) -> bool:
    """Half of the generated values, chosen by the value itself."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return value >= 0 and value % 2 == 0
    if isinstance(value, str):
        return len(value) % 2 == 0
    return False


def _choose(values: list, generated):
    index = generated if isinstance(generated, int) else len(generated)
    return values[(index // 2) % len(values)]


KNOWN_RECORDS = KnownRecords()
