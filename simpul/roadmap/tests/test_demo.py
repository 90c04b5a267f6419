"""The demo roadmap: every row of tables 4.1–4.4 exactly as the plan writes them (read from the plan's own
text, `plan.plan_rows()`), its mid-term review, progress so that every status occurs, the contradiction of
the Cloud Service, and the pages every demo role opens."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from simpul.core.audit import verify_chain
from simpul.core.models import AuditEntry, WorkflowEvent
from simpul.organizations.models import Instansi, User
from simpul.roadmap import cards, demo, executive, tracking, versions
from simpul.roadmap.choices import OutputStatus, ReportStatus
from simpul.roadmap.models import Output, OutputLink, ProgressReport, Roadmap
from simpul.roadmap.plan import plan_rows

pytestmark = pytest.mark.usefixtures("demo_once")


@pytest.fixture
def instansi(db):
    return Instansi.objects.get(slug="lampung-timur")


def outputs_of(roadmap):
    return Output.objects.filter(initiative__roadmap=roadmap).select_related("initiative", "responsible_opd")


def test_the_plan_version_holds_every_row_of_tables_4_1_to_4_4_exactly(instansi):
    plan = Roadmap.objects.get(instansi=instansi, version_label=demo.PLAN_VERSION)
    stored = [
        (o.initiative.area, o.initiative.name, o.name, o.start_year, o.end_year)
        for o in outputs_of(plan).order_by("initiative__number", "number")
    ]
    assert stored == [(r.area, r.initiative, r.output, r.start_year, r.end_year) for r in plan_rows()]
    assert plan.initiatives.count() == 19 and len(stored) == 39
    # The plan's slips are kept as written, and marked.
    potianak = outputs_of(plan).get(name__contains="Kota Potianak")
    assert "Potianak" in potianak.plan_note
    marked = outputs_of(plan).filter(name__contains="Kota Kabupaten").exclude(plan_note="")
    assert marked.count() == outputs_of(plan).filter(name__contains="Kota Kabupaten").count() > 0
    assert plan.initiatives.exclude(plan_note="").filter(name__contains="Kota Kabupaten").exists()


def test_the_mid_term_review_is_current_and_compares_with_the_plan(instansi):
    review = Roadmap.objects.get(instansi=instansi, is_current=True)
    assert review.version_label == demo.REVIEW_VERSION
    result = versions.compare(review.based_on, review)
    assert [change.name for change in result.added] == ["Tim Tanggap Insiden Siber (CSIRT)"]
    assert [change.name for change in result.removed] == ["Kajian Teknologi Cloud Service"]
    assert sorted(change.name for change in result.retimed) == [
        "Penerapan Kecerdasan Buatan",
        "Pola Remunerasi Bidang SPBE",
    ]
    assert result.unchanged == 36


def test_every_status_occurs_in_the_current_version(instansi):
    review = Roadmap.objects.get(instansi=instansi, is_current=True)
    found = tracking.statuses(outputs_of(review))
    assert {status.code for status in found.values()} == set(OutputStatus.values)
    by_name = {output.name: found[output.pk] for output in outputs_of(review)}
    assert by_name["Kebijakan Tata Kelola"].code == OutputStatus.NOT_ACHIEVED
    assert by_name["Audit TIK"].behind
    assert by_name["Budaya Keamanan Informasi"].missing_year == datetime.date.today().year - 1


def test_the_cloud_service_is_done_while_its_element_is_in_development(instansi):
    review = Roadmap.objects.get(instansi=instansi, is_current=True)
    outputs = {output.name: output for output in outputs_of(review)}
    tracked = tracking.track(outputs.values())
    cloud = tracked[outputs["Cloud Service DISKOMINFO"].pk]
    assert cloud.status.code == OutputStatus.DONE
    assert [(c.element_name, c.element_status) for c in cloud.contradictions] == [
        ("Cloud Service DISKOMINFO", "pengembangan")
    ]
    # The Sutoyo node is done and its network node operates: no contradiction.
    sutoyo = outputs["Jaringan Simpul Sutoyo"]
    assert tracked[sutoyo.pk].status.code == OutputStatus.DONE and not tracked[sutoyo.pk].contradictions
    assert OutputLink.objects.filter(output=sutoyo, label="Simpul Jaringan Sutoyo").exists()
    assert OutputLink.objects.filter(output=outputs["Audit TIK"], type_key="evaluation.indicator").count() == 3


def test_replaying_a_past_date_shows_the_plan_as_it_stood(instansi):
    plan = Roadmap.objects.get(instansi=instansi, version_label=demo.PLAN_VERSION)
    sutoyo = outputs_of(plan).get(name="Jaringan Simpul Sutoyo")
    assert tracking.statuses([sutoyo], datetime.date(2022, 6, 1))[sutoyo.pk].code == OutputStatus.NOT_STARTED
    assert tracking.statuses([sutoyo], datetime.date(2024, 6, 1))[sutoyo.pk].code == OutputStatus.ON_TRACK
    # Its 2025 report was accepted on the review version, in January 2026.
    current = outputs_of(Roadmap.objects.get(instansi=instansi, is_current=True)).get(name="Jaringan Simpul Sutoyo")
    assert tracking.statuses([current], datetime.date(2026, 1, 19))[current.pk].code == OutputStatus.ON_TRACK
    assert tracking.statuses([current], datetime.date(2026, 1, 21))[current.pk].code == OutputStatus.DONE


def test_this_years_reports_are_in_every_state(instansi):
    year = datetime.date.today().year
    states = set(
        ProgressReport.objects.filter(output__initiative__roadmap__is_current=True, year=year).values_list(
            "status", flat=True
        )
    )
    assert states == set(ReportStatus.values)


def test_loading_the_demo_again_changes_nothing(instansi):
    counts = (Roadmap.objects.count(), Output.objects.count(), ProgressReport.objects.count())
    demo.load(SimpleNamespace(instansi=instansi))
    assert (Roadmap.objects.count(), Output.objects.count(), ProgressReport.objects.count()) == counts


@pytest.mark.parametrize("username", ["admin", "koordinator", "operator-bappeda", "pimpinan", "auditor", "evaluator"])
def test_the_roadmap_pages_open_for_every_demo_role(db, username):
    client = Client(headers={"accept-language": "en"})
    client.force_login(User.objects.get(username=username))
    overview = client.get(reverse("roadmap:overview"))
    assert overview.status_code == 200
    html = overview.content.decode()
    assert html.count('data-testid="timeline-area"') == 4 and 'data-testid="timeline-today"' in html
    assert client.get(reverse("roadmap:output_list"), {"current": "true"}).status_code == 200
    assert client.get(reverse("roadmap:owed")).status_code == 200
    assert client.get(reverse("roadmap:compare")).status_code == 200
    output = Output.objects.filter(initiative__roadmap__is_current=True).first()
    assert client.get(output.get_absolute_url()).status_code == 200


def test_the_timeline_filters_by_opd_and_status(db):
    client = Client(headers={"accept-language": "en"})
    client.force_login(User.objects.get(username="pimpinan"))
    bappeda = Output.objects.filter(initiative__roadmap__is_current=True, responsible_opd__short_name="BAPPEDA")
    response = client.get(reverse("roadmap:overview"), {"opd": bappeda.first().responsible_opd_id})
    assert response.context["shown"] == bappeda.count() == 2
    late = client.get(reverse("roadmap:overview"), {"status": OutputStatus.LATE}).content.decode()
    shown = re.findall(r'data-testid="timeline-row" data-status="([a-z_]+)"', late)
    assert shown and set(shown) == {OutputStatus.LATE}


def test_the_bappeda_operator_owes_this_years_report_of_its_planning_output(db):
    operator = User.objects.get(username="operator-bappeda")
    client = Client(headers={"accept-language": "en"})
    client.force_login(operator)
    rows = client.get(reverse("roadmap:owed")).context["rows"]
    year = datetime.date.today().year
    owed = {(output.name[:26], cell.year, cell.state) for output, cell in rows}
    assert ("Integrasi Perencanaan, Pen", year, "missing") in owed
    assert ("Kajian Teknologi Kecerdasa", year, "draft") in owed
    card = cards.owed_card(operator)
    assert card.value == len(rows) and card.url == reverse("roadmap:owed")


def test_the_executive_section_counts_by_status_and_area(instansi):
    user = User.objects.get(username="pimpinan")
    [section] = executive.sections(user, instansi)
    assert section.key == "roadmap"
    total = Output.objects.filter(initiative__roadmap__is_current=True).count()
    assert [figure.value for figure in section.figures[:5]] == [f"{count} of {total}" for count in _counts(instansi)]
    assert len(section.rows) == 8 and all(row["url"].startswith(reverse("roadmap:overview")) for row in section.rows)
    bappeda = instansi.perangkat_daerah.get(short_name="BAPPEDA")
    [narrowed] = executive.sections(user, instansi, opd=bappeda)
    assert sum(row["max"] for row in narrowed.rows) == 2 * 2  # two outputs, each in two rows


def _counts(instansi):
    outputs = Output.objects.filter(initiative__roadmap__instansi=instansi, initiative__roadmap__is_current=True)
    codes = [status.code for status in tracking.statuses(outputs).values()]
    order = (
        OutputStatus.ON_TRACK,
        OutputStatus.LATE,
        OutputStatus.NOT_ACHIEVED,
        OutputStatus.DONE,
        OutputStatus.NOT_STARTED,
    )
    return [codes.count(code) for code in order]


def test_the_history_names_who_filed_submitted_and_accepted_each_report(instansi):
    """The past years are loaded in bulk, with the workflow timeline and the audit trail of filing them one
    by one: the OPD's operator files and submits, the Admin SPBE accepts."""
    plan = Roadmap.objects.get(instansi=instansi, version_label=demo.PLAN_VERSION)
    report = ProgressReport.objects.get(
        output__initiative__roadmap=plan, output__name="Jaringan Simpul Sutoyo", year=2024
    )
    assert (report.submitted_by.username, report.reviewed_by.username) == ("operator-diskominfo", "admin")
    assert report.evidence.get().title == "Simpul Jaringan Sutoyo"
    events = WorkflowEvent.objects.filter(content_type__model="progressreport", object_id=str(report.pk))
    assert list(events.order_by("id").values_list("transition", "actor__username")) == [
        ("submit", "operator-diskominfo"),
        ("accept", "admin"),
    ]
    entries = AuditEntry.objects.filter(content_type__model="progressreport", object_id=str(report.pk)).order_by("id")
    assert [(entry.action, entry.actor_repr, sorted(entry.changes)) for entry in entries][1:] == [
        ("update", "operator-diskominfo", ["status", "submitted_at", "submitted_by_id"]),
        ("update", "admin", ["accepted_at", "reviewed_at", "reviewed_by_id", "status"]),
    ]
    assert (entries[0].action, entries[0].actor_repr, entries[0].source) == ("create", "operator-diskominfo", "demo")
    assert AuditEntry.objects.filter(
        content_type__model="progressevidence",
        object_id=str(report.evidence.get().pk),
        actor_repr="operator-diskominfo",
    ).exists()
    assert verify_chain().ok
