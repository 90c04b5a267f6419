"""The demo evaluation of Lampung Timur: a closed 2023 evaluation whose index sits at the Cukup/Baik
border and a 2024 evaluation in progress where every demo role has work; running it twice changes nothing.

The expected PICs and shapes come from the task (master plan roles and OPDs), not from demo.py.
"""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from simpul.architecture.models import Element
from simpul.core import permissions
from simpul.core.models import AuditEntry
from simpul.evaluation import scoring, services
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Evidence,
    ImprovementAction,
    IndicatorAssessment,
    NationalStage,
    NationalStageResult,
    PeriodScore,
    PeriodStatus,
    ScoreBasis,
)
from simpul.organizations.models import User


@pytest.fixture
def run_demo(demo_once, db, monkeypatch):
    monkeypatch.setenv("SIMPUL_DEMO_PASSWORD", "Sandi-Demo-Uji-2026")

    def run():
        call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    return run


@pytest.fixture
def demo(demo_once, db):
    periods = {p.year: p for p in EvaluationPeriod.objects.filter(instansi__slug="lampung-timur")}
    return periods


def counts() -> dict[str, int]:
    return {
        "periods": EvaluationPeriod.objects.count(),
        "assessments": IndicatorAssessment.objects.count(),
        "evidence": Evidence.objects.count(),
        "national": NationalStageResult.objects.count(),
        "actions": ImprovementAction.objects.count(),
        "scores": PeriodScore.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_running_the_demo_twice_changes_nothing(run_demo):
    run_demo()
    first = counts()
    assert first["periods"] == 2 and first["national"] > 0 and first["evidence"] > 0
    run_demo()
    assert counts() == first


def check_the_completed_evaluation_is_closed_with_every_step_recorded(demo):
    period = demo[2023]
    assert period.framework.code == "permenpanrb-59-2020"
    assert period.status == PeriodStatus.CLOSED
    assessments = list(period.assessments.select_related("indicator", "pic"))
    assert len(assessments) == 47
    for assessment in assessments:
        assert assessment.status == AssessmentStatus.ACCEPTED
        assert assessment.pic is not None
        assert assessment.self_level is not None and assessment.self_justification
        assert assessment.final_level is not None and assessment.national_level is not None
        if assessment.final_level != assessment.self_level:
            assert assessment.review_note, assessment.item_key
        stages = {r.stage: r for r in assessment.national_results.all()}
        assert set(stages) == set(NationalStage.values)
        assert all(r.notes and r.recommendations and r.assessed_on.year == 2023 for r in stages.values())
        # The national level is the field validation's, the last stage.
        assert assessment.national_level == stages[NationalStage.FIELD].level
    differing = [a for a in assessments if a.final_level != a.self_level]
    assert 3 <= len(differing) <= 10


def check_pics_are_the_opds_the_master_plan_gives_the_work(demo):
    pics = dict(demo[2023].assessments.values_list("indicator__number", "pic__short_name"))
    assert pics[16] == pics[17] == pics[18] == "DISKOMINFO"  # Pusat Data, jaringan intra, penghubung
    assert pics[13] == pics[32] == "BAPPEDA"
    assert pics[36] == pics[41] == "BKPSDM"
    assert pics[39] == "INSPEKTORAT"
    assert pics[44] == "BAG. HUKUM"
    assert pics[35] == "BPBJ"
    assert list(dict(demo[2024].assessments.values_list("indicator__number", "pic__short_name")).values()) == list(
        pics.values()
    )


def check_the_index_sits_at_the_cukup_baik_border_and_matches_the_formula(demo):
    period = demo[2023]
    scores = {s.basis: s for s in period.scores.all()}
    assert set(scores) == set(ScoreBasis.values)
    national = scores[ScoreBasis.NATIONAL]
    assert Decimal("2.40") <= national.index <= Decimal("2.70")
    assert national.predicate in ("Cukup", "Baik") and national.complete
    assert scores[ScoreBasis.SELF].index >= scores[ScoreBasis.INTERNAL].index >= national.index
    spec = period.framework.spec
    recomputed = scoring.compute(spec, services.period_levels(period, ScoreBasis.NATIONAL))
    assert float(national.index) == recomputed.index
    assert national.domains == recomputed.domains


def check_evidence_points_to_the_demo_architecture_and_to_web_pages(demo):
    evidence = Evidence.objects.filter(assessment__period=demo[2023])
    records = evidence.filter(kind=Evidence.Kind.RECORD)
    element_type = ContentType.objects.get_for_model(Element)
    pusat_data = Element.objects.get(name="Pusat Data Elektronik Daerah", owner__instansi=demo[2023].instansi)
    linked = records.filter(record_type=element_type, record_id=pusat_data.pk)
    assert linked.filter(assessment__indicator__number=16).exists()
    assert records.count() >= 20
    assert all(Element.objects.filter(pk=e.record_id).exists() for e in records)
    assert evidence.filter(kind=Evidence.Kind.URL, url__startswith="https://").count() >= 3


def check_improvement_actions_follow_the_low_indicators(demo):
    actions = ImprovementAction.objects.filter(period=demo[2023]).select_related("owner")
    assert actions.count() >= 5
    for action in actions:
        assessment = demo[2023].assessments.get(item_key=action.item_key)
        assert action.from_level == assessment.national_level
        assert action.to_level == action.from_level + 1
        assert action.owner.instansi_id == demo[2023].instansi_id


def check_the_audit_trail_names_who_did_each_step(demo):
    assessment = demo[2023].assessments.get(indicator__number=16)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(IndicatorAssessment), object_id=str(assessment.pk)
    )
    actors = set(entries.values_list("actor__username", flat=True))
    assert {"evaluator", "operator-diskominfo", "evaluator-analis"} <= actors
    assert None not in actors
    stage_actors = set(
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(NationalStageResult)).values_list(
            "actor__username", flat=True
        )
    )
    assert stage_actors == {"evaluator-operator"}


