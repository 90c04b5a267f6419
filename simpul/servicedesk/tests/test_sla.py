"""The SLA clock (simpul/servicedesk/sla.py): business time across weekends, national holidays, cuti bersama,
an instansi's own days off and pauses, in the instansi's time zone; priority from impact x urgency; the
state of a clock at the warning boundary. Table cases on dates of 2026 (17 Aug is a Monday, 24 Dec is
cuti bersama before Christmas on Friday 25 Dec), then properties that hold for any moment (hypothesis)."""

import copy
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.servicedesk import sla

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
MICRO = timedelta(microseconds=1)

CALENDAR = sla.Calendar(years=(2025, 2026, 2027))
# 8 September 2026 (a Tuesday) is the instansi's own day off, e.g. its anniversary.
INSTANSI_DAY_OFF = date(2026, 9, 8)
CALENDAR_WITH_DAY_OFF = sla.Calendar(days_off=frozenset({INSTANSI_DAY_OFF}))


def wib(*parts):
    return datetime(*parts, tzinfo=WIB)


def raw_config():
    return json.loads(sla.DATA_FILE.read_text(encoding="utf-8"))


# --- the shipped data -------------------------------------------------------------------------------------


def test_default_hours_are_the_perpres_week_with_its_breaks():
    # Perpres 21/2023: 37.5 hours a week without breaks; breaks 60 min Mon-Thu and 90 min on Friday.
    working_time = sla.default_config().working_time
    assert working_time.time_zone == "Asia/Jakarta"
    assert working_time.minutes_per_week() - (4 * 60 + 90) == 37 * 60 + 30
    assert working_time.hours[5] == working_time.hours[6] == ()


def test_the_calendar_knows_national_holidays_and_cuti_bersama_by_name():
    days = CALENDAR.holidays(2026)
    assert days[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert days[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert days[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert list(days) == sorted(days)
    assert CALENDAR.knows_cuti_bersama(2026)
    assert CALENDAR.knows_cuti_bersama(2027)
    # No SKB for 2028 yet: the calendar says so instead of pretending.
    assert not CALENDAR.knows_cuti_bersama(2028)


def test_cuti_bersama_of_a_year_the_library_lacks_come_from_the_data_file():
    data = raw_config()
    data["cuti_bersama"]["years"] = {
        "2028": {"source": "SKB 3 Menteri (test)", "dates": [{"date": "2028-08-18", "name": "Cuti Bersama (test)"}]}
    }
    calendar = sla.Calendar(config=sla.SlaConfig.from_data(data))
    assert calendar.knows_cuti_bersama(2028)
    assert not calendar.is_working_day(date(2028, 8, 18))  # a Friday
    assert sla.Calendar().is_working_day(date(2028, 8, 18))
    # Thursday 17 Aug 2028 16:00 + 60 business minutes: Friday is cuti bersama, so Monday 21 Aug.
    assert sla.add_business_minutes(datetime(2028, 8, 16, 15, 30, tzinfo=WIB), 60, calendar) == datetime(
        2028, 8, 21, 8, 0, tzinfo=WIB
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["priority"]["matrix"]["3"].pop("3"), "cover impact"),
        (lambda d: d["priority"]["matrix"]["1"].update({"1": "urgent"}), "not in 'levels'"),
        (lambda d: d["targets"].pop("low"), "no targets"),
        (lambda d: d["targets"]["high"].update({"first_response_minutes": 999}), "first response no later"),
        (lambda d: d.update({"warn_fraction": 1.5}), "warn_fraction"),
        (lambda d: d["holidays"].update({"categories": ["public", "bank"]}), "not supported"),
        (lambda d: d["working_time"]["hours"].update({"monday": [["07:30", "12:00"], ["11:00", "16:00"]]}), "monday"),
        (lambda d: d["working_time"]["hours"].update({"senin": []}), "unknown weekdays"),
        (lambda d: d["working_time"].update({"hours": {}}), "at least one"),
        (lambda d: d["cuti_bersama"].update({"years": {"2028": {"dates": []}}}), "source"),
        (
            lambda d: d["cuti_bersama"].update(
                {"years": {"2028": {"source": "x", "dates": [{"date": "2029-01-02", "name": "x"}]}}}
            ),
            "another year",
        ),
    ],
)
def test_a_wrong_data_file_is_refused_when_loaded(change, message):
    data = copy.deepcopy(raw_config())
    change(data)
    with pytest.raises(ValueError, match=message):
        sla.SlaConfig.from_data(data)


# --- priority and targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        (1, 1, "critical"),
        (1, 2, "high"),
        (1, 3, "medium"),
        (2, 1, "high"),
        (2, 2, "medium"),
        (2, 3, "low"),
        (3, 1, "medium"),
        (3, 2, "low"),
        (3, 3, "low"),
    ],
)
def test_priority_from_impact_and_urgency(impact, urgency, expected):
    assert sla.priority(impact, urgency) == expected


