"""The governance API: the same rules as the pages (states only through the workflow actions, paging and
scoping as every endpoint), at /api/governance/."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.core import services as core_services
from simpul.core.workflow import INVALID_INPUT, INVALID_STATE, NOT_PERMITTED, NOTE_REQUIRED
from simpul.governance import services
from simpul.governance.choices import PolicyKind, PolicyStatus, TeamKind
from simpul.governance.models import Decision, Decree, FollowUpAction, Meeting, Policy, Team, TeamMember


def api_for(user) -> APIClient:
    api = APIClient(headers={"accept-language": "en"})
    api.force_authenticate(user)
    return api


def test_the_policies_endpoint_is_where_the_issue_says():
    assert reverse("governance-api:policy-list") == "/api/governance/policies/"


def test_a_policy_is_created_as_a_draft_and_its_state_changes_only_through_the_steps(world):
    api = api_for(world.koordinator_a)
    body = {
        "instansi": world.inst_a.pk,
        "kind": PolicyKind.PERBUP,
        "title": "Arsitektur SPBE",
        "topics": ["arsitektur-spbe"],
        "status": PolicyStatus.DITETAPKAN,
    }
    created = api.post(reverse("governance-api:policy-list"), body, format="json")
    assert created.status_code == 201, created.content
    policy = Policy.objects.get()
    assert policy.status == PolicyStatus.RANCANGAN  # the state is read-only
    assert [entry["code"] for entry in created.json()["serves"]] == ["I01"]
    detail = reverse("governance-api:policy-detail", args=[policy.pk])
    assert api.patch(detail, {"status": "ditetapkan"}, format="json").status_code == 200
    assert Policy.objects.get().status == PolicyStatus.RANCANGAN

    enact = reverse("governance-api:policy-enact", args=[policy.pk])
    refused = api.post(enact, {"number": "37 Tahun 2020", "date": "2020-09-14"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, NOT_PERMITTED)
    admin = api_for(world.admin_a)
    missing = admin.post(enact, {}, format="json")
    assert missing.status_code == 400 and set(missing.json()["fields"]) == {"number", "date"}
    done = admin.post(enact, {"number": "37 Tahun 2020", "date": "2020-09-14"}, format="json")
    assert (done.status_code, done.json()["status"]) == (200, "ditetapkan")
    again = admin.post(enact, {"number": "37 Tahun 2020", "date": "2020-09-14"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, INVALID_STATE)
    revoke = admin.post(reverse("governance-api:policy-revoke", args=[policy.pk]), {}, format="json")
    assert (revoke.status_code, revoke.json()["code"]) == (400, NOTE_REQUIRED)


def test_replacing_names_a_policy_the_caller_may_see(world):
    old = core_services.create_object(world.admin_a, Policy(instansi=world.inst_a, kind="perbup", title="Lama"))
    services.enact_policy(world.admin_a, old, number="1", date=datetime.date(2019, 1, 1))
    new = core_services.create_object(world.admin_a, Policy(instansi=world.inst_a, kind="perbup", title="Baru"))
    services.enact_policy(world.admin_a, new, number="2", date=datetime.date(2020, 1, 1))
    api = api_for(world.admin_a)
    url = reverse("governance-api:policy-replace", args=[old.pk])
    elsewhere = core_services.create_object(world.admin_b, Policy(instansi=world.inst_b, kind="perbup", title="B"))
    services.enact_policy(world.admin_b, elsewhere, number="3", date=datetime.date(2020, 1, 1))
    for unseen in (999999, elsewhere.pk):  # none, and one of another instansi: answered alike
        unknown = api.post(url, {"replaced_by": unseen}, format="json")
        assert (unknown.status_code, unknown.json()["code"]) == (400, INVALID_INPUT)
        assert unknown.json()["fields"] == {"replaced_by": ["There is no such policy, or you may not see it."]}
    response = api.post(url, {"replaced_by": new.pk, "note": "Diganti"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["replaced_by"]) == ("diganti", new.pk)


def test_lists_are_scoped_and_paged(world):
    for number in range(3):
        core_services.create_object(
            world.admin_a, Policy(instansi=world.inst_a, kind="perbup", title=f"Draf {number}", owner=world.a2)
        )
    core_services.create_object(world.admin_b, Policy(instansi=world.inst_b, kind="perbup", title="Draf B"))
    response = api_for(world.koordinator_a).get(reverse("governance-api:policy-list"), {"limit": 2})
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert api_for(world.operator_a1).get(reverse("governance-api:policy-list")).json()["count"] == 0
    assert api_for(world.operator_a2).get(reverse("governance-api:policy-list")).json()["count"] == 3
    topics = api_for(world.asn_a1).get(reverse("governance-api:policytopic-detail", args=["arsitektur-spbe"]))
    assert topics.json()["indicator_refs"]["permenpanrb-59-2020"] == ["I01"]
    assert APIClient().get(reverse("governance-api:policy-list")).status_code == 401


def test_follow_up_actions_through_the_api(world):
    team = core_services.create_object(
        world.admin_a, Team(instansi=world.inst_a, kind=TeamKind.TIM_KOORDINASI, name="T")
    )
    meeting = core_services.create_object(
        world.admin_a, Meeting(team=team, title="Rapat", date=datetime.date(2024, 1, 5))
    )
    decision = core_services.create_object(world.admin_a, Decision(meeting=meeting, text="Susun SOP."))
    koordinator = api_for(world.koordinator_a)
    created = koordinator.post(
        reverse("governance-api:followupaction-list"),
        {"decision": decision.pk, "owner": world.a1.pk, "title": "Susun SOP", "due_date": "2024-02-01"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["late"] is True and created.json()["status"] == "open"
    action = FollowUpAction.objects.get()
    complete = reverse("governance-api:followupaction-complete", args=[action.pk])
    refused = api_for(world.operator_a2).post(complete, {"note": "x"}, format="json")
    assert refused.status_code == 404
    done = api_for(world.operator_a1).post(complete, {"note": "SOP ditetapkan."}, format="json")
    assert (done.status_code, done.json()["status"], done.json()["late"]) == (200, "done", False)
    reopened = koordinator.post(
        reverse("governance-api:followupaction-reopen", args=[action.pk]), {"note": "Lampiran kurang."}, format="json"
    )
    assert reopened.json()["status"] == "open"


def test_a_meeting_marks_present_only_members_of_its_team(world):
    team = core_services.create_object(
        world.admin_a, Team(instansi=world.inst_a, kind=TeamKind.TIM_KOORDINASI, name="T")
    )
    other = core_services.create_object(
        world.admin_a, Team(instansi=world.inst_a, kind=TeamKind.TIM_EVALUATOR, name="E")
    )
    decree = core_services.create_object(
        world.admin_a,
        Decree(team=other, number="1", date=datetime.date(2024, 1, 1), title="E", valid_from=datetime.date(2024, 1, 1)),
    )
    stranger = core_services.create_object(
        world.admin_a, TeamMember(decree=decree, position="operator", name="Operator")
    )
    response = api_for(world.koordinator_a).post(
        reverse("governance-api:meeting-list"),
        {"team": team.pk, "title": "Rapat", "date": "2024-02-01", "attendees": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400 and "attendees" in response.json()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("position", ["penanggung_jawab", "tidak_ada"])
def test_a_member_in_a_position_of_another_team_is_refused(world, position):
    team = core_services.create_object(
        world.admin_a, Team(instansi=world.inst_a, kind=TeamKind.TIM_KOORDINASI, name="T")
    )
    decree = core_services.create_object(
        world.admin_a,
        Decree(team=team, number="1", date=datetime.date(2024, 1, 1), title="T", valid_from=datetime.date(2024, 1, 1)),
    )
    response = api_for(world.admin_a).post(
        reverse("governance-api:teammember-list"),
        {"decree": decree.pk, "position": position, "name": "X"},
        format="json",
    )
    assert response.status_code == 400 and "position" in response.json()
