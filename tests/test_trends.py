"""Trends: each team's key numbers against the previous window of the same length.

The previous value comes from the same kinds run on the data as it stood at
the end of the previous window: a PR merged since was still open then, an
item done since was still in progress, a request answered since still waited.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.testing import Team, ago, blocks, comment, moved, request, review

from .conftest import DEMO_NOW, PLUGIN_FILES


def trend(doc: dict[str, Any], metric: str, team: int = 0) -> tuple[Any, Any]:
    """``(now, previous)`` of one trend metric."""
    (entry,) = [t for t in doc["teams"][team]["trend"] if t["metric"] == metric]
    return entry["now"], entry["previous"]


def delegating_team() -> Team:
    """Jamie reviewed every merged PR last month; this month Priya reviews most of them."""
    team = Team(lead="jamie", members=["owen", "priya", "tommy"])
    for n, days in enumerate((30, 34, 38, 42, 46), start=1):  # the previous 28 days
        team.merged_pr(n, author="owen", reviewers=["jamie"], days_ago=days)
    for n, days in enumerate((2, 5, 9, 14), start=10):  # this window
        reviewers = ["jamie"] if n == 10 else ["priya"]
        team.merged_pr(n, author="owen", reviewers=reviewers, days_ago=days)
    return team


def test_the_lead_review_share_against_the_previous_window() -> None:
    doc = delegating_team().json()
    assert doc["window"]["previous_start"] == "2026-09-25T16:00:00Z"
    assert trend(doc, "lead_review_share") == (0.25, 1)


def test_a_previous_value_on_too_few_samples_is_null_not_a_number() -> None:
    team = Team()
    team.merged_pr(1, author="owen", reviewers=["jamie"], days_ago=35)
    team.merged_pr(2, author="priya", reviewers=["jamie"], days_ago=40)
    for n in range(3, 7):
        team.merged_pr(n, author="owen", reviewers=["priya"], days_ago=n)
    doc = team.json()
    assert trend(doc, "lead_review_share") == (0, None)  # 2 PRs before: under min_samples 3
    team.thresholds["min_samples"] = 2
    assert trend(team.json(), "lead_review_share") == (0, 1)


def test_state_is_rewound_to_the_end_of_the_previous_window() -> None:
    team = Team(lead="jamie", members=["owen", "priya"])
    # Asked of Jamie 40 days ago, reviewed and merged 20 days ago: it waited then, not now.
    team.pr(
        7,
        author="owen",
        created=ago(40),
        requests=[request("jamie", ago(40))],
        reviews=[review("jamie", ago(20))],
        merged=ago(20),
    )
    # Jamie's spike blocked Priya's item until Jamie finished it 10 days ago.
    team.item(
        "PIPE-1",
        assignee="jamie",
        status="Done",
        created=ago(60),
        transitions=[moved("In Progress", ago(50)), moved("Done", ago(10))],
        links=[blocks("PIPE-2")],
    )
    team.item(
        "PIPE-2",
        assignee="priya",
        status="In Progress",
        created=ago(45),
        transitions=[moved("In Progress", ago(40))],
        comments=[comment("priya", ago(3))],
    )
    # Created this window: it did not exist at the end of the previous one.
    team.pr(8, author="priya", created=ago(3), requests=[request("jamie", ago(3))])
    doc = team.json()
    assert trend(doc, "review_queue") == (1, 1)
    queue = next(f for f in doc["findings"] if f["kind"] == "review-queue")
    (waiting,) = queue["metrics"]["waiting"]
    assert waiting["pr"] == "acme/app#8"
    assert trend(doc, "blocked_people") == (0, 1)


def test_without_data_reaching_back_every_previous_value_is_null() -> None:
    team = delegating_team()
    team.history_days = 30  # the builder's dataset reaches back 30 days, not 56
    doc = team.json()
    assert {t["metric"]: t["previous"] for t in doc["teams"][0]["trend"]} == {
        "lead_median_pickup_hours": None,
        "review_queue": None,
        "lead_review_share": None,
        "blocked_people": None,
        "interrupt_share": None,
        "own_work_share": None,
        "lead_wip_ratio": None,
        "team_prs_merged_per_week": None,
        "team_median_merge_days": None,
    }


def test_every_team_has_its_own_trend() -> None:
    team = delegating_team()
    team.add_team("platform", "kim", ["lee"])
    team.merged_pr(40, author="lee", reviewers=["kim"], days_ago=4)
    doc = team.json()
    assert [t["name"] for t in doc["teams"]] == ["core", "platform"]
    # Each lead's own share of the PRs merged by others: Jamie's fell, Kim's rose.
    assert trend(doc, "lead_review_share", team=0) == (0.2, 1)
    assert trend(doc, "lead_review_share", team=1) == (0.2, 0)


def test_a_plugin_kind_declares_its_own_trend_metric(in_tmp: Path) -> None:
    env = {"LEADKIT_PLUGINS": str(PLUGIN_FILES / "kind_everything.py")}
    args = ["report", "--demo", "--now", DEMO_NOW, "--format", "json"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.stderr
    trends = json.loads(result.stdout)["teams"][0]["trend"]
    assert trends[-1] == {"metric": "open_prs", "kind": "open-prs", "now": 4, "previous": 0}


def demo(fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["report", "--demo", "--format", fmt, *extra])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_demo_shows_the_trend_in_every_format() -> None:
    doc = json.loads(demo("json"))
    assert trend(doc, "lead_review_share") == (0.778, 1)
    assert trend(doc, "interrupt_share") == (0.481, 0)
    assert trend(doc, "blocked_people") == (1, 0)
    line = "The lead's review share: 78% (was 100%)"
    assert line in demo("text")
    assert line.replace("(", "\\(").replace(")", "\\)") in demo("markdown")
    html = demo("html")
    assert "The lead&#x27;s review share: 78% (was 100%)" in html
    assert "Against the previous 28 days (Sep 25 → Oct 23)" in html


def test_html_draws_weekly_sparklines_that_end_at_now_and_pass_the_previous_window() -> None:
    html = demo("html")
    share = re.search(
        r"review share: 78% \(was 100%\)<svg class=\"spark\"[^>]*>"
        r"<title>weekly, oldest first: ([^<]*)</title>",
        html,
    )
    assert share is not None
    weeks = share.group(1).split(", ")
    assert len(weeks) == 12
    assert weeks[-1] == "78%"  # the report's own window
    assert weeks[-5] == "100%"  # four weeks back: the previous window
    assert weeks[0] == "n/a"  # before the data's look-back
    assert html.count('<svg class="spark"') == 9


def test_too_little_history_for_sparklines_says_so_quietly(in_tmp: Path) -> None:
    (in_tmp / "short.toml").write_text("[analysis]\nhistory_days = 30\n", encoding="utf-8")
    html = demo("html", "--config", "short.toml")
    assert '<svg class="spark"' not in html
    assert "No weekly trend lines: the data covers 5 of the last 12 weeks" in html
    assert "The lead&#x27;s review share: 78% (was 100%)" in html  # the trend line stays


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_only_html_pays_for_the_weekly_points(fmt: str) -> None:
    assert "No weekly trend lines" not in demo(fmt)
    assert "oldest first" not in demo(fmt)


def test_a_period_is_compared_with_the_window_of_its_length_before_it() -> None:
    doc = json.loads(demo("json", "--period", "2026-10"))
    window = doc["window"]
    # October in London: BST at its start, GMT at its end, so 31 days and an hour.
    assert (window["start"], window["end"]) == ("2026-09-30T23:00:00Z", "2026-11-01T00:00:00Z")
    assert window["previous_start"] == "2026-08-30T22:00:00Z"