def test_the_completed_evaluation(demo):
    # One demo run (a few seconds) serves all the checks of the closed period.
    check_the_completed_evaluation_is_closed_with_every_step_recorded(demo)
    check_pics_are_the_opds_the_master_plan_gives_the_work(demo)
    check_the_index_sits_at_the_cukup_baik_border_and_matches_the_formula(demo)
    check_evidence_points_to_the_demo_architecture_and_to_web_pages(demo)
    check_improvement_actions_follow_the_low_indicators(demo)
    check_the_audit_trail_names_who_did_each_step(demo)


def test_the_evaluation_in_progress_gives_every_role_work(demo):
    period = demo[2024]
    assert period.status == PeriodStatus.SELF_ASSESSMENT
    statuses = set(period.assessments.values_list("status", flat=True))
    assert statuses == set(AssessmentStatus.values)
    users = {u.username: u for u in User.objects.all()}
    open_items = period.assessments.filter(status__in=services.SELF_EDITABLE)
    for username in ("operator-diskominfo", "operator-bappeda", "operator-bkd"):
        assert permissions.restrict(open_items, users[username], "change").exists(), username
    returned = period.assessments.get(status=AssessmentStatus.RETURNED, pic__short_name="BAPPEDA")
    assert returned.review_note and returned.reviewed_by.username == "evaluator-analis"
    submitted = period.assessments.filter(status=AssessmentStatus.SUBMITTED)
    for username in ("evaluator", "evaluator-analis"):
        assert permissions.restrict(submitted, users[username], "review").count() >= 3
    # Not yet at the national stage: only the self and internal indices exist, as floors.
    scores = {s.basis: s for s in period.scores.all()}
    assert set(scores) == {ScoreBasis.SELF, ScoreBasis.INTERNAL}
    assert not scores[ScoreBasis.SELF].complete
