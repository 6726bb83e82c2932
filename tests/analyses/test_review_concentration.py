"""review-concentration: how much review goes through the lead alone, and bus-factor-1 areas."""

from __future__ import annotations

from tests.builders import Team, ago, finding, labels, review


def test_the_lead_reviewing_everything_is_high_with_the_sole_reviewer_area() -> None:
    team = Team()
    for n in range(4):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"])
    team.merged_pr(20, author="priya", reviewers=["owen"], paths=["ingest/load.py"])
    team.merged_pr(21, author="jamie", reviewers=["priya"], paths=["pipeline/run.py"])  # lead's own
    f = finding(team.json(), "review-concentration")
    assert f is not None
    assert f["severity"] == "high"  # 4 of 5 = 80% >= 75%
    m = f["metrics"]
    assert m["merged_by_others"] == 5
    assert m["merged_prs"] == [f"acme/app#{n}" for n in (10, 11, 12, 13, 20)]
    assert m["reviewed_by_lead"] == 4 == len(f["items"])
    assert labels(f) == [f"acme/app#{n}" for n in (10, 11, 12, 13)]
    assert m["sole_approver"] == 4 and m["sole_approver_share"] == 0.8
    assert m["lead_review_share"] == 0.8
    # Priya reviewed the lead's own pipeline PR, so pipeline/ is not the lead's alone.
    assert m["sole_reviewer_areas"] == []


def test_an_area_only_the_lead_ever_reviewed_is_named() -> None:
    team = Team()
    for n in range(3):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"])
    for n in range(3):
        team.merged_pr(20 + n, author="priya", reviewers=["owen"], paths=["ingest/load.py"])
    f = finding(team.json(), "review-concentration")
    assert f is not None
    assert f["severity"] == "warn"  # 50% share
    assert f["metrics"]["sole_reviewer_areas"] == [
        {
            "area": "acme/app:pipeline/",
            "label": "pipeline/ in acme/app",
            "prs": ["acme/app#10", "acme/app#11", "acme/app#12"],
        }
    ]
    assert "the only reviewer ever seen on pipeline/ in acme/app" in f["message"]


def test_reviews_spread_across_the_team_are_info() -> None:
    team = Team()
    for n in range(4):
        team.merged_pr(10 + n, author="owen", reviewers=["priya"], paths=["pipeline/run.py"])
    team.merged_pr(20, author="priya", reviewers=["owen", "jamie"], paths=["ingest/load.py"])
    f = finding(team.json(), "review-concentration")
    assert f is not None
    assert f["severity"] == "info"
    assert f["metrics"]["reviewed_by_lead"] == 1 == len(f["items"])
    assert f["metrics"]["sole_approver"] == 0
    assert f["metrics"]["sole_reviewer_areas"] == []


def test_prs_merged_before_the_window_do_not_count() -> None:
    team = Team()
    for n in range(3):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], days_ago=40)
    team.merged_pr(20, author="owen", reviewers=["jamie"], days_ago=2)
    f = finding(team.json(), "review-concentration")
    assert f is not None
    assert f["computed"] is False and f["severity"] == "info"
    assert f["message"].startswith("Only 1 PR by others was merged in the window")


def test_no_merged_prs_is_not_computed_and_says_why() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(2), reviews=[review("jamie", ago(1))])
    f = finding(team.json(), "review-concentration")
    assert f is not None
    assert f["computed"] is False and f["severity"] == "info"
    assert f["metrics"] == {} and f["items"] == []
    assert "No PRs by others were merged in the window" in f["message"]
