"""One time parser: :mod:`leadkit.timeutil` reads every date and time, trackers' included."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadkit.errors import LeadkitError
from leadkit.timeutil import parse_datetime

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Jira REST v2: milliseconds and a colon-less offset, in the user's zone.
        ("2026-11-20T10:00:00.000+0000", datetime(2026, 11, 20, 10, 0, tzinfo=UTC)),
        ("2021-01-29T15:58:12.493+0800", datetime(2021, 1, 29, 7, 58, 12, 493000, tzinfo=UTC)),
        # GitHub: whole seconds with a Z.
        ("2026-03-02T12:00:00Z", datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
        # The store's lossless form and a naive time (taken as UTC).
        ("2026-03-02T12:00:00.123456+00:00", datetime(2026, 3, 2, 12, 0, 0, 123456, tzinfo=UTC)),
        ("2026-03-02T12:00:00", datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
        ("2026-12-01", datetime(2026, 12, 1, tzinfo=UTC)),
    ],
)
def test_tracker_and_store_times_parse_to_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01T00:00:00Z", "1969-12-31T23:00:00Z"])
def test_junk_and_out_of_range_times_are_refused_naming_the_value(text: str) -> None:
    with pytest.raises(LeadkitError, match=re.escape(repr(text))):
        parse_datetime(text, what="created")


def test_no_other_module_parses_times() -> None:
    """Adapters, store, interchange and renderers all go through leadkit.timeutil."""
    parsers = re.compile(r"fromisoformat|strptime|parsedate|dateutil")
    sources = [*ROOT.glob("leadkit/**/*.py"), *ROOT.glob("plugins/*/leadkit_*/**/*.py")]
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if path.name != "timeutil.py" and parsers.search(path.read_text(encoding="utf-8"))
    ]
    assert sources and offenders == []
