"""Evaluation periods: overview, list, creation, the period page (index, progress, indicator table,
filters), bulk PIC assignment, stage changes, edit/delete, and a query count that does not grow."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simpul.evaluation import services
from simpul.evaluation.models import (
    Aspect,
    AssessmentStatus,
    EvaluationPeriod,
    Framework,
    IndicatorAssessment,
    PeriodStatus,
)
from simpul.evaluation.tests.test_workflow import client_for, make_period


@pytest.fixture
def scene(world):
    world.period = make_period(world)
    return world


def rows(response) -> list[str]:
    assert response.status_code == 200
    return [row.item_key for row in response.context["rows"]]


# --- Overview -------------------------------------------------------------------------------------


def test_overview_without_period_tells_an_evaluator_how_to_start(world):
    page = client_for(world.evaluator_a).get(reverse("evaluation:overview"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="empty-state"' in html
    assert reverse("evaluation:evaluationperiod_add") in html
    operator_page = client_for(world.operator_a1).get(reverse("evaluation:overview")).content.decode()
    assert 'data-testid="empty-state"' in operator_page
    assert reverse("evaluation:evaluationperiod_add") not in operator_page


def test_overview_shows_index_progress_and_each_users_work(scene):
    item = scene.period.assessments.get(item_key="1")
    services.save_self_assessment(scene.operator_a1, item, 3, "ok", submit=True)
    services.review(scene.evaluator_a, item, accept=True)
    services.save_self_assessment(scene.operator_a1, scene.period.assessments.get(item_key="3"), 2, "ok", submit=True)

    page = client_for(scene.evaluator_a).get(reverse("evaluation:overview"))
    card = page.context["cards"][0]
    assert card["period"] == scene.period
    assert {row["basis"]: row["score"] is not None for row in card["scores"]} == {
        "self": True,
        "internal": True,
        "national": False,
    }
    counts = {row["status"]: row["count"] for row in card["progress"]["rows"]}
    assert counts == {"not_started": 45, "draft": 0, "submitted": 1, "returned": 0, "accepted": 1}
    assert [a.item_key for a in page.context["to_review"]] == ["3"]
    assert page.context["mine_count"] == 0

    pic_page = client_for(scene.operator_a2).get(reverse("evaluation:overview"))
    assert [a.item_key for a in pic_page.context["mine"]] == ["2"]
    assert pic_page.context["to_review_count"] == 0
    # A PIC's progress counts only what it may see.
    assert pic_page.context["cards"][0]["progress"]["total"] == 1


# --- Creating periods -----------------------------------------------------------------------------


def test_evaluator_creates_a_period_with_one_assessment_per_indicator(world):
    client = client_for(world.evaluator_a)
    form_page = client.get(reverse("evaluation:evaluationperiod_add") + "?year=2022")
    assert form_page.status_code == 200
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    form = form_page.context["form"]
    assert form.initial["framework"] == framework.pk
    assert list(form.fields["instansi"].queryset) == [world.inst_a]
    older = client.get(reverse("evaluation:evaluationperiod_add"), {"year": 2019}, headers={"HX-Request": "true"})
    assert older.context["form"].initial["framework"] == Framework.objects.get(code="permenpanrb-5-2018").pk
    assert 'hx-select="#id_framework"' in form_page.content.decode()

    response = client.post(
        reverse("evaluation:evaluationperiod_add"),
        {"instansi": world.inst_a.pk, "year": 2022, "framework": framework.pk, "default_pic": world.a2.pk},
    )
    period = EvaluationPeriod.objects.get(instansi=world.inst_a, year=2022)
    assert response.status_code == 302 and response["Location"] == period.get_absolute_url()
    assert period.assessments.count() == 47
    assert set(period.assessments.values_list("pic", flat=True)) == {world.a2.pk}


def test_period_creation_refuses_other_instansi_duplicates_and_foreign_pic(scene):
    client = client_for(scene.evaluator_a)
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    url = reverse("evaluation:evaluationperiod_add")
    before = EvaluationPeriod.objects.count()
    other = client.post(url, {"instansi": scene.inst_b.pk, "year": 2023, "framework": framework.pk})
    assert other.status_code == 400 and "instansi" in other.context["form"].errors
    duplicate = client.post(url, {"instansi": scene.inst_a.pk, "year": 2024, "framework": framework.pk})
    assert duplicate.status_code == 400
    foreign_pic = client.post(
        url, {"instansi": scene.inst_a.pk, "year": 2023, "framework": framework.pk, "default_pic": scene.b1.pk}
    )
    assert foreign_pic.status_code == 400 and "default_pic" in foreign_pic.context["form"].errors
    target = client.post(url, {"instansi": scene.inst_a.pk, "year": 2023, "framework": framework.pk, "target_index": 9})
    assert target.status_code == 400 and "target_index" in target.context["form"].errors
    assert EvaluationPeriod.objects.count() == before


@pytest.mark.parametrize("user", ["operator_a1", "koordinator_a", "pimpinan_a"])
def test_only_evaluators_and_admins_create_periods(world, user):
    client = client_for(getattr(world, user))
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    assert client.get(reverse("evaluation:evaluationperiod_add")).status_code == 403
    response = client.post(
        reverse("evaluation:evaluationperiod_add"),
        {"instansi": world.inst_a.pk, "year": 2022, "framework": framework.pk},
    )
    assert response.status_code == 403
    assert not EvaluationPeriod.objects.exists()


def test_period_list_is_limited_to_the_users_instansi(scene):
    make_period(scene, instansi=scene.inst_b, pic=scene.b1, year=2024)
    page = client_for(scene.operator_a1).get(reverse("evaluation:evaluationperiod_list"))
    assert [row.record for row in page.context["table"].rows] == [scene.period]
    other = EvaluationPeriod.objects.get(instansi=scene.inst_b)
    assert client_for(scene.operator_a1).get(other.get_absolute_url()).status_code == 404


# --- The period page ------------------------------------------------------------------------------


def test_period_page_shows_levels_side_by_side_and_marks_differences(scene):
    item = scene.period.assessments.get(item_key="1")
    services.save_self_assessment(scene.operator_a1, item, 4, "ok", submit=True)
    services.review(scene.evaluator_a, item, accept=True, final_level=3, note="Belum lintas OPD")
    page = client_for(scene.koordinator_a).get(scene.period.get_absolute_url())
    html = page.content.decode()
    assert len(rows(page)) == 47
    assert html.count('data-testid="level-differs"') == 1
    assert [row["basis"] for row in page.context["scores"]] == ["self", "internal", "national"]
    assert "1 of 47 indicators have a final level." in html
    # Read-only roles get no workflow controls.
    assert not page.context["can_review"] and not page.context["can_change"]
    assert 'data-testid="assign-form"' not in html and 'data-testid="stage-form"' not in html


def test_period_page_filters_by_status_pic_aspect_and_search(scene):
    services.save_self_assessment(scene.operator_a1, scene.period.assessments.get(item_key="5"), 2, "x", submit=True)
    client = client_for(scene.evaluator_a)
    url = scene.period.get_absolute_url()
    assert rows(client.get(url, {"status": AssessmentStatus.SUBMITTED})) == ["5"]
    assert rows(client.get(url, {"pic": scene.a2.pk})) == ["2"]
    aspect = Aspect.objects.get(framework=scene.period.framework, code="A1")
    expected = sorted(
        scene.period.assessments.filter(indicator__aspect=aspect).values_list("item_key", flat=True), key=int
    )
    assert rows(client.get(url, {"aspect": aspect.pk})) == expected
    assert rows(client.get(url, {"q": "Arsitektur SPBE"}))
    assert all(
        "arsitektur spbe" in row.indicator.name.lower()
        for row in client.get(url, {"q": "Arsitektur SPBE"}).context["rows"]
    )
    empty = client.get(url, {"q": "tidak-ada-sama-sekali"})
    assert rows(empty) == [] and 'data-testid="empty-state"' in empty.content.decode()


def pic_options(html: str) -> list[tuple[str, str]]:
    """(value, label) of the options of the indicator filter's PIC select."""
    select = re.search(r'<select[^>]*id="id_pic" name="pic">(.*?)</select>', html, re.S)
    assert select, "the PIC filter is rendered"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_pic_filter_offers_without_pic_as_a_choice(scene):
    IndicatorAssessment.objects.filter(period=scene.period, item_key__in=["3", "4"]).update(pic=None)
    client = Client(headers={"accept-language": "id"})
    client.force_login(scene.evaluator_a)
    for url in (scene.period.get_absolute_url(), reverse("evaluation:indicatorassessment_list")):
        html = client.get(url).content.decode()
        # One PIC select: every PIC, then "Tanpa PIC" right after the empty choice; no yes/no/unknown select.
        assert pic_options(html)[:2] == [("", "---------"), ("none", "Tanpa PIC")]
        assert {label for _value, label in pic_options(html)[2:]} == {"A1", "A2"}
        assert "Tidak diketahui" not in html and 'name="no_pic"' not in html
    assert rows(client.get(scene.period.get_absolute_url(), {"pic": "none"})) == ["3", "4"]
    listed = client.get(reverse("evaluation:indicatorassessment_list"), {"pic": "none"})
    assert sorted(row.record.item_key for row in listed.context["table"].rows) == ["3", "4"]


