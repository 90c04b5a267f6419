"""The roadmap's periodic job: reminding OPDs of yearly progress reports that are due, and of those late.

Declared in settings.SIMPUL_SCHEDULE (daily); `simpul worker` runs it. For each output of a current
roadmap whose year's report window has opened (from 1 December, `status.report_window`) and that has not
submitted it, the output's reporters (its OPD's, else the instansi's) get one "due" notice (in the inbox
and by e-mail); once the deadline has passed, one "late" notice. Each notice is sent once per output and
year, whatever the number of runs: a run finds what was sent by the notice's link (the filing page of that
output and year). It is also a plain function (`send_report_reminders.call()`), for tests and the shell.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from simpul.core.models import Notification
from simpul.core.notifications import Message, notify
from simpul.roadmap import services, tracking
from simpul.roadmap.models import Output

DUE_VERB = "roadmap.report_due"
LATE_VERB = "roadmap.report_late"


def reminders_due(today=None) -> list[tuple[Output, tracking.YearCell, str]]:
    """(output, year, verb) of every reminder that should have been sent by `today` and was not yet."""
    today = today or tracking.today()
    outputs = list(
        Output.objects.filter(initiative__roadmap__is_current=True, start_year__lte=today.year).select_related(
            "initiative__roadmap", "responsible_opd"
        )
    )
    reports = services.reports_of(outputs)
    sent = set(Notification.objects.filter(verb__in=(DUE_VERB, LATE_VERB)).values_list("verb", "link").distinct())
    found = []
    for output in outputs:
        for cell in tracking.owed_years(output, reports.get(output.pk, []), today):
            if today < cell.opens:
                continue
            verb = LATE_VERB if cell.late else DUE_VERB
            if (verb, output.report_url(cell.year)) not in sent:
                found.append((output, cell, verb))
    return found


@task()
def send_report_reminders() -> dict:
    """Send each due and late reminder once (see the module docstring); returns how many were sent."""
    counts = {DUE_VERB: 0, LATE_VERB: 0}
    for output, cell, verb in reminders_due():
        if verb == LATE_VERB:
            title = _("Roadmap report overdue since %(date)s: %(output)s (%(year)s)")
        else:
            title = _("Roadmap report due by %(date)s: %(output)s (%(year)s)")
        body = Message(
            _("Report the progress of %(output)s in %(year)s, with evidence, and submit it for review."),
            output=output.name,
            year=cell.year,
        )
        rows = notify(
            services.reporters_of(output),
            Message(title, date=cell.due, output=output.name, year=cell.year),
            body,
            link=output.report_url(cell.year),
            record=output,
            verb=verb,
        )
        counts[verb] += bool(rows)
    return {"due": counts[DUE_VERB], "late": counts[LATE_VERB]}
