"""review-concentration: how much review goes through the lead alone, and bus-factor-1 areas."""

from __future__ import annotations

from leadkit.testing import Team, ago, finding, labels, review


def test_the_lead_reviewing_nearly_everything_warns() -> None:
    team = Team()
    for n in range(4):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"])
    team.merged_pr(20, author="priya", reviewers=["owen"], paths=["ingest/load.py"])
    team.merged_pr(21, author="jamie", reviewers=["priya"], paths=["pipeline/run.py"])  # lead's own
    f = finding(team.json(), "review-concentration")
    assert f is not None
    assert f["severity"] == "warn"  # 4 of 5 = 80%: a pattern over the window, never HIGH
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
            "repo": "acme/app",
            "path": "pipeline/",
            "area": "acme/app:pipeline/",
            "label": "pipeline/ in acme/app",
            "pr_count": 3,
            "prs": ["acme/app#10", "acme/app#11", "acme/app#12"],
            "prs_total": 3,
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


def monorepo() -> Team:
    """services/orders/ and services/billing/invoices/ are reviewed by the team;
    only Jamie has ever reviewed services/billing/payments/."""
    team = Team()
    for n in range(3):
        team.merged_pr(
            10 + n,
            author="owen",
            reviewers=["priya"],
            repo="acme/platform",
            paths=[f"services/orders/api/handler_{n}.py", "services/orders/db/schema.py"],
            days_ago=4 + n,
        )
        team.merged_pr(
            20 + n,
            author="tommy",
            reviewers=["owen"],
            repo="acme/platform",
            paths=[f"services/billing/invoices/render_{n}.py"],
            days_ago=5 + n,
        )
        team.merged_pr(
            30 + n,
            author="priya",
            reviewers=["jamie"],
            repo="acme/platform",
            paths=[f"services/billing/payments/stripe/charge_{n}.py"],
            days_ago=6 + n,
        )
    return team


def test_a_lead_only_area_is_found_at_depth_while_its_parent_has_other_reviewers() -> None:
    f = finding(monorepo().json(), "review-concentration")
    assert f is not None
    areas = f["metrics"]["sole_reviewer_areas"]
    assert [(a["repo"], a["path"], a["pr_count"]) for a in areas] == [
        ("acme/platform", "services/billing/payments/", 3)
    ]
    assert areas[0]["prs"] == ["acme/platform#30", "acme/platform#31", "acme/platform#32"]
    assert (
        "the only reviewer ever seen on services/billing/payments/ in acme/platform"
        in (f["message"])
    )
    away = finding(monorepo().json(), "away-risk")
    assert [a["path"] for a in away["metrics"]["sole_reviewer_areas"]] == [
        "services/billing/payments/"
    ]


def test_an_area_is_never_lead_only_when_someone_else_reviewed_in_it() -> None:
    team = monorepo()
    # One comment-review by Owen on a PR still open, deep in payments/.
    team.pr(
        40,
        author="priya",
        repo="acme/platform",
        paths=["services/billing/payments/stripe/refund.py"],
        created=ago(2),
        reviews=[review("owen", ago(1), "commented")],
    )
    f = finding(team.json(), "review-concentration")
    assert f["metrics"]["sole_reviewer_areas"] == []
    assert "only reviewer ever seen" not in f["message"]


def test_too_few_merged_prs_make_no_lead_only_area() -> None:
    team = monorepo()
    team.thresholds["bus_factor_min_prs"] = 4
    assert finding(team.json(), "review-concentration")["metrics"]["sole_reviewer_areas"] == []


def test_a_repository_only_the_lead_reviews_is_named_whole() -> None:
    team = Team()
    for n in range(3):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=[f"pipeline/run_{n}.py"])
        team.merged_pr(20 + n, author="priya", reviewers=["jamie"], paths=[f"ingest/load_{n}.py"])
    f = finding(team.json(), "review-concentration")
    assert [
        (a["path"], a["label"], a["pr_count"]) for a in f["metrics"]["sole_reviewer_areas"]
    ] == [("", "all of acme/app", 6)]
