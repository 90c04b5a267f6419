"""Home-page cards of the roadmap: what an OPD owes this year, what waits for the reviewer, and where the
current roadmap stands for those who steer it. Who sees which card follows the grants, never role names."""

from __future__ import annotations

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.core import permissions
from simpul.core.cards import Card
from simpul.roadmap import services, tracking
from simpul.roadmap.choices import OutputStatus, ReportStatus
from simpul.roadmap.models import Output, ProgressReport

ITEMS_SHOWN = 5


def roadmap_cards(request) -> list[Card]:
    user = request.user
    if not permissions.has_model_permission(user, "view", Output):
        return []
    cards = [owed_card(user), review_card(user), progress_card(user)]
    return [card for card in cards if card is not None]


def _current_outputs(user):
    return permissions.restrict(
        Output.objects.filter(initiative__roadmap__is_current=True).select_related("initiative", "responsible_opd"),
        user,
        "view",
    )


def owed_card(user) -> Card | None:
    """For an OPD's reporter: the yearly reports its outputs owe (this year's, and missing earlier ones)."""
    label = permissions.model_label(ProgressReport)
    opd_ids = {
        grant.opd_id
        for grant in permissions.user_grants(user)
        if grant.opd_id is not None and "add" in permissions.role_actions(grant.role, label)
    }
    if not opd_ids:
        return None
    outputs = list(_current_outputs(user).filter(responsible_opd_id__in=opd_ids))
    reports = services.reports_of(outputs)
    today = tracking.today()
    owed = [
        (output, cell) for output in outputs for cell in tracking.owed_years(output, reports.get(output.pk, []), today)
    ]
    owed.sort(key=lambda row: (not row[1].late, row[1].due, row[0].name))
    late = sum(1 for _output, cell in owed if cell.late)
    if owed:
        text = _("Report the progress of each output for its year, with evidence, and submit it.")
        if late:
            text = _("%(late)d overdue: report them first.") % {"late": late} + " " + text
    else:
        text = _("Your OPD owes no progress report now.")
    return Card(
        _("Roadmap reports your OPD owes"),
        len(owed),
        text,
        reverse("roadmap:owed"),
        "warning" if late else ("primary" if owed else "success"),
        items=[
            (f"{cell.year} · {output.name}" + (f" ({_('late')})" if cell.late else ""), output.report_url(cell.year))
            for output, cell in owed[:ITEMS_SHOWN]
        ],
    )


def review_card(user) -> Card | None:
    """For the reviewer: the submitted reports waiting for a decision, oldest first."""
    if not permissions.has_model_permission(user, "review", ProgressReport):
        return None
    waiting = permissions.restrict(ProgressReport.objects.all(), user, "review").filter(status=ReportStatus.SUBMITTED)
    rows = list(
        waiting.select_related("output")
        .annotate(total=Window(Count("pk")))
        .order_by("submitted_at", "pk")[:ITEMS_SHOWN]
    )
    count = rows[0].total if rows else 0
    return Card(
        _("Roadmap progress reports to review"),
        count,
        _("Accept each, or return it to its OPD with a note.") if count else _("No progress report waits for review."),
        reverse("roadmap:progressreport_list") + f"?status={ReportStatus.SUBMITTED}",
        "warning" if count else "success",
        items=[(str(report), report.get_absolute_url()) for report in rows],
    )


def progress_card(user) -> Card | None:
    """For those who read the whole instansi's roadmap: how many outputs are late or not achieved."""
    if not any(grant.opd_id is None for grant in permissions.user_grants(user)) and not user.is_superuser:
        return None
    outputs = list(_current_outputs(user))
    if not outputs:
        return Card(
            _("SPBE roadmap"),
            "–",
            _("No current roadmap yet. Import the plan's tables on the roadmap page."),
            reverse("roadmap:overview"),
            "secondary",
        )
    found = tracking.statuses(outputs)
    late = [output for output in outputs if found[output.pk].code == OutputStatus.LATE]
    missed = sum(1 for output in outputs if found[output.pk].code == OutputStatus.NOT_ACHIEVED)
    done = sum(1 for output in outputs if found[output.pk].code == OutputStatus.DONE)
    return Card(
        _("SPBE roadmap"),
        f"{len(late)}/{len(outputs)}",
        _("%(late)d outputs late, %(missed)d not achieved, %(done)d done.")
        % {"late": len(late), "missed": missed, "done": done},
        reverse("roadmap:overview") + f"?status={OutputStatus.LATE}",
        "warning" if late or missed else "success",
        items=[(output.name, output.get_absolute_url()) for output in late[:ITEMS_SHOWN]],
    )