@pytest.mark.parametrize(("impact", "urgency"), [(0, 1), (1, 4), (True, 1), ("1", 1), (None, 2), (2.5, 2)])
def test_priority_refuses_levels_outside_one_to_three(impact, urgency):
    with pytest.raises(ValueError):
        sla.priority(impact, urgency)


def test_every_priority_has_targets_and_higher_priorities_are_faster():
    levels = sla.default_config().priorities
    found = [sla.targets(level) for level in levels]
    assert all(0 < first <= resolution for first, resolution in found)
    assert found == sorted(found)  # critical first: the fastest targets
    assert {sla.priority(i, u) for i in sla.LEVELS for u in sla.LEVELS} == set(levels)
    with pytest.raises(ValueError):
        sla.targets("P1")


# --- table cases: due moments --------------------------------------------------------------------------------

DUE_CASES = [
    # (why, start, minutes, calendar, pauses, due)
    ("inside one morning", wib(2026, 9, 7, 8, 0), 60, CALENDAR, (), wib(2026, 9, 7, 9, 0)),
    ("up to closing time exactly", wib(2026, 9, 7, 15, 0), 60, CALENDAR, (), wib(2026, 9, 7, 16, 0)),
    ("Friday closes at 16:30, then the weekend", wib(2026, 9, 4, 16, 0), 60, CALENDAR, (), wib(2026, 9, 7, 8, 0)),
    ("filed on Saturday", wib(2026, 9, 5, 10, 0), 30, CALENDAR, (), wib(2026, 9, 7, 8, 0)),
    ("filed before opening", wib(2026, 9, 8, 6, 0), 30, CALENDAR, (), wib(2026, 9, 8, 8, 0)),
    ("filed after closing", wib(2026, 9, 8, 17, 0), 30, CALENDAR, (), wib(2026, 9, 9, 8, 0)),
    ("a whole week of business hours", wib(2026, 9, 7, 7, 30), 2580, CALENDAR, (), wib(2026, 9, 11, 16, 30)),
    # Friday 14 Aug 2026, then the weekend and Monday 17 Aug (Independence Day).
    ("over 17 August", wib(2026, 8, 14, 15, 0), 240, CALENDAR, (), wib(2026, 8, 18, 10, 0)),
    # The example of docs/servicedesk/sla.md: a high priority ticket's resolution.
    ("the users' guide example", wib(2026, 8, 14, 15, 0), 480, CALENDAR, (), wib(2026, 8, 18, 14, 0)),
    # Wednesday 23 Dec: Thursday 24 Dec is cuti bersama, Friday 25 Dec Christmas, then the weekend.
    ("over cuti bersama and Christmas", wib(2026, 12, 23, 15, 30), 60, CALENDAR, (), wib(2026, 12, 28, 8, 0)),
    # Thursday 14 May 2026 is Ascension Day and Friday 15 May cuti bersama.
    ("over Ascension and its cuti bersama", wib(2026, 5, 13, 16, 0), 1, CALENDAR, (), wib(2026, 5, 18, 7, 31)),
    ("over the instansi's own day off", wib(2026, 9, 7, 15, 30), 60, CALENDAR_WITH_DAY_OFF, (), wib(2026, 9, 9, 8, 0)),
    (
        "a pause over a night",
        wib(2026, 9, 7, 15, 0),
        120,
        CALENDAR,
        [(wib(2026, 9, 7, 15, 30), wib(2026, 9, 8, 9, 0))],
        wib(2026, 9, 8, 10, 30),
    ),
    (
        "a pause over a weekend, ended on Monday morning",
        wib(2026, 9, 4, 15, 0),
        120,
        CALENDAR,
        [(wib(2026, 9, 4, 16, 0), wib(2026, 9, 7, 8, 0))],
        wib(2026, 9, 7, 9, 0),
    ),
    (
        "a pause wholly outside business hours changes nothing",
        wib(2026, 9, 4, 16, 0),
        60,
        CALENDAR,
        [(wib(2026, 9, 5, 9, 0), wib(2026, 9, 6, 20, 0))],
        wib(2026, 9, 7, 8, 0),
    ),
    (
        "overlapping pauses count once",
        wib(2026, 9, 7, 8, 0),
        60,
        CALENDAR,
        [(wib(2026, 9, 7, 8, 30), wib(2026, 9, 7, 9, 30)), (wib(2026, 9, 7, 9, 0), wib(2026, 9, 7, 10, 0))],
        wib(2026, 9, 7, 10, 30),
    ),
    (
        "an open pause after the due moment does not hold it back",
        wib(2026, 9, 7, 8, 0),
        60,
        CALENDAR,
        [(wib(2026, 9, 7, 10, 0), None)],
        wib(2026, 9, 7, 9, 0),
    ),
    (
        "an open pause before it: not known yet",
        wib(2026, 9, 7, 8, 0),
        60,
        CALENDAR,
        [(wib(2026, 9, 7, 8, 30), None)],
        None,
    ),
    ("zero minutes: the start itself", wib(2026, 9, 5, 10, 0), 0, CALENDAR, (), wib(2026, 9, 5, 10, 0)),
]


