"""Policy hints reach the evaluation: an indicator whose topic an enacted policy of the period's instansi
covers gets that policy proposed as evidence, through the module contract (the evaluation imports nothing
of this module); drafts, former policies and other instansi's policies are never proposed."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from simpul.core import modules
from simpul.core import services as core_services
from simpul.evaluation import hints
from simpul.evaluation import services as evaluation_services
from simpul.evaluation.models import EvaluationPeriod, Evidence, Framework, Indicator
from simpul.governance import services
from simpul.governance.choices import PolicyKind
from simpul.governance.models import Policy, PolicyTopic

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def scene(world):
    w = world
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    w.period = evaluation_services.create_period(
        w.admin_a, EvaluationPeriod(instansi=w.inst_a, year=2024, framework=framework), default_pic=w.a1
    )
    w.architecture_item = w.period.assessments.get(item_key="1")  # I01 Kebijakan Internal Arsitektur SPBE
    w.data_item = w.period.assessments.get(item_key="3")  # I03 Kebijakan Internal Manajemen Data
    w.topic = PolicyTopic.objects.get(code="arsitektur-spbe")
    w.enacted = policy(w, w.admin_a, w.inst_a, "Arsitektur SPBE", [w.topic], number="37 Tahun 2020")
    w.draft = policy(w, w.koordinator_a, w.inst_a, "Arsitektur SPBE (perubahan)", [w.topic])
    w.revoked = policy(w, w.admin_a, w.inst_a, "Arsitektur lama", [w.topic], number="3 Tahun 2017")
    w.revoked = services.revoke_policy(w.admin_a, w.revoked, note="Diganti aturan baru.")
    w.other = policy(w, w.admin_b, w.inst_b, "Arsitektur SPBE B", [w.topic], number="9 Tahun 2020")
    return w


def policy(world, user, instansi, title, topics, number="") -> Policy:
    record = core_services.create_object(user, Policy(instansi=instansi, kind=PolicyKind.PERBUP, title=title))
    record.topics.set(topics)
    if number:
        admin = world.admin_a if instansi == world.inst_a else world.admin_b
        services.enact_policy(admin, record, number=number, date=datetime.date(2020, 9, 14))
    return Policy.objects.get(pk=record.pk)


def governance_hint(user, assessment):
    return next((hint for hint in hints.hints_for(user, assessment) if hint.id == "governance-policies"), None)


def test_the_module_declares_its_hints_through_the_contract():
    assert [f"{source.__module__}.{source.__name__}" for source in modules.evidence_hint_sources()] == [
        "simpul.governance.hints.policy_hints"
    ]


def test_an_enacted_policy_on_the_indicators_topic_is_proposed_and_a_draft_is_not(scene):
    hint = governance_hint(scene.admin_a, scene.architecture_item)
    assert hint is not None
    assert [record.pk for record in hint.records] == [scene.enacted.pk]
    facts = dict(hint.facts)
    assert facts["Topics"] == "Arsitektur SPBE"
    assert facts["Drafts"] == str(scene.draft)
    assert facts["Revoked or replaced"] == str(scene.revoked)
    assert hint.level == 2
    criterion = Framework.objects.get(code="permenpanrb-59-2020").spec.indicator(1).levels[1].criterion
    assert hint.suggestion.endswith(f"The criterion of level 2 asks: {criterion}")
    assert hint.why


def test_a_topic_with_only_a_draft_gets_a_hint_that_proposes_nothing(scene):
    policy(scene, scene.koordinator_a, scene.inst_a, "Satu Data", [PolicyTopic.objects.get(code="manajemen-data")])
    hint = governance_hint(scene.admin_a, scene.data_item)
    assert hint.records == []
    assert "only drafts" in hint.suggestion


def test_an_indicator_no_topic_serves_gets_no_policy_hint_unless_a_policy_names_it(scene):
    item = scene.period.assessments.get(item_key="16")
    assert governance_hint(scene.admin_a, item) is None
    scene.enacted.indicators.add(Indicator.objects.get(framework=scene.period.framework, number=16))
    assert [record.pk for record in governance_hint(scene.admin_a, item).records] == [scene.enacted.pk]


def test_a_user_who_may_not_see_a_policy_is_not_offered_it(scene):
    hidden = policy(scene, scene.koordinator_a, scene.inst_a, "Draf Arsitektur A2", [scene.topic])
    hidden.owner = scene.a2
    hidden.save()
    hint = governance_hint(scene.operator_a1, scene.architecture_item)
    assert str(hidden) not in dict(hint.facts)["Drafts"]
    assert [record.pk for record in hint.records] == [scene.enacted.pk]


def test_accepting_the_hint_links_the_policy_as_evidence(scene):
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.operator_a1)
    url = reverse("evaluation:evidence_hint_accept", args=[scene.architecture_item.pk])
    response = client.post(url, {"hint": "governance-policies"})
    assert response.status_code == 302
    (linked,) = Evidence.objects.filter(assessment=scene.architecture_item)
    assert linked.record_type == ContentType.objects.get_for_model(Policy)
    assert linked.record_id == scene.enacted.pk
    page = client.get(reverse("evaluation:evidence_hints", args=[scene.architecture_item.pk]))
    assert "already evidence" in page.content.decode()
