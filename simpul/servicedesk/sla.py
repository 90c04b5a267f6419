"""The service desk's SLA clock: business time between two moments, due moments, priority and SLA state.

Pure: no models, no database, no Django. The services give it plain values (moments, the instansi's extra
days off, the pauses of a ticket) and store what it returns. Every number comes from data/sla.json (its
sources are in data/README.md):

- business hours per weekday in the instansi's time zone (Asia/Jakarta unless the data says otherwise);
- days off: Indonesian national holidays and cuti bersama from the maintained `holidays` library, cuti
  bersama of years the library does not know yet from the data file, and the instansi's own extra days off;
- priority from impact x urgency (1 = high, 3 = low) and per-priority targets in business minutes.

All moments must be timezone-aware (any zone: UTC from the database is fine); business hours are read on
the wall clock of the working time's zone. A pause is `(started_at, ended_at)`, `ended_at` None while the
ticket still waits for the reporter: no business time passes inside a pause.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

DATA_FILE = Path(__file__).resolve().parent / "data" / "sla.json"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LEVELS = (1, 2, 3)  # impact and urgency: 1 = high, 2 = medium, 3 = low

OK = "ok"
WARNING = "warning"
BREACHED = "breached"
MET = "met"
PAUSED = "paused"
STATES = (OK, WARNING, BREACHED, MET, PAUSED)

Pause = tuple[datetime, datetime | None]

_MINUTE = timedelta(minutes=1)
_ONE_DAY = timedelta(days=1)
_DAY_SECONDS = 24 * 60 * 60
# An open pause ends "never": far enough to outlast any due moment, far from datetime.max's overflow.
_NEVER = datetime(9000, 1, 1, tzinfo=UTC)
# A clock that finds no business time in this many days is misconfigured (every day off), not slow.
_MAX_DAYS = 366 * 20


def _parse_clock(text: str) -> int:
    """'07:30' -> seconds after midnight; '24:00' is allowed as the end of a day."""
    hours, _, minutes = text.partition(":")
    seconds = int(hours) * 3600 + int(minutes or 0) * 60
    if not 0 <= seconds <= _DAY_SECONDS or not 0 <= int(minutes or 0) < 60:
        raise ValueError(f"not a time of day: {text!r}")
    return seconds


@dataclass(frozen=True)
class WorkingTime:
    """An instansi's business hours: for each weekday (Monday first) its intervals as seconds after
    midnight on the wall clock of `time_zone`. A day may have several intervals (to leave out a break)."""

    hours: tuple[tuple[tuple[int, int], ...], ...]
    time_zone: str = "Asia/Jakarta"

    def __post_init__(self):
        if len(self.hours) != 7:
            raise ValueError("business hours need exactly seven weekdays, Monday first")
        for weekday, intervals in zip(WEEKDAYS, self.hours, strict=True):
            previous_end = 0
            for start, end in intervals:
                if not previous_end <= start < end <= _DAY_SECONDS:
                    raise ValueError(f"{weekday}: business hours must be increasing, non-overlapping intervals")
                previous_end = end
        if not any(self.hours):
            raise ValueError("business hours must have at least one working interval in the week")
        ZoneInfo(self.time_zone)  # an unknown zone fails here, not in the middle of a list

    @classmethod
    def from_data(cls, data: Mapping) -> WorkingTime:
        """From the `working_time` object of sla.json: {"time_zone": ..., "hours": {"monday": [["07:30",
        "16:00"]], ...}}."""
        hours = data["hours"]
        unknown = set(hours) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekdays in business hours: {sorted(unknown)}")
        return cls(
            hours=tuple(
                tuple((_parse_clock(start), _parse_clock(end)) for start, end in hours.get(day, ())) for day in WEEKDAYS
            ),
            time_zone=data.get("time_zone", "Asia/Jakarta"),
        )

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def minutes_per_week(self) -> int:
        """Business minutes of a week without days off (2,580 for the default hours, breaks included)."""
        return sum(end - start for intervals in self.hours for start, end in intervals) // 60


@dataclass(frozen=True)
class SlaConfig:
    """Everything the clock reads from sla.json, checked once when loaded."""

    working_time: WorkingTime
    holiday_country: str
    holiday_categories: tuple[str, ...]
    holiday_language: str
    cuti_bersama: Mapping[int, Mapping[date, str]]
    priorities: tuple[str, ...]
    matrix: Mapping[tuple[int, int], str]
    targets: Mapping[str, tuple[int, int]]
    warn_fraction: float

    @classmethod
    def from_data(cls, data: Mapping) -> SlaConfig:
        """Build and check a configuration from a parsed sla.json document (ValueError when it is wrong)."""
        holiday = data["holidays"]
        country_class = holidays.country_holidays(holiday["country"]).__class__
        categories = tuple(holiday["categories"])
        unsupported = set(categories) - set(country_class.supported_categories)
        if unsupported:
            raise ValueError(f"holiday categories not supported for {holiday['country']}: {sorted(unsupported)}")

        cuti_bersama: dict[int, Mapping[date, str]] = {}
        for year_text, entry in data.get("cuti_bersama", {}).get("years", {}).items():
            year = int(year_text)
            if not entry.get("source"):
                raise ValueError(f"cuti bersama {year}: every year needs its 'source' (the decree)")
            days = {date.fromisoformat(item["date"]): item["name"] for item in entry["dates"]}
            if any(day.year != year for day in days):
                raise ValueError(f"cuti bersama {year}: a date of another year")
            cuti_bersama[year] = MappingProxyType(days)

        priorities = tuple(data["priority"]["levels"])
        matrix = {
            (int(impact), int(urgency)): level
            for impact, row in data["priority"]["matrix"].items()
            for urgency, level in row.items()
        }
        if set(matrix) != {(impact, urgency) for impact in LEVELS for urgency in LEVELS}:
            raise ValueError("the priority matrix must cover impact 1..3 x urgency 1..3 exactly")
        if not set(matrix.values()) <= set(priorities):
            raise ValueError("the priority matrix names a priority that is not in 'levels'")

        targets = {}
        for level in priorities:
            entry = data["targets"].get(level)
            if entry is None:
                raise ValueError(f"no targets for priority {level!r}")
            first_response, resolution = int(entry["first_response_minutes"]), int(entry["resolution_minutes"])
            if not 0 < first_response <= resolution:
                raise ValueError(f"{level}: targets must be positive and first response no later than resolution")
            targets[level] = (first_response, resolution)

        warn_fraction = float(data["warn_fraction"])
        if not 0 <= warn_fraction <= 1:
            raise ValueError("warn_fraction must be between 0 and 1")
        return cls(
            working_time=WorkingTime.from_data(data["working_time"]),
            holiday_country=holiday["country"],
            holiday_categories=categories,
            holiday_language=holiday.get("language", "id"),
            cuti_bersama=MappingProxyType(cuti_bersama),
            priorities=priorities,
            matrix=MappingProxyType(matrix),
            targets=MappingProxyType(targets),
            warn_fraction=warn_fraction,
        )


def load_config(path: Path | str) -> SlaConfig:
    """Read and check an sla.json document."""
    return SlaConfig.from_data(json.loads(Path(path).read_text(encoding="utf-8")))


@cache
def default_config() -> SlaConfig:
    """The configuration shipped in data/sla.json (read once per process)."""
    return load_config(DATA_FILE)


@cache
def _library_days_off(country: str, categories: tuple[str, ...], language: str, year: int) -> Mapping[date, str]:
    # Building a year of holidays costs tens of milliseconds: once per process and year, not per ticket.
    found = holidays.country_holidays(country, years=year, categories=categories, language=language)
    return MappingProxyType(dict(found.items()))


@cache
def _library_has(country: str, category: str, year: int) -> bool:
    return bool(holidays.country_holidays(country, years=year, categories=(category,)))


class Calendar:
    """Which days are working days: the working time's weekdays minus Indonesia's national holidays and cuti
    bersama and the instansi's extra `days_off`. `years` only warms the cache; any year is looked up on
    demand. Build one per instansi and request; it caches days and their business intervals."""

    def __init__(
        self,
        days_off: frozenset[date] = frozenset(),
        years: Iterable[int] = (),
        *,
        working_time: WorkingTime | None = None,
        config: SlaConfig | None = None,
    ):
        self.config = config or default_config()
        self.working_time = working_time or self.config.working_time
        self.days_off = frozenset(days_off)
        self._closed: dict[int, frozenset[date]] = {}
        self._intervals: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        for year in years:
            self.closed_days(year)

    def holidays(self, year: int) -> dict[date, str]:
        """National holidays and cuti bersama of a year with their (Indonesian) names, sorted by date."""
        config = self.config
        found = dict(
            _library_days_off(config.holiday_country, config.holiday_categories, config.holiday_language, year)
        )
        for day, name in config.cuti_bersama.get(year, {}).items():
            found.setdefault(day, name)
        return dict(sorted(found.items()))

    def knows_cuti_bersama(self, year: int) -> bool:
        """Whether the cuti bersama of `year` are known (decreed and in the library or the data file). When
        False, due moments in that year count the days that may later be decreed cuti bersama as working."""
        config = self.config
        if config.cuti_bersama.get(year):
            return True
        if "government" not in config.holiday_categories:
            return False
        # Every year since the library's records begin (2002) has had cuti bersama, so none means not known.
        return _library_has(config.holiday_country, "government", year)

    def closed_days(self, year: int) -> frozenset[date]:
        """Every day of `year` that is not worked because of a holiday, cuti bersama or an instansi day off
        (weekends are not listed: they follow from the working time)."""
        closed = self._closed.get(year)
        if closed is None:
            closed = frozenset(self.holidays(year)) | {day for day in self.days_off if day.year == year}
            self._closed[year] = closed
        return closed

    def is_working_day(self, day: date) -> bool:
        return bool(self.working_time.hours[day.weekday()]) and day not in self.closed_days(day.year)

    def intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The business intervals of a day as aware moments in the working time's zone (empty on a day off)."""
        found = self._intervals.get(day)
        if found is None:
            if self.is_working_day(day):
                midnight = datetime(day.year, day.month, day.day, tzinfo=self.working_time.tz)
                found = tuple(
                    (midnight + timedelta(seconds=start), midnight + timedelta(seconds=end))
                    for start, end in self.working_time.hours[day.weekday()]
                )
            else:
                found = ()
            self._intervals[day] = found
        return found


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment


