"""Granting Simpul roles from a decree's membership: a preview that writes nothing, one logged step that
creates what is missing, running it again changes nothing, and (on request) the roles a superseded decree
granted go; only whoever may review the decree and add role assignments may do it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.core import services as core_services
from simpul.core.models import AuditEntry, Notification
from simpul.core.workflow import NOT_PERMITTED, TransitionError, events_of
from simpul.governance import services
from simpul.governance.choices import RolesState, TeamKind
from simpul.governance.models import Decree, Team, TeamMember
from simpul.organizations.models import RoleAssignment
from simpul.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def team(world):
    world.sekda = UserFactory(username="sekda", instansi=world.inst_a)
    world.kominfo = UserFactory(username="kominfo", instansi=world.inst_a)
    world.outsider = UserFactory(username="luar", instansi=world.inst_b)
    world.team = core_services.create_object(
        world.admin_a, Team(instansi=world.inst_a, kind=TeamKind.TIM_KOORDINASI, name="Tim Koordinasi SPBE")
    )
    return world


def decree(world, number: str, valid_from: datetime.date, members) -> Decree:
    record = core_services.create_object(
        world.admin_a,
        Decree(team=world.team, number=number, date=valid_from, title="Tim Koordinasi", valid_from=valid_from),
    )
    for order, (position, name, user, extra) in enumerate(members):
        member = TeamMember(decree=record, order=order, position=position, name=name, user=user, **extra)
        member.full_clean()
        core_services.create_object(world.admin_a, member)
    return record


def held(user) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user, opd__isnull=True).values_list("role", flat=True))


def test_preview_says_what_changes_and_writes_nothing(team):
    sk = decree(
        team,
        "1/2023",
        datetime.date(2023, 2, 1),
        [
            ("ketua", "Sekretaris Daerah", team.sekda, {}),
            ("koordinator_tim", "Kepala Diskominfo", team.kominfo, {}),
            ("pengarah", "Bupati", None, {}),
            ("kelompok_kerja", "Kepala Bappeda", team.koordinator_a, {}),
            ("sekretariat", "Admin", team.admin_a, {"grant_role": False}),
        ],
    )
    before = RoleAssignment.objects.count()
    plan = services.plan_role_grants(team.admin_a, sk)
    assert [(line.member.name, line.role) for line in plan.create] == [
        ("Sekretaris Daerah", "koordinator"),
        ("Kepala Diskominfo", "koordinator"),
    ]
    reasons = {item.member.name: item.reason for item in plan.skipped}
    assert set(reasons) == {"Bupati", "Kepala Bappeda", "Admin"}
    assert "No Simpul account" in reasons["Bupati"]
    assert "no Simpul role" in reasons["Kepala Bappeda"]
    assert "switched off" in reasons["Admin"]
    assert plan.changes and not plan.applied
    assert RoleAssignment.objects.count() == before
    assert Decree.objects.get(pk=sk.pk).roles_state == RolesState.NOT_GRANTED


def test_granting_creates_the_missing_roles_in_one_logged_step_and_again_changes_nothing(team):
    sk = decree(
        team,
        "1/2023",
        datetime.date(2023, 2, 1),
        [("ketua", "Sekretaris Daerah", team.sekda, {}), ("ketua", "Wakil", team.koordinator_a, {})],
    )
    plan = services.grant_roles(team.admin_a, sk)
    assert plan.applied
    assert held(team.sekda) == {"koordinator"}
    assignment = RoleAssignment.objects.get(user=team.sekda)
    assert TeamMember.objects.get(decree=sk, user=team.sekda).role_assignment == assignment
    # Koordinator A held the role already, on its own: kept and not taken over by the decree.
    assert TeamMember.objects.get(decree=sk, user=team.koordinator_a).role_assignment is None
    sk.refresh_from_db()
    assert sk.roles_state == RolesState.GRANTED and sk.roles_granted_at is not None
    (event,) = events_of(sk)
    assert event.transition == "grant_roles" and event.actor == team.admin_a
    assert [line["username"] for line in event.payload["create"]] == ["sekda"]
    assert AuditEntry.objects.filter(content_type__model="roleassignment", object_id=str(assignment.pk)).exists()
    assert Notification.objects.filter(recipient=team.sekda, verb="governance.role_granted").count() == 1

    again = services.grant_roles(team.admin_a, sk)
    assert not again.applied and not again.changes
    assert RoleAssignment.objects.filter(user=team.sekda).count() == 1
    assert events_of(sk).count() == 1


def test_a_new_decree_can_remove_what_the_superseded_one_granted_but_not_what_it_still_grants(team):
    old = decree(
        team,
        "1/2020",
        datetime.date(2020, 3, 1),
        [("ketua", "Sekretaris Daerah", team.sekda, {}), ("koordinator_tim", "Kepala Diskominfo", team.kominfo, {})],
    )
    services.grant_roles(team.admin_a, old)
    new = decree(team, "2/2023", datetime.date(2023, 2, 1), [("ketua", "Sekretaris Daerah", team.sekda, {})])
    kept_assignment = RoleAssignment.objects.get(user=team.sekda)

    plan = services.plan_role_grants(team.admin_a, new)
    assert plan.remove == [] and [line.member.user for line in plan.taken_over] == [team.sekda]
    plan = services.plan_role_grants(team.admin_a, new, remove_previous=True)
    assert [removal.assignment.user for removal in plan.remove] == [team.kominfo]

    services.grant_roles(team.admin_a, new, remove_previous=True)
    assert held(team.kominfo) == set()
    assert held(team.sekda) == {"koordinator"}
    assert TeamMember.objects.get(decree=new).role_assignment == kept_assignment
    assert TeamMember.objects.get(decree=old, user=team.kominfo).role_assignment is None
    # The assignment held independently of any decree stays whatever the decrees say.
    assert held(team.koordinator_a) == {"koordinator"}


def test_an_account_of_another_instansi_or_without_an_account_is_skipped(team):
    sk = decree(team, "1/2023", datetime.date(2023, 2, 1), [("ketua", "Sekretaris Daerah", None, {})])
    member = TeamMember.objects.get(decree=sk)
    member.user = team.outsider  # clean() refuses it; the plan does not rely on that
    member.save()
    (skipped,) = services.plan_role_grants(team.admin_a, sk).skipped
    assert "another instansi" in skipped.reason


@pytest.mark.parametrize("who", ["koordinator_a", "operator_a1", "admin_b"])
def test_only_who_may_review_the_decree_and_add_roles_grants_them(team, who):
    sk = decree(team, "1/2023", datetime.date(2023, 2, 1), [("ketua", "Sekretaris Daerah", team.sekda, {})])
    with pytest.raises(TransitionError) as refused:
        services.grant_roles(getattr(team, who), sk)
    assert (refused.value.code, refused.value.status) == (NOT_PERMITTED, 403)
    assert held(team.sekda) == set()


def test_the_page_previews_then_applies(team):
    sk = decree(team, "1/2023", datetime.date(2023, 2, 1), [("ketua", "Sekretaris Daerah", team.sekda, {})])
    client = Client(headers={"accept-language": "en"})
    client.force_login(team.admin_a)
    url = reverse("governance:decree_grant_roles", args=[sk.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="grant-apply"' in page.content.decode()
    assert held(team.sekda) == set()
    assert client.post(url).status_code == 302
    assert held(team.sekda) == {"koordinator"}
    assert 'data-testid="grant-nothing"' in client.get(url).content.decode()
    refused = Client()
    refused.force_login(team.koordinator_a)
    assert refused.get(url).status_code == 403
    assert 'data-testid="grant-roles-button"' not in refused.get(sk.get_absolute_url()).content.decode()


def test_the_api_previews_and_grants(team):
    sk = decree(team, "1/2023", datetime.date(2023, 2, 1), [("ketua", "Sekretaris Daerah", team.sekda, {})])
    api = APIClient()
    api.force_authenticate(team.admin_a)
    url = reverse("governance-api:decree-grant-roles", args=[sk.pk])
    preview = api.post(url, {"preview": True}, format="json")
    assert preview.status_code == 200
    assert preview.json()["applied"] is False and [line["username"] for line in preview.json()["create"]] == ["sekda"]
    assert held(team.sekda) == set()
    applied = api.post(url, {}, format="json")
    assert applied.json()["applied"] is True
    assert held(team.sekda) == {"koordinator"}
    api.force_authenticate(team.koordinator_a)
    refused = api.post(url, {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, NOT_PERMITTED)
