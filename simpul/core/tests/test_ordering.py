"""Lists sort text without regard to case (issue #12): "e-Office" before "WBS-Ponti", on SQLite and on
PostgreSQL alike, in every list page, its export and the API, through `core.ordering` alone. The
throwaway module declares nothing about it: a new module gets it by using core's tables and API."""

import csv
import io

import pytest
from django.db.models import OrderBy
from django.db.models.functions import Lower
from django.test import Client
from django.urls import reverse

from simpul.core import ordering
from simpul.core.models import WorkflowEvent
from simpul.core.tests.throwaway.models import Note
from simpul.organizations.models import PerangkatDaerah, RoleAssignment

TITLES = ["WBS-Ponti", "e-Office", "SIMPEG", "aplikasi Absensi", "Zona integritas", "bank data"]
# How a person reads them: without regard to case.
EXPECTED = ["aplikasi Absensi", "bank data", "e-Office", "SIMPEG", "WBS-Ponti", "Zona integritas"]


@pytest.fixture
def notes(world):
    for title in TITLES:
        Note.objects.create(owner=world.a1, title=title)


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def in_page_order(content: str, titles) -> list[str]:
    found = {title: content.find(f">{title}<") for title in titles}
    assert all(position >= 0 for position in found.values()), found
    return sorted(found, key=found.get)


@pytest.mark.django_db
def test_the_database_alone_puts_capitals_first(notes):
    # What the list did before: the databases' own order of text (SQLite always; PostgreSQL under the C
    # collation of the CI's database) is by character code, so every capital came before "e-Office".
    # Checked, not assumed, so the tests below show the difference they make.
    plain = list(Note.objects.order_by("title").values_list("title", flat=True))
    if plain.index("WBS-Ponti") > plain.index("e-Office"):
        pytest.skip("this database's collation already ignores case")
    assert plain.index("e-Office") > plain.index("Zona integritas")


@pytest.mark.django_db
@pytest.mark.parametrize("sort", [None, "title", "-title"])
def test_list_page_sorts_text_without_regard_to_case(world, notes, sort):
    params = {"sort": sort} if sort else {}
    response = client_for(world.operator_a1).get(reverse("throwaway:note_list"), params)
    assert response.status_code == 200
    expected = EXPECTED[::-1] if sort == "-title" else EXPECTED
    assert in_page_order(response.content.decode(), TITLES) == expected


@pytest.mark.django_db
def test_list_pages_keep_the_order_across_pages(world, notes):
    client = client_for(world.operator_a1)
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse("throwaway:note_list"), {"sort": "title", "per_page": 2, "page": page})
        seen += [record.title for record in response.context["table"].page.object_list.data]
    assert seen == EXPECTED


@pytest.mark.django_db
def test_export_keeps_the_lists_order(world, notes):
    response = client_for(world.operator_a1).get(reverse("throwaway:note_list"), {"sort": "title", "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    title_column = rows[0].index("Title")
    assert [row[title_column] for row in rows[1:]] == EXPECTED


@pytest.mark.django_db
@pytest.mark.parametrize("param", [None, "title", "-title"])
def test_api_ordering_sorts_text_without_regard_to_case(world, notes, param):
    query = f"?ordering={param}" if param else ""
    response = client_for(world.operator_a1).get(f"/api/throwaway/notes/{query}")
    assert response.status_code == 200
    expected = EXPECTED[::-1] if param == "-title" else EXPECTED
    assert [row["title"] for row in response.json()["results"]] == expected


@pytest.mark.django_db
def test_api_pages_keep_the_order(world, notes):
    client = client_for(world.operator_a1)
    seen = []
    for offset in (0, 2, 4):
        response = client.get(f"/api/throwaway/notes/?ordering=title&limit=2&offset={offset}")
        seen += [row["title"] for row in response.json()["results"]]
    assert seen == EXPECTED


def test_text_columns_are_compared_in_lower_case():
    assert ordering.case_insensitive(Note, ["title", "-title"]) == [Lower("title").asc(), Lower("title").desc()]


def test_numbers_dates_choices_keys_and_random_keep_their_order():
    # `role` has choices: its values are codes, not what the user reads.
    assert ordering.case_insensitive(RoleAssignment, ["role", "-id", "?", "created_at", "user_id"]) == [
        "role",
        "-id",
        "?",
        "created_at",
        "user_id",
    ]
    assert ordering.case_insensitive(WorkflowEvent, ["-timestamp", "content_type_id"]) == [
        "-timestamp",
        "content_type_id",
    ]


def test_a_relation_sorts_by_the_related_models_ordering_in_lower_case():
    # An OPD's ordering is (instansi name, short name); a note's owner is an OPD.
    assert PerangkatDaerah._meta.ordering == ["instansi__name", "short_name"]
    assert ordering.case_insensitive(Note, ["-owner"]) == [
        Lower("owner__instansi__name").desc(),
        Lower("owner__short_name").desc(),
    ]


def test_unknown_names_and_expressions_are_left_alone():
    expression = OrderBy(Lower("title"), descending=True)
    assert ordering.case_insensitive(Note, ["n", expression]) == ["n", expression]


@pytest.mark.django_db
def test_to_primary_key_ends_every_order_with_the_key():
    query = ordering.to_primary_key(Note.objects.order_by("-title")).query
    assert list(query.order_by) == [Lower("title").desc(), "pk"]
    assert list(ordering.to_primary_key(Note.objects.order_by("title", "-id")).query.order_by) == [
        Lower("title").asc(),
        "-id",
    ]
    # An order the model cannot follow (taken from another list) is refused, as before.
    assert ordering.to_primary_key(Note.objects.all(), ["no_such_field"]) is None