@pytest.mark.parametrize(
    ("why", "start", "minutes", "calendar", "pauses", "due"), DUE_CASES, ids=[c[0] for c in DUE_CASES]
)
def test_due_moment(why, start, minutes, calendar, pauses, due):
    assert sla.add_business_minutes(start, minutes, calendar, pauses) == due
    if due is not None:
        assert sla.business_minutes(start, due, calendar, pauses) == minutes


def test_moments_in_utc_are_read_on_the_jakarta_wall_clock_and_returned_in_utc():
    start = datetime(2026, 9, 8, 0, 30, tzinfo=UTC)  # 07:30 WIB, a Tuesday
    due = sla.add_business_minutes(start, 60, CALENDAR)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 9, 8, 1, 30, tzinfo=UTC)
    # Friday 16:30 WIB is 09:30 UTC: 60 minutes from 09:00 UTC end on Monday 08:00 WIB (01:00 UTC).
    assert sla.add_business_minutes(datetime(2026, 9, 4, 9, 0, tzinfo=UTC), 60, CALENDAR) == datetime(
        2026, 9, 7, 1, 0, tzinfo=UTC
    )


def test_an_instansi_in_wita_counts_its_own_wall_clock():
    data = raw_config()
    data["working_time"]["time_zone"] = "Asia/Makassar"
    calendar = sla.Calendar(config=sla.SlaConfig.from_data(data))
    # 07:30 WIB is 08:30 WITA: an hour is already gone in Makassar.
    assert sla.business_minutes(wib(2026, 9, 7, 6, 30), wib(2026, 9, 7, 8, 30), calendar) == 120
    assert sla.business_minutes(wib(2026, 9, 7, 6, 30), wib(2026, 9, 7, 8, 30), CALENDAR) == 60
    assert sla.add_business_minutes(wib(2026, 9, 7, 15, 0), 60, calendar) == datetime(2026, 9, 8, 8, 30, tzinfo=WITA)


def test_a_day_split_around_the_break_leaves_the_break_out():
    data = raw_config()
    data["working_time"]["hours"]["monday"] = [["07:30", "12:00"], ["13:00", "16:00"]]
    calendar = sla.Calendar(config=sla.SlaConfig.from_data(data))
    assert sla.add_business_minutes(wib(2026, 9, 7, 11, 30), 60, calendar) == wib(2026, 9, 7, 13, 30)
    assert sla.business_minutes(wib(2026, 9, 7, 7, 30), wib(2026, 9, 7, 16, 0), calendar) == 450


def test_round_the_clock_hours_end_at_midnight():
    working_time = sla.WorkingTime.from_data({"hours": {day: [["00:00", "24:00"]] for day in sla.WEEKDAYS}})
    calendar = sla.Calendar(working_time=working_time)
    assert sla.add_business_minutes(wib(2026, 9, 5, 23, 30), 60, calendar) == wib(2026, 9, 6, 0, 30)
    # Days off still stop the clock: 17 August is skipped whole.
    assert sla.add_business_minutes(wib(2026, 8, 16, 23, 30), 60, calendar) == wib(2026, 8, 18, 0, 30)


# --- table cases: elapsed business time ---------------------------------------------------------------------

