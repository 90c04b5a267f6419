"""The OpenAPI 3 schema and the API documentation pages, served without any outside asset."""

import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

EXPECTED_PATHS = [
    "/api/auth/token/",
    "/api/organizations/instansi/",
    "/api/organizations/instansi/{id}/",
    "/api/organizations/perangkat-daerah/",
    "/api/organizations/perangkat-daerah/{id}/",
    "/api/organizations/users/",
    "/api/organizations/users/{id}/",
    "/api/organizations/role-assignments/",
    "/api/organizations/role-assignments/{id}/",
    "/api/core/audit-entries/",
    "/api/core/audit-entries/{id}/",
    "/api/core/api-keys/",
    "/api/core/api-keys/{id}/",
]


@pytest.fixture
def schema(db) -> dict:
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_with_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Simpul API"
    for path in EXPECTED_PATHS:
        assert path in schema["paths"], path
    opd = schema["paths"]["/api/organizations/perangkat-daerah/"]
    assert set(opd) >= {"get", "post"}
    assert set(schema["paths"]["/api/organizations/perangkat-daerah/{id}/"]) >= {"get", "put", "patch", "delete"}
    # The core endpoints are read-only.
    assert set(schema["paths"]["/api/core/api-keys/"]) == {"get"}


def test_schema_documents_filters_pagination_and_ordering(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/organizations/perangkat-daerah/"]["get"]["parameters"]}
    assert parameters >= {"instansi", "kind", "q", "is_active", "limit", "offset", "ordering"}
    response = schema["paths"]["/api/organizations/perangkat-daerah/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["$ref"].endswith("/PaginatedPerangkatDaerahList")


def test_schema_has_the_api_key_and_token_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": schemes["ApiKey"]["description"],
    }
    assert "Api-Key" in schemes["ApiKey"]["description"]
    assert schemes["bearerAuth"]["type"] == "http"
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["tokenAuth"]["name"] == "Authorization"
    assert "cookieAuth" in schemes
    security = schema["paths"]["/api/organizations/perangkat-daerah/"]["get"]["security"]
    assert {"ApiKey": []} in security
    assert {"bearerAuth": []} in security
    assert {"tokenAuth": []} in security
    # The token endpoint itself needs no credentials.
    assert schema["paths"]["/api/auth/token/"]["post"]["security"] == [{}]


def test_schema_marks_write_only_and_read_only_fields(schema):
    components = schema["components"]["schemas"]
    assert "password" not in components["User"]["properties"]
    assert "password" in components["UserRequest"]["properties"]
    assert "key_hash" not in components["ApiKey"]["properties"]
    assert components["AuditEntry"]["properties"]["content_type"]["type"] == "string"


def test_schema_yaml_is_served_too(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert "/api/organizations/perangkat-daerah/" in document["paths"]


def test_schema_generation_has_no_warnings(tmp_path):
    # The same check as `simpul spectacular --validate --fail-on-warn`: a new endpoint that the schema
    # cannot describe fails here rather than silently in the published document.
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/organizations/perangkat-daerah/" in yaml.safe_load(target.read_text())["paths"]


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_only_local_static_assets(db, client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html)
    assert "http://" not in html and "https://" not in html
    assets = ASSET.findall(html)
    assert assets, "the page loads its viewer from somewhere"
    own_script = [asset for asset in assets if not asset.startswith("/static/")]
    for asset in assets:
        served = client.get(asset.replace("&amp;", "&"))
        assert served.status_code == 200, asset
        if asset in own_script:
            # Swagger UI's start-up script, served by the docs view itself so that no script is inline.
            assert asset.startswith(f"{url}?script"), asset
            assert served["Content-Type"].startswith("application/javascript")
            assert "/api/schema/" in served.content.decode()
        served.close()
    assert len(own_script) <= 1
    assert "/api/schema/" in html or own_script


def test_every_operation_documents_its_error_responses_with_one_error_body(schema):
    error = {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["properties"]["detail"]["type"] == "string"
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) > 100
    for path, method, operation in operations:
        responses = operation["responses"]
        expected = {"400", "429"}
        if path != "/api/auth/token/":
            expected |= {"401", "403", "404"}
        if method == "delete":
            expected.add("409")
        if method in ("post", "put", "patch") and path != "/api/auth/token/":
            expected.add("415")
        assert expected <= set(responses), (method, path)
        for status, response in responses.items():
            # The token view is a plain APIView that documents its own errors (core.api.views).
            if status >= "400" and path != "/api/auth/token/":
                assert response["content"]["application/json"]["schema"] == error, (method, path, status)


def test_schema_states_the_bounds_of_paging_ordering_and_number_parameters(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/evaluation/assessments/"]["get"]["parameters"]}
    assert parameters["limit"] == {"type": "integer", "minimum": 1}
    assert parameters["offset"] == {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
    assert parameters["period"] == {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
    assert parameters["ordering"]["pattern"] == (
        "^-?(?:item_key|status|updated_at)(?:,-?(?:item_key|status|updated_at))*$"
    )


def test_schema_patterns_do_not_narrow_what_python_accepts(schema):
    # Django's username validator reads \w in Unicode ("Ⱥ" is a letter), a JSON Schema validator in ASCII.
    components = schema["components"]["schemas"]
    assert "pattern" not in components["User"]["properties"]["username"]
    assert "pattern" not in components["UserRequest"]["properties"]["username"]


def test_the_schema_is_generated_once_per_language(db, monkeypatch, settings):
    from drf_spectacular.generators import SchemaGenerator

    settings.SIMPUL_RATE_ANON = ""  # five anonymous requests: not this test's business to be counted
    from simpul.core.api.views import CachedSchemaView

    CachedSchemaView.forget()
    built = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        built.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    client = APIClient()
    first = client.get("/api/schema/", {"format": "json"}).json()
    assert client.get("/api/schema/", {"format": "json"}).json() == first
    assert client.get("/api/schema/").status_code == 200  # YAML, from the same document
    assert len(built) == 1
    english = client.get("/api/schema/", {"format": "json", "lang": "en"}).json()
    assert len(built) == 2
    indonesian = client.get("/api/schema/", {"format": "json", "lang": "id"}).json()
    assert len(built) == 2 and indonesian == first  # the site's language is the one served by default
    assert english["paths"].keys() == first["paths"].keys()
    assert english != first  # the descriptions follow the language
