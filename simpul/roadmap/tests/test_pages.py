"""The roadmap's pages, cards and dashboard section beyond the generated matrix: empty states that say what
to do, the replay of a date, links between outputs and records, and who gets which home card."""

import pytest
from django.test import Client
from django.urls import reverse

from simpul.architecture.tests.factories import InfrastructureFactory
from simpul.roadmap import cards, executive, services
from simpul.roadmap.models import OutputLink
from simpul.roadmap.tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_without_a_roadmap_the_pages_say_what_to_do(world):
    admin = client_for(world.admin_a).get(reverse("roadmap:overview"))
    assert admin.status_code == 200 and 'data-testid="empty-state"' in admin.content.decode()
    assert reverse("roadmap:import_plan") in admin.content.decode()
    operator = client_for(world.operator_a1).get(reverse("roadmap:overview")).content.decode()
    assert 'data-testid="empty-state"' in operator and reverse("roadmap:import_plan") not in operator
    [section] = executive.sections(world.pimpinan_a, world.inst_a)
    assert section.figures[0].value is None  # "not available yet", never an invented number
    assert client_for(world.asn_a1).get(reverse("roadmap:overview")).status_code == 403


def test_the_overview_replays_a_date_and_ignores_a_date_that_is_not_one(world):
    small = make_roadmap(world)
    client = client_for(world.pimpinan_a)
    replay = client.get(reverse("roadmap:overview"), {"as_of": "2022-06-01"})
    assert replay.context["replayed"] and 'data-testid="replayed"' in replay.content.decode()
    assert {row[1] for row in replay.context["counts"] if row[2]} == {"Not started"}
    assert client.get(reverse("roadmap:overview"), {"as_of": "2023-02-30"}).status_code == 200
    page = client.get(small.a1.get_absolute_url(), {"as_of": "2022-06-01"})
    assert page.context["status"].code == "belum_mulai"


def test_linking_a_record_to_an_output_needs_the_right_to_change_it(world):
    small = make_roadmap(world)
    node = InfrastructureFactory(owner=world.a1, name="Simpul Jaringan A1", kind="simpul_jaringan")
    url = reverse("roadmap:output_link", args=[small.a1.pk])
    # The picker finds it for the coordinator.
    page = client_for(world.koordinator_a).get(
        small.a1.get_absolute_url(), {"type": "architecture.infrastructure", "q": "Simpul"}
    )
    assert [record.pk for _key, record, _detail in page.context["results"]] == [node.pk]
    client_for(world.operator_a1).post(url, {"type": "architecture.infrastructure", "record": node.pk})
    assert not OutputLink.objects.exists()
    client_for(world.koordinator_a).post(url, {"type": "architecture.infrastructure", "record": node.pk})
    link = OutputLink.objects.get()
    assert (link.type_key, link.object_id, link.label) == ("architecture.element", node.pk, "Simpul Jaringan A1")
    # Instansi B's elements cannot be linked, whoever asks.
    other = InfrastructureFactory(owner=world.b1, name="Simpul B1")
    client_for(world.koordinator_a).post(url, {"type": "architecture.infrastructure", "record": other.pk})
    assert OutputLink.objects.count() == 1
    client_for(world.koordinator_a).post(reverse("roadmap:outputlink_remove", args=[link.pk]))
    assert not OutputLink.objects.exists()


def test_home_cards_follow_the_grants(world):
    small = make_roadmap(world)
    request = type("Request", (), {})()

    def titles(user):
        request.user = user
        return [card.title for card in cards.roadmap_cards(request)]

    assert titles(world.operator_a1) == ["Roadmap reports your OPD owes"]
    assert titles(world.admin_a) == ["Roadmap progress reports to review", "SPBE roadmap"]
    assert titles(world.koordinator_a) == ["SPBE roadmap"]
    assert titles(world.asn_a1) == []
    services.file_report(world.operator_a1, small.a1, 2024, 40, "Dibangun.", submit=True)
    request.user = world.admin_a
    review = cards.review_card(world.admin_a)
    assert review.value == 1 and review.items[0][1].endswith(f"/reports/{small.a1.reports.get().pk}/")


def test_a_budget_is_added_from_its_output_and_shown_in_rupiah(world):
    small = make_roadmap(world)
    client = client_for(world.koordinator_a)
    form = client.get(reverse("roadmap:outputbudget_add"), {"output": small.a1.pk})
    assert form.status_code == 200
    response = client.post(
        reverse("roadmap:outputbudget_add"),
        {"output": small.a1.pk, "year": 2024, "planned": "1250000000", "realised": ""},
    )
    assert response.status_code == 302
    refused = client.post(reverse("roadmap:outputbudget_add"), {"output": small.a1.pk, "year": 2030, "planned": "1"})
    assert refused.status_code == 400  # outside the output's years
    page = client.get(small.a1.get_absolute_url()).content.decode()
    assert "1,250,000,000" in page
