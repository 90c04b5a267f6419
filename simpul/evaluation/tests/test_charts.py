"""The SVG charts: accessible (title, description, text labels, a table of the same numbers), escaped, and
drawn from the framework's own predicate bands."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from simpul.evaluation import charts
from simpul.evaluation.frameworks import shipped_framework

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english():
    """Numbers are checked in the English format; test_numbers_follow_the_language checks Indonesian."""
    with translation.override("en"):
        yield


def parsed(chart: charts.Chart) -> ET.Element:
    """The SVG must be well-formed XML (it is inlined into HTML as is)."""
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own output, not untrusted input


def test_grouped_bars_write_every_value_and_a_table():
    chart = charts.grouped_bars(
        "Indeks per domain",
        [("D1", "Tata Kelola"), ("D2", "Manajemen <SPBE> & co")],
        [
            charts.Series("self", "mandiri", {"D1": 3.0, "D2": 2.5}),
            charts.Series("internal", "akhir internal", {"D1": 2.75, "D2": None}),
        ],
        1,
        5,
    )
    root = parsed(chart)
    assert root.find(f"{SVG}title").text == "Indeks per domain"
    assert root.find(f"{SVG}desc").text
    bars = {(r.get("data-series"), r.get("data-category")): r.get("data-value") for r in root.iter(f"{SVG}rect")}
    assert bars == {("self", "D1"): "3.00", ("self", "D2"): "2.50", ("internal", "D1"): "2.75"}
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"3.00", "2.50", "2.75", "—", "D1", "D2"} <= set(texts)
    # Names are escaped, not markup.
    assert "Manajemen &lt;SPBE&gt; &amp; co" in str(chart.svg)
    assert chart.headers == ["Code", "Name", "mandiri", "akhir internal"]
    assert chart.rows == [["D1", "Tata Kelola", "3.00", "2.75"], ["D2", "Manajemen <SPBE> & co", "2.50", "—"]]
    assert [label for _colour, label in chart.legend] == ["mandiri", "akhir internal"]


def test_bar_length_is_proportional_to_the_value_on_the_scale():
    chart = charts.grouped_bars("t", [("A", "a"), ("B", "b")], [charts.Series("s", "s", {"A": 1.0, "B": 5.0})], 1, 5)
    widths = {r.get("data-category"): float(r.get("width")) for r in parsed(chart).iter(f"{SVG}rect")}
    full = widths["B"]
    assert widths["A"] == 1.0  # the scale minimum is a sliver, not nothing
    chart = charts.grouped_bars("t", [("A", "a")], [charts.Series("s", "s", {"A": 3.0})], 1, 5)
    half = float(next(parsed(chart).iter(f"{SVG}rect")).get("width"))
    assert abs(half - full / 2) < 0.2


def test_numbers_follow_the_language():
    with translation.override("id"):
        assert charts.number(3.195) in ("3,19", "3,20")
        assert charts.number(2.5) == "2,50"
    with translation.override("en"):
        assert charts.number(2.5) == "2.50"
    assert charts.number(None) == "—"


def test_predicate_bands_come_from_the_framework():
    spec = shipped_framework("permenpanrb-59-2020")
    bands = charts.predicate_bands(spec)
    assert [(b.name, b.low, b.high) for b in bands] == [
        ("Kurang", 1, 1.8),
        ("Cukup", 1.8, 2.6),
        ("Baik", 2.6, 3.5),
        ("Sangat Baik", 3.5, 4.2),
        ("Memuaskan", 4.2, 5),
    ]
    assert len({b.tint for b in bands}) == len({b.colour for b in bands}) == 5
    assert charts.band_for(bands, 3.19).name == "Baik"
    assert charts.band_for(bands, 4.2).name == "Memuaskan"
    other = charts.predicate_bands(shipped_framework("permenpanrb-8-2026"))
    assert [b.low for b in other] == [1.0, 1.5, 2.5, 3.5, 4.0]


def test_trend_shades_each_year_with_its_framework_and_marks_the_change():
    old = charts.predicate_bands(shipped_framework("permenpanrb-5-2018"))
    new = charts.predicate_bands(shipped_framework("permenpanrb-59-2020"))
    points = [
        charts.TrendPoint("2019", 2.64, "Baik", "PermenPANRB 5/2018", old),
        charts.TrendPoint("2020", None, "", "PermenPANRB 5/2018", old),
        charts.TrendPoint("2021", 3.19, "Baik", "PermenPANRB 59/2020", new),
    ]
    chart = charts.trend("Tren", points, 0, 5)
    root = parsed(chart)
    assert [c.get("data-value") for c in root.iter(f"{SVG}circle")] == ["2.64", "3.19"]
    changes = [line for line in root.iter(f"{SVG}line") if line.get("data-framework-change")]
    assert [line.get("data-framework-change") for line in changes] == ["PermenPANRB 59/2020"]
    shaded = list(root.iter(f"{SVG}rect"))
    assert len(shaded) == 3 * 5  # five bands in each year's column
    assert {"2019", "2020", "2021", "2.64", "3.19"} <= {t.text for t in root.iter(f"{SVG}text")}
    assert chart.rows[1] == ["2020", "—", "—", "PermenPANRB 5/2018"]


def test_ranking_keeps_the_given_order_and_writes_the_predicate():
    rows = [
        charts.Ranked("Kabupaten Satu", 4.1, "Sangat Baik", "#005A8C", "2024"),
        charts.Ranked("Kabupaten Dua", 2.2, "Cukup", "#A66A00", "2024"),
    ]
    chart = charts.ranking("Perbandingan", rows, 1, 5)
    root = parsed(chart)
    assert [r.get("data-value") for r in root.iter(f"{SVG}rect")] == ["4.10", "2.20"]
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "4.10 Sangat Baik" in texts and "2.20 Cukup" in texts
    assert chart.rows[0] == ["Kabupaten Satu", "4.10", "Sangat Baik", "2024"]


def test_step_chart_shows_each_index_and_the_target():
    chart = charts.steps("Langkah", 3.19, [("1. #32", 3.22), ("2. #33", 3.25)], 3.25, 1, 5)
    root = parsed(chart)
    assert [c.get("data-value") for c in root.iter(f"{SVG}circle")] == ["3.22", "3.25"]
    assert any(re.search(r"Target 3\.25", t.text or "") for t in root.iter(f"{SVG}text"))
    assert chart.rows == [["1. #32", "3.22"], ["2. #33", "3.25"]]


def one_chart_of_each_kind() -> list[charts.Chart]:
    bands = charts.predicate_bands(shipped_framework("permenpanrb-59-2020"))
    aspects = [(f"A{n}", f"Aspek {n}") for n in range(1, 9)]
    years = [charts.TrendPoint(str(2018 + n), 2.0 + n / 10, "Cukup", "59/2020", bands) for n in range(9)]
    return [
        charts.grouped_bars("b", aspects, [charts.Series("s", "s", {c: 3.25 for c, _n in aspects})], 1, 5, bands),
        charts.trend("t", years, 1, 5),
        charts.ranking("r", [charts.Ranked("Pemerintah Kabupaten Lampung Timur", 2.62, "Sangat Baik", "#000")], 1, 5),
        charts.steps("s", 2.48, [(f"{n}. #{n}", 2.48 + n / 100) for n in range(1, 13)], 2.6, 1, 5),
    ]


def test_chart_text_is_sized_for_a_phone_and_not_oversized_on_a_desk():
    # A chart fills its box: a 360-px phone gives it 304 px (less the page's 2 × 12 and the card's 2 × 16).
    assert charts.PHONE_BOX <= 360 - 2 * 12 - 2 * 16 and charts.MIN_TEXT_PX >= 11
    for chart in one_chart_of_each_kind():
        root = parsed(chart)
        width = float(root.get("viewBox").split()[2])
        widest = float(re.search(r"max-width:(\d+)px", root.get("style")).group(1))
        sizes = {float(text.get("font-size")) for text in root.iter(f"{SVG}text")}
        assert sizes and float(root.get("font-size")) in sizes
        for size in sizes:
            # Shown at size × box / viewBox width pixels: at least 11 px on the phone, under 18 on a desk.
            assert size * charts.PHONE_BOX / width >= charts.MIN_TEXT_PX, (chart.title, size)
            assert size * widest / width < 18, (chart.title, size)
    # The rule: a nominal size, raised to what reads MIN_TEXT_PX on a phone; a wider drawing needs more units.
    assert charts.text_size() == 14  # ceil(11 × 360 / 300)
    assert charts.text_size(12) == 14 and charts.text_size(20) == 20
    assert charts.text_size(width=720) == 27  # ceil(11 × 720 / 300)
