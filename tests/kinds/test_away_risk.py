"""away-risk: what would stall if the lead were away for the next N days."""

from __future__ import annotations

from leadkit.testing import Team, ago, blocks, finding, labels, request, review


def pipeline_team() -> Team:
    """Only Jamie has ever reviewed pipeline/ (Priya reviews ingest/); Owen's PR there waits on Jamie."""
    team = Team()
    for n in range(3):
        team.merged_pr(
            10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"], days_ago=20 + n
        )
    team.merged_pr(15, author="tommy", reviewers=["priya"], paths=["ingest/load.py"], days_ago=25)
    team.pr(
        41,
        author="owen",
        created=ago(2),
        paths=["pipeline/stage.py"],
        requests=[request("jamie", ago(2))],
    )
    return team


def test_a_pr_nobody_else_can_review_and_blocked_work_would_stall() -> None:
    team = pipeline_team()
    team.item("PIPE-1", assignee="jamie", links=[blocks("PIPE-2")])
    team.item("PIPE-2", assignee="priya", created=ago(3))
    f = finding(team.json(), "away-risk")
    assert f is not None
    assert f["severity"] == "warn"
    m = f["metrics"]
    assert m["days"] == 7
    assert m["stalled_prs"] == [
        {"pr": "acme/app#41", "areas": ["acme/app:pipeline/"], "areas_total": 1}
    ]
    assert m["blocked_items"] == [{"item": "PIPE-2", "by": "PIPE-1", "assignee": "priya"}]
    assert m["sole_reviewer_areas"] == [
        {
            "repo": "acme/app",
            "path": "pipeline/",
            "area": "acme/app:pipeline/",
            "label": "pipeline/ in acme/app",
            "pr_count": 3,
        }
    ]
    assert labels(f) == ["acme/app#41", "PIPE-2"]
    assert len(f["items"]) == len(m["stalled_prs"]) + len(m["blocked_items"])
    assert f["people"] == ["jamie", "priya"]
    assert f["message"] == (
        "If Jamie were away for the next 7 days: 1 open PR with no other qualified reviewer; "
        "1 item of 1 person would stay blocked; nobody else has reviewed pipeline/ in acme/app."
    )


def test_another_reviewer_of_the_area_means_the_pr_would_not_stall() -> None:
    team = pipeline_team()
    team.merged_pr(20, author="owen", reviewers=["priya"], paths=["pipeline/other.py"], days_ago=30)
    f = finding(team.json(), "away-risk")
    assert f is not None
    assert f["severity"] == "info"
    assert f["metrics"]["stalled_prs"] == [] and f["items"] == []
    assert "nothing in the data would wait on them alone" in f["message"]


def test_the_other_reviewer_being_away_too_brings_the_risk_back() -> None:
    team = pipeline_team()
    team.merged_pr(20, author="owen", reviewers=["priya"], paths=["pipeline/other.py"], days_ago=30)
    team.person("priya", away=["2026-11-23..2026-11-27"])  # within the next 7 days
    f = finding(team.json(), "away-risk")
    assert f is not None
    assert [p["pr"] for p in f["metrics"]["stalled_prs"]] == ["acme/app#41"]


def test_the_away_days_threshold_sets_the_horizon() -> None:
    team = pipeline_team()
    team.merged_pr(20, author="owen", reviewers=["priya"], paths=["pipeline/other.py"], days_ago=30)
    team.person("priya", away=["2026-11-30..2026-12-04"])  # after 7 days
    assert finding(team.json(), "away-risk")["metrics"]["stalled_prs"] == []
    team.thresholds["away_days"] = 14
    f = finding(team.json(), "away-risk")
    assert [p["pr"] for p in f["metrics"]["stalled_prs"]] == ["acme/app#41"]
    assert "next 14 days" in f["message"]


def test_an_approved_pr_does_not_wait_on_the_lead() -> None:
    team = Team()
    for n in range(3):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"])
    team.pr(
        41,
        author="owen",
        created=ago(2),
        paths=["pipeline/stage.py"],
        requests=[request("jamie", ago(2))],
        reviews=[review("tommy", ago(1), "approved")],
    )
    f = finding(team.json(), "away-risk")
    assert f is not None
    assert f["metrics"]["stalled_prs"] == []


def test_no_data_is_not_computed() -> None:
    f = finding(Team().json(), "away-risk")
    assert f is not None
    assert f["computed"] is False and f["severity"] == "info"
    assert "No items or PRs" in f["message"]
