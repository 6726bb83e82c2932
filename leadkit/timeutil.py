"""Parsing and formatting of times, durations and working time."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leadkit.errors import ConfigError, LeadkitError

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)
_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600}
UNITS_HELP = "h (hours), d (days) or w (weeks), e.g. 12h, 28d or 2w"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_SPAN_DAYS = 3650
"""Ten years: no look-back, window or history reaches further (trackers hold no more)."""
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
"""Times outside these bounds are refused, so arithmetic on them can never overflow."""


def duration_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a duration (``"has an unknown unit 'm': ..."``), or None."""
    match = _DURATION_RE.match(str(text))
    if not match:
        return f"is not a duration: use {UNITS_HELP}"
    unit = match.group(2).lower()
    if not unit:
        return f"has no unit: use {UNITS_HELP}"
    if unit not in _UNITS:
        return f"has an unknown unit {match.group(2)!r}: use {UNITS_HELP}"
    if float(match.group(1)) * _UNITS[unit] > MAX_SPAN_DAYS * 86400:
        return f"is longer than {MAX_SPAN_DAYS // 365} years ({MAX_SPAN_DAYS} days)"
    return None


def parse_duration(text: str, *, what: str = "duration") -> timedelta:
    """``"28d"``, ``"2w"``, ``"12h"`` as a timedelta; other units (``1m``: month or minute?) are refused.

    At most :data:`MAX_SPAN_DAYS` long; NaN and infinity never match.
    """
    problem = duration_problem(text)
    if problem:
        raise LeadkitError(f"{what} {text!r} {problem}")
    match = _DURATION_RE.match(str(text))
    assert match is not None  # duration_problem accepted it
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


