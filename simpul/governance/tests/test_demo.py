"""The Lampung Timur demo's governance: the two teams as the master plan composes them, the policies in
every state, the coverage it gives, and meetings whose actions are done, open and late."""

import io

import pytest
from django.core.management import call_command

from simpul.governance import coverage
from simpul.governance.choices import ActionStatus, PolicyStatus, TeamKind
from simpul.governance.models import Decree, FollowUpAction, Meeting, Policy, Team, TeamMember
from simpul.organizations.models import Instansi, RoleAssignment, User

pytestmark = pytest.mark.usefixtures("demo_once")


@pytest.fixture
def instansi(db):
    return Instansi.objects.get(slug="lampung-timur")


def test_the_two_teams_with_their_decrees_in_force(instansi):
    koordinasi = Team.objects.get(instansi=instansi, kind=TeamKind.TIM_KOORDINASI)
    evaluator = Team.objects.get(instansi=instansi, kind=TeamKind.TIM_EVALUATOR)
    current = koordinasi.current_decree()
    assert current.number == "B/112/IV.05/HK/2023"
    assert current.earlier.number == "B/58/IV.05/HK/2020"
    positions = set(current.members.values_list("position", flat=True))
    assert positions == {"pengarah", "ketua", "koordinator_tim", "sekretariat", "kelompok_kerja"}
    ketua = current.members.get(position="ketua")
    assert (ketua.name, ketua.user.username) == ("Sekretaris Daerah", "koordinator")
    assert set(evaluator.current_decree().members.values_list("position", flat=True)) == {
        "penanggung_jawab",
        "pengumpul_data",
        "penganalisis_data",
        "operator",
    }
    assert all(decree.document_sha256 for decree in Decree.objects.filter(team__instansi=instansi))


def test_policies_in_every_state_and_the_coverage_they_give(instansi):
    states = set(Policy.objects.filter(instansi=instansi).values_list("status", flat=True))
    assert states == set(PolicyStatus.values)
    replaced = Policy.objects.get(instansi=instansi, number="45 Tahun 2018")
    assert replaced.status == PolicyStatus.DIGANTI and replaced.replaced_by.number == "21 Tahun 2020"
    admin = User.objects.get(username="admin")
    result = coverage.coverage(admin, instansi.pk)
    assert result.framework.code == "permenpanrb-59-2020"
    assert (result.covered, result.total) == (8, 10)
    assert [row.indicator.number for row in result.uncovered] == [3, 9]
    assert all(row.drafts for row in result.uncovered)  # Satu Data and audit TIK are still drafts


def test_meetings_with_actions_done_open_and_late(instansi):
    assert Meeting.objects.filter(team__instansi=instansi).count() == 2
    actions = list(FollowUpAction.objects.filter(decision__meeting__team__instansi=instansi))
    assert {action.status for action in actions} == {ActionStatus.OPEN, ActionStatus.DONE}
    assert any(action.is_late for action in actions)
    assert any(action.status == ActionStatus.OPEN and not action.is_late for action in actions)
    done = [action for action in actions if action.status == ActionStatus.DONE]
    assert all(action.completion_note for action in done)


def test_the_demo_grants_no_role_of_its_own_and_runs_twice_without_change(instansi):
    counts = [model.objects.count() for model in (Policy, Team, Decree, TeamMember, Meeting, FollowUpAction)]
    roles = RoleAssignment.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert [model.objects.count() for model in (Policy, Team, Decree, TeamMember, Meeting, FollowUpAction)] == counts
    assert RoleAssignment.objects.count() == roles
