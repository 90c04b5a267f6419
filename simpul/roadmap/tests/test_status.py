"""Status derivation (simpul.roadmap.status): each rule at each year boundary, table-driven, the "as of"
replay, and properties that hold for any output, reports and date (hypothesis)."""

import datetime
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simpul.roadmap.choices import OutputStatus
from simpul.roadmap.status import (
    PACE_TOLERANCE,
    ReportFact,
    expected_percent,
    last_closed_year,
    report_due,
    report_window,
    status_of,
)

D = datetime.date
NOT_STARTED, ON_TRACK, LATE, DONE, NOT_ACHIEVED = (
    OutputStatus.NOT_STARTED,
    OutputStatus.ON_TRACK,
    OutputStatus.LATE,
    OutputStatus.DONE,
    OutputStatus.NOT_ACHIEVED,
)


@dataclass(frozen=True)
class Years:
    start_year: int
    end_year: int


OUTPUT = Years(2021, 2024)  # four years: the pace is 25 % a year


def fact(year, percent, accepted_on) -> ReportFact:
    return ReportFact(year, percent, accepted_on)


def test_the_report_calendar():
    assert report_window(2021) == (D(2021, 12, 1), D(2022, 1, 31))
    assert report_due(2024) == D(2025, 1, 31)
    assert [expected_percent(2021, 2024, year) for year in (2020, 2021, 2022, 2023, 2024, 2025)] == [
        0,
        25,
        50,
        75,
        100,
        100,
    ]
    assert last_closed_year(2021, 2024, D(2022, 1, 31)) is None  # the deadline day itself is still open
    assert last_closed_year(2021, 2024, D(2022, 2, 1)) == 2021
    assert last_closed_year(2021, 2024, D(2030, 6, 1)) == 2024


# (case, as of, accepted reports, expected status, expected progress)
BOUNDARIES = [
    # Before the start year: not started, whatever the day.
    ("a year before", D(2020, 6, 30), [], NOT_STARTED, None),
    ("last day before the start", D(2020, 12, 31), [], NOT_STARTED, None),
    # From 1 January of the start year it runs; nothing is due until 31 January of the next year.
    ("first day of the start year", D(2021, 1, 1), [], ON_TRACK, None),
    ("start year's window opens", D(2021, 12, 1), [], ON_TRACK, None),
    ("first report's deadline day", D(2022, 1, 31), [], ON_TRACK, None),
    # The day after a deadline: the closed year needs an accepted report at the pace (25 %, 10 points slack).
    ("first year closed, no report", D(2022, 2, 1), [], LATE, None),
    ("first year closed, on pace", D(2022, 2, 1), [fact(2021, 25, D(2022, 1, 20))], ON_TRACK, 25),
    ("first year closed, within the slack", D(2022, 2, 1), [fact(2021, 15, D(2022, 1, 20))], ON_TRACK, 15),
    ("first year closed, behind", D(2022, 2, 1), [fact(2021, 14, D(2022, 1, 20))], LATE, 14),
    ("a later year's report covers it", D(2022, 2, 1), [fact(2022, 40, D(2022, 1, 25))], ON_TRACK, 40),
    ("second year closed, last report stale", D(2023, 2, 1), [fact(2021, 25, D(2022, 1, 20))], LATE, 25),
    (
        "second year closed, on pace",
        D(2023, 2, 1),
        [fact(2021, 25, D(2022, 1, 20)), fact(2022, 50, D(2023, 1, 20))],
        ON_TRACK,
        50,
    ),
    # The end year: its report has until 31 January after it.
    ("end year's deadline day, behind", D(2025, 1, 31), [fact(2023, 60, D(2024, 1, 20))], LATE, 60),
    ("end year's deadline day, on pace", D(2025, 1, 31), [fact(2023, 80, D(2024, 1, 20))], ON_TRACK, 80),
    ("after the end year's deadline", D(2025, 2, 1), [fact(2024, 95, D(2025, 1, 20))], NOT_ACHIEVED, 95),
    ("years later, nothing reported", D(2030, 1, 1), [], NOT_ACHIEVED, None),
    # 100 % accepted is done, early, on time or after the end.
    ("done in the first year", D(2021, 12, 20), [fact(2021, 100, D(2021, 12, 15))], DONE, 100),
    ("done after the end year", D(2026, 1, 1), [fact(2025, 100, D(2025, 12, 30))], DONE, 100),
    # Replay: a report accepted after the date does not exist yet on it.
    ("accepted the day after", D(2022, 2, 1), [fact(2021, 25, D(2022, 2, 2))], LATE, None),
    ("accepted that day", D(2022, 2, 2), [fact(2021, 25, D(2022, 2, 2))], ON_TRACK, 25),
    (
        "100 % accepted later",
        D(2024, 6, 1),
        [fact(2023, 75, D(2024, 1, 20)), fact(2024, 100, D(2024, 12, 20))],
        ON_TRACK,
        75,
    ),
]


