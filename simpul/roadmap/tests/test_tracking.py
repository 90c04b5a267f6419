"""Tracking outputs: a contradiction between reported progress and a linked architecture element is
flagged on the output page, in the list and in the API; year grids and what an OPD owes."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from simpul.architecture.tests.factories import InfrastructureFactory
from simpul.roadmap import services, tracking
from simpul.roadmap.models import ProgressReport
from simpul.roadmap.tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def finish(world, output, year=2024, percent=100):
    report = services.file_report(world.admin_a, output, year, percent, "Selesai.", submit=True)
    return services.review_report(world.admin_a, report, accept=True)


@pytest.fixture
def linked(world):
    small = make_roadmap(world)
    node = InfrastructureFactory(owner=world.a1, name="Simpul Jaringan A1", kind="simpul_jaringan", status="rencana")
    services.link_record(world.admin_a, small.a1, "architecture.infrastructure", node.pk)
    return small, node


def test_done_output_linked_to_a_planned_element_is_a_contradiction(world, linked):
    small, node = linked
    assert tracking.track([small.a1])[small.a1.pk].contradictions == []  # not reported done: nothing to flag
    finish(world, small.a1)
    found = tracking.track([small.a1])[small.a1.pk].contradictions
    assert [(item.element_id, item.element_status) for item in found] == [(node.pk, "rencana")]
    node.status = "operasi"
    node.save()
    assert tracking.track([small.a1])[small.a1.pk].contradictions == []


def test_the_link_is_stored_under_the_elements_general_kind(world, linked):
    small, node = linked
    assert list(small.a1.links.values_list("type_key", "object_id")) == [("architecture.element", node.pk)]


def test_less_than_100_percent_is_no_contradiction(world, linked):
    small, _node = linked
    finish(world, small.a1, percent=95)
    assert tracking.track([small.a1])[small.a1.pk].contradictions == []


def test_the_contradiction_shows_on_the_page_the_list_and_the_api(world, linked):
    small, node = linked
    finish(world, small.a1)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.koordinator_a)
    page = client.get(small.a1.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="contradiction"' in html and "Simpul Jaringan A1" in html
    # The element's own status is shown beside the link.
    assert 'data-testid="element-status"' in html and "Planned" in html
    listing = client.get(reverse("roadmap:output_list"), {"roadmap": small.roadmap.pk})
    assert 'data-testid="contradiction-flag"' in listing.content.decode()
    api = APIClient(headers={"accept-language": "en"})
    api.force_authenticate(world.koordinator_a)
    body = api.get(reverse("roadmap-api:output-detail", args=[small.a1.pk])).json()
    assert body["status"] == "selesai" and body["progress"] == 100
    assert body["contradictions"] == [
        {
            "element": node.pk,
            "element_name": "Simpul Jaringan A1",
            "element_status": "rencana",
            "element_status_label": "Planned",
        }
    ]


def test_a_hidden_element_is_flagged_without_its_name(world, linked):
    small, node = linked
    node.published = False  # a draft of OPD A1: OPD A2 may not see it
    node.save()
    finish(world, small.a1)
    found = tracking.track([small.a1], user=world.operator_a2)[small.a1.pk].contradictions
    assert [(item.element_id, item.element_name) for item in found] == [(node.pk, "")]


def test_year_cells_say_what_is_late_and_what_is_no_longer_needed(world):
    small = make_roadmap(world, start=2022, end=2026)
    on = datetime.date(2025, 3, 1)
    report = services.file_report(world.admin_a, small.a1, 2022, 30, "Awal.", submit=True)
    services.review_report(world.admin_a, report, accept=True)
    services.file_report(world.admin_a, small.a1, 2024, 60, "Draf.")
    reports = ProgressReport.objects.filter(output=small.a1)
    cells = {cell.year: (cell.state, cell.late) for cell in tracking.year_cells(small.a1, reports, on)}
    assert cells == {
        2022: ("accepted", False),
        2023: ("missing", True),
        2024: ("draft", True),  # due 31 January 2025
        2025: ("missing", False),
        2026: ("future", False),
    }
    owed = [cell.year for cell in tracking.owed_years(small.a1, reports, on)]
    assert owed == [2023, 2024]  # 2025's window opens on 1 December
    assert [cell.year for cell in tracking.owed_years(small.a1, reports, datetime.date(2025, 12, 2))] == [
        2023,
        2024,
        2025,
    ]
    done = services.file_report(world.admin_a, small.a1, 2023, 100, "Selesai.", submit=True)
    services.review_report(world.admin_a, done, accept=True)
    reports = ProgressReport.objects.filter(output=small.a1)
    assert tracking.owed_years(small.a1, reports, on) == []
    states = [cell.state for cell in tracking.year_cells(small.a1, reports, on)]
    assert states == ["accepted", "accepted", "draft", "complete", "complete"]


def test_the_list_filters_by_derived_status_as_of_a_date(world):
    small = make_roadmap(world, start=2022, end=2026)
    report = services.file_report(world.admin_a, small.a1, 2022, 30, "Awal.", submit=True)
    # Accepted in January 2023 (backdated as the demo loads its history): a replay of March 2023 counts it.
    accepted_on = timezone.make_aware(datetime.datetime(2023, 1, 20, 9))
    services.review_report(world.admin_a, report, accept=True, at=accepted_on)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.pimpinan_a)
    url = reverse("roadmap:output_list")

    def listed(**params):
        response = client.get(url, {"roadmap": small.roadmap.pk, **params})
        assert response.status_code == 200
        return {record.pk for record in response.context["table"].data}

    # In March 2023, 2022 is closed: A1 reported 30 % (on pace), A2 nothing (late).
    assert listed(status="berjalan", as_of="2023-03-01") == {small.a1.pk}
    assert listed(status="terlambat", as_of="2023-03-01") == {small.a2.pk}
    assert listed(status="belum_mulai", as_of="2021-06-01") == {small.a1.pk, small.a2.pk}
    api = APIClient()
    api.force_authenticate(world.pimpinan_a)
    rows = api.get(reverse("roadmap-api:output-list"), {"status": "terlambat", "as_of": "2023-03-01"}).json()["results"]
    assert [(row["id"], row["status"], row["status_as_of"]) for row in rows] == [
        (small.a2.pk, "terlambat", "2023-03-01")
    ]
