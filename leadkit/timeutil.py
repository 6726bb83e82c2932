"""Parsing and formatting of times, durations and working time."""

from __future__ import annotations

import re
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


def parse_datetime(text: str, *, what: str = "time") -> datetime:
    """An ISO 8601 date or datetime as aware UTC (dates are midnight UTC, naive is UTC).

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
        parsed = parsed.replace(tzinfo=UTC)
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


class WorkingClock:
    """Counts elapsed time on working days only, in a team's time zone."""

    def __init__(self, working_days: frozenset[int] = frozenset(range(5)), tz: tzinfo = UTC):
        self.working_days = working_days or frozenset(range(7))
        self.tz = tz

    def hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from ``start`` to ``end``: non-working days do not count."""
        if end <= start:
            return 0.0
        if len(self.working_days) == 7:
            return (end - start).total_seconds() / 3600
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        first, last = local_start.date(), local_end.date()
        if first == last:
            if first.weekday() not in self.working_days:
                return 0.0
            return (local_end - local_start).total_seconds() / 3600
        total = 0.0
        if first.weekday() in self.working_days:
            total += (self._midnight(first + timedelta(days=1)) - local_start).total_seconds()
        if last.weekday() in self.working_days:
            total += (local_end - self._midnight(last)).total_seconds()
        total /= 3600
        return total + 24.0 * self.working_days_in(first + timedelta(days=1), last)

    def working_days_in(self, first: date, stop: date) -> int:
        """How many working days lie in ``[first, stop)``."""
        span = (stop - first).days
        if span <= 0:
            return 0
        weeks, rest = divmod(span, 7)
        count = weeks * len(self.working_days)
        for offset in range(rest):
            if (first + timedelta(days=weeks * 7 + offset)).weekday() in self.working_days:
                count += 1
        return count

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=self.tz)

    def days_between(self, start: datetime, end: datetime) -> float:
        return self.hours_between(start, end) / 24.0
