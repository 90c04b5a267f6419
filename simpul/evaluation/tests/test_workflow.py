"""The workflow of one indicator through the pages: draft → submitted → returned → submitted → accepted,
the rules each step enforces, the index recomputed on the way, and the history it leaves."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from simpul.core.models import AuditEntry
from simpul.core.models.workflow import WorkflowEvent
from simpul.core.workflow import TransitionError
from simpul.evaluation import scoring, services
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Framework,
    IndicatorAssessment,
    PeriodScore,
    PeriodStatus,
    ScoreBasis,
)


def make_period(world, code="permenpanrb-59-2020", year=2024, instansi=None, pic=None) -> EvaluationPeriod:
    """A period of instansi A (every indicator with OPD a1 as PIC, indicator 2 with a2)."""
    framework = Framework.objects.get(code=code)
    period = services.create_period(
        world.admin_b if instansi == world.inst_b else world.admin_a,
        EvaluationPeriod(instansi=instansi or world.inst_a, year=year, framework=framework),
        default_pic=pic or world.a1,
    )
    if instansi is None:
        IndicatorAssessment.objects.filter(period=period, item_key="2").update(pic=world.a2)
    return period


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def scene(world):
    world.period = make_period(world)
    world.item = world.period.assessments.get(item_key="1")
    return world


def self_url(item):
    return reverse("evaluation:indicatorassessment_self", args=[item.pk])


def review_url(item):
    return reverse("evaluation:indicatorassessment_review", args=[item.pk])


def refreshed(item) -> IndicatorAssessment:
    return IndicatorAssessment.objects.get(pk=item.pk)


def test_full_cycle_draft_submit_return_resubmit_accept(scene):
    pic, reviewer, item = client_for(scene.operator_a1), client_for(scene.evaluator_a), scene.item

    response = pic.post(self_url(item), {"self_level": "3", "justification": "", "action": "draft"})
    assert response.status_code == 302
    assert refreshed(item).status == AssessmentStatus.DRAFT
    assert refreshed(item).self_level == 3

    # Submitting needs a justification: the page says so and the draft stays a draft.
    response = pic.post(self_url(item), {"self_level": "3", "justification": "", "action": "submit"})
    assert response.status_code == 400
    assert "justification" in response.content.decode()
    assert refreshed(item).status == AssessmentStatus.DRAFT

    response = pic.post(self_url(item), {"self_level": "3", "justification": "Perbup 12/2023", "action": "submit"})
    assert response.status_code == 302
    assert refreshed(item).status == AssessmentStatus.SUBMITTED
    # A submitted self-assessment is no longer the PIC's to change.
    assert pic.post(self_url(item), {"self_level": "4", "justification": "x", "action": "draft"}).status_code == 403

    # Returning needs a note.
    response = reviewer.post(review_url(item), {"action": "return", "review_note": ""})
    assert response.status_code == 400
    assert refreshed(item).status == AssessmentStatus.SUBMITTED
    response = reviewer.post(review_url(item), {"action": "return", "review_note": "Lampirkan SK yang ditandatangani."})
    assert response.status_code == 302
    assert refreshed(item).status == AssessmentStatus.RETURNED

    page = pic.get(item.get_absolute_url())
    assert page.context["can_self"] and "Lampirkan SK yang ditandatangani." in page.content.decode()
    response = pic.post(self_url(item), {"self_level": "4", "justification": "SK terlampir", "action": "submit"})
    assert response.status_code == 302
    assert refreshed(item).status == AssessmentStatus.SUBMITTED
    # Resubmitted, the return note is history: the level summary no longer shows it as the current word.
    page = reviewer.get(item.get_absolute_url()).content.decode()
    summary = page[page.index('data-testid="level-summary"') : page.index('id="levels"')]
    assert "Lampirkan SK yang ditandatangani." not in summary

    # A final level other than the self-assessed one needs a note; then it is accepted.
    response = reviewer.post(review_url(item), {"action": "accept", "final_level": "3", "review_note": ""})
    assert response.status_code == 400
    assert refreshed(item).status == AssessmentStatus.SUBMITTED
    response = reviewer.post(
        review_url(item), {"action": "accept", "final_level": "3", "review_note": "Belum lintas OPD."}
    )
    assert response.status_code == 302
    item = refreshed(item)
    assert (item.status, item.self_level, item.final_level) == (AssessmentStatus.ACCEPTED, 4, 3)

    # Every step is in the history, named after who took it.
    entries = AuditEntry.objects.filter(content_type__model="indicatorassessment", object_id=str(item.pk))
    # Created with the period, then five steps succeeded (draft, submit, return, submit, accept);
    # the refused ones left no trace.
    assert list(entries.order_by("id").values_list("action", flat=True)) == ["create"] + ["update"] * 5
    assert {"operator-a1", "evaluator-a"} <= set(entries.values_list("actor_repr", flat=True))
    # Each step is also a workflow event, and the history panel shows both.
    events = WorkflowEvent.objects.filter(content_type__model="indicatorassessment", object_id=str(item.pk))
    assert list(events.order_by("id").values_list("transition", "from_state", "to_state")) == [
        ("save_draft", "not_started", "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("accept", "submitted", "accepted"),
    ]
    assert events.get(transition="return").note == "Lampirkan SK yang ditandatangani."
    page = reviewer.get(item.get_absolute_url())
    assert len(page.context["history"]) == 6 + 5
    html = page.content.decode()
    assert html.count('data-testid="history-event"') == 5 and html.count('data-testid="history-entry"') == 6
    assert page.context["differs"] is True


def test_accept_as_self_assessed_needs_no_note(scene):
    item = scene.item
    services.save_self_assessment(scene.operator_a1, item, 2, "Ada draf", submit=True)
    response = client_for(scene.evaluator_a).post(review_url(item), {"action": "accept", "final_level": ""})
    assert response.status_code == 302
    assert refreshed(item).final_level == 2


def test_period_score_follows_accepted_levels(scene):
    period, item = scene.period, scene.item
    assert not PeriodScore.objects.filter(period=period, basis=ScoreBasis.INTERNAL).exists()
    services.save_self_assessment(scene.operator_a1, item, 5, "Lengkap", submit=True)
    client_for(scene.evaluator_a).post(review_url(item), {"action": "accept", "final_level": "4", "review_note": "n"})

    score = PeriodScore.objects.get(period=period, basis=ScoreBasis.INTERNAL)
    expected = scoring.compute(period.framework.spec, {"1": 4.0}, missing_as_minimum=True)
    assert score.index == Decimal(str(expected.index))
    assert score.assessed == 1 and score.total == 47
    assert PeriodScore.objects.get(period=period, basis=ScoreBasis.SELF).raw_index > expected.raw_index
    page = client_for(scene.koordinator_a).get(period.get_absolute_url())
    assert page.context["final_count"] == 1
    assert "1 of 47 indicators have a final level." in page.content.decode()


def test_a_closed_period_refuses_every_change(scene):
    item = scene.item
    services.save_self_assessment(scene.operator_a1, item, 2, "Ada draf", submit=True)
    services.set_period_status(scene.admin_a, scene.period, PeriodStatus.CLOSED)

    reviewer = client_for(scene.evaluator_a)
    assert reviewer.post(review_url(item), {"action": "accept"}).status_code == 403
    national = reverse("evaluation:indicatorassessment_national", args=[item.pk])
    assert reviewer.post(national, {"stage": "document", "level": "3"}).status_code == 403
    page = client_for(scene.operator_a1).get(item.get_absolute_url())
    assert not page.context["can_self"] and not page.context["can_review"]
    with pytest.raises(TransitionError) as refused:
        services.review(scene.evaluator_a, item, accept=True)
    assert (refused.value.code, refused.value.status) == ("period_closed", 409)
    other = scene.period.assessments.get(item_key="3")
    with pytest.raises(TransitionError) as refused:
        services.save_self_assessment(scene.operator_a1, other, 2, "x")
    assert refused.value.code == "period_closed"
    assert refreshed(item).status == AssessmentStatus.SUBMITTED
    assert refreshed(other).status == AssessmentStatus.NOT_STARTED


def test_returning_an_accepted_indicator_clears_its_final_level(scene):
    item = scene.item
    services.save_self_assessment(scene.operator_a1, item, 3, "ok", submit=True)
    services.review(scene.evaluator_a, item, accept=True)
    assert PeriodScore.objects.filter(period=scene.period, basis=ScoreBasis.INTERNAL).exists()
    page = client_for(scene.evaluator_a).get(item.get_absolute_url())
    assert page.context["can_review"] and not page.context["can_accept"]
    assert "final_level" not in page.context["review_form"].fields
    assert 'data-testid="accept"' not in page.content.decode()
    response = client_for(scene.evaluator_a).post(review_url(item), {"action": "return", "review_note": "Cek ulang"})
    assert response.status_code == 302
    assert refreshed(item).final_level is None
    assert not PeriodScore.objects.filter(period=scene.period, basis=ScoreBasis.INTERNAL).exists()