def _business_intervals(start: datetime, calendar: Calendar, stop: datetime | None = None):
    """The business intervals after `start` (and before `stop`), clipped to both, in order. Days off cost
    one dictionary lookup each; nothing walks minute by minute."""
    tz = calendar.working_time.tz
    day = start.astimezone(tz).date()
    last_day = stop.astimezone(tz).date() if stop is not None else day + timedelta(days=_MAX_DAYS)
    while day <= last_day:
        for begin, end in calendar.intervals(day):
            if end <= start:
                continue
            if stop is not None and begin >= stop:
                return
            yield max(begin, start), (end if stop is None else min(end, stop))
        day += _ONE_DAY
    if stop is None:
        raise ValueError(f"no business time in the {_MAX_DAYS} days after {start.isoformat()}: check the calendar")


def _merged_pauses(pauses: Iterable[Pause], start: datetime) -> list[tuple[datetime, datetime]]:
    """The pauses as sorted, non-overlapping intervals that end after `start`; an open pause ends _NEVER."""
    intervals = []
    for began, ended in pauses:
        _aware(began, "a pause's start")
        if ended is None:
            ended = _NEVER
        elif _aware(ended, "a pause's end") < began:
            raise ValueError(f"a pause ends before it starts ({began.isoformat()} > {ended.isoformat()})")
        if ended > start and ended > began:
            intervals.append((began, ended))
    intervals.sort()
    merged: list[tuple[datetime, datetime]] = []
    for began, ended in intervals:
        if merged and began <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ended))
        else:
            merged.append((began, ended))
    return merged


