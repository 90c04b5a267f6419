"""The evaluation's part of the executive dashboard: the Indeks SPBE standing for each year with its basis,
the year in progress, the trend whose points carry their basis, and the indicators an OPD is PIC of."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from simpul.evaluation import executive, services
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    PeriodScore,
    PeriodStatus,
    ScoreBasis,
)


def score(period, basis, index, predicate, assessed=47, total=47) -> PeriodScore:
    return PeriodScore.objects.create(
        period=period,
        basis=basis,
        index=Decimal(index),
        raw_index=float(index),
        predicate=predicate,
        assessed=assessed,
        total=total,
    )


@pytest.fixture
def framework():
    return Framework.objects.get(code="permenpanrb-59-2020")


@pytest.fixture
def years(world, framework):
    """Instansi A: 2023 closed with a national result (2,48 Cukup) beside its internal one (2,62); 2024 in
    self-assessment, provisional on the final internal basis (1,30 Kurang, 6/47 items), target 2,80, with
    indicators 1–3 for OPD A1 (one accepted, one returned, one overdue) and 4 for A2."""
    closed = EvaluationPeriod.objects.create(
        instansi=world.inst_a, year=2023, framework=framework, status=PeriodStatus.CLOSED, target_index=Decimal("2.6")
    )
    score(closed, ScoreBasis.INTERNAL, "2.62", "Baik")
    score(closed, ScoreBasis.NATIONAL, "2.48", "Cukup")
    current = services.create_period(
        world.admin_a,
        EvaluationPeriod(instansi=world.inst_a, year=2024, framework=framework, target_index=Decimal("2.8")),
    )
    services.period_transition(world.admin_a, current, "start_self_assessment")
    yesterday = timezone.localdate() - timedelta(days=1)
    items = {item.item_key: item for item in IndicatorAssessment.objects.filter(period=current)}
    for key, opd, status in (
        ("1", world.a1, AssessmentStatus.ACCEPTED),
        ("2", world.a1, AssessmentStatus.RETURNED),
        ("3", world.a1, AssessmentStatus.NOT_STARTED),
        ("4", world.a2, AssessmentStatus.SUBMITTED),
    ):
        items[key].pic, items[key].status = opd, status
        items[key].due_date = yesterday if key == "3" else None
        items[key].save()
    score(current, ScoreBasis.INTERNAL, "1.30", "Kurang", assessed=6)
    return closed, current


def figures(section) -> dict[str, object]:
    return {str(figure.label): figure for figure in section.figures}


def test_the_latest_complete_year_leads_with_its_basis_and_the_year_in_progress_says_it_is_provisional(world, years):
    closed, current = years
    with translation.override("id"):
        index, _indicators = executive.sections(world.pimpinan_a, world.inst_a)
        shown = figures(index)
        headline = shown["Indeks SPBE 2023"]
        # The national result stands for 2023 (not the internal 2,62), written with its basis.
        assert headline.value == "2,48 Cukup"
        assert headline.note == str(ScoreBasis.NATIONAL.label)
        assert headline.url == reverse("evaluation:evaluationperiod_detail", args=[closed.pk])
        assert headline.tone == "warn"  # under the year's target of 2,60
        in_progress = next(figure for label, figure in shown.items() if "2024" in label and figure is not headline)
        assert in_progress.value == "1,30 Kurang"
        assert "6/47" in in_progress.note and str(ScoreBasis.INTERNAL.label) in in_progress.note
        assert in_progress.url == reverse("evaluation:evaluationperiod_detail", args=[current.pk])
        target = next(figure for figure in index.figures if figure.value == "2,80")
        assert "2024" in str(target.label)


def test_the_trend_has_one_point_per_year_each_with_its_own_basis(world, years):
    with translation.override("id"):
        index, _indicators = executive.sections(world.koordinator_a, world.inst_a)
        first, second = index.trend
        assert (first["label"], first["value"], first["basis"]) == ("2023", 2.48, str(ScoreBasis.NATIONAL.label))
        assert not first["provisional"]
        assert (second["label"], second["value"], second["basis"]) == ("2024", 1.3, str(ScoreBasis.INTERNAL.label))
        assert second["provisional"] and "6/47" in second["note"]


def test_a_change_is_shown_only_between_two_complete_years_on_the_same_basis(world, years):
    _closed, current = years
    with translation.override("en"):
        index, _indicators = executive.sections(world.koordinator_a, world.inst_a)
        assert not any("Change" in str(figure.label) for figure in index.figures)  # 2024 is provisional
        PeriodScore.objects.filter(period=current).update(assessed=47, index=Decimal("2.70"), predicate="Baik")
        index, _indicators = executive.sections(world.koordinator_a, world.inst_a)
        # 2023 stands on the national result, 2024 on the internal one: not one measure, so no change.
        assert not any("Change" in str(figure.label) for figure in index.figures)
        score(current, ScoreBasis.NATIONAL, "2.60", "Cukup")
        index, _indicators = executive.sections(world.koordinator_a, world.inst_a)
        change = next(figure for figure in index.figures if "Change" in str(figure.label))
        assert change.value == "+0.12" and change.tone == "good"
        assert "basis=national" in change.url


def test_the_indicators_of_the_latest_period_by_state_link_to_the_filtered_period(world, years):
    _closed, current = years
    _index, indicators = executive.sections(world.koordinator_a, world.inst_a)
    rows = {row["label"]: row for row in indicators.rows}
    assert sum(row["value"] for row in rows.values()) == IndicatorAssessment.objects.filter(period=current).count()
    accepted = rows[str(AssessmentStatus.ACCEPTED.label)]
    assert accepted["value"] == 1
    assert accepted["url"] == reverse("evaluation:evaluationperiod_detail", args=[current.pk]) + "?status=accepted"


def test_an_opd_report_card_counts_the_indicators_it_is_pic_of(world, years):
    _closed, current = years
    ImprovementAction.objects.create(
        period=current,
        indicator=IndicatorAssessment.objects.get(period=current, item_key="2").indicator,
        item_key="2",
        from_level=1,
        to_level=2,
        title="Susun SOP",
        owner=world.a1,
        due_date=timezone.localdate() - timedelta(days=3),
    )
    with translation.override("en"):
        index, indicators = executive.sections(world.koordinator_a, world.inst_a, world.a1)
        assert index.note  # the index is the whole instansi's, and says so
        shown = figures(indicators)
        assert shown["Indicators as PIC"].value == "3"
        assert shown["Accepted"].value == "1 of 3"
        assert shown["Overdue"].value == "1"
        assert f"pic={world.a1.pk}" in shown["Indicators as PIC"].url
        actions = shown["Open improvement actions"]
        assert actions.value == "1" and actions.tone == "bad"
        assert actions.url == reverse("evaluation:period_actions", args=[current.pk]) + f"?owner={world.a1.pk}"
        rows = {row["label"]: row["value"] for row in indicators.rows}
        assert rows == {"not started": 1, "draft": 0, "submitted for review": 0, "returned": 1, "accepted": 1}
        # A2's card has its one indicator and none of A1's actions.
        _index, other = executive.sections(world.koordinator_a, world.inst_a, world.a2)
        assert figures(other)["Indicators as PIC"].value == "1"
        assert figures(other)["Open improvement actions"].value == "0"


def test_nothing_for_a_user_who_may_not_view_the_evaluation(world, years):
    assert executive.sections(world.asn_a1, world.inst_a) == []
    # Another instansi's periods are not visible: no index, an empty state saying what to do.
    with translation.override("en"):
        (section,) = executive.sections(world.admin_b, world.inst_a)
    assert section.figures[0].value is None and "evaluation page" in section.figures[0].note


def test_an_instansi_without_a_level_yet_has_no_index_but_says_why(world, framework):
    services.create_period(world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=2025, framework=framework))
    with translation.override("en"):
        index, _indicators = executive.sections(world.koordinator_a, world.inst_a)
    assert index.figures[0].value is None and "no index" in index.figures[0].note
    assert index.trend[0]["value"] is None