ELAPSED_CASES = [
    ("one hour in the morning", wib(2026, 9, 7, 8, 0), wib(2026, 9, 7, 9, 0), CALENDAR, (), 60),
    ("end before start", wib(2026, 9, 7, 9, 0), wib(2026, 9, 7, 8, 0), CALENDAR, (), 0),
    ("part minutes are not counted", wib(2026, 9, 7, 8, 0, 30), wib(2026, 9, 7, 8, 1, 29), CALENDAR, (), 0),
    ("the night does not count", wib(2026, 9, 7, 15, 0), wib(2026, 9, 8, 8, 0), CALENDAR, (), 90),
    ("the weekend does not count", wib(2026, 9, 4, 16, 0), wib(2026, 9, 7, 8, 0), CALENDAR, (), 60),
    ("17 August does not count", wib(2026, 8, 14, 16, 0), wib(2026, 8, 18, 8, 0), CALENDAR, (), 60),
    ("cuti bersama does not count", wib(2026, 12, 23, 15, 0), wib(2026, 12, 28, 8, 0), CALENDAR, (), 90),
    (
        "the instansi day off does not count",
        wib(2026, 9, 7, 7, 30),
        wib(2026, 9, 9, 7, 30),
        CALENDAR_WITH_DAY_OFF,
        (),
        510,
    ),
    ("a whole holiday", wib(2026, 8, 17), wib(2026, 8, 18), CALENDAR, (), 0),
    ("a whole cuti bersama day (2027)", wib(2027, 3, 12), wib(2027, 3, 13), CALENDAR, (), 0),
    (
        "a pause from Friday afternoon to Monday morning",
        wib(2026, 9, 4, 15, 0),
        wib(2026, 9, 7, 9, 0),
        CALENDAR,
        [(wib(2026, 9, 4, 15, 30), wib(2026, 9, 7, 8, 0))],
        30 + 60,
    ),
    (
        "an open pause runs to the end",
        wib(2026, 9, 7, 8, 0),
        wib(2026, 9, 7, 12, 0),
        CALENDAR,
        [(wib(2026, 9, 7, 10, 0), None)],
        120,
    ),
    (
        "a pause before the start is ignored",
        wib(2026, 9, 7, 10, 0),
        wib(2026, 9, 7, 11, 0),
        CALENDAR,
        [(wib(2026, 9, 7, 8, 0), wib(2026, 9, 7, 9, 0))],
        60,
    ),
]


@pytest.mark.parametrize(
    ("why", "start", "end", "calendar", "pauses", "minutes"), ELAPSED_CASES, ids=[c[0] for c in ELAPSED_CASES]
)
def test_business_minutes(why, start, end, calendar, pauses, minutes):
    assert sla.business_minutes(start, end, calendar, pauses) == minutes


def test_naive_moments_and_backwards_pauses_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        sla.business_minutes(datetime(2026, 9, 7, 8), wib(2026, 9, 7, 9), CALENDAR)
    with pytest.raises(ValueError, match="timezone-aware"):
        sla.add_business_minutes(datetime(2026, 9, 7, 8), 10, CALENDAR)
    with pytest.raises(ValueError, match="ends before it starts"):
        sla.business_minutes(
            wib(2026, 9, 7, 8), wib(2026, 9, 7, 9), CALENDAR, [(wib(2026, 9, 7, 9), wib(2026, 9, 7, 8))]
        )
    with pytest.raises(ValueError, match="negative"):
        sla.add_business_minutes(wib(2026, 9, 7, 8), -1, CALENDAR)


def test_due_moments_of_a_priority():
    first_response, resolution = sla.due_moments(wib(2026, 9, 7, 8, 0), "critical", CALENDAR)
    assert (first_response, resolution) == (wib(2026, 9, 7, 8, 30), wib(2026, 9, 7, 12, 0))
    assert sla.due_moments(wib(2026, 9, 7, 8, 0), "low", CALENDAR, [(wib(2026, 9, 7, 8, 0), None)]) == (None, None)


# --- state at the warning boundary ------------------------------------------------------------------------

START = wib(2026, 9, 7, 7, 30)  # Monday
DUE = wib(2026, 9, 7, 11, 30)  # 240 business minutes later: warning with 60 left, from 10:30


