"""Operations: the health check for load balancers and the structured (JSON) request log."""

import io
import json
import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils.module_loading import import_string

from simpul.core.logging import RequestContextFilter
from simpul.core.views import health


@pytest.mark.django_db
def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "vendor": health.connection.vendor}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_503_when_database_fails(client):
    with mock.patch.object(health.connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "detail": "OperationalError"}


@pytest.fixture
def json_request_log():
    """Lines the request logger writes through Simpul's configured JSON formatter and context filter."""
    config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(config.pop("()"))(**config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("simpul.request")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_console_handler_uses_the_json_formatter_by_default():
    if settings.LOG_FORMAT == "json":
        console = settings.LOGGING["handlers"]["console"]
        assert console["formatter"] == "json"
        assert console["filters"] == ["request_context"]
    assert settings.LOGGING["formatters"]["json"]["()"] == "pythonjsonlogger.json.JsonFormatter"


@pytest.mark.django_db
def test_request_log_line_is_json_with_the_response_request_id(client, json_request_log):
    response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32

    (line,) = json_request_log()
    assert line["request_id"] == request_id
    assert line["logger"] == "simpul.request"
    assert line["level"] == "INFO"
    assert line["message"] == "GET /healthz 200"
    assert isinstance(line["duration_ms"], float)
    assert "time" in line


@pytest.mark.django_db
def test_sane_incoming_request_id_is_kept(client, json_request_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.2025_01")
    assert response["X-Request-ID"] == "lb-7f3a.2025_01"
    assert json_request_log()[0]["request_id"] == "lb-7f3a.2025_01"


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["bad id with spaces", "x" * 65, "<script>", "a\r\nSet-Cookie: x=1"])
def test_insane_incoming_request_id_is_replaced(client, json_request_log, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32
    assert json_request_log()[0]["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_request_log_line_names_the_signed_in_user(client, json_request_log, world):
    client.force_login(world.admin_a)
    client.get("/healthz")
    assert json_request_log()[-1]["user"] == "admin-a"
