"""Deadlines of an evaluation and the notifications its steps send: assignment, submission, return,
acceptance, and the daily reminder of due self-assessments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from simpul.core.models import Notification
from simpul.evaluation import services, tasks
from simpul.evaluation.models import IndicatorAssessment
from simpul.evaluation.tests.test_workflow import client_for, make_period
from simpul.organizations.tests.factories import user_with_role


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("verb", flat=True))


@pytest.fixture
def scene(world):
    world.period = make_period(world)
    world.item = world.period.assessments.get(item_key="1")
    world.colleague_a1 = user_with_role("operator_opd", world.inst_a, world.a1, username="operator-a1-b")
    world.operator_b1 = user_with_role("operator_opd", world.inst_b, world.b1, username="operator-b1")
    world.evaluator_b = user_with_role("evaluator_pj", world.inst_b, username="evaluator-b")
    Notification.objects.all().delete()
    return world


def recipients(verb) -> set:
    return set(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))


def test_assigning_notifies_the_new_opds_operators_only(scene):
    with translation.override("en"):  # the evaluator browses in English; the OPD is told in Indonesian
        services.assign_pic(scene.evaluator_a, scene.item, scene.a2, due_date=datetime.date(2026, 8, 15))
    # Those who may fill it in now: a2's operator and the instansi-wide roles that may change it; never
    # a1's operators, another instansi's users, or the evaluator who assigned it.
    got = recipients("evaluation.assigned")
    assert "operator-a2" in got
    assert not got & {"operator-a1", "operator-a1-b", "operator-b1", "evaluator-a", "evaluator-b", "admin-b"}
    row = Notification.objects.get(verb="evaluation.assigned", recipient=scene.operator_a2)
    assert row.link == scene.item.get_absolute_url()
    assert row.title.startswith("Indikator ditugaskan kepada OPD Anda: ")
    assert row.body.endswith("Tenggat penilaian mandiri: 15 Agu 2026")
    assert IndicatorAssessment.objects.get(pk=scene.item.pk).due_date == datetime.date(2026, 8, 15)
    # Assigning again to the same OPD tells nobody again; the due date may be kept (not given).
    services.assign_pic(scene.evaluator_a, scene.item, scene.a2)
    assert Notification.objects.filter(verb="evaluation.assigned").count() == len(got)
    assert IndicatorAssessment.objects.get(pk=scene.item.pk).due_date == datetime.date(2026, 8, 15)


def test_submission_notifies_reviewers_and_decisions_notify_the_pic(scene):
    item = scene.item
    services.save_self_assessment(scene.operator_a1, item, 3, "Perbup 12/2023", submit=True)
    submitted = recipients("evaluation.submitted")
    assert "evaluator-a" in submitted
    assert not submitted & {"operator-a1", "operator-a1-b", "operator-a2", "evaluator-b", "operator-b1"}

    services.review(scene.evaluator_a, item, accept=False, note="Lengkapi bukti.")
    returned = recipients("evaluation.returned")
    assert {"operator-a1", "operator-a1-b"} <= returned
    assert not returned & {"operator-a2", "operator-b1", "evaluator-a"}
    row = Notification.objects.get(verb="evaluation.returned", recipient=scene.operator_a1)
    assert "Lengkapi bukti." in row.body

    services.save_self_assessment(scene.operator_a1, item, 3, "Perbup 12/2023", submit=True)
    services.review(scene.evaluator_a, item, accept=True)
    accepted = recipients("evaluation.accepted")
    assert {"operator-a1", "operator-a1-b"} <= accepted
    assert not accepted & {"operator-a2", "operator-b1", "evaluator-a"}
    # A draft tells nobody.
    assert inbox(scene.evaluator_a) == ["evaluation.submitted", "evaluation.submitted"]


def test_refused_step_notifies_nobody(scene):
    with pytest.raises(Exception):  # noqa: B017 (any refusal)
        services.review(scene.evaluator_a, scene.item, accept=True)
    assert not Notification.objects.exists()


def test_deadline_shown_on_period_assessment_and_list_overdue_in_red(scene):
    period, item = scene.period, scene.item
    period.self_assessment_due = timezone.localdate() - datetime.timedelta(days=1)
    period.save()
    IndicatorAssessment.objects.filter(pk=scene.period.assessments.get(item_key="3").pk).update(
        due_date=datetime.date(2099, 3, 15)
    )
    client = client_for(scene.evaluator_a)
    html = client.get(period.get_absolute_url()).content.decode()
    assert 'data-testid="period-self-due"' in html
    assert "15 Mar 2099" in html  # the indicator's own deadline
    assert 'data-testid="overdue"' in html  # the others fall back to yesterday's period deadline

    detail = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="due-date"' in detail and 'data-testid="overdue"' in detail
    listing = client.get(reverse("evaluation:indicatorassessment_list")).content.decode()
    assert "Due" in listing and 'data-testid="overdue"' in listing

    # Submitted: no longer overdue.
    services.save_self_assessment(scene.operator_a1, item, 3, "Perbup 12/2023", submit=True)
    detail = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="overdue"' not in detail


def test_assign_form_sets_the_due_date(scene):
    client = client_for(scene.evaluator_a)
    response = client.post(
        reverse("evaluation:evaluationperiod_assign", args=[scene.period.pk]),
        {"assessments": [scene.item.pk], "pic": scene.a2.pk, "due_date": "2026-03-15"},
    )
    assert response.status_code == 302
    assert IndicatorAssessment.objects.get(pk=scene.item.pk).due_date == datetime.date(2026, 3, 15)
    assert "operator-a2" in recipients("evaluation.assigned")


def test_daily_reminder_once_per_assessment_per_day(scene):
    today = timezone.localdate()
    period = scene.period
    period.self_assessment_due = today + datetime.timedelta(days=30)  # not yet due
    period.save()
    soon = scene.item
    IndicatorAssessment.objects.filter(pk=soon.pk).update(due_date=today + datetime.timedelta(days=2))
    late = period.assessments.get(item_key="2")  # OPD a2's
    IndicatorAssessment.objects.filter(pk=late.pk).update(due_date=today - datetime.timedelta(days=1))
    done = period.assessments.get(item_key="3")
    IndicatorAssessment.objects.filter(pk=done.pk).update(due_date=today)
    services.save_self_assessment(scene.operator_a1, done, 3, "Perbup 12/2023", submit=True)
    Notification.objects.all().delete()

    assert tasks.send_deadline_reminders.call() == {"assessments": 2}
    reminders = Notification.objects.filter(verb=tasks.REMINDER_VERB)
    assert set(reminders.values_list("object_id", flat=True)) == {str(soon.pk), str(late.pk)}
    assert {"operator-a1", "operator-a1-b"} <= recipients(tasks.REMINDER_VERB)
    late_titles = set(reminders.filter(object_id=str(late.pk)).values_list("title", flat=True))
    assert all(title.startswith("Penilaian mandiri terlambat sejak") for title in late_titles)
    assert not reminders.filter(recipient__username__in=["operator-b1", "evaluator-a"]).exists()
    count = reminders.count()

    # The same day again: nothing new.
    assert tasks.send_deadline_reminders.call() == {"assessments": 0}
    assert Notification.objects.filter(verb=tasks.REMINDER_VERB).count() == count