@pytest.mark.parametrize(
    ("why", "due", "done_at", "now", "pauses", "expected"),
    [
        ("plenty of time", DUE, None, wib(2026, 9, 7, 9, 0), (), sla.OK),
        ("a minute before the warning", DUE, None, wib(2026, 9, 7, 10, 29), (), sla.OK),
        ("exactly a quarter left", DUE, None, wib(2026, 9, 7, 10, 30), (), sla.WARNING),
        ("less than a quarter left", DUE, None, wib(2026, 9, 7, 10, 30, 30), (), sla.WARNING),
        ("at the due moment", DUE, None, DUE, (), sla.WARNING),
        ("just past the due moment", DUE, None, DUE + MICRO, (), sla.BREACHED),
        ("done on time", DUE, DUE, wib(2026, 9, 8, 9, 0), (), sla.MET),
        ("done late", DUE, DUE + MICRO, wib(2026, 9, 8, 9, 0), (), sla.BREACHED),
        ("done while the due moment was unknown", None, wib(2026, 9, 7, 9), wib(2026, 9, 8, 9), (), sla.MET),
        ("due unknown while waiting for the reporter", None, None, wib(2026, 9, 7, 9, 0), (), sla.PAUSED),
        (
            "waiting for the reporter now",
            DUE,
            None,
            wib(2026, 9, 7, 11, 0),
            [(wib(2026, 9, 7, 10, 50), None)],
            sla.PAUSED,
        ),
        ("a pause after the due moment saves nothing", DUE, None, wib(2026, 9, 7, 12, 0), [(DUE, None)], sla.BREACHED),
        (
            "a pause that ended leaves the clock running",
            DUE,
            None,
            wib(2026, 9, 7, 9, 0),
            [(wib(2026, 9, 7, 8, 0), wib(2026, 9, 7, 8, 30))],
            sla.OK,
        ),
    ],
)
def test_state(why, due, done_at, now, pauses, expected):
    assert sla.state(due, done_at, now, 0.25, start=START, calendar=CALENDAR, pauses=pauses) == expected


def test_the_warning_counts_business_time_not_the_weekend():
    # Filed Friday 15:00 with 240 minutes: due Monday 10:00 (90 on Friday, 150 on Monday).
    start = wib(2026, 9, 4, 15, 0)
    due = sla.add_business_minutes(start, 240, CALENDAR)
    assert due == wib(2026, 9, 7, 10, 0)
    # On Sunday evening 150 of 240 business minutes are left: no warning yet.
    assert sla.state(due, None, wib(2026, 9, 6, 20, 0), 0.25, start=start, calendar=CALENDAR) == sla.OK
    assert sla.state(due, None, wib(2026, 9, 7, 8, 59), 0.25, start=start, calendar=CALENDAR) == sla.OK
    assert sla.state(due, None, wib(2026, 9, 7, 9, 0), 0.25, start=start, calendar=CALENDAR) == sla.WARNING


def test_state_refuses_a_warn_fraction_outside_zero_to_one():
    with pytest.raises(ValueError):
        sla.state(DUE, None, START, 1.5, start=START, calendar=CALENDAR)


# --- properties ---------------------------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, WIB, WITA])
# Moments between 2025 and 2027, to the microsecond, in any of three zones.
MOMENTS = st.builds(
    lambda offset, zone: (datetime(2025, 1, 1, tzinfo=UTC) + timedelta(microseconds=offset)).astimezone(zone),
    st.integers(min_value=0, max_value=3 * 365 * 24 * 3600 * 10**6),
    ZONES,
)
MINUTES = st.integers(min_value=0, max_value=6000)
DAYS_OFF = st.frozensets(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)), max_size=20)


@st.composite
def pauses_near(draw, start):
    """Up to four pauses around `start` (some before it, some overlapping), the last one maybe open."""
    found = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        began = start + timedelta(minutes=draw(st.integers(min_value=-600, max_value=8000)))
        found.append((began, began + timedelta(minutes=draw(st.integers(min_value=0, max_value=5000)))))
    return found


def calendar_with(days_off):
    return sla.Calendar(days_off=days_off) if days_off else CALENDAR


@settings(deadline=None)
@given(start=MOMENTS, minutes=MINUTES, days_off=DAYS_OFF, data=st.data())
def test_adding_business_minutes_and_counting_them_are_inverse(start, minutes, days_off, data):
    calendar = calendar_with(days_off)
    pauses = data.draw(pauses_near(start))
    due = sla.add_business_minutes(start, minutes, calendar, pauses)
    assert due is not None  # no open pause among these
    assert due.utcoffset() == start.utcoffset()
    assert sla.business_minutes(start, due, calendar, pauses) == minutes
    if minutes:
        # The earliest such moment, and one inside business hours of a working day, outside every pause.
        assert sla.business_minutes(start, due - MICRO, calendar, pauses) == minutes - 1
        local = (due - MICRO).astimezone(calendar.working_time.tz)
        assert calendar.is_working_day(local.date())
        assert any(begin <= local < end for begin, end in calendar.intervals(local.date()))
        assert not any(began <= due - MICRO < ended for began, ended in pauses)


