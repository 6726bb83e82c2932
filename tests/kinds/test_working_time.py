"""Waits count working time: the team's working hours on its working days, in its time zone,
less holidays and the waited-on person's time away; shown in working days."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.errors import ConfigError
from leadkit.present.escape import md
from leadkit.present.outline import build_outline
from leadkit.testing import Team, at, finding, request, review

# Monday 2026-11-16 10:00 UTC to Friday 2026-11-20 16:00 UTC.
MONDAY_10 = at("2026-11-16T10:00")
FRIDAY_16 = at("2026-11-20T16:00")


def waiting_on_jamie(team: Team, since: Any = MONDAY_10) -> Team:
    team.pr(41, author="owen", created=since, requests=[request("jamie", since)])
    return team


def queue(team: Team) -> dict[str, Any]:
    f = finding(team.json(), "review-queue")
    assert f is not None
    return f


def wait_hours(team: Team) -> float:
    hours: float = queue(team)["metrics"]["waiting"][0]["waiting_hours"]
    return hours


def test_monday_10_to_friday_16_is_38_working_hours_or_4_8_working_days() -> None:
    # 09:00-17:00: Monday 7 h, Tuesday to Thursday 3 × 8 h, Friday 7 h.
    team = waiting_on_jamie(Team(now=FRIDAY_16))
    f = queue(team)
    assert f["metrics"]["waiting"][0] == {
        "pr": "acme/app#41",
        "author": "owen",
        "requested": "2026-11-16T10:00:00Z",
        "waiting_hours": 38.0,
        "waiting_days": 4.75,
    }
    assert f["metrics"]["oldest_waiting_days"] == 4.75
    assert "the oldest for 4.8 working days" in f["message"]
    assert f["items"][0]["note"] == "Owen has waited 4.8 working days"
    # 4.75 working days is past the 3-day high mark.
    assert f["severity"] == "high"
    assert f["metrics"]["severity_reason"] == (
        "a PR has waited 4.8 working days, past the high mark of 3.0 working days"
    )


def test_under_one_working_day_a_wait_is_in_working_hours() -> None:
    team = waiting_on_jamie(Team(now=at("2026-11-16T16:00")))
    f = queue(team)
    assert f["metrics"]["waiting"][0]["waiting_hours"] == 6.0
    assert "the oldest for 6 working hours" in f["message"]
    assert f["severity"] == "info"


def test_nights_and_the_weekend_do_not_count() -> None:
    # Friday 16:00 to Monday 10:00 UTC: 1 h on Friday, 1 h on Monday (66 h on the wall clock).
    team = waiting_on_jamie(Team(now=at("2026-11-23T10:00")), at("2026-11-20T16:00"))
    assert wait_hours(team) == 2.0


def test_a_request_made_on_a_weekend_waits_from_monday_morning() -> None:
    team = waiting_on_jamie(Team(now=at("2026-11-23T10:00")), at("2026-11-21T11:00"))
    assert wait_hours(team) == 1.0


def test_a_team_working_every_day_counts_the_weekend() -> None:
    every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    team = Team(now=at("2026-11-23T10:00"), working_days=every_day)
    assert wait_hours(waiting_on_jamie(team, at("2026-11-20T16:00"))) == 18.0


def test_the_working_hours_set_the_length_of_a_working_day() -> None:
    # 08:00-12:00 is a 4 h day: Monday 10-12, Tuesday to Thursday, Friday 08-12 = 18 h.
    team = waiting_on_jamie(Team(now=FRIDAY_16, working_hours="08:00-12:00"))
    f = queue(team)
    assert f["metrics"]["waiting"][0]["waiting_hours"] == 18.0
    assert f["metrics"]["oldest_waiting_days"] == 4.5
    assert "4.5 working days" in f["message"]


def test_a_sunday_to_thursday_team_in_its_own_time_zone() -> None:
    # Jerusalem is UTC+2 in November: Thursday 12:00 local to Sunday 12:00 local is
    # 5 h of Thursday and 3 h of Sunday; Friday and Saturday are the weekend.
    team = Team(
        now=at("2026-11-22T10:00"),
        timezone="Asia/Jerusalem",
        working_days=["sun", "mon", "tue", "wed", "thu"],
    )
    assert wait_hours(waiting_on_jamie(team, at("2026-11-19T10:00"))) == 8.0
    # The same PR for a Monday-to-Friday UTC team: Thursday 7 h and Friday 8 h.
    utc = waiting_on_jamie(Team(now=at("2026-11-22T10:00")), at("2026-11-19T10:00"))
    assert wait_hours(utc) == 15.0


@pytest.mark.parametrize(
    ("timezone", "requested", "now", "hours"),
    [
        # Items come in UTC; Monday 09:00-17:00 in Los Angeles (PST) is 17:00-01:00 UTC.
        ("America/Los_Angeles", "2026-11-16T17:00", "2026-11-17T01:00", 8.0),
        ("UTC", "2026-11-16T17:00", "2026-11-17T01:00", 0.0),
        # Kolkata is UTC+05:30: Monday 09:00-15:00 there is 03:30-09:30 UTC.
        ("Asia/Kolkata", "2026-11-16T03:30", "2026-11-16T09:30", 6.0),
        ("UTC", "2026-11-16T03:30", "2026-11-16T09:30", 0.5),
        # Over the clocks going back (Sunday 2026-11-01 in Los Angeles): Friday 16:00 PDT
        # to Monday 10:00 PST is 1 h on each side.
        ("America/Los_Angeles", "2026-10-30T23:00", "2026-11-02T18:00", 2.0),
        # Friday 20:00 UTC is Saturday 05:00 in Tokyo: only Monday morning counts there.
        ("Asia/Tokyo", "2026-11-20T20:00", "2026-11-23T03:00", 3.0),
    ],
)
def test_working_hours_are_in_the_teams_time_zone(
    timezone: str, requested: str, now: str, hours: float
) -> None:
    team = Team(now=at(now), timezone=timezone)
    assert wait_hours(waiting_on_jamie(team, at(requested))) == hours


def test_listed_holidays_and_ranges_count_nothing() -> None:
    one_day = Team(now=FRIDAY_16, holidays=["2026-11-18"])
    assert wait_hours(waiting_on_jamie(one_day)) == 30.0
    # A range is inclusive: Tuesday to Thursday off leaves Monday 7 h and Friday 7 h.
    a_range = Team(now=FRIDAY_16, holidays=["2026-11-17..2026-11-19", "2026-11-22"])
    assert wait_hours(waiting_on_jamie(a_range)) == 14.0
    # A holiday on the request's own day: the wait starts the next working morning.
    first_day = Team(now=FRIDAY_16, holidays=["2026-11-16"])
    assert wait_hours(waiting_on_jamie(first_day)) == 31.0


def test_a_holiday_calendar_follows_the_subdivision() -> None:
    # Thursday 2026-06-04 is Corpus Christi: a holiday in Bavaria, a working day in Berlin.
    def team(calendar: str) -> Team:
        t = Team(now=at("2026-06-05T14:00"), timezone="Europe/Berlin", holiday_calendar=calendar)
        return waiting_on_jamie(t, at("2026-06-01T08:00"))  # Monday 10:00 in Berlin

    assert wait_hours(team("DE-BY")) == 30.0
    assert wait_hours(team("DE-BE")) == 38.0


def test_a_calendar_and_a_list_together() -> None:
    # Christmas Eve is no public holiday in Germany; the team lists it. 2026-12-21 is a Monday.
    team = Team(
        now=at("2026-12-28T16:00"),
        timezone="UTC",
        holiday_calendar="DE",
        holidays=["2026-12-24"],
    )
    waiting_on_jamie(team, at("2026-12-21T10:00"))
    # Monday 7 h, Tuesday and Wednesday 16 h; 24th (list), 25th (calendar) off; Monday 7 h.
    assert wait_hours(team) == 30.0
    assert team.json()["teams"][0]["working_time"]["holidays"] == ["2026-12-24", "2026-12-25"]


def test_the_leads_time_away_does_not_count_against_the_lead() -> None:
    # Whole days away are the team's days: Wednesday and Thursday in Berlin.
    team = Team(now=at("2026-11-20T15:00"), timezone="Europe/Berlin")
    team.person("jamie", away=["2026-11-18..2026-11-19"])
    waiting_on_jamie(team, at("2026-11-16T09:00"))  # Monday 10:00 in Berlin
    assert wait_hours(team) == 22.0


def test_someone_elses_time_away_does_not_shorten_the_leads_wait() -> None:
    team = Team(now=FRIDAY_16)
    team.person("owen", away=["2026-11-17..2026-11-19"])
    assert wait_hours(waiting_on_jamie(team)) == 38.0


def test_away_given_as_times_takes_off_only_those_hours() -> None:
    team = Team(now=FRIDAY_16)
    team.person("jamie", away=["2026-11-17T13:00:00Z..2026-11-17T15:00:00Z"])
    assert wait_hours(waiting_on_jamie(team)) == 36.0


def test_the_reviewers_time_away_shortens_their_pickup() -> None:
    # Priya picked up three reviews, each requested Monday 10:00 and done Friday 16:00,
    # and was away Tuesday to Thursday: 14 working hours each, not 38.
    team = Team(now=at("2026-11-27T12:00"))
    team.person("priya", away=["2026-11-17..2026-11-19"])
    for n in (1, 2, 3):
        team.pr(
            n,
            author="owen",
            created=MONDAY_10,
            merged=FRIDAY_16,
            requests=[request("priya", MONDAY_10)],
            reviews=[review("priya", FRIDAY_16)],
        )
        team.pr(
            10 + n,
            author="owen",
            created=MONDAY_10,
            merged=FRIDAY_16,
            requests=[request("jamie", MONDAY_10)],
            reviews=[review("jamie", FRIDAY_16)],
        )
    metrics = queue(team)["metrics"]
    assert metrics["team_median_pickup_hours"] == 14.0
    assert metrics["lead_median_pickup_hours"] == 38.0


@pytest.mark.parametrize(
    ("keys", "error"),
    [
        (
            {"working_hours": "9-5"},
            "team.working_hours = '9-5' is not a span of hours like \"09:00-17:00\"",
        ),
        (
            {"working_hours": "17:00-09:00"},
            "team.working_hours = '17:00-09:00' ends before it starts",
        ),
        ({"working_hours": "09:00-25:00"}, "is not on a clock"),
        (
            {"holidays": ["christmas"]},
            "team.holidays entry 'christmas' is not a day like 2026-12-24",
        ),
        ({"holidays": ["2026-12-26..2026-12-24"]}, "ends before it starts"),
        ({"holiday_calendar": "XX"}, "team.holiday_calendar 'XX' names no country"),
        ({"holiday_calendar": "DE-XX"}, "'DE-XX' names no subdivision of DE (known: BB, BE,"),
    ],
)
def test_bad_working_time_keys_name_the_key_and_line(keys: dict[str, Any], error: str) -> None:
    team = Team(**keys)
    with pytest.raises(ConfigError, match="line 4: ") as caught:
        team.config()
    assert error in str(caught.value)


FOOTER = (
    "Waits count working time only. A working day is 8 h, 09:00-17:00 Europe/London, "
    "Monday-Friday, holidays excluded."
)


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ("text", FOOTER),
        ("markdown", f"_{md(FOOTER)}_"),  # escaped as all text is, rendering as FOOTER
        ("html", f"<footer><p>{FOOTER}</p>"),
    ],
)
def test_every_format_defines_the_working_day_once_in_its_footer(fmt: str, shown: str) -> None:
    result = CliRunner().invoke(cli, ["report", "--demo", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("A working day is") == 1
    assert shown in (" ".join(result.stdout.split()) if fmt == "text" else result.stdout)
    # The waits above it are in its units: Owen's PR has waited Monday 10:00 to Friday 16:00.
    wait = "4.8 working days"
    assert (md(wait) if fmt == "markdown" else wait) in result.stdout


def test_the_json_says_what_a_working_day_is_per_team() -> None:
    result = CliRunner().invoke(cli, ["report", "--demo", "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["schema_version"] >= 4  # the version that brought working_time
    assert doc["teams"][0]["working_time"] == {
        "hours": "09:00-17:00",
        "day_hours": 8.0,
        "timezone": "Europe/London",
        "days": "Monday-Friday",
        "holidays": ["2026-08-31"],  # England's summer bank holiday, in the 90-day history
        "holiday_calendar": "GB-ENG",
    }


def test_teams_that_work_differently_each_get_their_line() -> None:
    team = Team(name="berlin", timezone="Europe/Berlin", holiday_calendar="DE-BE")
    team.add_team("pune", "kim", ["lee"], timezone="Asia/Kolkata", working_hours="10:00-18:30")
    waiting_on_jamie(team)
    assert build_outline(team.report()).footer == [
        "Waits count working time only.",
        "Team berlin: a working day is 8 h, 09:00-17:00 Europe/Berlin, Monday-Friday, "
        "holidays excluded.",
        "Team pune: a working day is 8.5 h, 10:00-18:30 Asia/Kolkata, Monday-Friday.",
    ]


def test_the_trend_line_shows_the_pickup_in_working_days() -> None:
    result = CliRunner().invoke(cli, ["report", "--demo", "--format", "text"])
    assert "The lead's median pickup: 2.6 working days (was" in result.stdout
