"""The impact page and endpoint stay bounded whatever the reach: they list one page of the nearest
elements, by distance and then name, count the rest in the database, and run as many queries for a
reach of 4 as for a reach of 60. Hidden elements are left out of every list and count.

The graphs are drawn in each test; the expected orders are written from them by hand.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.architecture import impact, views
from simpul.architecture.api.views import MAX_IMPACT_LIMIT
from simpul.architecture.models import Relationship
from simpul.architecture.tests.factories import ApplicationFactory, InfrastructureFactory, ServiceFactory, link


def fan(owner, width: int, prefix: str = ""):
    """A data centre with `width` servers running on it and one application on each server: the
    servers are 1 step from the data centre, the applications 2."""
    dc = InfrastructureFactory(owner=owner, name=f"{prefix}Pusat Data", kind="pusat_data")
    servers = [InfrastructureFactory(owner=owner, name=f"{prefix}Server {i:02d}") for i in range(width)]
    apps = [ApplicationFactory(owner=owner, name=f"{prefix}Aplikasi {i:02d}") for i in range(width)]
    Relationship.objects.bulk_create(
        [Relationship(source=s, kind="runs_on", target=dc) for s in servers]
        + [Relationship(source=a, kind="runs_on", target=s) for a, s in zip(apps, servers, strict=True)]
    )
    return dc


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def listed(response) -> list[tuple[str, int]]:
    assert response.status_code == 200
    return [(row["element"].name, row["depth"]) for row in response.context["rows"]]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views.ImpactView, "page_size", 3)


@pytest.fixture
def tree(world):
    """Pusat Data <- Server C, Server A, Server B (1 step); Aplikasi Z on Server C, Aplikasi Y on
    Server A (2); Layanan X realised by Aplikasi Z (3). Created out of name order on purpose."""
    dc = InfrastructureFactory(owner=world.a1, name="Pusat Data", kind="pusat_data")
    server_c = InfrastructureFactory(owner=world.a1, name="Server C")
    server_a = InfrastructureFactory(owner=world.a2, name="Server A")
    server_b = InfrastructureFactory(owner=world.a1, name="Server B")
    app_z = ApplicationFactory(owner=world.a1, name="Aplikasi Z")
    app_y = ApplicationFactory(owner=world.a2, name="Aplikasi Y")
    service = ServiceFactory(owner=world.a2, name="Layanan X")
    for server in (server_c, server_a, server_b):
        link(server, "runs_on", dc)
    link(app_z, "runs_on", server_c)
    link(app_y, "runs_on", server_a)
    link(app_z, "realizes", service)
    return dc


def test_the_page_lists_the_nearest_first_and_pages_on_in_distance_order(world, tree, small_pages):
    url = reverse("architecture:element_impact", args=[tree.pk])
    client = client_for(world.admin_a)

    first = client.get(url)
    assert listed(first) == [("Server A", 1), ("Server B", 1), ("Server C", 1)]
    assert first.context["by_distance"] == [(1, 3), (2, 2), (3, 1)]
    assert first.context["page"].paginator.count == 6
    assert first.context["hidden_count"] == 0
    html = first.content.decode()
    assert "6 elements reached" in html
    assert "Only the nearest 3 are listed here, by distance and then name." in html
    assert "distance 2: 2" in html
    assert "Page 1 of 2" in html
    assert first.context["page_urls"] == {"next": "?page=2", "last": "?page=2"}
    # The summaries count every visible element, not only the listed ones.
    assert dict(first.context["by_domain"]) == {"SPBE application": 2, "Infrastructure": 3, "SPBE service": 1}
    assert [str(opd) for opd in first.context["affected_opds"]] == ["A1", "A2"]

    second = client.get(url, {"page": 2})
    assert listed(second) == [("Aplikasi Y", 2), ("Aplikasi Z", 2), ("Layanan X", 3)]
    assert "Elements 4–6 of 6, by distance and then name." in second.content.decode()
    assert second.context["page_urls"] == {"first": "?page=1", "previous": "?page=1"}
    # A page past the end shows the last one; a page that is no number, the first.
    assert listed(client.get(url, {"page": 99})) == listed(second)
    assert listed(client.get(url, {"page": "x"})) == listed(first)


def test_paging_keeps_the_direction(world, small_pages):
    # Layanan <-realizes- Aplikasi -runs_on-> VM-1..VM-4: the service needs the app (1), then the VMs (2).
    service = ServiceFactory(owner=world.a1, name="Layanan")
    app = ApplicationFactory(owner=world.a1, name="Aplikasi")
    link(app, "realizes", service)
    for i in (4, 2, 3, 1):
        link(app, "runs_on", InfrastructureFactory(owner=world.a1, name=f"VM-{i}", kind="vm"))
    url = reverse("architecture:element_impact", args=[service.pk])
    client = client_for(world.admin_a)
    first = client.get(url, {"direction": "dependencies"})
    assert listed(first) == [("Aplikasi", 1), ("VM-1", 2), ("VM-2", 2)]
    assert first.context["page_urls"]["next"] == "?direction=dependencies&page=2"
    second = client.get(url, {"direction": "dependencies", "page": 2})
    assert listed(second) == [("VM-3", 2), ("VM-4", 2)]
    assert 'href="?direction=dependencies&amp;page=1"' in second.content.decode()


def test_hidden_elements_are_neither_listed_nor_counted_on_any_page(world, tree, small_pages):
    # Two drafts of A2 one step away: the operator of A1 may not see them, the admin may.
    for name in ("Draf A2 satu", "Draf A2 dua"):
        link(InfrastructureFactory(owner=world.a2, name=name, published=False), "runs_on", tree)
    url = reverse("architecture:element_impact", args=[tree.pk])
    operator = client_for(world.operator_a1)
    pages = [operator.get(url, {"page": n}) for n in (1, 2)]
    assert [name for page in pages for name, _ in listed(page)] == [
        "Server A",
        "Server B",
        "Server C",
        "Aplikasi Y",
        "Aplikasi Z",
        "Layanan X",
    ]
    assert pages[0].context["by_distance"] == [(1, 3), (2, 2), (3, 1)]
    assert pages[0].context["hidden_count"] == 2
    assert "2 more elements are outside what you may see." in pages[0].content.decode()
    assert "Draf" not in pages[0].content.decode() + pages[1].content.decode()
    admin = client_for(world.admin_a)
    response = admin.get(url)
    assert listed(response) == [("Draf A2 dua", 1), ("Draf A2 satu", 1), ("Server A", 1)]
    assert response.context["by_distance"] == [(1, 5), (2, 2), (3, 1)]
    assert response.context["hidden_count"] == 0


def test_a_reach_within_one_page_has_no_pagination(world, tree):
    response = client_for(world.admin_a).get(reverse("architecture:element_impact", args=[tree.pk]))
    assert len(listed(response)) == 6
    html = response.content.decode()
    assert "Only the nearest" not in html
    assert 'data-testid="impact-pagination"' not in html


def queries_for(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_reach(world, monkeypatch):
    monkeypatch.setattr(views.ImpactView, "page_size", 5)
    small = fan(world.a1, 2, "Kecil ")  # reach 4: one page
    large = fan(world.a1, 30, "Besar ")  # reach 60: twelve pages
    client = client_for(world.admin_a)
    page = reverse("architecture:element_impact", args=[small.pk])
    client.get(page)  # the session and the user's grants are read once, before measuring
    small_queries = queries_for(client, page)
    large_page = reverse("architecture:element_impact", args=[large.pk])
    assert queries_for(client, large_page) == small_queries
    assert queries_for(client, large_page, {"page": 7}) == small_queries
    response = client.get(large_page, {"page": 7})
    # Page 7 holds elements 31-35: after the 30 servers, the first five applications.
    assert listed(response) == [(f"Besar Aplikasi {i:02d}", 2) for i in range(5)]
    assert response.context["page"].paginator.count == 60

    api = APIClient()
    api.force_authenticate(world.admin_a)
    small_api = f"/api/architecture/elements/{small.pk}/impact/"
    api.get(small_api)
    with CaptureQueriesContext(connection) as captured:
        api.get(small_api)
    with CaptureQueriesContext(connection) as captured_large:
        api.get(f"/api/architecture/elements/{large.pk}/impact/", {"limit": 5, "offset": 30})
    assert len(captured_large) == len(captured)


def test_the_endpoint_pages_with_limit_and_offset(world, tree):
    api = APIClient()
    api.force_authenticate(world.admin_a)
    url = f"/api/architecture/elements/{tree.pk}/impact/"
    data = api.get(url, {"limit": 2, "offset": 2}).json()
    assert [(row["name"], row["depth"]) for row in data["elements"]] == [("Server C", 1), ("Aplikasi Y", 2)]
    assert (data["count"], data["limit"], data["offset"], data["hidden"]) == (6, 2, 2, 0)
    assert data["by_distance"] == {"1": 3, "2": 2, "3": 1}
    assert data["affected_opds"] == ["A1", "A2"]
    whole = api.get(url).json()
    assert whole["limit"] == impact.PAGE_SIZE
    assert [row["name"] for row in whole["elements"]][:3] == ["Server A", "Server B", "Server C"]
    assert api.get(url, {"offset": 6}).json()["elements"] == []
    assert api.get(url, {"limit": 10**6}).json()["limit"] == MAX_IMPACT_LIMIT
    # Malformed paging is refused with a message per parameter, as on every list endpoint.
    for query, name in (({"limit": "many"}, "limit"), ({"offset": "-3"}, "offset")):
        refused = api.get(url, query)
        assert refused.status_code == 400, query
        assert list(refused.json()) == [name]


def test_visible_reach_counts_and_pages_across_distances(world, tree):
    reach = impact.VisibleReach(impact.analyse(tree), world.operator_a1)
    assert reach.by_distance == {1: 3, 2: 2, 3: 1}
    assert len(reach) == 6
    assert [(e.name, d) for e, d in reach.page(2, 3)] == [("Server C", 1), ("Aplikasi Y", 2), ("Aplikasi Z", 2)]
    assert [(e.name, d) for e, d in reach[5:]] == [("Layanan X", 3)]
    assert reach.page(6, 3) == []
    assert reach.by_domain() == {"infrastruktur": 3, "aplikasi": 2, "layanan": 1}
    nothing = impact.VisibleReach(impact.analyse(tree, "dependencies"), world.operator_a1)
    assert (nothing.count, nothing.hidden, nothing.by_domain(), nothing.page(0, 10)) == (0, 0, {}, [])
