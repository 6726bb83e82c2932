"""Thin data never alarms: new members are not quiet, nothing rests on fewer than min_samples."""

from __future__ import annotations

from leadkit.testing import Team, ago, comment, finding, findings, moved, request


def test_a_member_first_seen_under_two_weeks_ago_is_not_quiet() -> None:
    """Kim joined nine days ago and picked up an old backlog ticket; Tommy has months of history."""
    team = Team(members=["kim", "tommy"])
    team.item(
        "DATA-40",
        assignee="kim",
        title="Retry policy for the exporter",
        created=ago(60),  # an old ticket: its age is not Kim's
        transitions=[moved("In Progress", ago(9), by="kim")],
    )
    team.item(
        "DATA-88",
        assignee="tommy",
        title="Kafka consumer rebalancing",
        created=ago(40),
        transitions=[moved("In Progress", ago(9), by="tommy")],
    )
    team.item(
        "DATA-10",
        assignee="tommy",
        status="Done",
        created=ago(50),
        comments=[comment("tommy", ago(45))],
    )
    doc = team.json()
    quiet = findings(doc, "quiet-work")
    computed = [f for f in quiet if f["computed"]]
    assert [f["people"] for f in computed] == [["tommy"]]
    (new,) = [f for f in quiet if not f["computed"]]
    assert new["severity"] == "info"
    assert new["message"] == (
        "Kim first appears in the data 9 days ago (under 14): too new to call their work quiet."
    )
    assert all("Kim" not in a["message"] for a in doc["actions"])


def test_a_member_seen_for_two_weeks_or_more_can_be_quiet() -> None:
    team = Team(members=["kim"])
    team.item(
        "DATA-40",
        assignee="kim",
        created=ago(60),
        transitions=[moved("In Progress", ago(15), by="kim")],
    )
    f = finding(team.json(), "quiet-work")
    assert f is not None and f["computed"] and f["people"] == ["kim"]


def answered_questions(team: Team, component: str, n: int) -> None:
    for i in range(n):
        team.item(
            f"OPS-{component}-{i}".upper().replace("_", ""),
            assignee="owen",
            components=[component],
            comments=[
                comment("owen", ago(5 + i), question=True, mentions=["jamie"]),
                comment("jamie", ago(4 + i)),
            ],
        )


def test_one_answered_question_does_not_make_the_lead_the_only_answerer() -> None:
    team = Team()
    answered_questions(team, "billing", 1)
    answered_questions(team, "deploys", 3)
    team.pr(41, author="owen", created=ago(1), requests=[request("jamie", ago(1))])
    f = finding(team.json(), "away-risk")
    assert f is not None
    # Three questions on deploys only Jamie answered count; one on billing does not.
    assert f["metrics"]["sole_answerer_topics"] == ["deploys"]
    assert "billing" not in f["message"]


def test_min_samples_is_the_floor_everywhere_it_is_raised() -> None:
    team = Team()
    team.thresholds["min_samples"] = 4
    answered_questions(team, "deploys", 3)
    for n in range(3):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"])
    doc = team.json()
    away = finding(doc, "away-risk")
    assert away is None or away["metrics"]["sole_answerer_topics"] == []
    concentration = finding(doc, "review-concentration")
    assert concentration is not None and concentration["computed"] is False
    assert "too few (under 4)" in concentration["message"]
    interrupt = finding(doc, "interrupt-load")
    assert interrupt is not None and interrupt["metrics"]["lead_median_answer_hours"] is None


def test_a_stall_is_high_only_past_twice_the_threshold_and_says_so() -> None:
    team = Team()
    team.item(
        "PIPE-1", assignee="jamie", created=ago(30), transitions=[moved("In Progress", ago(8))]
    )
    f = finding(team.json(), "stalled-own-work")
    assert f is not None and f["severity"] == "warn"
    assert "severity_reason" not in f["metrics"] and "High:" not in f["message"]
    team.item(
        "PIPE-2", assignee="jamie", created=ago(30), transitions=[moved("In Progress", ago(15))]
    )
    f = finding(team.json(), "stalled-own-work")
    assert f is not None and f["severity"] == "high"
    reason = "PIPE-2 has had no progress for 15 days, past twice the 7-day threshold"
    assert f["metrics"]["severity_reason"] == reason
    assert f["message"].endswith(f"High: {reason}.")


def test_a_review_wait_past_the_high_mark_says_why() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(4), requests=[request("jamie", ago(4))])
    f = finding(team.json(), "review-queue")
    assert f is not None and f["severity"] == "high"
    reason = "a PR has waited 4.0 working days, past the high mark of 3.0 working days"
    assert f["metrics"]["severity_reason"] == reason
    assert f"High: {reason}." in f["message"]
