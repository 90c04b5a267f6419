"""The status of a roadmap output, derived from its target years and its accepted yearly progress.

Nobody types a status: `status_of(output, accepted_reports, as_of)` computes it, as of any date, from
facts that do not change once written (a report is accepted once, with its percentage and the date it
was accepted). Replaying a past date therefore gives the status the roadmap showed on that day.
The rules, in the order they are applied (docs/roadmap/status.md says the same for its readers):

1. **Progress** is the percentage of the latest year's report among the reports accepted on or before
   `as_of`; reports accepted later do not exist yet on that date.
2. **selesai** (done): the progress is 100 %.
3. **belum mulai** (not started): `as_of` is before 1 January of the start year.
4. **tidak tercapai** (not achieved): the report deadline of the end year has passed without 100 %.
5. The **last closed year** is the latest year of the output whose report deadline has passed.
   **terlambat** (late): neither that year nor a later one has an accepted report (progress is
   cumulative, so a later year's report covers it), or the progress is more than
   PACE_TOLERANCE points behind the linear pace for that year (the share of the output's years that
   have ended: a 2021–2024 output is expected at 25 % after 2021, 50 % after 2022, …).
6. **berjalan** (on track) otherwise: started, not finished, not behind.

Each year's report covers the output up to 31 December; it may be filed from REPORT_OPENS of that
year and is due on REPORT_DUE of the next (`report_window`). Until that deadline the year is still
open, so a status never turns late while its OPD may still report in time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from simpul.roadmap.choices import OutputStatus

# (month, day) in the report's own year from which it may be filed and reminders say it is due.
REPORT_OPENS = (12, 1)
# (month, day) in the following year by which the report is due; after it, a missing report is late.
REPORT_DUE = (1, 31)
# How far (percentage points) accepted progress may trail the linear pace before the output is late.
PACE_TOLERANCE = 10


@dataclass(frozen=True)
class ReportFact:
    """What status derivation reads of one accepted report: its year, percentage and acceptance date."""

    year: int
    percent: int
    accepted_on: datetime.date


@dataclass(frozen=True)
class Status:
    """An output's status as of a date, with the figures that explain it."""

    code: str
    # The latest accepted percentage as of the date, and the year it reports on (None: none accepted).
    progress: int | None = None
    progress_year: int | None = None
    # The last year whose report deadline had passed, and the pace expected by its end (percent).
    closed_year: int | None = None
    expected: int | None = None
    # That year, when it has no accepted report (the reason the output is late).
    missing_year: int | None = None

    @property
    def label(self) -> str:
        return str(OutputStatus(self.code).label)

    @property
    def behind(self) -> bool:
        """Late because of its pace (a report was accepted for the last closed year, but too little)."""
        return self.code == OutputStatus.LATE and self.missing_year is None


def report_window(year: int) -> tuple[datetime.date, datetime.date]:
    """(the first day the report for `year` may be filed and is said to be due, its deadline)."""
    return (
        datetime.date(year, *REPORT_OPENS),
        datetime.date(year + 1, *REPORT_DUE),
    )


def report_due(year: int) -> datetime.date:
    return report_window(year)[1]


def last_closed_year(start_year: int, end_year: int, as_of: datetime.date) -> int | None:
    """The latest year of [start_year, end_year] whose report deadline is before `as_of` (None: none yet)."""
    # The deadline of year Y falls in Y + 1, so the candidates are the years up to as_of.year - 1.
    year = min(end_year, as_of.year - 1)
    while year >= start_year:
        if report_due(year) < as_of:
            return year
        year -= 1
    return None


def expected_percent(start_year: int, end_year: int, year: int) -> int:
    """The linear pace: the share of the output's years up to the end of `year`, in whole percent."""
    years = end_year - start_year + 1
    done = min(max(year - start_year + 1, 0), years)
    return round(100 * done / years)


def _is_behind(percent: int, start_year: int, end_year: int, year: int) -> bool:
    # Exact arithmetic (no rounding): percent + tolerance < 100 × done / years.
    years = end_year - start_year + 1
    done = min(max(year - start_year + 1, 0), years)
    return (percent + PACE_TOLERANCE) * years < 100 * done


def status_of(output, accepted_reports: Iterable[ReportFact], as_of: datetime.date) -> Status:
    """The status of `output` (anything with `start_year` and `end_year`) as of the date `as_of`.

    `accepted_reports` are the output's accepted reports (any order; those accepted after `as_of` are
    ignored, which is what makes replaying a past date exact). See the module docstring for the rules.
    """
    start, end = output.start_year, output.end_year
    known = [fact for fact in accepted_reports if fact.accepted_on <= as_of]
    latest = max(known, key=lambda fact: (fact.year, fact.accepted_on), default=None)
    progress = latest.percent if latest else None
    progress_year = latest.year if latest else None
    facts = {"progress": progress, "progress_year": progress_year}

    if progress is not None and progress >= 100:
        return Status(OutputStatus.DONE, **facts)
    if as_of < datetime.date(start, 1, 1):
        return Status(OutputStatus.NOT_STARTED, **facts)
    if as_of > report_due(end):
        return Status(OutputStatus.NOT_ACHIEVED, closed_year=end, expected=100, **facts)
    closed = last_closed_year(start, end, as_of)
    if closed is None:
        return Status(OutputStatus.ON_TRACK, **facts)
    expected = expected_percent(start, end, closed)
    facts |= {"closed_year": closed, "expected": expected}
    # A report for a later year also covers it: progress is cumulative.
    if not any(fact.year >= closed for fact in known):
        return Status(OutputStatus.LATE, missing_year=closed, **facts)
    if _is_behind(progress or 0, start, end, closed):
        return Status(OutputStatus.LATE, **facts)
    return Status(OutputStatus.ON_TRACK, **facts)
