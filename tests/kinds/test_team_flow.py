"""team-flow: the team's delivery as a whole, week by week and against the previous window,
in team aggregates only."""

from __future__ import annotations

from datetime import timedelta

from leadkit.testing import Team, ago, finding, moved, request, review


def delivering() -> Team:
    """Four PRs merged this window (one a day open), two in the previous one, and items done."""
    team = Team()
    for n, (author, days) in enumerate(
        [("owen", 2), ("priya", 6), ("tommy", 9), ("jamie", 13), ("owen", 35), ("priya", 40)]
    ):
        merged = ago(days)
        team.pr(
            10 + n,
            author=author,
            created=merged - timedelta(days=1),
            merged=merged,
            requests=[request("jamie", merged - timedelta(days=1))],
            reviews=[review("jamie", merged - timedelta(hours=2))],
        )
    for n, days in enumerate((3, 10)):
        team.item(
            f"PIPE-{n}",
            assignee="owen",
            status="Done",
            created=ago(50),
            transitions=[moved("Done", ago(days), by="owen")],
        )
    for pid in ("owen", "priya", "tommy"):
        team.item(f"WIP-{pid}", assignee=pid)
    return team


def test_the_team_delivery_in_numbers_and_trend_words() -> None:
    doc = delivering().json()
    f = finding(doc, "team-flow")
    assert f is not None
    assert f["severity"] == "info" and f["people"] == [] and f["items"] == []
    m = f["metrics"]
    assert (m["prs_merged"], m["prs_merged_per_week"], m["items_finished"]) == (4, 1.0, 2)
    assert m["previous"]["prs_merged_per_week"] == 0.5
    assert m["median_wip"] == 1.0 and m["members"] == 3
    assert m["median_merge_days"] is not None
    assert f["message"].startswith(
        "The team merged 1 PR a week, up from 0.5; finished 0.5 items a week, up from 0; "
        "median open-to-merge "
    )
    assert "median work in progress per member 1" in f["message"]
    # Week by week over the window: the weeks add up to the window's counts.
    assert sum(w["prs_merged"] for w in m["weeks"]) == 4
    assert sum(w["items_finished"] for w in m["weeks"]) == 2
    (trend,) = [t for t in doc["teams"][0]["trend"] if t["metric"] == "team_prs_merged_per_week"]
    assert (trend["now"], trend["previous"]) == (1, 0.5)


def test_no_number_about_one_person() -> None:
    """Names and ids appear nowhere in the finding, and a median over too few members is null."""
    team = Team(members=["owen"])
    team.merged_pr(10, author="owen", reviewers=["jamie"], days_ago=2)
    team.item("WIP-1", assignee="owen")
    team.item("WIP-2", assignee="owen")
    f = finding(team.json(), "team-flow")
    assert f is not None
    assert f["metrics"]["median_wip"] is None  # one member: their own load, so not said
    assert "work in progress" not in f["message"]
    text = repr(f)
    assert "owen" not in text and "Owen" not in text and "jamie" not in text


def test_no_data_says_so_and_raises_nothing() -> None:
    f = finding(Team().json(), "team-flow")
    assert f is not None
    assert f["computed"] is False and f["severity"] == "info"
