"""One value stands for a year (issue #12, 7): the national result once recorded, else the final internal
one, else the self-assessment, written with its basis and completeness, the same on every page, in the
active language's number format; the trend never joins two bases as if they were one measure."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from simpul.evaluation import charts, reports, results, services
from simpul.evaluation.frameworks import shipped_framework
from simpul.evaluation.models import EvaluationPeriod, IndicatorAssessment, PeriodScore, PeriodStatus
from simpul.evaluation.tests.test_scoring import DENPASAR_2021
from simpul.evaluation.tests.test_workflow import make_period

SVG = "{http://www.w3.org/2000/svg}"
PARTIAL = ["1", "2", "3", "4", "5", "6"]  # six of the 47 items with a final level


def set_levels(period: EvaluationPeriod, field: str, levels: dict[str, object]) -> None:
    """Test setup: write levels directly (the workflow is tested elsewhere) and recompute the scores."""
    for key, value in levels.items():
        IndicatorAssessment.objects.filter(period=period, item_key=key).update(**{field: Decimal(str(value))})
    services.recompute_period(period)


def client_in(user, language: str) -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def comma(value: Decimal) -> str:
    """An index as Indonesian writes it, computed here without the code under test."""
    return f"{value:.2f}".replace(".", ",")


def shown(html: str) -> list[tuple[str, str, str]]:
    """Every year result on a page: (basis, complete, the text a reader sees)."""
    found = []
    for basis, complete, inner in re.findall(
        r'data-testid="year-result" data-basis="(\w+)" data-complete="(\w+)">(.*?)</span></span>', html, re.S
    ):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", inner)).strip()
        found.append((basis, complete, text))
    return found


@pytest.fixture
def years(world):
    """Instansi A, every year self-assessed at 3 (3,00 Baik) except 2025:

    - 2023 (closed): six final levels (a partial internal index) and the national result of every item
      (Kota Denpasar 2021's levels: 3,19 Baik);
    - 2024: the same six final levels, no national result;
    - 2025: five self-assessed levels only.
    """
    every = dict.fromkeys(DENPASAR_2021, 3)
    world.p2023 = make_period(world, year=2023)
    set_levels(world.p2023, "self_level", every)
    set_levels(world.p2023, "final_level", dict.fromkeys(PARTIAL, 4))
    set_levels(world.p2023, "national_level", DENPASAR_2021)
    EvaluationPeriod.objects.filter(pk=world.p2023.pk).update(status=PeriodStatus.CLOSED)
    world.p2024 = make_period(world, year=2024)
    set_levels(world.p2024, "self_level", every)
    set_levels(world.p2024, "final_level", dict.fromkeys(PARTIAL, 4))
    world.p2025 = make_period(world, year=2025)
    set_levels(world.p2025, "self_level", dict.fromkeys(PARTIAL[:5], 3))
    return world


def score(period, basis) -> PeriodScore:
    return PeriodScore.objects.get(period=period, basis=basis)


# --- The rule ---------------------------------------------------------------------------------------


def test_the_national_result_stands_for_the_year_else_the_final_internal_else_the_self_assessment(
    years, django_assert_num_queries
):
    national = results.year_result(years.p2023)
    assert (national.basis, national.index, national.predicate, national.complete) == (
        "national",
        Decimal("3.19"),
        "Baik",
        True,
    )
    # 2023 has a lower, partial internal index too: it does not stand for the year.
    assert score(years.p2023, "internal").index < national.index and not score(years.p2023, "internal").complete
    internal = results.year_result(years.p2024)
    assert (internal.basis, internal.assessed, internal.total, internal.complete) == ("internal", 6, 47, False)
    assert internal.index == score(years.p2024, "internal").index  # not the complete self-assessment's 3,00
    own = results.year_result(years.p2025)
    assert (own.basis, own.assessed, own.complete) == ("self", 5, False)
    assert results.year_result(make_period(years, year=2026)) is None
    # The batch gives the same in one query.
    periods = [years.p2023, years.p2024, years.p2025]
    with django_assert_num_queries(1):
        batch = results.year_results(periods)
    assert batch == {p.pk: results.year_result(p) for p in periods}


def test_the_label_says_the_basis_and_whether_the_value_is_provisional(years):
    internal = score(years.p2024, "internal")
    with translation.override("en"):
        assert str(results.year_result(years.p2023)) == "3.19 Baik · national"
        assert results.year_result(years.p2024).label == (
            f"{internal.index:.2f} {internal.predicate} · final internal, 6/47 items (provisional)"
        )
        assert results.year_result(years.p2025).basis_text == "self-assessment, 5/47 items (provisional)"
    with translation.override("id"):
        assert results.year_result(years.p2023).label == "3,19 Baik · nasional"
        assert results.format_index(Decimal("2.62")) == "2,62"


# --- The same value on every page -------------------------------------------------------------------


def test_every_page_shows_the_same_value_for_2023_with_its_basis(years):
    """The 2023 period has a national result and a partial internal index: every page shows 3,19 Baik
    from the national result, in Indonesian with a decimal comma."""
    expected = ("national", "true", "3,19 Baik · nasional")
    client = client_in(years.koordinator_a, "id")

    home = client.get("/")
    card = next(card for card in home.context["cards"] if card.title == "Indeks SPBE")
    assert card.value == "3,19"
    assert card.text == "2023 · 3,19 Baik · nasional"  # the later years are provisional

    overview = client.get(reverse("evaluation:overview")).content.decode()
    earlier = re.search(r'data-testid="earlier-periods">(.*?)</ul>', overview, re.S).group(1)
    assert shown(earlier) == [expected]  # the closed 2023 is the one earlier period

    listing = client.get(reverse("evaluation:evaluationperiod_list")).content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*>2023</a>.*?</tr>", listing, re.S).group(0)
    assert shown(row) == [expected]
    assert "3.19" not in row

    detail = client.get(years.p2023.get_absolute_url())
    html = detail.content.decode()
    result_line = re.search(r'data-testid="period-result">(.*?)</p>', html, re.S).group(1)
    assert shown(result_line) == [expected]
    assert 'data-testid="standing-basis"' in html
    assert re.search(r'data-testid="standing-basis">.*?data-basis="national">3,19<', html, re.S)

    trend = client.get(reverse("evaluation:trend"))
    point = next(p for p in _points(trend.context["chart"]) if p["year"] == "2023")
    assert (point["basis"], point["value"], point["provisional"]) == ("national", "3.19", False)
    row_2023 = next(row for row in trend.context["chart"].rows if row[0] == "2023")
    assert row_2023[1:4] == ["3,19", "Baik", "nasional"]
    assert [r["result"] for r in trend.context["rows"] if r["period"] == years.p2023] == [
        results.year_result(years.p2023)
    ]

    report = reports.collect(years.p2023, years.koordinator_a)
    assert report.result.basis == "national" and report.result.label == "3,19 Baik · nasional"
    # reportlab writes the middle dot as the octal escape \267 (Latin-1 0xB7).
    assert b"(3,19 Baik \\267 nasional) Tj" in reports.render_pdf(report, compress=False)
    summary = load_workbook(io.BytesIO(reports.render_xlsx(report))).worksheets[0]
    assert "3,19 Baik · nasional" in [row[1] for row in summary.iter_rows(values_only=True)]

    api = APIClient(headers={"accept-language": "id"})
    api.force_authenticate(years.koordinator_a)
    data = api.get(f"/api/evaluation/periods/{years.p2023.pk}/").json()
    assert data["result"] == {
        "basis": "national",
        "index": 3.19,
        "predicate": "Baik",
        "assessed": 47,
        "total": 47,
        "complete": True,
    }


def test_without_a_national_result_the_partial_internal_index_is_shown_as_provisional(years):
    internal = score(years.p2024, "internal")
    expected = (
        "internal",
        "false",
        f"{internal.index:.2f} {internal.predicate} · final internal, 6/47 items (provisional)",
    )
    client = client_in(years.koordinator_a, "en")
    overview = client.get(reverse("evaluation:overview"))
    card = next(c for c in overview.context["cards"] if c["period"] == years.p2024)
    assert card["result"].basis == "internal"
    assert expected in shown(overview.content.decode())
    listing = client.get(reverse("evaluation:evaluationperiod_list")).content.decode()
    assert expected in shown(listing)
    detail = client.get(years.p2024.get_absolute_url()).content.decode()
    assert shown(re.search(r'data-testid="period-result">(.*?)</p>', detail, re.S).group(1)) == [expected]
    # The home card keeps to the latest complete result and does not show this provisional one as the index.
    home = client.get("/")
    assert next(c for c in home.context["cards"] if c.title == "SPBE index").text.startswith("2023 · ")
    data = _api_period(years, years.p2024)
    assert data["result"]["basis"] == "internal" and data["result"]["complete"] is False
    assert data["result"]["assessed"] == 6
    report = reports.collect(years.p2024, years.koordinator_a)
    assert report.result.basis == "internal" and not report.result.complete


def test_with_only_a_self_assessment_the_self_value_stands_and_is_labelled_provisional(years):
    own = score(years.p2025, "self")
    client = client_in(years.koordinator_a, "en")
    detail = client.get(years.p2025.get_absolute_url()).content.decode()
    assert shown(re.search(r'data-testid="period-result">(.*?)</p>', detail, re.S).group(1)) == [
        ("self", "false", f"{own.index:.2f} {own.predicate} · self-assessment, 5/47 items (provisional)")
    ]
    assert _api_period(years, years.p2025)["result"]["basis"] == "self"


def test_the_period_list_writes_the_index_in_the_readers_language(years):
    for language, text in (("id", "3,19 Baik · nasional"), ("en", "3.19 Baik · national")):
        html = client_in(years.koordinator_a, language).get(reverse("evaluation:evaluationperiod_list"))
        assert ("national", "true", text) in shown(html.content.decode())


# --- The trend ----------------------------------------------------------------------------------------


def _points(chart) -> list[dict]:
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output
    return [
        {
            "year": element.get("data-year"),
            "value": element.get("data-value"),
            "basis": element.get("data-basis"),
            "provisional": element.get("data-provisional") is not None,
            "fill": element.get("fill"),
            "tag": element.tag.removeprefix(SVG),
        }
        for element in root.iter()
        if element.get("data-year") is not None
    ]


def _lines(chart) -> list[dict]:
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output
    return [
        {
            "from": line.get("data-from"),
            "to": line.get("data-to"),
            "joins": line.get("data-joins"),
            "dashed": line.get("stroke-dasharray") is not None,
        }
        for line in root.iter(f"{SVG}line")
        if line.get("data-from") is not None
    ]


def assert_no_silent_join(chart) -> None:
    """A line drawn solid joins two points of one basis that are both complete; every other join is dashed."""
    points = {point["year"]: point for point in _points(chart)}
    for segment, line in zip(chart.segments, _lines(chart), strict=True):
        assert (line["from"], line["to"]) == (segment.start, segment.end)
        before, after = points[segment.start], points[segment.end]
        same = before["basis"] == after["basis"] and not before["provisional"] and not after["provisional"]
        assert segment.comparable == same, segment
        assert line["dashed"] == (not segment.comparable), segment
        assert segment.comparable == (segment.start_basis == segment.end_basis and "provisional" not in segment.reasons)


def test_the_trend_marks_each_point_with_its_basis_and_never_joins_bases_silently(years):
    page = client_in(years.koordinator_a, "en").get(reverse("evaluation:trend"))
    chart = page.context["chart"]
    points = _points(chart)
    assert [(p["year"], p["basis"], p["provisional"]) for p in points] == [
        ("2023", "national", False),
        ("2024", "internal", True),
        ("2025", "self", True),
    ]
    # One shape per basis, hollow while provisional.
    assert [p["tag"] for p in points] == ["circle", "rect", "path"]
    assert [p["fill"] == "#ffffff" for p in points] == [False, True, True]
    # The fall from 3,19 (national) to the six-item internal index is dashed, and says why.
    assert [(s.start, s.end, s.reasons) for s in chart.segments] == [
        ("2023", "2024", ("basis", "provisional")),
        ("2024", "2025", ("basis", "provisional")),
    ]
    assert_no_silent_join(chart)
    html = page.content.decode()
    assert 'data-testid="mixed-bases"' in html and 'data-testid="chart-key"' in html
    key = [text for _icon, text in chart.key]
    assert key[:3] == ["national", "final internal", "self-assessment"]
    assert any(text.startswith("dashed line") for text in key) and any(text.startswith("hollow") for text in key)
    assert chart.headers == ["Year", "Index", "Predicate", "Basis", "Framework"]
    assert chart.rows[1][3] == "final internal, 6/47 items (provisional)" and chart.rows[1][1].endswith("*")


def test_a_trend_on_one_basis_joins_complete_years_with_a_solid_line(years):
    page = client_in(years.koordinator_a, "en").get(reverse("evaluation:trend"), {"basis": "self"})
    chart = page.context["chart"]
    assert {p["basis"] for p in _points(chart)} == {"self"}
    assert [(s.start, s.end, s.comparable) for s in chart.segments] == [
        ("2023", "2024", True),
        ("2024", "2025", False),  # 2025 has five levels only
    ]
    assert_no_silent_join(chart)
    assert 'data-testid="mixed-bases"' not in page.content.decode()


def test_trend_chart_segments_follow_basis_framework_and_completeness():
    with translation.override("en"):
        bands = charts.predicate_bands(shipped_framework("permenpanrb-59-2020"))
        points = [
            charts.TrendPoint("2021", 2.9, "Baik", "59/2020", bands, basis="internal", basis_label="final internal"),
            charts.TrendPoint("2022", 3.1, "Baik", "59/2020", bands, basis="internal", basis_label="final internal"),
            charts.TrendPoint("2023", 2.48, "Cukup", "59/2020", bands, basis="national", basis_label="national"),
            charts.TrendPoint("2024", None, "", "59/2020", bands),
            charts.TrendPoint(
                "2025", 1.3, "Kurang", "59/2020", bands, provisional=True, basis="internal", basis_label="x"
            ),
            charts.TrendPoint("2026", 2.0, "Cukup", "8/2026", bands, provisional=True, basis="internal"),
        ]
        chart = charts.trend("t", points, 1, 5)
    assert [(s.start, s.end, s.reasons) for s in chart.segments] == [
        ("2021", "2022", ()),
        ("2022", "2023", ("basis",)),
        ("2023", "2025", ("basis", "provisional")),  # across the year without a value
        ("2025", "2026", ("framework", "provisional")),
    ]
    assert_no_silent_join(chart)
    titles = [t.text for t in ET.fromstring(str(chart.svg)).iter(f"{SVG}title")]  # noqa: S314
    assert "2022 → 2023: not the same measure (final internal → national)" in titles
    # Points of one basis, all complete: one solid line in that basis's colour, and nothing dashed to explain.
    single = charts.trend("t", points[:2], 1, 5)
    assert all(segment.comparable for segment in single.segments)
    assert [text for _icon, text in single.key] == ["final internal"]
    root = ET.fromstring(str(single.svg))  # noqa: S314 - our own output
    strokes = {line.get("stroke") for line in root.iter(f"{SVG}line") if line.get("data-from")}
    assert strokes == {charts.BASIS_MARKS["internal"][1]}


def _api_period(world, period) -> dict:
    api = APIClient(headers={"accept-language": "en"})
    api.force_authenticate(world.koordinator_a)
    response = api.get(f"/api/evaluation/periods/{period.pk}/")
    assert response.status_code == 200
    return response.json()
