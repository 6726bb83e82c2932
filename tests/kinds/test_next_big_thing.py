"""next-big-thing: the lead's strategic work (what the rules keep with the lead), its time, its date."""

from __future__ import annotations

from typing import Any

from leadkit.testing import Team, ago, comment, finding, labels, moved, request


def busy_lead(team: Team, strategic_comments: int) -> None:
    """Ten actions by the lead in the window: ``strategic_comments`` on the epic (see
    :func:`epic`), the rest a comment each on Owen's items."""
    for n in range(10 - strategic_comments):
        team.item(
            f"OPS-{n}",
            assignee="owen",
            created=ago(25),
            comments=[comment("jamie", ago(15 - n))],
        )


def epic(team: Team, *, due_in: float | None, idle: float, lead_comments: int = 1) -> None:
    """The lead's architecture epic, last moved ``idle`` days ago, due ``due_in`` days from now."""
    team.item(
        "NGX-1",
        assignee="jamie",
        type="epic",
        labels=["architecture"],
        created=ago(60),
        transitions=[moved("In Progress", ago(50))],
        comments=[comment("jamie", ago(idle + k)) for k in range(lead_comments)],
        due=ago(-due_in) if due_in is not None else None,
        title="Next generation architecture",
    )


def block_time(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in doc["actions"] if a["kind"] == "block-time"]


def test_idle_epic_due_within_a_week_ranks_with_unblocking_a_person() -> None:
    team = Team()
    epic(team, due_in=5, idle=10, lead_comments=3)
    busy_lead(team, strategic_comments=3)
    # A PR waiting on the lead: the epic's deadline ranks before it.
    team.pr(70, author="owen", created=ago(6), requests=[request("jamie", ago(6))])
    doc = team.json()
    f = finding(doc, "next-big-thing")
    assert f is not None and f["severity"] == "warn"
    (entry,) = f["metrics"]["items"]
    assert entry["item"] == "NGX-1"
    assert entry["kept_because"] == "epic items stay with the lead"
    assert entry["days_idle"] == 10.0 and entry["idle"] and entry["at_risk"]
    assert entry["due"] == "2026-11-25T23:59:59Z" and entry["due_source"] == "duedate"
    assert "NGX-1 has had no progress for 10 days and is due 25 Nov." in f["message"]
    (action,) = block_time(doc)
    assert action["message"] == "Block time for NGX-1: no progress for 10 days, due 25 Nov"
    assert action["findings"] == ["next-big-thing"]
    assert doc["actions"][0] == action  # top tier: before every hand-off


def test_a_release_date_is_named_and_a_later_date_ranks_after_the_urgent() -> None:
    team = Team()
    team.item(
        "PIPE-9",
        assignee="jamie",
        labels=["design"],
        created=ago(40),
        transitions=[moved("In Progress", ago(30))],
        due=ago(-12),
        due_source="fix_version",
        due_name="2.4",
    )
    team.pr(70, author="owen", created=ago(6), requests=[request("jamie", ago(6))])
    doc = team.json()
    (action,) = block_time(doc)
    assert action["message"] == (
        "Block time for PIPE-9: no progress for 30 days, due 2 Dec (release 2.4)"
    )
    f = finding(doc, "next-big-thing")
    assert f is not None
    assert f["metrics"]["items"][0]["due_name"] == "2.4"


def test_strategic_work_starved_of_time_says_so_though_no_date_nears() -> None:
    team = Team()
    epic(team, due_in=None, idle=2, lead_comments=1)
    busy_lead(team, strategic_comments=1)
    doc = team.json()
    f = finding(doc, "next-big-thing")
    assert f is not None and f["severity"] == "warn"
    assert f["metrics"]["share_too_low"] is True
    assert f["metrics"]["strategic_share"] < 0.15
    assert "under 15%" in f["message"]
    (action,) = block_time(doc)
    assert action["message"].startswith(
        "Block time for NGX-1 'Next generation architecture': your strategic work got "
    )


def test_a_healthy_lead_gets_no_next_big_thing_warning() -> None:
    """Recent progress, a date far off, a fair share of the lead's time: information only."""
    team = Team()
    epic(team, due_in=40, idle=1, lead_comments=5)
    busy_lead(team, strategic_comments=5)
    doc = team.json()
    f = finding(doc, "next-big-thing")
    assert f is not None and f["severity"] == "info"
    assert labels(f) == ["NGX-1"]
    assert f["metrics"]["share_too_low"] is False
    assert not block_time(doc)


def test_no_strategic_work_no_finding_and_delegable_work_is_not_strategic() -> None:
    team = Team()
    team.item("PIPE-1", assignee="jamie", created=ago(30), due=ago(-2))  # delegable
    doc = team.json()
    assert finding(doc, "next-big-thing") is None
    assert not block_time(doc)


def test_the_strategic_share_threshold_is_a_setting() -> None:
    team = Team()
    epic(team, due_in=None, idle=2, lead_comments=1)
    busy_lead(team, strategic_comments=1)
    team.thresholds["strategic_share_low"] = 0.05
    f = finding(team.json(), "next-big-thing")
    assert f is not None and f["severity"] == "info"
