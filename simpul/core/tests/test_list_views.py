"""List pages: constant query count, sorting, search, filters, page size and remembered column choice."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simpul.organizations.models import PerangkatDaerah, RoleAssignment
from simpul.organizations.tests.factories import PerangkatDaerahFactory, UserFactory


@pytest.fixture
def client(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    return client


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"per_page": 100})
    assert response.status_code == 200
    return len(captured), len(response.context["table"].page.object_list)


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("organizations:perangkatdaerah_list", lambda w, i: PerangkatDaerahFactory(instansi=w.inst_a, parent=w.a1)),
        ("organizations:user_list", lambda w, i: UserFactory(instansi=w.inst_a, opd=w.a2)),
        (
            "organizations:roleassignment_list",
            lambda w, i: RoleAssignment.objects.create(
                user=UserFactory(instansi=w.inst_a, opd=w.a1), role="asn", instansi=w.inst_a, opd=w.a1
            ),
        ),
        ("core:auditentry_list", None),  # every OPD created writes an audit entry
    ],
)
def test_query_count_does_not_grow_with_rows(world, client, url_name, make):
    url = reverse(url_name)
    make = make or (lambda w, i: PerangkatDaerahFactory(instansi=w.inst_a, parent=w.a1))
    client.get(url)  # warm caches (content types, session)
    small, shown_small = _queries(client, url)
    for i in range(40):
        make(world, i)
    large, shown_large = _queries(client, url)
    assert shown_large > shown_small
    assert large == small, f"{small} queries for {shown_small} rows but {large} for {shown_large}"


def _shown(response) -> list[str]:
    return [str(row.record) for row in response.context["table"].page.object_list]


def test_sorting_search_filters_and_page_size(world, client):
    url = reverse("organizations:perangkatdaerah_list")
    PerangkatDaerahFactory(instansi=world.inst_a, short_name="ZETA", name="Badan Zeta", kind="badan", is_active=False)
    assert _shown(client.get(url, {"sort": "short_name"})) == ["A1", "A2", "ZETA"]
    assert _shown(client.get(url, {"sort": "-short_name"})) == ["ZETA", "A2", "A1"]
    assert _shown(client.get(url, {"q": "zeta"})) == ["ZETA"]
    assert _shown(client.get(url, {"q": "dinas satu"})) == ["A1"]
    assert _shown(client.get(url, {"kind": "badan"})) == ["ZETA"]
    assert _shown(client.get(url, {"is_active": "false", "sort": "short_name"})) == ["ZETA"]
    response = client.get(url, {"kind": "badan"})
    assert response.context["active_filters"] == [("Kind", "badan")]
    # Filtering on instansi B yields nothing for A's admin: the filter never widens the scope.
    assert _shown(client.get(url, {"instansi": world.inst_b.pk})) == []

    for i in range(30):
        PerangkatDaerahFactory(instansi=world.inst_a, short_name=f"X{i:02d}")
    response = client.get(url, {"per_page": 25})
    assert (response.context["per_page"], len(_shown(response))) == (25, 25)
    response = client.get(url, {"per_page": 25, "page": 2})
    assert len(_shown(response)) == 33 - 25
    assert client.get(url, {"per_page": 7}).context["per_page"] == 50  # not offered: the default
    assert client.get(url, {"per_page": "x"}).context["per_page"] == 50


def test_column_choice_is_remembered_in_the_session(client):
    url = reverse("organizations:perangkatdaerah_list")
    response = client.get(url, {"columns": "short_name,head_name"})
    assert response.context["visible_columns"] == ["short_name", "head_name"]
    assert [c.name for c in response.context["table"].columns] == ["short_name", "head_name"]
    response = client.get(url)
    assert response.context["visible_columns"] == ["short_name", "head_name"]
    # Checkbox form style (?columns=a&columns=b), unknown names ignored.
    response = client.get(url + "?columns=name&columns=nonsense&columns=email")
    assert client.get(url).context["visible_columns"] == ["name", "email"]
    # Nothing valid chosen resets to the table's default.
    client.get(url, {"columns": "nonsense"})
    assert client.get(url).context["visible_columns"] == [
        "short_name",
        "name",
        "kind",
        "parent",
        "instansi",
        "is_active",
    ]
    assert response.status_code == 200


def test_htmx_request_returns_only_the_results(client):
    response = client.get(reverse("organizations:perangkatdaerah_list"), {"q": "A1"}, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "core/partials/list_results.html"
    assert "<html" not in response.content.decode()
    assert PerangkatDaerah.objects.count() == 3


@pytest.mark.django_db
def test_column_choices_are_labelled_with_field_names_never_none():
    from django.utils import translation

    from simpul.organizations.tables import PerangkatDaerahTable

    with translation.override("en"):
        labels = dict(PerangkatDaerahTable.column_choices())
    assert labels["short_name"] == "Short name"
    assert labels["parent"] == "Parent OPD"
    assert "None" not in labels.values()
