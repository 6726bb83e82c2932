"""Parsing and formatting of times, durations and working time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leadkit.errors import ConfigError, LeadkitError

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wdhm])\s*$", re.IGNORECASE)
_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_duration(text: str, *, what: str = "duration") -> timedelta:
    """``"28d"``, ``"2w"``, ``"12h"``, ``"90m"`` as a timedelta."""
    match = _DURATION_RE.match(str(text))
    if not match:
        raise LeadkitError(f"{what} {text!r} is not a duration like 28d, 2w or 12h")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


def parse_datetime(text: str, *, what: str = "time") -> datetime:
    """An ISO 8601 date or datetime as aware UTC (dates are midnight UTC, naive is UTC)."""
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
    return parsed.astimezone(UTC)


def parse_since(text: str, now: datetime) -> datetime:
    """``--since``: a duration back from ``now`` or an absolute date."""
    if _DURATION_RE.match(str(text)):
        return now - parse_duration(text, what="--since")
    start = parse_datetime(text, what="--since")
    if start > now:
        raise LeadkitError(f"--since {text!r} is after --now ({iso(now)})")
    return start


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
