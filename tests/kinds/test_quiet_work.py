"""quiet-work: members' in-progress work gone quiet, with no contact with the lead."""

from __future__ import annotations

from leadkit.testing import Team, ago, comment, finding, findings, labels, moved, request


def quiet_team() -> Team:
    team = Team()
    team.item(
        "DATA-88",
        assignee="tommy",
        title="Kafka consumer rebalancing",
        created=ago(20),
        transitions=[moved("In Progress", ago(11))],
    )
    return team


def test_quiet_work_with_no_contact_prompts_a_check_in() -> None:
    f = finding(quiet_team().json(), "quiet-work")
    assert f is not None
    assert f["severity"] == "warn"  # 11 days >= 2 x 5
    assert f["people"] == ["tommy"]
    assert labels(f) == ["DATA-88"]
    assert f["metrics"]["quiet"] == [
        {
            "person": "tommy",
            "item": "DATA-88",
            "title": "Kafka consumer rebalancing",
            "last_update": "2026-11-09T16:00:00Z",
            "days_idle": 11.0,
        }
    ]
    assert f["message"] == (
        "Tommy's DATA-88 'Kafka consumer rebalancing' has had no update for 11 days, and "
        "Tommy and Jamie have not interacted in the window: a good moment to check in."
    )


def test_a_few_quiet_days_is_info() -> None:
    team = Team()
    team.item(
        "DATA-88", assignee="tommy", created=ago(20), transitions=[moved("In Progress", ago(6))]
    )
    f = finding(team.json(), "quiet-work")
    assert f is not None and f["severity"] == "info"


def test_the_lead_commenting_on_the_members_work_is_contact() -> None:
    team = quiet_team()
    team.item("DATA-90", assignee="tommy", status="Done", comments=[comment("jamie", ago(15))])
    assert findings(team.json(), "quiet-work") == []


def test_the_member_asking_the_lead_for_a_review_is_contact() -> None:
    team = quiet_team()
    team.pr(41, author="tommy", created=ago(12), requests=[request("jamie", ago(12))])
    assert findings(team.json(), "quiet-work") == []


def test_contact_before_the_window_does_not_count() -> None:
    team = quiet_team()
    team.item("DATA-90", assignee="tommy", status="Done", comments=[comment("jamie", ago(40))])
    assert len(findings(team.json(), "quiet-work")) == 1


def test_recent_updates_todo_items_and_away_members_are_not_quiet() -> None:
    team = Team()
    team.item(
        "DATA-1", assignee="tommy", created=ago(20), transitions=[moved("In Progress", ago(2))]
    )
    team.item("DATA-2", assignee="owen", status="To Do", created=ago(30))
    team.item(
        "DATA-3", assignee="priya", created=ago(20), transitions=[moved("In Progress", ago(12))]
    )
    team.person("priya", away=["2026-11-16..2026-11-27"])
    team.item("DATA-4", assignee="owen", created=ago(30), comments=[comment("owen", ago(1))])
    assert findings(team.json(), "quiet-work") == []


def test_the_leads_own_quiet_work_is_not_a_check_in() -> None:
    team = Team()
    team.item(
        "DATA-1", assignee="jamie", created=ago(20), transitions=[moved("In Progress", ago(12))]
    )
    assert findings(team.json(), "quiet-work") == []
