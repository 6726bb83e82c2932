"""blocking-work: open items the lead holds that others' open work waits on."""

from __future__ import annotations

from leadkit.testing import Team, ago, blocked_by, blocks, finding, labels


def test_a_blocks_link_from_the_leads_item_names_who_waits_and_since_when() -> None:
    team = Team()
    team.item("PIPE-1", assignee="jamie", links=[blocks("PIPE-2")])
    team.item("PIPE-2", assignee="priya", status="To Do", created=ago(3))
    f = finding(team.json(), "blocking-work")
    assert f is not None
    assert f["severity"] == "high"  # a person blocked: act this week
    assert f["metrics"]["severity_reason"] == "Priya is blocked by PIPE-1 for 3 days"
    assert f["message"].endswith("High: Priya is blocked by PIPE-1 for 3 days.")
    assert f["people"] == ["jamie", "priya"]
    assert labels(f) == ["PIPE-1", "PIPE-2"]
    assert f["metrics"]["blocked_people"] == 1
    assert f["metrics"]["blocked_items"] == 1
    assert f["metrics"]["longest_days"] == 3.0
    assert f["metrics"]["blocking"] == [
        {
            "item": "PIPE-1",
            "title": "PIPE-1 title",
            "blocked": [
                {
                    "item": "PIPE-2",
                    "assignee": "priya",
                    "how": "blocks",
                    "since": "2026-11-17T16:00:00Z",
                    "days": 3.0,
                }
            ],
            "blocked_total": 1,
            "blocked_people": ["priya"],
            "blocked_people_total": 1,
        }
    ]
    assert "PIPE-1 blocks Priya's PIPE-2 (since Nov 17)" in f["message"]


def test_an_is_blocked_by_link_on_the_other_side_counts_once() -> None:
    team = Team()
    team.item("PIPE-1", assignee="jamie", links=[blocks("PIPE-2")])
    team.item("PIPE-2", assignee="priya", created=ago(10), links=[blocked_by("PIPE-1")])
    team.item("PIPE-3", assignee="owen", created=ago(2), links=[blocked_by("PIPE-1")])
    f = finding(team.json(), "blocking-work")
    assert f is not None
    assert f["severity"] == "high"  # two people
    assert f["metrics"]["blocked_items"] == 2
    assert f["metrics"]["blocked_people"] == 2 == len(f["people"]) - 1
    assert labels(f) == ["PIPE-1", "PIPE-2", "PIPE-3"]


def test_the_leads_parent_item_blocks_others_active_children() -> None:
    team = Team()
    team.item("PIPE-1", assignee="jamie", type="feature")
    team.item("PIPE-2", assignee="owen", parent="PIPE-1", created=ago(4))
    team.item("PIPE-3", assignee="priya", parent="PIPE-1", status="To Do")  # not active
    f = finding(team.json(), "blocking-work")
    assert f is not None
    assert f["metrics"]["blocking"][0]["blocked"][0]["how"] == "parent of"
    assert f["people"] == ["jamie", "owen"]


def test_done_relates_and_own_items_block_nobody() -> None:
    team = Team()
    team.item("PIPE-1", assignee="jamie", links=[blocks("PIPE-2"), blocks("PIPE-3")])
    team.item("PIPE-2", assignee="priya", status="Done")  # already done
    team.item("PIPE-3", assignee="jamie")  # the lead's own
    team.item("PIPE-4", assignee="jamie", status="Done", links=[blocks("PIPE-5")])  # blocker done
    team.item("PIPE-5", assignee="owen")
    team.item("PIPE-6", assignee="owen", links=[blocked_by("PIPE-7")])  # blocker is not the lead's
    team.item("PIPE-7", assignee="priya")
    team.item("PIPE-8", assignee="tommy", links=[blocked_by("PIPE-404")])  # dangling link
    assert finding(team.json(), "blocking-work") is None
