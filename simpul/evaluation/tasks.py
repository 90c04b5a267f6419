"""The evaluation's periodic job: reminding the PIC OPDs of self-assessments that are due.

Declared in settings.SIMPUL_SCHEDULE (daily); `simpul worker` runs it. It is also a plain function
(`send_deadline_reminders.call()`), for tests and the shell.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from simpul.core import permissions
from simpul.core.models import Notification
from simpul.core.notifications import Message, notify
from simpul.evaluation.models import OPEN_PERIOD_STATUSES, SELF_EDITABLE, IndicatorAssessment

REMINDER_VERB = "evaluation.due_reminder"
# How many days ahead of the deadline the PIC is reminded (and every day after it, until submitted).
REMIND_DAYS_AHEAD = 3


def due_for_reminder(today: datetime.date):
    """The assigned, not yet submitted assessments of open periods due within REMIND_DAYS_AHEAD days or
    overdue, that have not had a reminder today."""
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    reminded_today = Notification.objects.filter(
        verb=REMINDER_VERB,
        content_type=ContentType.objects.get_for_model(IndicatorAssessment),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        created_at__gte=start_of_today,
    )
    return (
        IndicatorAssessment.objects.annotate(due=Coalesce("due_date", "period__self_assessment_due"))
        .filter(
            pic__isnull=False,
            status__in=SELF_EDITABLE,
            period__status__in=OPEN_PERIOD_STATUSES,
            due__lte=today + datetime.timedelta(days=REMIND_DAYS_AHEAD),
        )
        .exclude(Exists(reminded_today))
        .select_related("indicator", "period__instansi", "period__framework")
        .order_by("pk")
    )


@task()
def send_deadline_reminders() -> dict:
    """Remind the users who may fill in each due or overdue self-assessment, at most once a day each."""
    today = timezone.localdate()
    reminded = 0
    for assessment in due_for_reminder(today):
        if assessment.due < today:
            title = _("Self-assessment overdue since %(date)s: %(item)s")
        else:
            title = _("Self-assessment due on %(date)s: %(item)s")
        rows = notify(
            permissions.users_who_may("change", assessment),
            Message(title, date=assessment.due, item=assessment),
            Message("%(period)s", period=assessment.period),
            record=assessment,
            verb=REMINDER_VERB,
        )
        reminded += bool(rows)
    return {"assessments": reminded}
