"""Malformed input to the API is a 4xx naming what is wrong, never a server error nor silently ignored.

These are core's rules (filter backend, base filter set, pagination, base viewset), so each is checked on
endpoints of different modules, including filter sets that are not core's BaseFilterSet.
"""

import pytest
from rest_framework.test import APIClient

from simpul.architecture.tests.factories import ApplicationFactory, link

HUGE = "99999999999999999999"  # beyond 64 bits: SQLite's driver refused it (OverflowError, a 500)


def api(user, language="en") -> APIClient:
    client = APIClient(headers={"accept-language": language})
    client.force_authenticate(user)
    # A server error must come back as a response here, not as the exception behind it.
    client.raise_request_exception = False
    return client


def errors(response, status=400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def scene(world):
    world.app = ApplicationFactory(owner=world.a1, name="SIMPEG")
    world.other = ApplicationFactory(owner=world.a2, name="SIPP")
    link(world.app, "integrates_with", world.other)
    return world


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/architecture/relationships/", "source"),  # a number filter on a foreign key
        ("/api/evaluation/assessments/", "period"),
        ("/api/evaluation/national-results/", "period"),
        ("/api/evaluation/scores/", "instansi"),  # a plain django-filter FilterSet, not a BaseFilterSet
        ("/api/architecture/elements/", "owner"),  # a record choice
        ("/api/organizations/perangkat-daerah/", "parent"),
        ("/api/architecture/reference-codes/", "level"),  # a number filter on a plain integer column
    ],
)
@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", "9223372036854775808"])
def test_numbers_beyond_64_bits_are_refused_by_name(scene, path, parameter, value):
    body = errors(api(scene.admin_a).get(path, {parameter: value}))
    assert list(body) == [parameter]


def test_id_filters_take_whole_numbers(scene):
    client = api(scene.admin_a)
    # Read as a decimal, 1.5 silently matched id 1.
    for path, parameter in (("/api/architecture/relationships/", "source"), ("/api/evaluation/scores/", "period")):
        assert errors(client.get(path, {parameter: "1.5"})) == {parameter: ["Enter a whole number."]}
    rows = client.get("/api/architecture/relationships/", {"source": scene.app.pk}).json()["results"]
    assert [row["target"] for row in rows] == [scene.other.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": "abc"}, "Enter a whole number of at least 1."),
        ({"limit": "0"}, "Enter a whole number of at least 1."),
        ({"limit": "-5"}, "Enter a whole number of at least 1."),
        ({"limit": "1.5"}, "Enter a whole number of at least 1."),
        ({"offset": "abc"}, "Enter a whole number from 0 to 9223372036854775807."),
        ({"offset": "-1"}, "Enter a whole number from 0 to 9223372036854775807."),
        ({"offset": HUGE}, "Enter a whole number from 0 to 9223372036854775807."),
        # More digits than Python converts to a number at all.
        ({"offset": "9" * 5000}, "Enter a whole number from 0 to 9223372036854775807."),
    ],
)
def test_invalid_limit_and_offset_are_refused_by_name(world, query, message):
    # They were read as the defaults: a client asking for 20 rows got 50 without being told.
    body = errors(api(world.admin_a).get("/api/organizations/perangkat-daerah/", query))
    assert body == {next(iter(query)): [message]}


def test_limit_and_offset_still_page_and_a_large_limit_is_the_maximum(world):
    client = api(world.admin_a)
    page = client.get("/api/organizations/perangkat-daerah/", {"limit": 1, "offset": 1, "ordering": "short_name"})
    assert page.status_code == 200
    assert [row["short_name"] for row in page.json()["results"]] == ["A2"]
    for limit in (10**30, "9" * 5000):
        big = client.get("/api/organizations/perangkat-daerah/", {"limit": limit})
        assert big.status_code == 200
        assert big.json()["count"] == 2
    assert client.get("/api/organizations/perangkat-daerah/", {"limit": "", "offset": ""}).status_code == 200


def test_invalid_yes_no_filters_are_refused_by_name(world):
    client = api(world.admin_a)
    for value in ("maybe", "yes", "1", "TRUE"):
        assert errors(client.get("/api/organizations/perangkat-daerah/", {"is_active": value})) == {
            "is_active": ["Enter true or false."]
        }
    world.a2.is_active = False
    world.a2.save()
    for value, expected in (("false", {"A2"}), ("true", {"A1"}), ("False", {"A2"}), ("", {"A1", "A2"})):
        rows = client.get("/api/organizations/perangkat-daerah/", {"is_active": value}).json()["results"]
        assert {row["short_name"] for row in rows} == expected, value


def test_invalid_ordering_is_refused_with_the_fields_it_takes(world):
    client = api(world.admin_a)
    for value in ("nope", "short_name,nope", "-", " short_name", "short_name,"):
        body = errors(client.get("/api/organizations/perangkat-daerah/", {"ordering": value}))
        assert body == {"ordering": ["Order by one of: name, short_name; put - before a field to reverse."]}, value
    rows = client.get("/api/organizations/perangkat-daerah/", {"ordering": "-short_name,name"}).json()["results"]
    assert [row["short_name"] for row in rows] == ["A2", "A1"]


def test_all_invalid_parameters_are_named_at_once(world):
    body = errors(api(world.admin_a).get("/api/organizations/perangkat-daerah/", {"is_active": "x", "ordering": "x"}))
    assert set(body) == {"is_active", "ordering"}


def test_the_messages_follow_the_request_language(scene):
    body = errors(api(scene.admin_a, "id").get("/api/architecture/relationships/", {"source": "1.5"}))
    assert body == {"source": ["Masukkan keseluruhan angka bilangan."]}


def test_unknown_parameters_are_still_ignored(world):
    response = api(world.admin_a).get("/api/organizations/perangkat-daerah/", {"colour": "blue", "page": "x"})
    assert response.status_code == 200
    assert response.json()["count"] == 2


@pytest.mark.parametrize("path", ["/api/architecture/applications/", "/api/organizations/perangkat-daerah/"])
@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", HUGE, "1e3", "9" * 5000])
def test_an_id_that_is_not_one_is_a_json_404(world, path, pk):
    # `1.5` did not match the route at all and got Django's HTML 404 page.
    body = errors(api(world.admin_a).get(f"{path}{pk}/"), 404)
    assert set(body) == {"detail"}


def test_null_characters_are_refused_before_the_database_sees_them(scene):
    # PostgreSQL refuses a NUL in any text or JSON value (DataError: a server error there).
    client = api(scene.admin_a)
    assert errors(client.get("/api/architecture/reference-codes/RAL%00/"), 404) == {"detail": "Not found."}
    body = errors(
        client.patch(f"/api/architecture/applications/{scene.app.pk}/", {"properties": {"k": "a\x00"}}, format="json")
    )
    assert body == {"properties": ["Null characters are not allowed."]}
    body = errors(client.patch(f"/api/architecture/applications/{scene.app.pk}/", {"name": "a\x00"}, format="json"))
    assert body == {"name": ["Null characters are not allowed."]}
    assert errors(client.get("/api/architecture/compliance/", {"instansi": "inst-a\x00"}), 404)


def test_list_pages_share_the_filter_rules(client, scene):
    # The same filter sets serve the web lists: there the page says what is wrong instead of a 500.
    client.force_login(scene.admin_a)
    client.raise_request_exception = False
    response = client.get("/architecture/relationships/", {"source": HUGE}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert response.context["filterset"].errors == {
        "source": ["Ensure this value is less than or equal to 9223372036854775807."]
    }
