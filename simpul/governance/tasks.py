"""The governance module's periodic job: reminding owner OPDs of follow-up actions that are due soon or
late. Declared in settings.SIMPUL_SCHEDULE (daily); `simpul worker` runs it. Idempotent: an action is
reminded at most once a day, however often the job runs. Also a plain function
(`send_follow_up_reminders.call()`), for tests and the shell."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from simpul.core.models import Notification
from simpul.core.notifications import Message, notify
from simpul.governance.choices import ActionStatus
from simpul.governance.models import FollowUpAction
from simpul.governance.services import owner_opd_people

REMINDER_VERB = "governance.action_reminder"
# How many days before the due date the owner OPD is reminded (and every day once it is late).
REMIND_DAYS_AHEAD = 3


def due_for_reminder(today: datetime.date):
    """The open actions due within REMIND_DAYS_AHEAD days or late, not yet reminded today."""
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    reminded_today = Notification.objects.filter(
        verb=REMINDER_VERB,
        content_type=ContentType.objects.get_for_model(FollowUpAction),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        created_at__gte=start_of_today,
    )
    return (
        FollowUpAction.objects.filter(
            status=ActionStatus.OPEN, due_date__lte=today + datetime.timedelta(days=REMIND_DAYS_AHEAD)
        )
        .exclude(Exists(reminded_today))
        .select_related("owner", "decision__meeting")
        .order_by("pk")
    )


@task()
def send_follow_up_reminders() -> dict:
    """Remind the owner OPD of each open action due soon or late, at most once a day each."""
    today = timezone.localdate()
    reminded = 0
    for action in due_for_reminder(today):
        if action.due_date < today:
            title = _("Follow-up action late since %(date)s: %(action)s")
        else:
            title = _("Follow-up action due on %(date)s: %(action)s")
        rows = notify(
            owner_opd_people(action),
            Message(title, date=action.due_date, action=action.title),
            Message("%(meeting)s", meeting=action.decision.meeting),
            record=action,
            verb=REMINDER_VERB,
        )
        reminded += bool(rows)
    return {"actions": reminded}
