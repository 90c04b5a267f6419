"""Follow-up actions: assigned to an OPD (which is told), reported done by that OPD only, cancelled or
reopened by the team only, late when open after the due date (derived), reminded once a day."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from simpul.core import services as core_services
from simpul.core.models import Notification
from simpul.core.workflow import NOT_PERMITTED, NOTE_REQUIRED, TransitionError, events_of
from simpul.governance import services, tasks
from simpul.governance.choices import ActionStatus, TeamKind
from simpul.governance.models import Decision, FollowUpAction, Meeting, Team

TODAY = timezone.localdate()


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def scene(world):
    w = world
    team = core_services.create_object(
        w.admin_a, Team(instansi=w.inst_a, kind=TeamKind.TIM_KOORDINASI, name="Tim Koordinasi SPBE")
    )
    w.meeting = core_services.create_object(
        w.koordinator_a, Meeting(team=team, title="Rapat Semester I", date=TODAY - datetime.timedelta(days=60))
    )
    w.decision = core_services.create_object(
        w.koordinator_a, Decision(meeting=w.meeting, number=1, text="Perbup Satu Data diselesaikan.")
    )
    w.action = services.assign_action(w.koordinator_a, action(w, w.a1, TODAY - datetime.timedelta(days=5)))
    return w


def action(world, owner, due, title="Ajukan rancangan Perbup Satu Data") -> FollowUpAction:
    return FollowUpAction(decision=world.decision, owner=owner, title=title, due_date=due)


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_assigning_tells_the_owner_opd_only(scene):
    told = set(Notification.objects.filter(verb="governance.action_assigned").values_list("recipient", flat=True))
    assert told == {scene.operator_a1.pk}
    (event,) = events_of(scene.action)
    assert (event.transition, event.to_state, event.actor) == ("assign", "open", scene.koordinator_a)


def test_lateness_is_derived_from_the_state_and_the_due_date(scene):
    assert scene.action.is_late
    soon = services.assign_action(scene.koordinator_a, action(scene, scene.a2, TODAY + datetime.timedelta(days=3)))
    assert not soon.is_late
    late = set(FollowUpAction.objects.filter(services.late_q(TODAY)).values_list("pk", flat=True))
    assert late == {scene.action.pk}
    done = services.complete_action(scene.operator_a1, scene.action, note="Diajukan ke Bagian Hukum.")
    assert not done.is_late


@given(
    status=st.sampled_from(ActionStatus.values),
    due_offset=st.integers(min_value=-400, max_value=400),
)
def test_an_action_is_late_exactly_when_open_after_its_due_date(status, due_offset):
    day = datetime.date(2026, 12, 7)
    record = FollowUpAction(status=status, due_date=day + datetime.timedelta(days=due_offset))
    assert record.is_late_on(day) == (status == ActionStatus.OPEN and due_offset < 0)


def test_the_owner_opd_reports_it_done_with_a_note_and_the_team_is_told(scene):
    with pytest.raises(TransitionError) as refused:
        services.complete_action(scene.operator_a1, scene.action, note=" ")
    assert refused.value.code == NOTE_REQUIRED
    with pytest.raises(TransitionError) as invalid:
        services.complete_action(scene.operator_a1, scene.action, note="Selesai", evidence_url="javascript:alert(1)")
    assert "evidence_url" in invalid.value.fields
    done = services.complete_action(
        scene.operator_a1, scene.action, note="Diajukan.", evidence_url="https://jdih.example.go.id/1"
    )
    assert (done.status, done.completion_note, done.completed_by) == (ActionStatus.DONE, "Diajukan.", scene.operator_a1)
    told = set(Notification.objects.filter(verb="governance.action_done").values_list("recipient", flat=True))
    assert scene.koordinator_a.pk in told and scene.operator_a1.pk not in told


def test_another_opd_cannot_report_it_nor_see_it(scene):
    with pytest.raises(TransitionError) as refused:
        services.complete_action(scene.operator_a2, scene.action, note="Bukan milik kami.")
    assert (refused.value.code, refused.value.status) == (NOT_PERMITTED, 403)
    assert client_for(scene.operator_a2).get(scene.action.get_absolute_url()).status_code == 404
    response = client_for(scene.operator_a2).post(scene.action.get_absolute_url(), {"step": "complete", "note": "x"})
    assert response.status_code == 404
    assert FollowUpAction.objects.get(pk=scene.action.pk).status == ActionStatus.OPEN


def test_the_owner_opd_closes_its_own_action_on_the_page_but_may_not_edit_what_it_asks(scene):
    client = client_for(scene.operator_a1)
    page = client.get(scene.action.get_absolute_url())
    content = page.content.decode()
    assert 'data-testid="step-complete"' in content and 'data-testid="step-cancel"' not in content
    assert 'data-testid="late-badge"' in content
    assert 'data-testid="edit-button"' not in content
    assert client.get(reverse("governance:followupaction_edit", args=[scene.action.pk])).status_code == 403
    api = APIClient()
    api.force_authenticate(scene.operator_a1)
    url = reverse("governance-api:followupaction-detail", args=[scene.action.pk])
    assert api.patch(url, {"due_date": "2030-01-01"}, format="json").status_code == 403
    assert FollowUpAction.objects.get(pk=scene.action.pk).due_date == scene.action.due_date
    response = client.post(scene.action.get_absolute_url(), {"step": "complete", "note": "Sudah diajukan."})
    assert response.status_code == 302
    assert FollowUpAction.objects.get(pk=scene.action.pk).status == ActionStatus.DONE


def test_the_team_cancels_and_reopens_and_the_owner_may_not(scene):
    with pytest.raises(TransitionError):
        services.cancel_action(scene.operator_a1, scene.action, note="Tidak perlu.")
    cancelled = services.cancel_action(scene.koordinator_a, scene.action, note="Digabung dengan tindakan lain.")
    assert cancelled.status == ActionStatus.CANCELLED
    with pytest.raises(TransitionError):
        services.reopen_action(scene.operator_a1, cancelled, note="Buka lagi.")
    reopened = services.reopen_action(scene.koordinator_a, cancelled, note="Masih diperlukan.")
    assert reopened.status == ActionStatus.OPEN
    assert Notification.objects.filter(recipient=scene.operator_a1, verb="governance.action_reopened").exists()


def test_moving_an_action_to_another_opd_tells_the_new_owner_on_the_page_and_through_the_api(scene):
    moved = Notification.objects.filter(verb="governance.action_moved")
    client = client_for(scene.koordinator_a)
    url = reverse("governance:followupaction_edit", args=[scene.action.pk])
    data = {
        "decision": scene.decision.pk,
        "owner": scene.a2.pk,
        "title": scene.action.title,
        "due_date": scene.action.due_date.isoformat(),
    }
    assert client.post(url, data).status_code == 302
    assert list(moved.values_list("recipient", flat=True)) == [scene.operator_a2.pk]
    # The coordinator browses in English; the notice is written in the site language (Indonesian).
    notice = moved.get()
    assert notice.title == f"Tindak lanjut dialihkan ke {scene.a2}: {scene.action.title}"
    assert " — tenggat " in notice.body and "Keputusan: " in notice.body

    # The API's PATCH writes through the same service: the same checks, the same notice, once.
    api = APIClient()
    api.force_authenticate(scene.koordinator_a)
    detail = reverse("governance-api:followupaction-detail", args=[scene.action.pk])
    elsewhere = api.patch(detail, {"owner": scene.b1.pk}, format="json")
    assert elsewhere.status_code == 400
    assert api.patch(detail, {"title": "Ajukan rancangan Perbup"}, format="json").status_code == 200
    assert moved.count() == 1  # not moved: nobody is told again
    stale = api.patch(detail, {"owner": scene.a1.pk}, format="json", headers={"If-Match": '"stale"'})
    assert stale.status_code == 412
    back = api.patch(detail, {"owner": scene.a1.pk}, format="json")
    assert back.status_code == 200 and back["ETag"]
    assert FollowUpAction.objects.get(pk=scene.action.pk).owner == scene.a1
    assert moved.filter(recipient=scene.operator_a1).count() == 1 and moved.count() == 2


def test_the_add_page_refuses_a_due_date_before_the_meeting_and_an_opd_of_another_instansi(scene):
    client = client_for(scene.koordinator_a)
    data = {
        "decision": scene.decision.pk,
        "owner": scene.a1.pk,
        "title": "Terlalu awal",
        "due_date": (scene.meeting.date - datetime.timedelta(days=1)).isoformat(),
    }
    response = client.post(reverse("governance:followupaction_add"), data)
    assert response.status_code == 400
    assert "cannot be before the meeting" in response.content.decode()
    response = client.post(reverse("governance:followupaction_add"), data | {"owner": scene.b1.pk, "due_date": TODAY})
    assert response.status_code == 400
    assert FollowUpAction.objects.count() == 1


def test_the_reminder_job_tells_each_owner_once_a_day(scene):
    services.assign_action(scene.koordinator_a, action(scene, scene.a2, TODAY + datetime.timedelta(days=2), "Segera"))
    services.assign_action(scene.koordinator_a, action(scene, scene.a2, TODAY + datetime.timedelta(days=30), "Nanti"))
    done = services.assign_action(scene.koordinator_a, action(scene, scene.a1, TODAY - datetime.timedelta(days=9)))
    services.complete_action(scene.operator_a1, done, note="Selesai.")
    assert tasks.send_follow_up_reminders.call() == {"actions": 2}
    reminders = Notification.objects.filter(verb=tasks.REMINDER_VERB)
    titles = {row.recipient_id: row.title for row in reminders}
    assert set(titles) == {scene.operator_a1.pk, scene.operator_a2.pk}
    assert titles[scene.operator_a1.pk].startswith("Tindak lanjut terlambat sejak")
    assert (
        titles[scene.operator_a2.pk].startswith("Tenggat tindak lanjut pada")
        and "Segera" in titles[scene.operator_a2.pk]
    )
    assert tasks.send_follow_up_reminders.call() == {"actions": 0}
    assert reminders.count() == 2
