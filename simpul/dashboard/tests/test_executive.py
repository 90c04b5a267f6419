"""The executive dashboard: every installed module's figures for an instansi or one OPD's report card, the
parts no module supplies yet shown as "not available yet", who may open which card, and the PDF."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.executive import Figure, Section
from simpul.core.tests.pdf_text import pdf_text
from simpul.dashboard import charts, executive, pdf
from simpul.evaluation.models import EvaluationPeriod, Framework, PeriodScore, PeriodStatus, ScoreBasis
from simpul.organizations.tests.factories import UserFactory

URL = reverse("dashboard:executive")
PDF_URL = reverse("dashboard:executive_pdf")


@pytest.fixture
def records(world):
    """Instansi A: a 2023 evaluation with its national result 2,48 Cukup; A1 with two applications hosted
    outside the Pusat Data, A2 with one."""
    period = EvaluationPeriod.objects.create(
        instansi=world.inst_a,
        year=2023,
        framework=Framework.objects.get(code="permenpanrb-59-2020"),
        status=PeriodStatus.CLOSED,
    )
    PeriodScore.objects.create(
        period=period,
        basis=ScoreBasis.NATIONAL,
        index=Decimal("2.48"),
        raw_index=2.48,
        predicate="Cukup",
        assessed=47,
        total=47,
    )
    ApplicationFactory(owner=world.a1, name="Di Cloud", hosting="pihak_ketiga")
    ApplicationFactory(owner=world.a1, name="Di Ruang OPD", hosting="ruang_server_opd")
    ApplicationFactory(owner=world.a2, name="Di Cloud Juga", hosting="pihak_ketiga")
    return period


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sections_of(response) -> dict[str, Section]:
    return {item["section"].key: item["section"] for item in response.context["items"]}


def figure(section: Section, label: str) -> Figure:
    return next(figure for figure in section.figures if str(figure.label) == label)


def in_indonesian(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


def test_the_bupati_sees_the_figures_of_the_records_with_their_basis(world, records):
    response = client_for(world.pimpinan_a).get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.instansi == world.inst_a and board.opd is None and board.whole_instansi
    sections = sections_of(response)
    with translation.override("id"):
        index = figure(sections["evaluation"], "Indeks SPBE 2023")
        assert index.value == "2,48 Cukup" and index.note == str(ScoreBasis.NATIONAL.label)
    assert index.url == reverse("evaluation:evaluationperiod_detail", args=[records.pk])
    findings = sections["architecture"].figures[0]
    assert findings.value == "3"
    assert {row["label"]: row["value"] for row in sections["architecture"].rows} == {str(world.a1): 2, str(world.a2): 1}
    html = response.content.decode()
    assert "2,48 Cukup" in html and 'data-section="architecture"' in html


def test_sections_come_in_order_and_every_figure_with_a_value_links_to_its_detail(world, records):
    response = client_for(world.koordinator_a).get(URL)
    keys = [item["section"].key for item in response.context["items"]]
    # The index leads; the parts no installed module supplies close the page.
    assert keys.index("evaluation") < keys.index("evaluation.indicators") < keys.index("architecture")
    slot_keys = [item["section"].key for item in response.context["items"] if item["slot"]]
    assert keys[-len(slot_keys) :] == slot_keys and {"servicedesk", "surveys"} <= set(slot_keys)
    for item in response.context["items"]:
        for shown in item["section"].figures:
            assert item["slot"] or shown.url, shown
    html = response.content.decode()
    linked = sum(1 for item in response.context["items"] for shown in item["section"].figures if shown.url)
    assert html.count('data-testid="figure" data-tone=') == linked


def test_service_desk_and_ikm_are_not_available_yet_never_a_number(world, records):
    response = client_for(world.pimpinan_a).get(URL)
    items = {item["section"].key: item for item in response.context["items"]}
    for key in ("servicedesk", "surveys"):
        assert items[key]["slot"]
        assert [shown.value for shown in items[key]["section"].figures] == [None]
    assert in_indonesian("not available yet") in response.content.decode()


def test_a_slot_says_whether_its_module_is_missing_or_does_not_report_yet(monkeypatch):
    monkeypatch.setattr(executive, "contributing_modules", lambda: {"evaluation"})
    monkeypatch.setattr(executive, "installed_modules", lambda: {"evaluation", "servicedesk"})
    notes = {section.key: section.figures[0].note for section in executive.slots([])}
    assert notes["servicedesk"] == str(executive.NOT_REPORTED_YET)
    assert notes["surveys"] == str(next(e.note for e in executive.EXPECTED if e.key == "surveys"))
    assert "evaluation" not in notes


def test_without_any_module_every_part_is_a_slot(world, monkeypatch):
    monkeypatch.setattr(executive.modules, "executive_section_sources", lambda: [])
    monkeypatch.setattr(executive, "contributing_modules", set)
    response = client_for(world.pimpinan_a).get(URL)
    assert response.status_code == 200
    items = response.context["items"]
    assert [item["section"].key for item in items] == [expected.key for expected in executive.EXPECTED]
    assert all(item["slot"] and item["section"].figures[0].value is None for item in items)


def test_a_part_supplied_by_an_installed_module_is_not_a_slot():
    supplied = [Section("servicedesk.sla", "SLA"), Section("surveys", "IKM")]
    keys = {section.key for section in executive.slots(supplied)}
    assert not keys & {"servicedesk", "surveys"}
    # Installed modules (evaluation, architecture) have no slot even when they show a user nothing.
    assert not keys & {"evaluation", "architecture"}


def test_sections_are_ordered_by_their_order_then_by_module(world, monkeypatch):
    def first(user, instansi, opd=None):
        return [Section("first.b", "B", order=100), Section("first.a", "A", order=5)]

    def second(user, instansi, opd=None):
        return [Section("second", "C", order=5)]

    monkeypatch.setattr(executive.modules, "executive_section_sources", lambda: [first, second])
    board = executive.collect(world.pimpinan_a, world.inst_a)
    assert [section.key for section in board.sections] == ["first.a", "second", "first.b"]


def test_an_opd_report_card_is_the_same_page_narrowed_to_the_opd(world, records):
    response = client_for(world.koordinator_a).get(URL, {"opd": world.a2.pk})
    assert response.status_code == 200
    assert response.context["board"].opd == world.a2
    sections = sections_of(response)
    assert sections["architecture"].figures[0].value == "1"
    assert "opd=" + str(world.a2.pk) in sections["architecture"].figures[0].url
    html = response.content.decode()
    assert world.a2.name in html
    # The selector offers the whole instansi and each of its OPDs.
    assert [str(opd) for opd in response.context["board"].opd_choices] == [str(world.a1), str(world.a2)]


def test_an_operator_opd_sees_only_its_own_opds_report_card(world, records):
    client = client_for(world.operator_a1)
    response = client.get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.opd == world.a1 and not board.whole_instansi and board.opd_choices == [world.a1]
    assert sections_of(response)["architecture"].figures[0].value == "2"
    assert client.get(URL, {"opd": world.a2.pk}).status_code == 404
    assert client.get(URL, {"instansi": world.inst_b.pk}).status_code == 404
    assert client.get(PDF_URL, {"opd": world.a2.pk}).status_code == 404
    # Asking for its instansi gives its own card, not the instansi's.
    assert client.get(URL, {"instansi": world.inst_a.pk}).context["board"].opd == world.a1


def test_who_may_not_view_the_evaluation_is_refused(world, client):
    assert client_for(world.asn_a1).get(URL).status_code == 403
    assert client_for(world.asn_a1).get(PDF_URL).status_code == 403
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_another_instansi_is_not_found_and_a_superuser_chooses_among_all(world, records):
    assert client_for(world.admin_b).get(URL, {"instansi": world.inst_a.pk}).status_code == 404
    assert client_for(world.admin_b).get(URL, {"opd": world.a1.pk}).status_code == 404
    own = client_for(world.admin_b).get(URL)
    assert own.context["board"].instansi == world.inst_b
    response = client_for(UserFactory(is_superuser=True, is_staff=True)).get(URL, {"instansi": world.inst_b.pk})
    assert response.context["board"].instansi == world.inst_b
    assert {world.inst_a, world.inst_b} <= set(response.context["board"].instansi_choices)
    # Choosing another instansi in the selector drops the OPD of the one before.
    switched = client_for(UserFactory(is_superuser=True, is_staff=True)).get(
        URL, {"instansi": world.inst_b.pk, "opd": world.a1.pk}
    )
    assert switched.context["board"].instansi == world.inst_b and switched.context["board"].opd is None


def test_the_home_page_and_the_menu_lead_to_it_for_those_who_may_see_it(world):
    home = client_for(world.pimpinan_a).get(reverse("home")).content.decode()
    assert 'data-testid="executive-link"' in home and f'href="{URL}"' in home
    refused = client_for(world.asn_a1).get(reverse("home")).content.decode()
    assert 'data-testid="executive-link"' not in refused and f'href="{URL}"' not in refused


def test_the_pdf_holds_the_same_figures_in_indonesian(world, records):
    response = client_for(world.koordinator_a).get(PDF_URL, {"opd": world.a1.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    today = timezone.localdate()
    assert f"dasbor-eksekutif-inst-a-a1-{today.isoformat()}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert world.inst_a.name in text
    assert world.a1.name in text
    with translation.override("id"):
        assert formats.date_format(today, "j") + " " in text and str(today.year) in text
        assert "2,48 Cukup" in text
        assert gettext("not available yet") in text
        assert gettext("Report card of %(name)s") % {"name": world.a1.name} in text


def test_the_pdf_of_the_whole_instansi_names_no_opd(world, records):
    board = executive.collect(world.koordinator_a, world.inst_a)
    with translation.override("id"):
        text = pdf_text(pdf.render(board, compress=False))
        assert gettext("Executive dashboard") in text
        assert (gettext("OPD: %(name)s") % {"name": ""}).strip() not in text
        assert str(world.a1) in text  # the architecture's findings per OPD


@given(
    st.lists(
        st.tuples(st.sampled_from(["nasional", "akhir internal", "mandiri"]), st.booleans(), st.floats(1, 5)),
        min_size=1,
        max_size=8,
    )
)
def test_the_trend_joins_points_as_one_measure_only_on_the_same_complete_basis(points):
    trend = [
        {"label": str(2015 + i), "value": value, "basis": basis, "provisional": provisional}
        for i, (basis, provisional, value) in enumerate(points)
    ]
    drawn = charts.trend("Indeks", trend)
    joins = [part.split('"')[0] for part in str(drawn.svg).split('data-joins="')[1:]]
    expected = [
        "same" if a["basis"] == b["basis"] and not a["provisional"] and not b["provisional"] else "other"
        for a, b in itertools.pairwise(trend)
    ]
    assert joins == expected
    assert str(drawn.svg).count("data-provisional") == sum(provisional for _b, provisional, _v in points)
    assert [row["cells"][0] for row in drawn.rows] == [point["label"] for point in trend]


@given(st.integers(-5, 500), st.integers(-5, 500))
def test_a_rows_bar_is_a_share_of_its_max_between_0_and_100(value, most):
    percent = charts.bar_percent({"value": value, "max": most})
    assert 0 <= percent <= 100
    if 0 <= value <= most and most > 0:
        assert percent == round(100 * value / most)
