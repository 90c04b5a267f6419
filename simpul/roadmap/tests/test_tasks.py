"""The reminder job: one "due" notice per output and year once its report window opens, one "late" notice
once its deadline has passed, to the OPD's reporters; running it again sends nothing new."""

import datetime
from unittest import mock

import pytest

from simpul.core.models import Notification
from simpul.roadmap import services, tasks, tracking
from simpul.roadmap.tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def run_on(day: datetime.date) -> dict:
    with mock.patch.object(tracking, "today", return_value=day):
        return tasks.send_report_reminders.call()


def notices(verb):
    return list(Notification.objects.filter(verb=verb).values_list("recipient__username", "link").order_by("link"))


def test_due_then_late_each_once(world):
    small = make_roadmap(world, start=2025, end=2027)
    # Before 1 December nothing is due yet.
    assert run_on(datetime.date(2025, 11, 30)) == {"due": 0, "late": 0}
    assert run_on(datetime.date(2025, 12, 1)) == {"due": 2, "late": 0}
    assert notices(tasks.DUE_VERB) == [
        ("operator-a1", small.a1.report_url(2025)),
        ("operator-a2", small.a2.report_url(2025)),
    ]
    # Again the next days: nothing new.
    assert run_on(datetime.date(2025, 12, 2)) == {"due": 0, "late": 0}
    # A1 submits in time; A2 does not and is reminded once it is late.
    services.file_report(world.operator_a1, small.a1, 2025, 30, "Tepat waktu.", submit=True)
    assert run_on(datetime.date(2026, 1, 31)) == {"due": 0, "late": 0}
    assert run_on(datetime.date(2026, 2, 1)) == {"due": 0, "late": 1}
    assert notices(tasks.LATE_VERB) == [("operator-a2", small.a2.report_url(2025))]
    assert run_on(datetime.date(2026, 2, 2)) == {"due": 0, "late": 0}
    assert Notification.objects.filter(verb__startswith="roadmap.report_").count() == 3 + 1  # + A1's submission


def test_a_returned_report_is_owed_again_and_old_versions_are_left_alone(world):
    small = make_roadmap(world, start=2025, end=2027)
    report = services.file_report(world.operator_a1, small.a1, 2025, 30, "Draf.", submit=True)
    services.review_report(world.admin_a, report, accept=False, note="Lengkapi.")
    found = {(output.pk, cell.year, verb) for output, cell, verb in tasks.reminders_due(datetime.date(2026, 2, 1))}
    assert found == {(small.a1.pk, 2025, tasks.LATE_VERB), (small.a2.pk, 2025, tasks.LATE_VERB)}
    small.roadmap.is_current = False
    small.roadmap.save()
    assert tasks.reminders_due(datetime.date(2026, 2, 1)) == []