def parse_datetime(text: str, *, what: str = "time", tz: tzinfo = UTC) -> datetime:
    """An ISO 8601 date or datetime as aware UTC (dates are midnight in ``tz``, naive is ``tz``).

    ``tz`` is UTC unless the caller reads a person's input in a team's zone
    (``--until 2026-11-16`` on a Los Angeles team is that midnight in Los Angeles).

    Years before 1970 or from 9000 on are refused: no tracker holds them, and
    a window computed from them would overflow.
    """
    value = str(text).strip()
    if value.endswith("Z") or value.endswith("z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), time())
        except ValueError:
            raise LeadkitError(
                f"{what} {text!r} is not a date or time like 2026-11-23 or 2026-11-23T09:00:00Z"
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:
        parsed = EARLIEST - timedelta(days=1) if parsed.year < 2000 else LATEST
    if not EARLIEST <= parsed < LATEST:
        raise LeadkitError(
            f"{what} {text!r} is out of range: give a time from {EARLIEST.year} "
            f"to {LATEST.year - 1}"
        )
    return parsed


def parse_http_date(text: str) -> datetime | None:
    """An HTTP date (``Wed, 21 Oct 2026 07:28:00 GMT``, as in ``Retry-After``) as aware UTC, or None."""
    try:
        parsed = parsedate_to_datetime(str(text).strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_since(text: str, now: datetime) -> datetime:
    """``--since``: a duration back from ``now`` (``Nh``, ``Nd``, ``Nw``) or an absolute date.

    The window must be longer than zero and at most :data:`MAX_SPAN_DAYS` long.
    """
    value = str(text).strip()
    if _DURATION_RE.match(value):
        span = parse_duration(value, what="--since")
        if span <= timedelta(0):
            raise LeadkitError(f"--since {text!r} is a zero-length window: give {UNITS_HELP}")
        return now - span
    if not re.match(r"^\d{4}-", value):
        raise LeadkitError(f"--since {text!r} is neither a duration ({UNITS_HELP}) nor a date")
    start = parse_datetime(value, what="--since")
    if start > now:
        raise LeadkitError(f"--since {text!r} is after --now ({iso(now)})")
    if start == now:
        raise LeadkitError(f"--since {text!r} is --now itself: a zero-length window")
    if now - start > timedelta(days=MAX_SPAN_DAYS):
        raise LeadkitError(
            f"--since {text!r} reaches back more than {MAX_SPAN_DAYS // 365} years "
            f"({MAX_SPAN_DAYS} days) from --now ({iso(now)})"
        )
    return start


_PERIOD_RE = re.compile(r"^\s*(\d{4})-(?:(\d{1,2})|[Qq]([1-4]))\s*$")
PERIOD_HELP = "a month like 2026-10 or a quarter like 2026-Q3"


def parse_period(text: str, tz: tzinfo = UTC) -> tuple[datetime, datetime]:
    """``--period``: a calendar month (``2026-10``) or quarter (``2026-Q3``) in ``tz``.

    Returns the period's first instant and the first instant after it, both
    as aware UTC: October in Europe/London is 2026-09-30T23:00Z to
    2026-11-01T00:00Z (the clocks change in between).
    """
    match = _PERIOD_RE.match(str(text))
    if not match:
        raise LeadkitError(f"--period {text!r} is not {PERIOD_HELP}")
    year = int(match.group(1))
    if match.group(2) is not None:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise LeadkitError(f"--period {text!r} has no month {month}: give {PERIOD_HELP}")
        months = 1
    else:
        month, months = 3 * int(match.group(3)) - 2, 3
    if not EARLIEST.year <= year < LATEST.year - 1:
        raise LeadkitError(
            f"--period {text!r} is out of range: give a year from {EARLIEST.year} "
            f"to {LATEST.year - 2}"
        )
    after_year, after_month = divmod(month - 1 + months, 12)
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + after_year, after_month + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """UTC ISO 8601 with a ``Z``, to the second; stable across runs."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def zone(name: str) -> tzinfo:
    """The named IANA time zone, or a ConfigError naming it."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r}") from None


def parse_working_days(days: list[str]) -> frozenset[int]:
    """``["mon", ..., "fri"]`` as weekday numbers (Monday is 0)."""
    out = set()
    for day in days:
        key = str(day).strip().lower()[:3]
        if key not in DAY_NAMES:
            raise ConfigError(f"working day {day!r} is not one of {', '.join(DAY_NAMES)}")
        out.add(DAY_NAMES.index(key))
    return frozenset(out)


DAY_TITLES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_WORKING_HOURS = "09:00-17:00"
_HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_working_hours(text: str) -> tuple[int, int]:
    """``"09:00-17:00"`` as minutes after local midnight, ``(540, 1020)``; ``24:00`` ends a day.

    The day must start before it ends (a night shift across midnight is refused).
    """
    match = _HOURS_RE.match(str(text))
    if not match:
        raise ConfigError(f'{text!r} is not a span of hours like "09:00-17:00"')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise ConfigError(f"{text!r} has a time that is not on a clock (00:00 to 24:00)")
    first, last = h1 * 60 + m1, h2 * 60 + m2
    if last <= first:
        raise ConfigError(f"{text!r} ends before it starts: give the start first, like 09:00-17:00")
    return first, last


def parse_holidays(entries: list[str]) -> frozenset[date]:
    """``["2026-12-24", "2026-12-25..2026-12-26"]``: single days and inclusive ranges of days."""
    out: set[date] = set()
    for entry in entries:
        first_text, dots, last_text = str(entry).strip().partition("..")
        try:
            first = date.fromisoformat(first_text.strip())
            last = date.fromisoformat(last_text.strip()) if dots else first
        except ValueError:
            raise ConfigError(
                f"{entry!r} is not a day like 2026-12-24 or a range like 2026-12-25..2026-12-26"
            ) from None
        if last < first:
            raise ConfigError(f"{entry!r} ends before it starts")
        if (last - first).days > MAX_SPAN_DAYS:
            raise ConfigError(f"{entry!r} is longer than {MAX_SPAN_DAYS} days")
        out.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset(out)


def _calendar(name: str) -> tuple[str, str | None]:
    """``"de-by"`` as the ``holidays`` package spells it, ``("DE", "BY")``, or a ConfigError."""
    import holidays

    country, _, subdiv = str(name).strip().partition("-")
    supported = holidays.list_supported_countries()
    subdivisions = supported.get(country.upper())
    if subdivisions is None:
        raise ConfigError(
            f"{name!r} names no country the holidays package knows (use ISO codes like DE or US-CA)"
        )
    if not subdiv:
        return country.upper(), None
    for known in subdivisions:
        if known.upper() == subdiv.upper():
            return country.upper(), known
    shown = ", ".join(subdivisions[:12]) + (", ..." if len(subdivisions) > 12 else "")
    raise ConfigError(f"{name!r} names no subdivision of {country.upper()} (known: {shown})")


def calendar_problem(name: str) -> str | None:
    """What is wrong with ``"DE-BY"`` (a country, or a country and subdivision) as a holiday
    calendar of the ``holidays`` package, or None."""
    try:
        _calendar(name)
    except ConfigError as exc:
        return str(exc)
    return None


def calendar_holidays(name: str, first: date, last: date) -> frozenset[date]:
    """The public holidays of calendar ``name`` (``"DE-BY"``, ``"US"``) from ``first`` to ``last``.

    Read from the ``holidays`` package, which keeps the rules (moving feasts,
    substitute days) for every country and subdivision, and works offline.
    """
    import holidays

    country, subdiv = _calendar(name)
    years = range(first.year, last.year + 1)
    table = holidays.country_holidays(country, subdiv=subdiv, years=years)
    return frozenset(day for day in table if first <= day <= last)


class WorkingClock:
    """Counts working time: the team's working hours on its working days, in its time zone.

    Holidays and, for one person's wait, that person's time away count nothing.
    A working day is the length of the working hours (8 h for 09:00-17:00).
    """

    def __init__(
        self,
        working_days: frozenset[int] = frozenset(range(5)),
        tz: tzinfo = UTC,
        hours: tuple[int, int] = (9 * 60, 17 * 60),
        holidays: frozenset[date] = frozenset(),
    ):
        self.working_days = working_days or frozenset(range(7))
        self.tz = tz
        self.opens, self.closes = hours
        self.holidays = frozenset(d for d in holidays if d.weekday() in self.working_days)
        self._sorted_holidays = sorted(self.holidays)

    @property
    def day_hours(self) -> float:
        """How long a working day is, in hours."""
        return (self.closes - self.opens) / 60

    def holidays_in(self, first: date, last: date) -> list[date]:
        """The holidays on working days from ``first`` to ``last``, in order."""
        lo = bisect_left(self._sorted_holidays, first)
        return self._sorted_holidays[
            lo : bisect_left(self._sorted_holidays, last + timedelta(days=1))
        ]

    def hours_between(
        self, start: datetime, end: datetime, away: Iterable[tuple[datetime, datetime]] = ()
    ) -> float:
        """Working hours from ``start`` to ``end``, less any working time in ``away``."""
        if end <= start:
            return 0.0
        total = self._seconds(start, end)
        for first, last in _merged(away):
            first, last = max(first, start), min(last, end)
            if first < last:
                total -= self._seconds(first, last)
        return max(total, 0.0) / 3600

    def days_between(
        self, start: datetime, end: datetime, away: Iterable[tuple[datetime, datetime]] = ()
    ) -> float:
        """Working days from ``start`` to ``end`` (a day is :attr:`day_hours`)."""
        return self.hours_between(start, end, away) / self.day_hours

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays

    def working_days_in(self, first: date, stop: date) -> int:
        """How many working days (holidays excluded) lie in ``[first, stop)``."""
        span = (stop - first).days
        if span <= 0:
            return 0
        weeks, rest = divmod(span, 7)
        count = weeks * len(self.working_days)
        for offset in range(rest):
            if (first + timedelta(days=weeks * 7 + offset)).weekday() in self.working_days:
                count += 1
        off = bisect_left(self._sorted_holidays, stop) - bisect_left(self._sorted_holidays, first)
        return count - off

    def _seconds(self, start: datetime, end: datetime) -> float:
        first, last = start.astimezone(self.tz).date(), end.astimezone(self.tz).date()
        if first == last:
            return self._on_day(first, start, end)
        middle = self.working_days_in(first + timedelta(days=1), last) * self.day_hours * 3600
        return self._on_day(first, start, end) + middle + self._on_day(last, start, end)

    def _on_day(self, day: date, start: datetime, end: datetime) -> float:
        """Seconds of ``[start, end)`` inside the working hours of local ``day``."""
        if not self.is_working_day(day):
            return 0.0
        opens, closes = self._at(day, self.opens), self._at(day, self.closes)
        first = max(start.astimezone(UTC), opens)
        last = min(end.astimezone(UTC), closes)
        return max((last - first).total_seconds(), 0.0)

    def _at(self, day: date, minutes: int) -> datetime:
        """Local ``day`` at ``minutes`` after midnight, as UTC (DST-aware)."""
        extra, minutes = divmod(minutes, 24 * 60)
        local = datetime.combine(day + timedelta(days=extra), time(minutes // 60, minutes % 60))
        return local.replace(tzinfo=self.tz).astimezone(UTC)

    def local_midnight(self, day: date) -> datetime:
        """The start of local ``day``, as UTC."""
        return self._at(day, 0)

    def describe(self, hours: float) -> str:
        """A wait in words: ``"6 working hours"`` under one working day, else ``"4.8 working days"``."""
        return wait_text(hours, hours / self.day_hours)

    def hours_text(self) -> str:
        """``"09:00-17:00"``."""
        return f"{_clock(self.opens)}-{_clock(self.closes)}"

    def days_text(self) -> str:
        """``"Monday-Friday"``, ``"Sunday-Thursday"``, ``"every day"`` or a list of days."""
        days = sorted(self.working_days)
        if len(days) == 7:
            return "every day"
        if len(days) == 1:
            return DAY_TITLES[days[0]]
        for begin in days:
            run = [(begin + n) % 7 for n in range(len(days))]
            if sorted(run) == days:
                return f"{DAY_TITLES[run[0]]}-{DAY_TITLES[run[-1]]}"
        return ", ".join(DAY_TITLES[d] for d in days)


def wait_text(hours: float, days: float) -> str:
    """A wait of ``hours`` working hours, which is ``days`` working days, in words:
    ``"6 working hours"`` under one working day, else ``"4.8 working days"``."""
    if days < 1:
        return f"{hours:.0f} working hour{'' if round(hours) == 1 else 's'}"
    return f"{days:.1f} working day{'' if f'{days:.1f}' == '1.0' else 's'}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _merged(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping spans joined, so no time is taken off twice."""
    out: list[tuple[datetime, datetime]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        elif first < last:
            out.append((first, last))
    return out