@settings(deadline=None)
@given(start=MOMENTS, first=MINUTES, second=MINUTES, shift=st.integers(min_value=0, max_value=10**12))
def test_due_moments_are_monotonic(start, first, second, shift):
    low, high = sorted((first, second))
    assert sla.add_business_minutes(start, low, CALENDAR) <= sla.add_business_minutes(start, high, CALENDAR)
    later = start + timedelta(microseconds=shift)
    assert sla.add_business_minutes(start, low, CALENDAR) <= sla.add_business_minutes(later, low, CALENDAR)


@settings(deadline=None)
@given(start=MOMENTS, a=st.integers(min_value=0, max_value=10**13), b=st.integers(min_value=0, max_value=10**13))
def test_elapsed_business_time_grows_with_the_end_and_adds_up(start, a, b):
    middle, end = (start + timedelta(microseconds=x) for x in sorted((a, b)))
    assert sla.business_minutes(start, middle, CALENDAR) <= sla.business_minutes(start, end, CALENDAR)
    # Split at any moment, the two parts lose at most one part minute between them.
    whole = sla.business_minutes(start, end, CALENDAR)
    parts = sla.business_minutes(start, middle, CALENDAR) + sla.business_minutes(middle, end, CALENDAR)
    assert whole - parts in (0, 1)


@settings(deadline=None)
@given(start=MOMENTS, length=st.integers(min_value=0, max_value=10**13), minutes=MINUTES, data=st.data())
def test_pauses_never_add_business_time(start, length, minutes, data):
    end = start + timedelta(microseconds=length)
    pauses = data.draw(pauses_near(start))
    if data.draw(st.booleans()) and pauses:
        pauses[-1] = (pauses[-1][0], None)  # still waiting for the reporter
    assert sla.business_minutes(start, end, CALENDAR, pauses) <= sla.business_minutes(start, end, CALENDAR)
    paused_due = sla.add_business_minutes(start, minutes, CALENDAR, pauses)
    plain_due = sla.add_business_minutes(start, minutes, CALENDAR)
    assert paused_due is None or paused_due >= plain_due
    if paused_due is None:
        assert any(ended is None for _, ended in pauses)


@settings(deadline=None)
@given(start=MOMENTS, minutes=MINUTES, days_off=DAYS_OFF)
def test_extra_days_off_only_push_the_due_moment_later(start, minutes, days_off):
    with_days_off = sla.add_business_minutes(start, minutes, calendar_with(days_off))
    assert with_days_off >= sla.add_business_minutes(start, minutes, CALENDAR)
    for day in days_off:
        assert not calendar_with(days_off).intervals(day)


@settings(deadline=None)
@given(start=MOMENTS, minutes=MINUTES, zone=ZONES)
def test_the_zone_of_the_input_changes_nothing_but_the_zone_of_the_answer(start, minutes, zone):
    assert sla.add_business_minutes(start, minutes, CALENDAR) == sla.add_business_minutes(
        start.astimezone(zone), minutes, CALENDAR
    )


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_no_holiday_or_cuti_bersama_has_business_time(year):
    days = CALENDAR.holidays(year)
    assert len(days) > 20  # national holidays and cuti bersama
    for day in days:
        midnight = wib(day.year, day.month, day.day)
        assert sla.business_minutes(midnight, midnight + timedelta(days=1), CALENDAR) == 0


@settings(deadline=None)
@given(start=MOMENTS, minutes=st.integers(min_value=1, max_value=6000), fraction=st.floats(min_value=0, max_value=1))
def test_a_clock_only_moves_forward_through_its_states(start, minutes, fraction):
    # ok -> warning -> breached as time passes, never back, for any warn fraction.
    due = sla.add_business_minutes(start, minutes, CALENDAR)
    order = {sla.OK: 0, sla.WARNING: 1, sla.BREACHED: 2}
    seen = [
        order[sla.state(due, None, moment, fraction, start=start, calendar=CALENDAR)]
        for moment in (start, start + (due - start) / 2, due - MICRO, due, due + MICRO)
    ]
    assert seen == sorted(seen)
    assert seen[-1] == order[sla.BREACHED]
    assert seen[-2] == order[sla.WARNING]
