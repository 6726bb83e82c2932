"""No silent exclusions (issue 19, item 1): each member never suggested is listed with why.

A Jira Data Center team with people on leave, a loaded expert, a CI account
configured as a member, someone whose work stalled and someone new.
"""

from __future__ import annotations

from typing import Any

from leadkit.builtins.renderers import html, markdown, text
from leadkit.model.data import Account
from leadkit.present.audience import for_audience
from leadkit.testing import Team, ago, comment, host, moved


def jira_dc_team() -> Team:
    """Jamie holds a payments ticket. Kim knows payments but holds eight tickets; Sam knows it
    and is on leave until 4 Dec; Lee's own work has stalled; Ana joined last week; Bo does
    search; "jenkins" is the CI account someone listed as a member."""
    team = Team(members=["kim", "sam", "lee", "ana", "bo", "jenkins"])
    team.person("jenkins", "Jenkins", accounts=[Account("jira", "jenkins", login="jenkins")])
    team.person("sam", away=["2026-11-16..2026-12-04"])
    for person in ("kim", "sam", "lee"):
        for n in range(3):
            team.item(
                f"PAY-{person}-{n}".upper().replace("-", "", 1),
                assignee=person,
                status="Done",
                components=["payments"],
                updated=ago(20 + n),
            )
    for n in range(8):
        team.item(f"PAY-{n + 30}", assignee="kim", components=["payments"], updated=ago(1))
    team.item(
        "PAY-60",
        assignee="lee",
        created=ago(25),
        transitions=[moved("In Progress", ago(12), by="lee")],
        comments=[comment("jamie", ago(12))],
    )
    team.item("BO-1", assignee="bo", status="Done", components=["search"], updated=ago(30))
    team.item("BO-2", assignee="bo", components=["search"], updated=ago(1))
    team.item("ANA-1", assignee="ana", created=ago(3), components=["web"], updated=ago(2))
    team.item(
        "PAY-90", assignee="jamie", status="To Do", title="Refund limits", components=["payments"]
    )
    return team


def test_every_member_never_suggested_is_listed_with_why() -> None:
    doc = jira_dc_team().json()
    assert [s["to"] for s in doc["suggestions"]] == ["kim"]  # the only one left who knows it
    left_out = {x["person"]: (x["reason"], x["detail"]) for x in doc["teams"][0]["left_out"]}
    # The CI account is a bot by the team's membership rule, which says why in its own words.
    reason, detail = left_out.pop("jenkins")
    assert reason == "bot" and "'jenkins'" in detail
    assert left_out == {
        "sam": ("away", "away until 4 Dec"),
        "lee": ("stalled", "PAY-60 stalled for 12 days"),
        "ana": ("new", "first seen 3 days ago: too little history to match"),
        "bo": ("no_match", "nothing the lead could hand off matches their work"),
    }


def test_an_overloaded_member_is_left_out_when_someone_else_takes_the_work() -> None:
    team = jira_dc_team()
    team.person_config.pop("sam")  # Sam is back: he knows payments and has room
    doc = team.json()
    picks = [s for s in doc["suggestions"] if s["item"]["key"] == "PAY-90"]
    assert picks[0]["to"] == "sam"
    assert [s["to"] for s in picks] == ["sam", "kim"]  # Kim is still suggested, second
    left_out = {x["person"]: x["reason"] for x in doc["teams"][0]["left_out"]}
    assert "kim" not in left_out and "sam" not in left_out


def test_a_member_who_is_only_overloaded_says_so() -> None:
    team = Team(members=["kim", "bo", "lee"])
    for n in range(8):
        team.item(f"PAY-{n + 30}", assignee="kim", components=["payments"], updated=ago(1))
    team.item("BO-1", assignee="bo", components=["search"], updated=ago(1))
    team.item("LEE-1", assignee="lee", components=["search"], updated=ago(1))
    team.item("SRCH-1", assignee="jamie", status="To Do", components=["search"])
    left_out = {x["person"]: x for x in team.json()["teams"][0]["left_out"]}
    assert left_out["kim"]["reason"] == "overloaded"
    assert left_out["kim"]["detail"] == "twice the team's median load or more"


def test_the_leads_formats_say_it_in_one_line_and_the_teams_do_not() -> None:
    report = jira_dc_team().report()
    line = "Sam (away until 4 Dec), Lee (PAY-60 stalled for 12 days), Ana (first seen 3 days ago"
    shown: Any = " ".join(text.render(report, {}).split())
    # A bot is not among the report's people: the line names it by its id.
    assert shown.count("Not suggested: jenkins (a bot or service account") == 1
    assert line in shown
    assert "Not suggested: " in markdown.render(report, {})
    assert "Not suggested: " in html.render(report, {})
    team_report = for_audience(report, "team", host().kinds)
    assert team_report.as_dict()["teams"][0].get("left_out") is None
    for render in (text.render, markdown.render, html.render):
        assert "Not suggested" not in render(team_report, {}), render.__module__