def business_minutes(start: datetime, end: datetime, calendar: Calendar, pauses: Iterable[Pause] = ()) -> int:
    """Whole business minutes between `start` and `end` outside the pauses (0 when end is not after start).
    An open pause runs until `end`."""
    _aware(start, "start")
    _aware(end, "end")
    if end <= start:
        return 0
    paused = _merged_pauses(pauses, start)
    total = timedelta(0)
    index = 0
    for begin, finish in _business_intervals(start, calendar, end):
        total += finish - begin
        # Pauses are sorted and the intervals come in order: one pointer walks both.
        while index < len(paused) and paused[index][1] <= begin:
            index += 1
        scan = index
        while scan < len(paused) and paused[scan][0] < finish:
            overlap = min(finish, paused[scan][1]) - max(begin, paused[scan][0])
            if overlap > timedelta(0):
                total -= overlap
            scan += 1
    return total // _MINUTE


def add_business_minutes(
    start: datetime, minutes: int, calendar: Calendar, pauses: Iterable[Pause] = ()
) -> datetime | None:
    """The due moment: the earliest moment by which `minutes` business minutes have passed since `start`
    outside the pauses, in `start`'s time zone. None while an open pause stops the clock before that (the
    due moment is not known until the pause ends). `business_minutes(start, result, ...) == minutes`."""
    _aware(start, "start")
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if minutes == 0:
        return start
    remaining = timedelta(minutes=minutes)
    paused = _merged_pauses(pauses, start)
    index = 0
    for begin, finish in _business_intervals(start, calendar):
        cursor = begin
        while cursor < finish:
            while index < len(paused) and paused[index][1] <= cursor:
                index += 1
            if index < len(paused) and paused[index][0] <= cursor:
                if paused[index][1] == _NEVER:
                    return None
                cursor = paused[index][1]
                continue
            free_until = min(finish, paused[index][0]) if index < len(paused) else finish
            if free_until - cursor >= remaining:
                return (cursor + remaining).astimezone(start.tzinfo)
            remaining -= free_until - cursor
            cursor = free_until
    raise AssertionError("unreachable: _business_intervals raises when it runs out of days")


