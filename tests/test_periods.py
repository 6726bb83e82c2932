"""``--until`` and ``--period``: the window a monthly or quarterly report covers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.session import RunOptions, Session
from leadkit.testing import Team

from .conftest import DEMO_NOW


def window_of(options: RunOptions) -> tuple[str, str]:
    window = Session.open(options).window
    return window.start.isoformat(), window.end.isoformat()


def team_config(tmp_path: Path, *zones: str) -> str:
    """A config whose teams are in ``zones`` (one team per zone)."""
    team = Team(timezone=zones[0], name="t0")
    for n, tz in enumerate(zones[1:], start=1):
        team.add_team(f"t{n}", "jamie", ["owen"], timezone=tz)
    path = tmp_path / "leadkit.toml"
    path.write_text(team.config_text(), encoding="utf-8")
    return str(path)


def test_a_month_is_read_in_the_teams_time_zone(tmp_path: Path) -> None:
    config = team_config(tmp_path, "Asia/Tokyo")
    start, end = window_of(RunOptions(config_path=config, period="2026-10"))
    # October in Tokyo (UTC+9, no daylight saving) starts at 15:00 UTC the day before.
    assert (start, end) == ("2026-09-30T15:00:00+00:00", "2026-10-31T15:00:00+00:00")


def test_a_quarter_spans_a_daylight_saving_change(tmp_path: Path) -> None:
    config = team_config(tmp_path, "Europe/London")
    start, end = window_of(RunOptions(config_path=config, period="2026-q1"))
    # January starts on GMT, April on BST: the quarter is an hour short of 90 days.
    assert (start, end) == ("2026-01-01T00:00:00+00:00", "2026-03-31T23:00:00+00:00")


def test_teams_in_different_zones_read_the_period_in_utc_unless_one_is_chosen(
    tmp_path: Path,
) -> None:
    config = team_config(tmp_path, "Asia/Tokyo", "America/New_York")
    assert window_of(RunOptions(config_path=config, period="2026-Q3")) == (
        "2026-07-01T00:00:00+00:00",
        "2026-10-01T00:00:00+00:00",
    )
    start, _ = window_of(RunOptions(config_path=config, period="2026-Q3", team="t1"))
    assert start == "2026-07-01T04:00:00+00:00"  # New York, daylight saving time


def test_a_period_not_over_yet_ends_now() -> None:
    start, end = window_of(RunOptions(demo=True, period="2026-11"))
    assert start == "2026-11-01T00:00:00+00:00"  # London is on GMT in November
    assert end == "2026-11-20T16:00:00+00:00"  # the demo's now


def test_until_ends_the_window_as_now_does() -> None:
    runner = CliRunner()
    base = ["report", "--demo", "--format", "json", "--since", "14d"]
    until = runner.invoke(cli, [*base, "--until", "2026-11-01"])
    now = runner.invoke(cli, [*base, "--now", "2026-11-01T00:00:00Z"])
    both = runner.invoke(cli, [*base, "--now", "2026-11-01", "--until", "2026-11-01T00:00:00Z"])
    assert until.exit_code == now.exit_code == both.exit_code == 0, until.stderr
    assert until.stdout == now.stdout == both.stdout
    window = json.loads(until.stdout)["window"]
    assert (window["start"], window["end"]) == ("2026-10-18T00:00:00Z", "2026-11-01T00:00:00Z")


def test_until_is_read_in_the_teams_time_zone_as_period_is(tmp_path: Path) -> None:
    """``--until 2026-11-16`` on a Los Angeles team is midnight in Los Angeles, not UTC."""
    config = team_config(tmp_path, "America/Los_Angeles")
    end = "2026-11-16T08:00:00+00:00"  # Pacific Standard Time, UTC-8
    assert window_of(RunOptions(config_path=config, until="2026-11-16", since="7d"))[1] == end
    assert window_of(RunOptions(config_path=config, now="2026-11-16T00:00", since="7d"))[1] == end
    given = window_of(RunOptions(config_path=config, until="2026-11-16T00:00:00Z", since="7d"))
    assert given[1] == "2026-11-16T00:00:00+00:00"  # an offset given is kept
    period = window_of(RunOptions(config_path=config, period="2026-10"))
    assert period[1] == "2026-11-01T07:00:00+00:00"  # the same zone (still daylight saving)
    text = CliRunner().invoke(cli, ["report", "--help"]).output
    assert "a date is its midnight in the team's time zone" in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-10", "--since", "14d"], "--period picks the whole window"),
        (["--period", "2026-10", "--until", "2026-10-20"], "without --until"),
        (["--period", "2026-10", "--now", DEMO_NOW], "without --now"),
        (["--until", "2026-11-01", "--now", "2026-11-02"], "disagree"),
        (["--period", "2026-Q5"], "is not a month like 2026-10 or a quarter like 2026-Q3"),
        (["--period", "2026-13"], "has no month 13"),
        (["--period", "October"], "is not a month"),
        (["--period", "2027-01"], "has not started yet"),
        (["--until", "yesterday"], "--until 'yesterday' is not a date"),
        (["--until", "2026-11-01", "--since", "2026-11-05"], "is after --now"),
    ],
)
def test_bad_periods_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["report", "--demo", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