@pytest.mark.parametrize(("case", "as_of", "reports", "status", "progress"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_status_at_each_boundary(case, as_of, reports, status, progress):
    result = status_of(OUTPUT, reports, as_of)
    assert (result.code, result.progress) == (status, progress)


def test_late_says_why():
    missing = status_of(OUTPUT, [fact(2021, 25, D(2022, 1, 20))], D(2023, 3, 1))
    assert (missing.code, missing.missing_year, missing.closed_year, missing.expected) == (LATE, 2022, 2022, 50)
    assert not missing.behind
    behind = status_of(OUTPUT, [fact(2022, 30, D(2023, 1, 20))], D(2023, 3, 1))
    assert (behind.code, behind.missing_year, behind.behind) == (LATE, None, True)


def test_replaying_a_year_of_reports_day_by_day():
    """The same reports give, as of each date, the status the roadmap showed that day."""
    reports = [fact(2021, 20, D(2022, 1, 10)), fact(2022, 30, D(2023, 1, 10)), fact(2023, 100, D(2023, 11, 2))]
    timeline = {
        D(2021, 6, 1): ON_TRACK,
        D(2022, 1, 9): ON_TRACK,
        D(2022, 2, 1): ON_TRACK,  # 20 % for 2021, within the slack of 25 %
        D(2023, 2, 1): LATE,  # 30 % after 2022: far behind 50 %
        D(2023, 11, 1): LATE,
        D(2023, 11, 2): DONE,
        D(2031, 1, 1): DONE,
    }
    assert {day: status_of(OUTPUT, reports, day).code for day in timeline} == timeline


# --- Properties --------------------------------------------------------------------------------------------

# No deadline: under a loaded test run a pure function's example may take longer than 200 ms; that is
# not what these properties test.
PROPERTIES = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
years = st.integers(2015, 2035)
days = st.dates(D(2014, 1, 1), D(2040, 12, 31))


@st.composite
def outputs_and_reports(draw):
    start = draw(years)
    end = draw(st.integers(start, start + 10))
    reports = draw(
        st.lists(
            st.builds(ReportFact, st.integers(start, end), st.integers(0, 100), days),
            max_size=8,
            unique_by=lambda report: report.year,
        )
    )
    return Years(start, end), reports


@settings(PROPERTIES, max_examples=300)
@given(outputs_and_reports(), days)
def test_status_is_one_of_five_and_reports_after_the_date_change_nothing(case, as_of):
    output, reports = case
    result = status_of(output, reports, as_of)
    assert result.code in OutputStatus.values
    known = [report for report in reports if report.accepted_on <= as_of]
    assert status_of(output, known, as_of) == result
    assert status_of(output, list(reversed(reports)), as_of) == result


@settings(PROPERTIES, max_examples=300)
@given(outputs_and_reports(), days)
def test_each_status_means_what_it_says(case, as_of):
    output, reports = case
    result = status_of(output, reports, as_of)
    known = [report for report in reports if report.accepted_on <= as_of]
    finished = any(report.percent >= 100 for report in known) and result.progress == 100
    if result.code == DONE:
        assert result.progress == 100
    elif result.code == NOT_STARTED:
        assert as_of < D(output.start_year, 1, 1)
    elif result.code == NOT_ACHIEVED:
        assert as_of > report_due(output.end_year) and not finished
    elif result.code == ON_TRACK:
        assert D(output.start_year, 1, 1) <= as_of <= report_due(output.end_year)
        if result.closed_year is not None:
            assert any(report.year >= result.closed_year for report in known)
            assert result.progress + PACE_TOLERANCE >= result.expected - 1  # rounding of the shown pace
    else:
        assert result.code == LATE and result.closed_year is not None


@settings(PROPERTIES, max_examples=200)
@given(outputs_and_reports(), days, days)
def test_accepting_100_percent_makes_it_done_from_that_day(case, as_of, accepted_on):
    output, reports = case
    done = [*[r for r in reports if r.year != output.end_year], ReportFact(output.end_year, 100, accepted_on)]
    result = status_of(output, done, as_of)
    if accepted_on <= as_of:
        assert result.code == DONE
    else:
        assert result == status_of(output, [r for r in done if r.accepted_on <= as_of], as_of)
