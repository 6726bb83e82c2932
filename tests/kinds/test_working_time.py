"""Waits count working time: weekends excluded, working days and time zone per team."""

from __future__ import annotations

from leadkit.testing import Team, at, finding, request


def wait_hours(team: Team) -> float:
    f = finding(team.json(), "review-queue")
    assert f is not None
    return f["metrics"]["waiting"][0]["waiting_hours"]


def test_the_weekend_does_not_count() -> None:
    # Friday 16:00 to Monday 10:00 UTC: 8h Friday + 10h Monday (66h on the wall clock).
    team = Team(now=at("2026-11-23T10:00"))
    team.pr(
        41,
        author="owen",
        created=at("2026-11-20T16:00"),
        requests=[request("jamie", at("2026-11-20T16:00"))],
    )
    assert wait_hours(team) == 18.0


def test_a_request_made_on_a_weekend_waits_from_monday() -> None:
    team = Team(now=at("2026-11-23T10:00"))
    team.pr(
        41,
        author="owen",
        created=at("2026-11-21T11:00"),
        requests=[request("jamie", at("2026-11-21T11:00"))],
    )
    assert wait_hours(team) == 10.0


def test_a_team_working_every_day_counts_the_weekend() -> None:
    team = Team(
        now=at("2026-11-23T10:00"), working_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    )
    team.pr(
        41,
        author="owen",
        created=at("2026-11-20T16:00"),
        requests=[request("jamie", at("2026-11-20T16:00"))],
    )
    assert wait_hours(team) == 66.0


def test_a_sunday_to_thursday_team_in_its_own_time_zone() -> None:
    # Jerusalem is UTC+2 in November: Thursday 12:00 local to Sunday 12:00 local is
    # 12h of Thursday + 12h of Sunday; Friday and Saturday are the weekend.
    team = Team(
        now=at("2026-11-22T10:00"),
        timezone="Asia/Jerusalem",
        working_days=["sun", "mon", "tue", "wed", "thu"],
    )
    team.pr(
        41,
        author="owen",
        created=at("2026-11-19T10:00"),
        requests=[request("jamie", at("2026-11-19T10:00"))],
    )
    assert wait_hours(team) == 24.0
    # The same PR for a Monday-to-Friday UTC team: Thursday 14h + Friday 24h.
    utc_team = Team(now=at("2026-11-22T10:00"))
    utc_team.pr(
        41,
        author="owen",
        created=at("2026-11-19T10:00"),
        requests=[request("jamie", at("2026-11-19T10:00"))],
    )
    assert wait_hours(utc_team) == 38.0


def test_the_time_zone_decides_where_the_weekend_starts() -> None:
    # Friday 20:00 UTC is already Saturday 05:00 in Tokyo: none of Friday night counts there.
    tokyo = Team(now=at("2026-11-23T03:00"), timezone="Asia/Tokyo")  # Monday 12:00 in Tokyo
    tokyo.pr(
        41,
        author="owen",
        created=at("2026-11-20T20:00"),
        requests=[request("jamie", at("2026-11-20T20:00"))],
    )
    assert wait_hours(tokyo) == 12.0
    utc = Team(now=at("2026-11-23T03:00"))
    utc.pr(
        41,
        author="owen",
        created=at("2026-11-20T20:00"),
        requests=[request("jamie", at("2026-11-20T20:00"))],
    )
    assert wait_hours(utc) == 7.0  # Friday 20:00-24:00 and Monday 00:00-03:00
