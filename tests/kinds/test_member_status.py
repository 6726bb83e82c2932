"""member-status: one line per member, in the team's order, with a plain state; the lead's only."""

from __future__ import annotations

from typing import Any

from leadkit.present.audience import for_audience
from leadkit.testing import Team, ago, blocked_by, comment, finding, host, moved, request


def statuses(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["person"]: s for s in doc["teams"][0]["members_status"]}


def seen_long_ago(team: Team, *people: str) -> None:
    """Each person did something 50 days ago: none of them is new."""
    for pid in people:
        team.item(f"OLD-{pid}", assignee=pid, status="Done", comments=[comment(pid, ago(50))])


def test_each_member_has_one_plain_state_in_the_teams_order() -> None:
    team = Team(members=["tommy", "owen", "priya", "zoe", "max"])
    team.person("zoe", away=[f"{ago(3):%Y-%m-%d}..{ago(-3):%Y-%m-%d}"])
    # Owen's PR waits on the lead; Priya's on Tommy; Tommy holds six things.
    team.pr(41, author="owen", created=ago(2), requests=[request("jamie", ago(2))])
    team.pr(42, author="priya", created=ago(3), requests=[request("tommy", ago(3))])
    for n in range(6):
        team.item(
            f"DATA-{n}", assignee="tommy", created=ago(30 - n), comments=[comment("tommy", ago(1))]
        )
    team.item("MAX-1", assignee="max", created=ago(40), transitions=[moved("In Progress", ago(1))])
    seen_long_ago(team, "tommy", "owen", "priya", "zoe", "max")
    doc = team.json()
    assert [s["person"] for s in doc["teams"][0]["members_status"]] == [
        "tommy",
        "owen",
        "priya",
        "zoe",
        "max",
    ]
    states = {p: s["state"] for p, s in statuses(doc).items()}
    assert states == {
        "tommy": "overloaded",
        "owen": "waiting on you",
        "priya": "waiting on others",
        "zoe": "away",
        "max": "has room",
    }
    tommy = statuses(doc)["tommy"]
    assert [o["item"] for o in tommy["on"]] == [f"DATA-{n}" for n in range(6)]  # oldest first
    assert statuses(doc)["priya"]["waits_on"] == [
        {"item": "acme/app#42", "on": "reviewer", "who": "tommy", "what": None}
    ]
    f = finding(doc, "member-status")
    assert f is not None and f["severity"] == "info"
    assert "Owen: waiting on you for acme/app#41" in f["message"]
    assert "Priya: waiting on others; waits: acme/app#42 on Tommy's review" in f["message"]
    # Never a score, never a ranking.
    assert not {"score", "rank", "load"} & {k for s in statuses(doc).values() for k in s}


def test_a_blocker_and_the_same_facts_as_quiet_work() -> None:
    team = Team()
    team.item(
        "DATA-88", assignee="tommy", created=ago(30), transitions=[moved("In Progress", ago(11))]
    )
    team.item(
        "PIPE-7",
        assignee="owen",
        links=[blocked_by("PIPE-8")],
        comments=[comment("owen", ago(1))],
    )
    team.item("PIPE-8", assignee="priya", comments=[comment("priya", ago(1))])
    seen_long_ago(team, "tommy", "owen", "priya")
    doc = team.json()
    quiet = finding(doc, "quiet-work")
    assert quiet is not None and quiet["people"] == ["tommy"]
    s = statuses(doc)
    assert s["tommy"]["state"] == "quiet"
    assert s["owen"]["state"] == "waiting on others"
    assert s["owen"]["waits_on"] == [
        {"item": "PIPE-7", "on": "blocker", "who": "priya", "what": "PIPE-8"}
    ]


def test_the_teams_report_has_no_member_status() -> None:
    team = Team()
    team.item("PIPE-7", assignee="owen")
    doc = team.report()
    shared = for_audience(doc, "team", host().kinds).as_dict()
    assert "members_status" not in shared["teams"][0]
    assert not [f for f in shared["findings"] if f["kind"] == "member-status"]
    assert doc.as_dict()["teams"][0]["members_status"]
