"""A module switched on by INSTALLED_APPS alone: the throwaway app (installed by simpul/tests_settings.py)
declares its menu entry, grants, pages, API and search provider on its AppConfig and touches no other
file, and each of them reaches exactly the roles and scopes it granted. Every other role is refused:
deny by default, even the Admin SPBE, whom no grant of this module names."""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.core import permissions
from simpul.core.tests.throwaway.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(world):
    return {
        "a1": Note.objects.create(owner=world.a1, title="Catatan rapat A1"),
        "a2": Note.objects.create(owner=world.a2, title="Catatan rapat A2"),
        "b1": Note.objects.create(owner=world.b1, title="Catatan rapat B1"),
    }


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def menu(user) -> list[str]:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return [str(item["label"]) for item in response.context["navigation"]]


def test_the_module_is_installed_only_for_tests():
    from simpul import settings as production

    assert "simpul.core.tests.throwaway" not in production.INSTALLED_APPS


def test_menu_entry_for_granted_roles_only(world):
    assert "Throwaway notes" in menu(world.operator_a1)
    assert "Throwaway notes" in menu(world.auditor_a)
    for user in (world.koordinator_a, world.admin_a, world.pimpinan_a, world.asn_a1):
        assert "Throwaway notes" not in menu(user), user.username
    # Placed by the module's order (50): after the evaluation (20), before the organisations (80).
    auditor_menu = menu(world.auditor_a)
    assert (
        auditor_menu.index("Evaluation") < auditor_menu.index("Throwaway notes") < auditor_menu.index("Organisations")
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("operator_a1", {"a1"}), ("operator_a2", {"a2"}), ("auditor_a", {"a1", "a2"})],
)
def test_list_detail_and_api_show_exactly_the_granted_scope(world, notes, who, expected):
    client = client_for(getattr(world, who))
    page = client.get(reverse("throwaway:note_list"))
    assert page.status_code == 200
    shown = {key for key, note in notes.items() if note.title in page.content.decode()}
    assert shown == expected

    for key, note in notes.items():
        detail = client.get(reverse("throwaway:note_detail", args=[note.pk]))
        assert detail.status_code == (200 if key in expected else 404), key

    api = client.get("/api/throwaway/notes/")
    assert api.status_code == 200
    assert {row["id"] for row in api.json()["results"]} == {notes[key].pk for key in expected}


@pytest.mark.parametrize("who", ["koordinator_a", "admin_a", "pimpinan_a", "evaluator_a", "asn_a1"])
def test_roles_without_a_grant_are_refused_everywhere(world, notes, who):
    user = getattr(world, who)
    client = client_for(user)
    assert client.get(reverse("throwaway:note_list")).status_code == 403
    assert client.get(reverse("throwaway:note_detail", args=[notes["a1"].pk])).status_code == 404
    assert client.get("/api/throwaway/notes/").status_code == 403
    assert client.get(f"/api/throwaway/notes/{notes['a1'].pk}/").status_code in (403, 404)
    assert not permissions.restrict(Note.objects.all(), user).exists()


def test_write_grants_stay_inside_the_operators_opd(world, notes):
    client = client_for(world.operator_a1)
    created = client.post("/api/throwaway/notes/", {"title": "Catatan baru", "owner": world.a1.pk})
    assert created.status_code == 201, created.content
    refused = client.post("/api/throwaway/notes/", {"title": "Catatan lain", "owner": world.a2.pk})
    assert refused.status_code in (400, 403)
    assert not Note.objects.filter(title="Catatan lain").exists()
    # The auditor's grant is view only.
    assert (
        client_for(world.auditor_a).post("/api/throwaway/notes/", {"title": "x", "owner": world.a1.pk}).status_code
        == 403
    )


def test_search_provider_answers_granted_roles_only(world, notes):
    page = client_for(world.operator_a1).get(reverse("search"), {"q": "rapat"})
    assert page.status_code == 200
    groups = {group.label: group for group in page.context["groups"]}
    hits = [hit.text for section in groups["throwaway"].sections for hit in section.hits]
    assert hits == ["Catatan rapat A1"]
    assert "Throwaway notes module" in page.content.decode()

    auditor = client_for(world.auditor_a).get(reverse("search"), {"q": "rapat"})
    auditor_hits = {
        hit.text for group in auditor.context["groups"] for section in group.sections for hit in section.hits
    }
    assert auditor_hits == {"Catatan rapat A1", "Catatan rapat A2"}

    refused = client_for(world.koordinator_a).get(reverse("search"), {"q": "rapat"})
    assert "throwaway" not in {group.label for group in refused.context["groups"]}
    assert "Catatan rapat" not in refused.content.decode()
    assert "throwaway notes" not in refused.context["kinds"]


def test_api_appears_in_the_openapi_schema(db, client):
    schema = client.get("/api/schema/?format=json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/throwaway/notes/"])
    assert "/api/throwaway/notes/{id}/" in schema["paths"]
