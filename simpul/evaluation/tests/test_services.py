"""One door per state change: the operations the pages, the API and the CLI share (plan → actions, bulk
PIC assignment, framework loading, the national level), and the filter sets the pages and the API share."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from rest_framework.test import APIClient

from simpul.core.models import AuditEntry
from simpul.core.workflow import TransitionError
from simpul.evaluation import services
from simpul.evaluation.models import Aspect, EvaluationPeriod, Framework, ImprovementAction, IndicatorAssessment
from simpul.evaluation.tests.test_frameworks import valid_document

BASE = "/api/evaluation"


@pytest.fixture
def period(world) -> EvaluationPeriod:
    """A 59/2020 period of instansi A: indicators 1–20 with OPD a1 as PIC, the rest with a2."""
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    period = services.create_period(
        world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=2025, framework=framework), default_pic=world.a2
    )
    services.assign_pics(world.admin_a, period, period.assessments.filter(indicator__number__lte=20), world.a1)
    return period


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def actions_of(period) -> list[tuple[str, int, int]]:
    return sorted(ImprovementAction.objects.filter(period=period).values_list("item_key", "from_level", "to_level"))


# --- Plan → improvement actions -----------------------------------------------------------------------------


def test_a_plan_becomes_one_action_per_level_once(world, period):
    result = services.plan_actions(world.evaluator_a, period, [("1", 2, 4), ("30", 1, 2)])
    assert actions_of(period) == [("1", 2, 3), ("1", 3, 4), ("30", 1, 2)]
    assert {action.owner for action in result.created} == {world.a1, world.a2}  # each indicator's PIC
    assert all(action.status == "planned" for action in result.created)
    # Overlapping raises, again: the levels that have an action are skipped.
    again = services.plan_actions(world.evaluator_a, period, [("1", 3, 5)], owner=world.a2)
    assert (len(again.created), again.skipped) == (1, 1)
    assert actions_of(period)[-2:] == [("1", 4, 5), ("30", 1, 2)]
    # A dropped action no longer counts: its level may be planned anew.
    dropped = ImprovementAction.objects.get(period=period, item_key="30")
    services.action_transition(world.evaluator_a, dropped, "drop")
    assert len(services.plan_actions(world.evaluator_a, period, [("30", 1, 2)]).created) == 1


@pytest.mark.parametrize("raises", [[], [("99", 1, 2)], [("1", 3, 3)], [("1", 0, 2)], [("1", 4, 6)]])
def test_a_plan_outside_the_period_creates_nothing(world, period, raises):
    with pytest.raises(ValidationError):
        services.plan_actions(world.evaluator_a, period, raises)
    assert not ImprovementAction.objects.exists()


def test_a_plan_is_refused_for_an_owner_the_user_may_not_plan_for(world, period):
    with pytest.raises(ValidationError) as refused:
        services.plan_actions(world.evaluator_a, period, [("1", 2, 3)], owner=world.b1)
    assert "owner" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_actions(world.koordinator_a, period, [("1", 2, 3)])
    assert not ImprovementAction.objects.exists()


def test_the_api_turns_a_plan_into_actions(world, period):
    url = f"{BASE}/periods/{period.pk}/plan-actions/"
    body = {"raises": [{"item_key": "5", "from_level": 2, "to_level": 4}], "due_date": "2025-10-31"}
    created = api(world.evaluator_a).post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["created"], created.json()["skipped"]) == (2, 0)
    assert actions_of(period) == [("5", 2, 3), ("5", 3, 4)]
    assert api(world.evaluator_a).post(url, body, format="json").json() == {"created": 0, "skipped": 2, "actions": []}
    outside = api(world.evaluator_a).post(url, {"raises": [{"item_key": "5", "from_level": 4, "to_level": 9}]})
    assert outside.status_code == 400
    assert api(world.operator_a1).post(url, body, format="json").status_code == 403


# --- PIC assignment ------------------------------------------------------------------------------------------


def test_bulk_assignment_is_all_or_nothing(world, period):
    chosen = list(period.assessments.filter(item_key__in=["3", "4"]))
    assert services.assign_pics(world.evaluator_a, period, chosen, world.a2) == 2
    assert set(period.assessments.filter(item_key__in=["3", "4"]).values_list("pic", flat=True)) == {world.a2.pk}
    with pytest.raises(ValidationError):
        services.assign_pics(world.evaluator_a, period, chosen, world.b1)
    assert set(period.assessments.filter(item_key__in=["3", "4"]).values_list("pic", flat=True)) == {world.a2.pk}
    services.set_period_status(world.admin_a, period, "closed")
    with pytest.raises(TransitionError) as refused:
        services.assign_pics(world.evaluator_a, period, chosen, world.a1)
    assert refused.value.code == "period_closed"


def test_the_api_assigns_several_indicators(world, period):
    chosen = list(period.assessments.filter(item_key__in=["3", "4"]).values_list("pk", flat=True))
    url = f"{BASE}/periods/{period.pk}/assign/"
    response = api(world.evaluator_a).post(url, {"assessments": chosen, "pic": world.a2.pk}, format="json")
    assert response.status_code == 200, response.content
    assert {row["pic"] for row in response.json()} == {world.a2.pk}
    assert api(world.operator_a1).post(url, {"assessments": chosen, "pic": world.a1.pk}).status_code == 403


def test_assigning_a_pic_keeps_a_concurrent_step(world, period):
    stale = period.assessments.get(item_key="1")
    services.save_self_assessment(world.operator_a1, period.assessments.get(item_key="1"), 3, "ok", submit=True)
    # The reviewer's copy was read before the PIC submitted; assigning it must not write the old status back.
    services.assign_pic(world.evaluator_a, stale, world.a2)
    row = IndicatorAssessment.objects.get(pk=stale.pk)
    assert (row.status, row.pic) == ("submitted", world.a2)


# --- The national level -----------------------------------------------------------------------------------


def test_the_national_level_is_in_the_audit_trail(world, period):
    item = period.assessments.get(item_key="1")
    services.record_national_result(world.evaluator_a, item, "document", 3)
    services.record_national_result(world.evaluator_a, item, "interview", 2)
    item.refresh_from_db()
    assert item.national_level == 2
    changes = [
        entry.changes["national_level"]
        for entry in AuditEntry.objects.filter(
            content_type__model="indicatorassessment", object_id=str(item.pk)
        ).order_by("id")
        if "national_level" in entry.changes
    ]
    assert changes == [[None, "3.00"], ["3.00", "2.00"]]


# --- Framework loading ---------------------------------------------------------------------------------------


def test_only_who_may_add_frameworks_loads_them(world):
    with pytest.raises(PermissionDenied):
        services.load_framework(world.evaluator_a, valid_document(), "uji.json")
    framework, action = services.load_framework(world.admin_a, valid_document(), "uji.json")
    assert (framework.code, action) == ("uji-kerangka", "created")
    entry = AuditEntry.objects.filter(content_type__model="framework", object_id=str(framework.pk)).get()
    assert entry.actor == world.admin_a


def test_the_command_loads_as_the_user_it_names(world, tmp_path):
    path = tmp_path / "uji.json"
    path.write_text(json.dumps(valid_document()), encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="may not load"):
        call_command(
            "evaluation", "load-framework", str(path), "--user", world.evaluator_a.username, stdout=io.StringIO()
        )
    with translation.override("en"), pytest.raises(CommandError, match="no active user"):
        call_command("evaluation", "load-framework", str(path), "--user", "nobody", stdout=io.StringIO())
    out = io.StringIO()
    call_command("evaluation", "load-framework", str(path), "--user", world.admin_a.username, stdout=out)
    assert out.getvalue().strip().endswith("uji-kerangka (created)")
    framework = Framework.objects.get(code="uji-kerangka")
    entry = AuditEntry.objects.filter(content_type__model="framework", object_id=str(framework.pk)).get()
    assert (entry.actor, entry.source) == (world.admin_a, "cli")


# --- One filter set per model --------------------------------------------------------------------------------


def listed(user, path: str, **params) -> list[dict]:
    response = api(user).get(f"{BASE}/{path}/", {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_api_filters_as_the_pages_do(world, period):
    aspect = Aspect.objects.get(framework=period.framework, code="A1")
    by_code = {row["item_key"] for row in listed(world.evaluator_a, "assessments", period=period.pk, aspect="A1")}
    by_id = {row["item_key"] for row in listed(world.evaluator_a, "assessments", period=period.pk, aspect=aspect.pk)}
    assert by_code == by_id and len(by_code) == 10
    # The search box of the pages finds an OPD's indicators by the OPD's name; the API's `q` does too.
    assert len(listed(world.evaluator_a, "assessments", period=period.pk, q="A1")) >= 20
    IndicatorAssessment.objects.filter(period=period, item_key__in=["3", "4"]).update(pic=None)
    assert {row["item_key"] for row in listed(world.evaluator_a, "assessments", pic="none")} == {"3", "4"}
    by_framework_code = listed(world.evaluator_a, "periods", framework="permenpanrb-59-2020")
    assert [row["id"] for row in by_framework_code] == [period.pk]
    assert listed(world.evaluator_a, "periods", framework=period.framework_id) == by_framework_code
    unknown = api(world.evaluator_a).get(f"{BASE}/periods/", {"framework": "tidak-ada"})
    assert unknown.status_code == 400 and "framework" in unknown.json()
    beyond = api(world.evaluator_a).get(f"{BASE}/assessments/", {"aspect": "9" * 30})
    assert beyond.status_code == 400
