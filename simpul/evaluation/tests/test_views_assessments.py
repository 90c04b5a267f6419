"""The assessment page and its three forms, by role: a PIC fills only its own indicators, reviewers
accept or return but never write a self-assessment, read-only roles only read; national stage results,
survey-scored indicators and the htmx draft save."""

from decimal import Decimal

import pytest
from django.urls import reverse

from simpul.evaluation import services
from simpul.evaluation.models import (
    AssessmentStatus,
    IndicatorAssessment,
    NationalStageResult,
    PeriodScore,
    ScoreBasis,
)
from simpul.evaluation.tests.test_workflow import client_for, make_period


@pytest.fixture
def scene(world):
    world.period = make_period(world)
    world.own = world.period.assessments.get(item_key="1")  # PIC a1
    world.other = world.period.assessments.get(item_key="2")  # PIC a2
    return world


def url(name, item):
    return reverse(f"evaluation:indicatorassessment_{name}", args=[item.pk])


def test_pic_page_shows_ladder_criteria_evidence_and_the_self_form(scene):
    page = client_for(scene.operator_a1).get(scene.own.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    spec = scene.period.framework.spec.indicator(1)
    assert [row["spec"].level for row in page.context["levels"]] == [1, 2, 3, 4, 5]
    assert spec.levels[0].criterion in html and spec.levels[0].evidence in html
    assert page.context["can_self"] and 'data-testid="self-form"' in html
    assert not page.context["can_review"] and not page.context["can_national"]


def test_pic_lists_and_opens_only_its_own_indicators(scene):
    pic = client_for(scene.operator_a1)
    listed = pic.get(reverse("evaluation:indicatorassessment_list"), {"per_page": 100})
    keys = {row.record.item_key for row in listed.context["table"].rows}
    assert "1" in keys and "2" not in keys and len(keys) == 46
    assert pic.get(scene.other.get_absolute_url()).status_code == 404
    response = pic.post(url("self", scene.other), {"self_level": "5", "justification": "x", "action": "submit"})
    assert response.status_code == 404
    assert IndicatorAssessment.objects.get(pk=scene.other.pk).status == AssessmentStatus.NOT_STARTED


def test_reviewer_cannot_post_the_self_form(scene):
    reviewer = client_for(scene.evaluator_a)
    page = reviewer.get(scene.own.get_absolute_url())
    assert page.status_code == 200 and page.context["self_form"] is None
    assert 'data-testid="self-form"' not in page.content.decode()
    response = reviewer.post(url("self", scene.own), {"self_level": "5", "justification": "x", "action": "draft"})
    assert response.status_code == 403
    assessment = IndicatorAssessment.objects.get(pk=scene.own.pk)
    assert assessment.self_level is None and assessment.status == AssessmentStatus.NOT_STARTED


def test_operators_cannot_review(scene):
    services.save_self_assessment(scene.operator_a1, scene.own, 3, "ok", submit=True)
    # Another OPD's operator cannot even see the indicator; its own PIC may see but not review it.
    assert client_for(scene.operator_a2).post(url("review", scene.own), {"action": "accept"}).status_code == 404
    assert client_for(scene.operator_a1).post(url("review", scene.own), {"action": "accept"}).status_code == 403
    assert IndicatorAssessment.objects.get(pk=scene.own.pk).status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize("user", ["koordinator_a", "pimpinan_a", "auditor_a"])
def test_read_only_roles_read_but_change_nothing(scene, user):
    services.save_self_assessment(scene.operator_a1, scene.own, 3, "ok", submit=True)
    client = client_for(getattr(scene, user))
    page = client.get(scene.own.get_absolute_url())
    assert page.status_code == 200
    assert not (page.context["can_self"] or page.context["can_review"] or page.context["can_national"])
    html = page.content.decode()
    assert 'data-testid="self-form"' not in html and 'data-testid="review-panel"' not in html
    assert client.post(url("self", scene.own), {"self_level": "4", "justification": "x"}).status_code == 403
    assert client.post(url("review", scene.own), {"action": "accept"}).status_code == 403
    assert client.post(url("national", scene.own), {"stage": "document", "level": "3"}).status_code == 403
    assessment = IndicatorAssessment.objects.get(pk=scene.own.pk)
    assert (assessment.status, assessment.self_level) == (AssessmentStatus.SUBMITTED, 3)
    assert not NationalStageResult.objects.exists()


def test_other_instansi_sees_nothing(scene):
    assert client_for(scene.admin_b).get(scene.own.get_absolute_url()).status_code == 404


def test_level_outside_the_ladder_is_refused(scene):
    response = client_for(scene.operator_a1).post(
        url("self", scene.own), {"self_level": "9", "justification": "x", "action": "draft"}
    )
    assert response.status_code == 400
    assert IndicatorAssessment.objects.get(pk=scene.own.pk).status == AssessmentStatus.NOT_STARTED


def test_htmx_draft_save_returns_only_the_panel_and_submit_redirects(scene):
    pic = client_for(scene.operator_a1)
    response = pic.post(
        url("self", scene.own),
        {"self_level": "2", "justification": "draf", "action": "draft"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="card mb-3" id="self-panel"') and "<html" not in html
    assert response.context["saved"] is True
    assert IndicatorAssessment.objects.get(pk=scene.own.pk).status == AssessmentStatus.DRAFT

    error = pic.post(url("self", scene.own), {"self_level": "", "action": "submit"}, headers={"HX-Request": "true"})
    assert error.status_code == 200 and "alert-danger" in error.content.decode()

    done = pic.post(
        url("self", scene.own),
        {"self_level": "2", "justification": "draf", "action": "submit"},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 204 and done["HX-Redirect"] == scene.own.get_absolute_url()
    assert IndicatorAssessment.objects.get(pk=scene.own.pk).status == AssessmentStatus.SUBMITTED


def test_national_stages_set_the_national_level_and_score(scene):
    reviewer = client_for(scene.evaluator_a)
    assert reviewer.get(scene.own.get_absolute_url()).context["can_national"]
    response = reviewer.post(
        url("national", scene.own),
        {
            "stage": "document",
            "level": "2",
            "notes": "Dokumen kurang",
            "recommendations": "Tetapkan SK",
            "assessed_on": "2024-08-01",
        },
    )
    assert response.status_code == 302
    reviewer.post(url("national", scene.own), {"stage": "interview", "level": "3"})
    assessment = IndicatorAssessment.objects.get(pk=scene.own.pk)
    assert assessment.national_level == 3
    assert PeriodScore.objects.filter(period=scene.period, basis=ScoreBasis.NATIONAL).exists()
    page = reviewer.get(scene.own.get_absolute_url())
    html = page.content.decode()
    assert "Dokumen kurang" in html and "Tetapkan SK" in html
    # The national results are part of the indicator's history.
    assert [entry.content_type.model for entry in page.context["history"]].count("nationalstageresult") == 2

    bad = reviewer.post(url("national", scene.own), {"stage": "field", "level": "7"})
    assert bad.status_code == 400
    assert not NationalStageResult.objects.filter(stage="field").exists()


def test_survey_scored_indicator_takes_x_and_shows_the_level(world):
    period = make_period(world, code="indeks-pemdi-2025", year=2025)
    spec = period.framework.spec
    item = period.assessments.get(item_key=str(spec.satisfaction.indicator))
    pic = client_for(world.operator_a1)
    page = pic.get(item.get_absolute_url())
    form = page.context["self_form"]
    assert "satisfaction_x" in form.fields and "self_level" not in form.fields
    response = pic.post(
        url("self", item), {"satisfaction_x": "1.5", "justification": "Survei 2025", "action": "submit"}
    )
    assert response.status_code == 302
    item = IndicatorAssessment.objects.get(pk=item.pk)
    assert item.satisfaction_x == Decimal("1.5")
    assert item.self_level == Decimal(str(round(spec.satisfaction.level_for(1.5), 2)))
    assert item.status == AssessmentStatus.SUBMITTED
    assert "x = 1.5" in pic.get(item.get_absolute_url()).content.decode()

    assert pic.get(period.assessments.get(item_key="1").get_absolute_url()).context["satisfaction"] is None


def test_survey_value_outside_minus_four_to_four_is_refused(world):
    period = make_period(world, code="indeks-pemdi-2025", year=2025)
    item = period.assessments.get(item_key=str(period.framework.spec.satisfaction.indicator))
    response = client_for(world.operator_a1).post(
        url("self", item), {"satisfaction_x": "5", "justification": "x", "action": "draft"}
    )
    assert response.status_code == 400
    assert "satisfaction_x" in response.context["self_form"].errors
    item = IndicatorAssessment.objects.get(pk=item.pk)
    assert item.satisfaction_x is None and item.status == AssessmentStatus.NOT_STARTED


def test_unverified_framework_texts_are_marked(world):
    period = make_period(world, code="indeks-pemdi-2025", year=2025)
    item = period.assessments.get(item_key="1")
    html = client_for(world.operator_a1).get(item.get_absolute_url()).content.decode()
    assert period.framework.unverified
    assert "unverified" in html