def priority(impact: int, urgency: int, config: SlaConfig | None = None) -> str:
    """The priority ("critical", "high", "medium", "low" by default) of an impact and an urgency, each
    1 (high), 2 (medium) or 3 (low)."""
    for name, value in (("impact", impact), ("urgency", urgency)):
        if isinstance(value, bool) or value not in LEVELS:
            raise ValueError(f"{name} must be 1, 2 or 3, not {value!r}")
    return (config or default_config()).matrix[(impact, urgency)]


def targets(priority: str, config: SlaConfig | None = None) -> tuple[int, int]:
    """(first response, resolution) targets of a priority, in business minutes."""
    found = (config or default_config()).targets.get(priority)
    if found is None:
        raise ValueError(f"unknown priority {priority!r}")
    return found


def due_moments(
    start: datetime,
    priority: str,
    calendar: Calendar,
    pauses: Iterable[Pause] = (),
    config: SlaConfig | None = None,
) -> tuple[datetime | None, datetime | None]:
    """(first response due, resolution due) of a ticket opened at `start`; None while paused (see
    add_business_minutes)."""
    pauses = list(pauses)
    first_response, resolution = targets(priority, config)
    return (
        add_business_minutes(start, first_response, calendar, pauses),
        add_business_minutes(start, resolution, calendar, pauses),
    )


def state(
    due: datetime | None,
    done_at: datetime | None,
    now: datetime,
    warn_fraction: float,
    *,
    start: datetime,
    calendar: Calendar,
    pauses: Iterable[Pause] = (),
) -> str:
    """The SLA state of one clock (first response or resolution) at `now`:

    - "met" / "breached" once done (`done_at`), by whether it was done by `due`;
    - "breached" once `now` is past `due`, also while paused (a pause after the due moment saves nothing);
    - "paused" while a pause is open at `now`, or `due` is None (unknown while paused);
    - "warning" when at most `warn_fraction` of the business time from `start` to `due` is left;
    - "ok" otherwise.
    """
    if not 0 <= warn_fraction <= 1:
        raise ValueError("warn_fraction must be between 0 and 1")
    _aware(now, "now")
    if done_at is not None:
        return MET if due is None or _aware(done_at, "done_at") <= due else BREACHED
    if due is None:
        return PAUSED
    if now > _aware(due, "due"):
        return BREACHED
    pauses = list(pauses)
    if any(began <= now and (ended is None or ended > now) for began, ended in pauses):
        return PAUSED
    left = business_minutes(now, due, calendar, pauses)
    total = business_minutes(start, due, calendar, pauses)
    return WARNING if left <= warn_fraction * total else OK
