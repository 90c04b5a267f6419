"""Details of the analysis pages: the indicator history stays within one indicator of its own framework,
trend and comparison flag provisional indices, the ranking keeps instansi names apart, and the assessment
and period pages show what a reader needs without scrolling back and forth."""

from __future__ import annotations

from django.urls import reverse

from simpul.evaluation.models import Framework
from simpul.evaluation.tests.test_views_analysis import SPEC_CODE


def test_indicator_history_keeps_other_indicators_of_the_same_framework_out(db):
    # The shipped crosswalk maps several 59/2020 indicators onto one indicator of another framework
    # (e.g. 59/2020 #4 and #7); two hops must not make #7 part of #4's history.
    from simpul.evaluation.models import Crosswalk, Indicator
    from simpul.evaluation.views.analysis import corresponding_indicators

    framework = Framework.objects.get(code=SPEC_CODE)
    own = dict(Indicator.objects.filter(framework=framework).values_list("pk", "number"))
    neighbours: dict[int, set[int]] = {}
    for source, target in Crosswalk.objects.values_list("from_indicator_id", "to_indicator_id"):
        if source in own:
            neighbours.setdefault(target, set()).add(source)
        if target in own:
            neighbours.setdefault(source, set()).add(target)
    shared = next(group for group in neighbours.values() if len(group) > 1)
    for indicator_id in shared:
        related = corresponding_indicators(indicator_id)
        assert related & set(own) == {indicator_id}
        assert len(related) > 1  # the other framework's indicator is still there


def test_trend_and_comparison_flag_a_provisional_index(db):
    from simpul.evaluation import charts

    point = charts.TrendPoint("2024", 1.3, "Kurang", "59/2020", note="internal", provisional=True)
    svg = str(charts.trend("t", [charts.TrendPoint("2023", 2.48, "Cukup", "59/2020"), point], 1, 5).svg)
    assert svg.count("data-provisional") == 1
    assert "1,30*" in svg or "1.30*" in svg
    ranked = charts.ranking(
        "r", [charts.Ranked("Pemerintah Kabupaten Lampung Timur", 1.3, "Kurang", "#000", provisional=True)], 1, 5
    )
    assert "1.30* Kurang" in str(ranked.svg) or "1,30* Kurang" in str(ranked.svg)


def test_ranking_labels_wrap_instead_of_cutting_the_shared_start():
    from simpul.evaluation.charts import wrap_label

    assert wrap_label("Pemerintah Kabupaten Lampung Timur") == ["Pemerintah Kabupaten", "Lampung Timur"]
    assert wrap_label("Pemerintah Kabupaten Lampung Timur Raya Sejahtera Makmur")[-1].endswith("…")
    assert wrap_label("Kota Metro") == ["Kota Metro"]


def test_period_page_groups_indicators_by_aspect_and_assessment_links_its_history(world):
    from simpul.evaluation.tests.test_workflow import client_for, make_period

    period = make_period(world, year=2021)
    html = client_for(world.koordinator_a).get(period.get_absolute_url()).content.decode()
    aspects = period.framework.spec.aspects
    assert html.count('data-testid="aspect-row"') == len(aspects)
    assessment = period.assessments.order_by("pk").first()
    page = client_for(world.koordinator_a).get(assessment.get_absolute_url()).content.decode()
    history = reverse("evaluation:indicator_history", args=[period.pk, assessment.item_key])
    assert f'href="{history}" data-testid="history-link"' in page
