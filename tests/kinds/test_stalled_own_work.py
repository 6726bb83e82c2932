"""stalled-own-work: the lead's own in-progress work and open PRs with no progress."""

from __future__ import annotations

from leadkit.testing import Team, ago, comment, finding, labels, moved, request


def test_work_parked_in_testing_and_a_pr_nobody_reviews_are_called_out() -> None:
    team = Team()
    team.item(
        "PIPE-1",
        assignee="jamie",
        status="In Testing",
        created=ago(30),
        transitions=[moved("In Progress", ago(25)), moved("In Testing", ago(10))],
        comments=[comment("owen", ago(1))],  # someone else's chatter is no progress
    )
    team.pr(41, author="jamie", created=ago(12), last_pushed=ago(9))
    f = finding(team.json(), "stalled-own-work")
    assert f is not None
    assert f["severity"] == "warn"  # worst 10 days < 2 x 7
    assert labels(f) == ["PIPE-1", "acme/app#41"]
    stalled = f["metrics"]["stalled"]
    assert [s["item"] for s in stalled] == ["PIPE-1", "acme/app#41"]
    assert [s["days_idle"] for s in stalled] == [10.0, 9.0]
    assert [s["in_testing"] for s in stalled] == [True, False]
    assert [s["no_reviewer"] for s in stalled] == [False, True]
    assert f["message"] == (
        "2 of Jamie's own items have had no progress for 7+ days: PIPE-1 has sat in "
        "'In Testing' for 10 days; nobody was asked to review acme/app#41."
    )


def test_two_weeks_idle_is_high() -> None:
    team = Team()
    team.item(
        "PIPE-1", assignee="jamie", created=ago(20), transitions=[moved("In Progress", ago(15))]
    )
    f = finding(team.json(), "stalled-own-work")
    assert f is not None
    assert f["severity"] == "high"


def test_recent_moves_the_leads_comments_and_pushes_are_progress() -> None:
    team = Team()
    team.item(
        "PIPE-1", assignee="jamie", created=ago(20), transitions=[moved("In Progress", ago(2))]
    )
    team.item("PIPE-2", assignee="jamie", created=ago(20), comments=[comment("jamie", ago(1))])
    team.item("PIPE-3", assignee="jamie", created=ago(20))
    team.pr(41, author="jamie", created=ago(20), last_pushed=ago(1), linked=["PIPE-3"])
    team.item("PIPE-4", assignee="jamie", status="To Do", created=ago(30))  # not started
    team.item("PIPE-5", assignee="jamie", type="epic", created=ago(60))  # epics move slowly
    team.item("PIPE-6", assignee="owen", created=ago(30))  # not the lead's
    team.pr(42, author="jamie", created=ago(30), merged=ago(20))  # merged
    team.pr(
        43, author="jamie", created=ago(9), last_pushed=ago(8), requests=[request("priya", ago(8))]
    )
    f = finding(team.json(), "stalled-own-work")
    assert f is not None
    assert labels(f) == ["acme/app#43"]
    assert f["metrics"]["stalled"][0]["no_reviewer"] is False
    assert "nobody was asked" not in f["message"]


def test_a_lead_with_nothing_stalled_gets_no_finding() -> None:
    assert finding(Team().json(), "stalled-own-work") is None
