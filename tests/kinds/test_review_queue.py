"""review-queue: open PRs waiting on the lead's review, and the lead's pickup time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leadkit.testing import Team, ago, at, finding, labels, request, review


def test_prs_waiting_on_the_lead_are_listed_with_author_and_wait() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(2), requests=[request("jamie", ago(2))])
    team.pr(42, author="priya", created=ago(1), requests=[request("jamie", ago(1))])
    team.pr(43, author="owen", created=ago(0, 5), requests=[request("jamie", ago(0, 5))])
    doc = team.json()
    f = finding(doc, "review-queue")
    assert f is not None
    assert f["severity"] == "warn"  # 3 waiting = review_queue_warn; oldest 2 days < 3
    assert labels(f) == ["acme/app#41", "acme/app#42", "acme/app#43"]
    assert f["metrics"]["pending"] == 3 == len(f["items"])
    assert [w["pr"] for w in f["metrics"]["waiting"]] == labels(f)
    assert [w["author"] for w in f["metrics"]["waiting"]] == ["owen", "priya", "owen"]
    # Working hours, 09:00-17:00: Wednesday 16:00 to Friday 16:00 is 16 h, two working days.
    assert [w["waiting_hours"] for w in f["metrics"]["waiting"]] == [16.0, 8.0, 5.0]
    assert [w["waiting_days"] for w in f["metrics"]["waiting"]] == [2.0, 1.0, 0.62]
    assert f["metrics"]["oldest_waiting_hours"] == 16.0
    assert f["people"] == ["jamie", "owen", "priya"]
    assert f["message"].startswith(
        "3 PRs wait for Jamie's review, the oldest for 2.0 working days."
    )


def test_a_long_wait_is_high() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(4), requests=[request("jamie", ago(4))])
    f = finding(team.json(), "review-queue")
    assert f is not None
    assert f["severity"] == "high"
    assert f["metrics"]["oldest_waiting_hours"] == 32.0  # Monday 16:00 to Friday 16:00
    assert f["metrics"]["oldest_waiting_days"] == 4.0


def test_reviewed_removed_draft_closed_and_own_prs_do_not_wait() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(4),
        requests=[request("jamie", ago(4))],
        reviews=[review("jamie", ago(3), "changes_requested")],
    )
    team.pr(42, author="owen", created=ago(4), requests=[request("jamie", ago(4), removed=ago(3))])
    team.pr(43, author="owen", created=ago(4), draft=True, requests=[request("jamie", ago(4))])
    team.pr(44, author="owen", created=ago(4), closed=ago(1), requests=[request("jamie", ago(4))])
    team.pr(45, author="priya", created=ago(4), requests=[request("owen", ago(4))])
    doc = team.json()
    f = finding(doc, "review-queue")
    # Nothing waits on Jamie, and Jamie's one pickup is too few to call slow: no finding.
    assert f is None


def test_slow_pickup_against_the_team_is_reported_even_with_an_empty_queue() -> None:
    team = Team()
    for n in range(3):  # requested Tue, Wed, Thu at 14:00
        asked = ago(17 - n, 2)
        team.pr(
            50 + n,
            author="owen",
            created=asked,
            merged=ago(10 - n),
            requests=[request("jamie", asked)],
            reviews=[review("jamie", asked + timedelta(hours=48))],
        )
        team.pr(
            60 + n,
            author="owen",
            created=asked,
            merged=ago(10 - n),
            requests=[request("priya", asked)],
            reviews=[review("priya", asked + timedelta(hours=2))],
        )
    f = finding(team.json(), "review-queue")
    assert f is not None
    assert f["severity"] == "info"
    assert f["metrics"]["pending"] == 0 and f["items"] == []
    assert f["metrics"]["lead_pickups"] == 3
    assert f["metrics"]["team_pickups"] == 3
    assert f["metrics"]["team_median_pickup_hours"] == 2.0
    assert f["metrics"]["lead_median_pickup_hours"] == 16.0  # 48 h on the clock, 2 working days
    assert "Jamie's median pickup is 2.0 working days, against 2 working hours" in f["message"]
    assert "Nothing waits on Jamie's review now" in f["message"]


def test_no_prs_at_all_is_not_computed_with_a_reason() -> None:
    team = Team()
    f = finding(team.json(), "review-queue")
    assert f is not None
    assert f["computed"] is False
    assert f["severity"] == "info"
    assert "No pull requests" in f["message"]


def test_a_request_with_no_time_is_listed_but_raises_no_alarm_on_a_guessed_wait() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(20), requests=[request("jamie", None)])
    doc = team.json()
    f = finding(doc, "review-queue")
    assert f is not None
    assert labels(f) == ["acme/app#41"]
    assert f["severity"] == "info"
    assert f["metrics"]["waiting"][0]["requested"] is None
    assert f["metrics"]["waiting"][0]["waiting_hours"] is None
    assert "unknown" in f["message"]


def test_waiting_counts_working_hours_only() -> None:
    # Requested Friday 16:00, now Monday 10:00 UTC: 1 h Friday + 1 h Monday (09:00-17:00).
    team = Team(now=at("2026-11-23T10:00"))
    team.pr(
        41,
        author="owen",
        created=at("2026-11-20T16:00"),
        requests=[request("jamie", at("2026-11-20T16:00"))],
    )
    f = finding(team.json(), "review-queue")
    assert f is not None
    assert f["metrics"]["waiting"][0]["waiting_hours"] == 2.0
    assert f["severity"] == "info"  # 66 wall-clock hours would have been a warn


def _wait_of_two_working_days(working_hours: str = "09:00-17:00") -> Team:
    team = Team(working_hours=working_hours)
    team.pr(41, author="owen", created=ago(2), requests=[request("jamie", ago(2))])
    return team


def test_wait_thresholds_are_in_working_days() -> None:
    team = _wait_of_two_working_days()
    f = finding(team.json(), "review-queue")
    assert f is not None and f["severity"] == "warn"  # past 1 day (warn), under 3 (high)
    team.thresholds["review_wait_high_days"] = 2
    f = finding(team.json(), "review-queue")
    assert f is not None and f["severity"] == "high"
    assert f["metrics"]["severity_reason"] == (
        "a PR has waited 2.0 working days, past the high mark of 2.0 working days"
    )
    team.thresholds = {"review_wait_warn_days": 2.5}
    f = finding(team.json(), "review-queue")
    assert f is not None and f["severity"] == "info"


@pytest.mark.parametrize(
    ("working_hours", "old_hours", "severity"),
    [
        ("09:00-17:00", 16, "high"),  # 16 h = 2 working days of 8 h: the wait reaches it
        ("09:00-17:00", 17, "warn"),
        ("09:00-13:00", 16, "warn"),  # 16 h = 4 working days of 4 h: the 2-day wait is short of it
        ("09:00-13:00", 8, "high"),
    ],
)
def test_the_old_hours_thresholds_are_divided_by_the_teams_working_day(
    working_hours: str, old_hours: float, severity: str
) -> None:
    team = _wait_of_two_working_days(working_hours=working_hours)
    team.thresholds["review_wait_high_hours"] = old_hours
    f = finding(team.json(), "review-queue")
    assert f is not None and f["severity"] == severity


def test_the_days_key_wins_over_the_old_hours_key() -> None:
    team = _wait_of_two_working_days()
    team.thresholds = {"review_wait_high_hours": 8, "review_wait_high_days": 5}
    f = finding(team.json(), "review-queue")
    assert f is not None and f["severity"] == "warn"
