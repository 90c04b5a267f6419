"""The architecture's lists sort names without regard to case (issue #12): "e-Office" before "WBS-Ponti"
in the element and application lists, their API, and the relationship list sorted by the source's name.
The order itself is core's (`simpul/core/ordering.py`, tested in core/tests/test_ordering.py); this is
the national list it was written for, on SQLite and on PostgreSQL."""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.architecture.tests.factories import ApplicationFactory, InfrastructureFactory, link

pytestmark = pytest.mark.django_db

NAMES = ["WBS-Ponti", "e-Office", "SIMPEG", "aplikasi Absensi", "Zona Integritas"]
EXPECTED = ["aplikasi Absensi", "e-Office", "SIMPEG", "WBS-Ponti", "Zona Integritas"]


@pytest.fixture
def applications(world):
    server = InfrastructureFactory(owner=world.a1, name="Server Utama", published=True)
    made = [ApplicationFactory(owner=world.a1, name=name, published=True) for name in NAMES]
    for application in made:
        link(application, "runs_on", server)
    return made


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def in_page_order(content: str) -> list[str]:
    found = {name: content.find(f">{name}<") for name in NAMES}
    assert all(position >= 0 for position in found.values()), found
    return sorted(found, key=found.get)


@pytest.mark.parametrize("url_name", ["architecture:element_list", "architecture:application_list"])
@pytest.mark.parametrize("sort", [None, "name", "-name"])
def test_element_lists_sort_names_without_regard_to_case(world, applications, url_name, sort):
    params = {"domain": "aplikasi"} if url_name == "architecture:element_list" else {}
    if sort:
        params["sort"] = sort
    response = client_for(world.admin_a).get(reverse(url_name), params)
    assert response.status_code == 200
    assert in_page_order(response.content.decode()) == (EXPECTED[::-1] if sort == "-name" else EXPECTED)


@pytest.mark.parametrize("path", ["/api/architecture/elements/?domain=aplikasi", "/api/architecture/applications/?"])
@pytest.mark.parametrize("ordering", ["name", "-name"])
def test_api_orders_names_without_regard_to_case(world, applications, path, ordering):
    response = client_for(world.admin_a).get(f"{path}&ordering={ordering}")
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert names == (EXPECTED[::-1] if ordering == "-name" else EXPECTED)


def test_relationship_list_sorts_by_the_source_name_without_regard_to_case(world, applications):
    response = client_for(world.admin_a).get(reverse("architecture:relationship_list"))
    assert response.status_code == 200
    assert in_page_order(response.content.decode()) == EXPECTED
