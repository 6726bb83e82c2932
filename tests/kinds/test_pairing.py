"""Review requests paired with reviews: what is pending, and what counts as a pickup."""

from __future__ import annotations

from datetime import timedelta

from leadkit.testing import Team, ago, finding, request, review


def queue(team: Team) -> dict:
    f = finding(team.json(), "review-queue")
    assert f is not None
    return f


def test_a_review_closes_the_request() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(3),
        requests=[request("jamie", ago(3)), request("priya", ago(3))],
        reviews=[review("jamie", ago(2), "commented")],
    )
    team.pr(42, author="owen", created=ago(1), requests=[request("jamie", ago(1))])
    f = queue(team)
    # Jamie answered 41 (Priya's request on it is not Jamie's queue); 42 still waits.
    assert [w["pr"] for w in f["metrics"]["waiting"]] == ["acme/app#42"]
    assert f["metrics"]["lead_pickups"] == 1


def test_nothing_pending_gives_no_queue_finding() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(3),
        requests=[request("jamie", ago(3))],
        reviews=[review("jamie", ago(2))],
    )
    assert finding(team.json(), "review-queue") is None


def test_a_removal_cancels_the_request_and_is_no_pickup() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(3), requests=[request("jamie", ago(3), removed=ago(2))])
    team.pr(42, author="owen", created=ago(3), requests=[request("jamie", ago(1))])
    f = queue(team)
    assert [w["pr"] for w in f["metrics"]["waiting"]] == ["acme/app#42"]
    assert f["metrics"]["lead_pickups"] == 0


def test_a_re_request_after_a_review_opens_a_new_wait_from_the_re_request() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(4),
        requests=[request("jamie", ago(4)), request("jamie", ago(1))],
        reviews=[review("jamie", ago(3), "changes_requested")],
    )
    f = queue(team)
    assert f["metrics"]["waiting"] == [
        {
            "pr": "acme/app#41",
            "author": "owen",
            "requested": "2026-11-19T16:00:00Z",
            "waiting_hours": 8.0,
            "waiting_days": 1.0,
        }
    ]
    assert f["metrics"]["lead_pickups"] == 1  # the first round only


def test_a_request_removed_then_made_again_is_pending() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(4),
        requests=[request("jamie", ago(4), removed=ago(3)), request("jamie", ago(2))],
    )
    f = queue(team)
    assert [(w["pr"], w["waiting_hours"]) for w in f["metrics"]["waiting"]] == [
        ("acme/app#41", 16.0)
    ]


def test_an_unsolicited_review_is_no_pickup_and_closes_nothing_later() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(4),
        reviews=[review("jamie", ago(3), "commented")],
        requests=[request("jamie", ago(2))],
    )
    f = queue(team)
    # The review came before the request: it answers nothing, the request still waits.
    assert [w["pr"] for w in f["metrics"]["waiting"]] == ["acme/app#41"]
    assert f["metrics"]["lead_pickups"] == 0


def test_a_review_by_someone_else_does_not_close_the_leads_request() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(2),
        requests=[request("jamie", ago(2)), request("priya", ago(2))],
        reviews=[review("priya", ago(2) + timedelta(hours=1))],
    )
    f = queue(team)
    assert [w["pr"] for w in f["metrics"]["waiting"]] == ["acme/app#41"]
    assert f["metrics"]["lead_pickups"] == 0
