"""Where outputs stand, in bulk: their derived status as of a date, the contradictions between reported
progress and the architecture elements they are linked to, and the yearly reports each owes.

Every page, the API, the home cards, the executive dashboard and the reminder job read these functions, so
the same output has the same status everywhere. Each is a fixed number of queries whatever the number of
outputs (the reports of all of them in one query, the linked elements in another).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from simpul.architecture.choices import ElementStatus
from simpul.architecture.models import Element
from simpul.core import permissions
from simpul.roadmap.choices import ReportStatus
from simpul.roadmap.models import Output, OutputLink, ProgressReport
from simpul.roadmap.status import ReportFact, Status, report_window, status_of

# An element still being planned or built is not yet what a finished output says it delivered.
NOT_YET_OPERATING = (ElementStatus.PLANNED, ElementStatus.DEVELOPMENT)


def today() -> datetime.date:
    return timezone.localdate()


def accepted_facts(output_ids: Iterable[int]) -> dict[int, list[ReportFact]]:
    """The accepted reports of these outputs as status facts, by output id (one query)."""
    facts: dict[int, list[ReportFact]] = {}
    rows = ProgressReport.objects.filter(
        output_id__in=list(output_ids), status=ReportStatus.ACCEPTED, accepted_at__isnull=False
    ).values_list("output_id", "year", "percent", "accepted_at")
    for output_id, year, percent, accepted_at in rows:
        facts.setdefault(output_id, []).append(ReportFact(year, percent, timezone.localdate(accepted_at)))
    return facts


def statuses(outputs: Iterable[Output], as_of: datetime.date | None = None) -> dict[int, Status]:
    """Each output's status as of `as_of` (default: today), by id."""
    outputs = list(outputs)
    as_of = as_of or today()
    facts = accepted_facts(output.pk for output in outputs)
    return {output.pk: status_of(output, facts.get(output.pk, []), as_of) for output in outputs}


@dataclass(frozen=True)
class Contradiction:
    """A finished output (100 % accepted) linked to an architecture element that is not operating yet."""

    element_id: int
    element_name: str  # "" when the user may not view the element
    element_status: str
    element_status_label: str
    url: str = ""

    def as_dict(self) -> dict:
        return {
            "element": self.element_id,
            "element_name": self.element_name,
            "element_status": self.element_status,
            "element_status_label": self.element_status_label,
        }


def contradictions(
    outputs: Iterable[Output], status_by_id: dict[int, Status], user=None
) -> dict[int, list[Contradiction]]:
    """The contradictions of each output whose accepted progress is 100 %, by output id (two queries).

    The element's status is its status now (elements keep no history of it). Elements the user may not
    view are still counted, without their name.
    """
    finished = [output.pk for output in outputs if (status_by_id[output.pk].progress or 0) >= 100]
    if not finished:
        return {}
    links = list(
        OutputLink.objects.filter(output_id__in=finished, type_key__startswith="architecture.").values_list(
            "output_id", "object_id"
        )
    )
    elements = Element.objects.filter(pk__in={object_id for _output, object_id in links}, status__in=NOT_YET_OPERATING)
    found = {element.pk: element for element in elements}
    visible = set()
    if user is not None and found:
        visible = set(
            permissions.restrict(Element.objects.filter(pk__in=found), user, "view").values_list("pk", flat=True)
        )
    result: dict[int, list[Contradiction]] = {}
    labels = dict(ElementStatus.choices)
    for output_id, object_id in links:
        element = found.get(object_id)
        if element is None:
            continue
        shown = user is None or object_id in visible
        result.setdefault(output_id, []).append(
            Contradiction(
                element.pk,
                element.name if shown else "",
                element.status,
                str(labels.get(element.status, element.status)),
                element.get_absolute_url() if shown else "",
            )
        )
    return result


@dataclass
class Tracking:
    """One output as the pages show it: its status and its contradictions."""

    status: Status
    contradictions: list[Contradiction] = field(default_factory=list)


def track(outputs: Iterable[Output], as_of: datetime.date | None = None, user=None) -> dict[int, Tracking]:
    outputs = list(outputs)
    by_id = statuses(outputs, as_of)
    found = contradictions(outputs, by_id, user)
    return {output.pk: Tracking(by_id[output.pk], found.get(output.pk, [])) for output in outputs}


# --- The reports an output owes ---------------------------------------------------------------------------


@dataclass
class YearCell:
    """One year of an output as its report stands on a day: filed or not, in time or late."""

    year: int
    report: ProgressReport | None
    opens: datetime.date
    due: datetime.date
    # "future" (the year has not begun), "complete" (no report needed: the output was finished before),
    # "accepted", "submitted", "returned", "draft" or "missing".
    state: str
    # Still to be written or corrected by its OPD after the deadline.
    late: bool = False
    # Submitted (last time) after the deadline.
    submitted_late: bool = False

    @property
    def owed(self) -> bool:
        """The OPD has to act on it: missing, a draft or returned, for a year that has begun."""
        return self.state in ("missing", "draft", "returned")


def year_cells(output: Output, reports: Iterable[ProgressReport], on: datetime.date | None = None) -> list[YearCell]:
    """The output's years up to the current one, each with its report and whether it is late on `on`."""
    on = on or today()
    by_year = {report.year: report for report in reports}
    finished = [
        report.year for report in by_year.values() if report.status == ReportStatus.ACCEPTED and report.percent >= 100
    ]
    done_in = min(finished, default=None)
    cells = []
    for year in output.years:
        opens, due = report_window(year)
        report = by_year.get(year)
        if report is None and done_in is not None and year > done_in:
            cells.append(YearCell(year, None, opens, due, "complete"))
            continue
        if year > on.year and report is None:
            cells.append(YearCell(year, None, opens, due, "future"))
            continue
        state = report.status if report is not None else "missing"
        cell = YearCell(year, report, opens, due, state)
        cell.late = cell.owed and on > due
        cell.submitted_late = bool(report and report.submitted_at and timezone.localdate(report.submitted_at) > due)
        cells.append(cell)
    return cells


def owed_years(output: Output, reports: Iterable[ProgressReport], on: datetime.date | None = None) -> list[YearCell]:
    """The years the output's OPD still has to report: this year's once its window opens, and every earlier
    year without a submitted report. Nothing once a report of the output was accepted at 100 %."""
    on = on or today()
    reports = list(reports)
    if any(report.status == ReportStatus.ACCEPTED and report.percent >= 100 for report in reports):
        return []
    cells = []
    for cell in year_cells(output, reports, on):
        if not cell.owed:
            continue
        if cell.year == on.year and on < cell.opens and cell.state == "missing":
            continue  # this year's report cannot be due before its window opens
        cells.append(cell)
    return cells
