"""The global search (/search/?q=): every module's providers, grouped by module, each returning only what
the user may view, at most `limit` per provider with a link to the module's own list search."""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.architecture.tests.factories import ApplicationFactory, ElementFactory
from simpul.core import modules, search
from simpul.organizations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def get(user, **params):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response


def hits(response) -> dict[str, list[str]]:
    return {
        str(section.title): [hit.text for hit in section.hits]
        for group in response.context["groups"]
        for section in group.sections
    }


def test_results_are_grouped_by_module_and_restricted_to_the_users_scope(world):
    ApplicationFactory(owner=world.a1, name="Sistem Kepegawaian A")
    ApplicationFactory(owner=world.b1, name="Sistem Kepegawaian B")
    user_with_role(
        "auditor", world.inst_a, username="kepegawaian-auditor", full_name="Auditor Kepegawaian", opd=world.a2
    )

    response = get(world.auditor_a, q="kepegawaian")
    assert [group.label for group in response.context["groups"]] == ["architecture", "organizations"]
    found = hits(response)
    assert found["architecture elements"] == ["Sistem Kepegawaian A"]
    assert found["users"] == ["Auditor Kepegawaian"]
    html = response.content.decode()
    assert "Sistem Kepegawaian B" not in html
    # Each section links to its module's own list search for the rest.
    assert f"{reverse('architecture:element_list')}?q=kepegawaian" in html


def test_a_role_sees_only_the_providers_it_has_a_view_grant_for(world):
    ElementFactory(owner=world.a1, name="Dinas A Satu Portal")
    # The ASN may view OPDs but no architecture element and no user.
    response = get(world.asn_a1, q="Dinas A")
    assert list(hits(response)) == ["regional departments (OPD)"]
    assert hits(response)["regional departments (OPD)"] == ["A1", "A2"]
    assert "architecture elements" not in response.context["kinds"]


def test_each_provider_shows_at_most_its_limit_and_says_there_are_more(world):
    for number in range(search.SearchProvider.limit + 2):
        ElementFactory(owner=world.a1, name=f"Server ruang data {number:02d}")
    response = get(world.admin_a, q="ruang data")
    section = response.context["groups"][0].sections[0]
    assert len(section.hits) == search.SearchProvider.limit
    assert section.has_more
    assert "The first 10 matches are shown." in response.content.decode()


def test_empty_and_too_short_searches_say_what_can_be_searched(world):
    for params in ({}, {"q": "a"}, {"q": "  "}):
        response = get(world.koordinator_a, **params)
        assert response.context["groups"] == []
        empty = response.content.decode()
        assert 'data-testid="search-empty"' in empty
        assert "Type at least two characters" in empty
        assert "architecture elements, outputs, policies, tickets, regional departments (OPD), users" in empty


def test_nothing_found_is_said_plainly(world):
    response = get(world.operator_a1, q="tidak-ada-yang-cocok")
    assert 'data-testid="search-none"' in response.content.decode()


def test_a_user_without_roles_is_told_so_and_anonymous_users_sign_in_first(db, client):
    lonely = user_with_role("asn", *_instansi_and_opd())
    lonely.role_assignments.all().delete()
    assert "do not give you any records" in get(lonely, q="apa").content.decode()
    assert client.get(reverse("search"), {"q": "apa"}).status_code == 302


def test_every_page_has_the_search_box_in_the_navbar(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.koordinator_a)
    html = client.get("/").content.decode()
    assert 'data-testid="nav-search"' in html
    assert f'action="{reverse("search")}"' in html


def test_search_queries_stay_few(world, django_assert_max_num_queries):
    for number in range(5):
        ElementFactory(owner=world.a1, name=f"Gudang data {number}")
    client = Client()
    client.force_login(world.admin_a)
    # Session, user and grants, then per provider a bounded number (the search's id collection, its rows).
    with django_assert_max_num_queries(6 + 3 * len(modules.search_providers())):
        assert client.get(reverse("search"), {"q": "gudang"}).status_code == 200


def _instansi_and_opd():
    from simpul.organizations.tests.factories import InstansiFactory, PerangkatDaerahFactory

    instansi = InstansiFactory()
    return instansi, PerangkatDaerahFactory(instansi=instansi)