def test_pic_sees_only_its_indicators_on_the_period_page(scene):
    page = client_for(scene.operator_a2).get(scene.period.get_absolute_url())
    assert rows(page) == ["2"]
    assert page.context["partial_view"]
    assert page.context["progress"]["total"] == 1


def test_reviewer_assigns_pics_in_bulk(scene):
    client = client_for(scene.evaluator_a)
    # The PIC filter and the assign form share the page: every id is unique, so each label names its own select.
    html = client.get(scene.period.get_absolute_url()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="id_assign_pic"' in html and 'id="id_assign_pic"' in html
    chosen = list(scene.period.assessments.filter(item_key__in=["3", "4"]).values_list("pk", flat=True))
    response = client.post(
        reverse("evaluation:evaluationperiod_assign", args=[scene.period.pk]),
        {"assessments": chosen, "pic": scene.a2.pk},
    )
    assert response.status_code == 302
    assert set(IndicatorAssessment.objects.filter(pk__in=chosen).values_list("pic", flat=True)) == {scene.a2.pk}
    assert rows(client_for(scene.operator_a2).get(scene.period.get_absolute_url())) == ["2", "3", "4"]

    nothing = client.post(reverse("evaluation:evaluationperiod_assign", args=[scene.period.pk]), {"pic": scene.a1.pk})
    assert nothing.status_code == 400
    assert "Tick the indicators" in nothing.content.decode()
    foreign = client.post(
        reverse("evaluation:evaluationperiod_assign", args=[scene.period.pk]),
        {"assessments": chosen, "pic": scene.b1.pk},
    )
    assert foreign.status_code == 400
    assert set(IndicatorAssessment.objects.filter(pk__in=chosen).values_list("pic", flat=True)) == {scene.a2.pk}


@pytest.mark.parametrize("user", ["operator_a1", "koordinator_a", "pimpinan_a"])
def test_non_reviewers_cannot_assign_or_change_the_stage(scene, user):
    client = client_for(getattr(scene, user))
    item = scene.period.assessments.get(item_key="3")
    response = client.post(
        reverse("evaluation:evaluationperiod_assign", args=[scene.period.pk]),
        {"assessments": [item.pk], "pic": scene.a2.pk},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("evaluation:evaluationperiod_status", args=[scene.period.pk]), {"transition": "close"}
    )
    assert response.status_code == 403
    assert IndicatorAssessment.objects.get(pk=item.pk).pic == scene.a1
    assert EvaluationPeriod.objects.get(pk=scene.period.pk).status == PeriodStatus.PREPARATION


def test_stage_change_edit_and_delete(scene):
    client = client_for(scene.evaluator_a)
    response = client.post(
        reverse("evaluation:evaluationperiod_status", args=[scene.period.pk]), {"transition": "start_self_assessment"}
    )
    assert response.status_code == 302
    assert EvaluationPeriod.objects.get(pk=scene.period.pk).status == PeriodStatus.SELF_ASSESSMENT
    edit = client.post(
        reverse("evaluation:evaluationperiod_edit", args=[scene.period.pk]),
        {"target_index": "3.10", "self_assessment_due": "2024-06-30", "description": "Tahun kedua"},
    )
    assert edit.status_code == 302
    period = EvaluationPeriod.objects.get(pk=scene.period.pk)
    assert str(period.target_index) == "3.10" and period.year == 2024
    assert client.post(reverse("evaluation:evaluationperiod_delete", args=[period.pk])).status_code == 302
    assert not EvaluationPeriod.objects.filter(pk=period.pk).exists()


def test_period_page_queries_do_not_grow_with_the_indicators(world, django_assert_max_num_queries):
    small = make_period(world, code="permenpanrb-8-2026", year=2026)
    large = make_period(world, code="permenpanrb-59-2020", year=2024)
    client = client_for(world.evaluator_a)
    counts = []
    for period in (small, large):
        client.get(period.get_absolute_url())  # session and caches warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(period.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # 17 for the page, plus one per related model named in its history (instansi, framework), plus its
    # workflow events, plus one permission check per step of the stage the user might take (two from
    # "preparation": start the self-assessment, close).
    with django_assert_max_num_queries(22):
        client.get(large.get_absolute_url())


def test_indicator_assessed_in_parts_has_one_row_per_part(world):
    period = make_period(world, code="permenpanrb-5-2018", year=2019)
    page = client_for(world.evaluator_a).get(period.get_absolute_url())
    keys = rows(page)
    assert [key for key in keys if key.startswith("35")] == ["35-1", "35-2", "35-3"]
    part = period.assessments.get(item_key="35-2")
    detail = client_for(world.operator_a1).get(part.get_absolute_url())
    assert detail.status_code == 200
    # The 0–5 scale of 5/2018 offers level 0.
    choices = [value for value, _label in detail.context["self_form"].fields["self_level"].choices]
    assert choices == ["0", "1", "2", "3", "4", "5"]
