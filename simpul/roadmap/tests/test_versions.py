"""Versions of a roadmap: a revision copies the version it is based on whole, the old one stays as it was,
and a comparison lists the outputs added, removed and re-timed (matched by initiative and output name,
whatever the case and spacing)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from simpul.core import services as core_services
from simpul.roadmap import services, tracking, versions
from simpul.roadmap.choices import ReportStatus
from simpul.roadmap.models import Initiative, Output, OutputLink, ProgressReport, Roadmap
from simpul.roadmap.tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def test_a_new_version_copies_everything_and_becomes_current(world):
    small = make_roadmap(world)
    report = services.file_report(world.operator_a1, small.a1, 2024, 40, "Dibangun.", submit=True)
    services.review_report(world.admin_a, report, accept=True)
    services.file_report(world.operator_a2, small.a2, 2024, 20, "Draf A2.")
    review = versions.new_version(world.koordinator_a, small.roadmap, "Reviu 2025", valid_from=2025)
    small.roadmap.refresh_from_db()
    assert review.is_current and not small.roadmap.is_current and review.based_on == small.roadmap
    copied = Output.objects.filter(initiative__roadmap=review).order_by("number")
    assert [(o.name, o.years_label, o.responsible_opd_id) for o in copied] == [
        (o.name, o.years_label, o.responsible_opd_id) for o in (small.a1, small.a2)
    ]
    # The history carries over with its states and dates, so the status replays the same.
    new_a1 = copied[0]
    old_report = ProgressReport.objects.get(output=small.a1)
    new_report = ProgressReport.objects.get(output=new_a1)
    assert (new_report.status, new_report.percent, new_report.accepted_at) == (
        old_report.status,
        old_report.percent,
        old_report.accepted_at,
    )
    assert tracking.statuses([new_a1])[new_a1.pk] == tracking.statuses([small.a1])[small.a1.pk]
    assert ProgressReport.objects.get(output=copied[1]).status == ReportStatus.DRAFT
    # The old version is unchanged.
    assert Output.objects.filter(initiative__roadmap=small.roadmap).count() == 2


def test_only_who_may_add_a_roadmap_creates_a_version(world):
    small = make_roadmap(world)
    for user in (world.operator_a1, world.pimpinan_a, world.admin_b):
        with pytest.raises(PermissionDenied):
            versions.new_version(user, small.roadmap, "Reviu")
    with pytest.raises(ValidationError):
        versions.new_version(world.admin_a, small.roadmap, small.roadmap.version_label.upper())
    assert Roadmap.objects.count() == 1


def test_comparison_lists_added_removed_and_retimed_outputs(world):
    small = make_roadmap(world)
    review = versions.new_version(world.admin_a, small.roadmap, "Reviu")
    outputs = {o.name: o for o in Output.objects.filter(initiative__roadmap=review)}
    retimed = outputs["Jaringan Simpul A1"]
    retimed.end_year = 2028
    core_services.update_object(world.admin_a, retimed, fields=["end_year"])
    core_services.delete_object(world.admin_a, outputs["Jaringan Simpul A2"])
    initiative = Initiative.objects.get(roadmap=review)
    core_services.create_object(
        world.admin_a, Output(initiative=initiative, number=3, name="Simpul Baru", start_year=2026, end_year=2027)
    )
    # The same output, written in another case and spacing, is still the same output.
    renamed = Output.objects.get(initiative__roadmap=small.roadmap, name="Jaringan Simpul A1")
    renamed.name = "jaringan  simpul a1"
    core_services.update_object(world.admin_a, renamed, fields=["name"])

    result = versions.compare(small.roadmap, review)
    assert [change.name for change in result.added] == ["Simpul Baru"]
    assert [change.name for change in result.removed] == ["Jaringan Simpul A2"]
    assert [(change.name, change.years_before, change.years_after) for change in result.retimed] == [
        ("Jaringan Simpul A1", "2023–2026", "2023–2028")
    ]
    assert result.unchanged == 0 and result.changed

    client = Client(headers={"accept-language": "en"})
    client.force_login(world.pimpinan_a)
    page = client.get(reverse("roadmap:compare"), {"old": small.roadmap.pk, "new": review.pk})
    html = page.content.decode()
    assert page.status_code == 200 and "Simpul Baru" in html and "2023–2028" in html
    # Without a choice, the current version is compared with the one it is based on.
    assert client.get(reverse("roadmap:compare")).context["comparison"].new == review


def test_versions_of_two_instansi_are_not_compared(world):
    small = make_roadmap(world)
    other = core_services.create_object(
        world.admin_b, Roadmap(instansi=world.inst_b, name="Peta B", version_label="1", valid_from=2023)
    )
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    # Instansi B's version is not among those admin A may choose.
    assert client.get(reverse("roadmap:compare"), {"old": small.roadmap.pk, "new": other.pk}).status_code == 400


def test_the_new_version_page_and_making_a_version_current(world):
    small = make_roadmap(world)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.koordinator_a)
    url = reverse("roadmap:roadmap_new_version", args=[small.roadmap.pk])
    response = client.post(url, {"version_label": "Reviu 2025", "valid_from": 2025, "make_current": "on"})
    review = Roadmap.objects.get(version_label="Reviu 2025")
    assert response.status_code == 302 and review.is_current
    assert OutputLink.objects.count() == 0
    client.post(reverse("roadmap:roadmap_make_current", args=[small.roadmap.pk]))
    assert Roadmap.objects.get(is_current=True) == small.roadmap
    operator = Client()
    operator.force_login(world.operator_a1)
    assert operator.get(url).status_code == 403
    assert operator.post(reverse("roadmap:roadmap_make_current", args=[review.pk])).status_code == 404
