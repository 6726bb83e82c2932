"""Code areas as people own them: a monorepo's services, fixture folders, `[areas]`, the history.

The team is built to look like a real monorepo: a dozen services under
``services/``, each person working in three or four of them, a platform
engineer whose dependency bump touches every service, test fixtures under the
services, and long-lived PRs opened before the history starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.model.interchange import dataset_to_json, dumps
from leadkit.testing import Team, ago, finding, request, review, suggestions

REPO = "acme/platform"
WORK = {
    # service: (authors, reviewer of their PRs)
    "orders": (("owen", "priya"), None),  # each reviews the other's
    "cart": (("owen", "kim"), None),
    "checkout": (("owen",), "kim"),
    "search": (("priya",), "tommy"),
    "catalog": (("priya",), "owen"),
    "billing": (("tommy",), "priya"),
    "shipping": (("tommy",), "kim"),
    "inventory": (("tommy",), "owen"),
    "users": (("kim",), "tommy"),
    "auth": (("kim",), "priya"),
    "notify": (("kim",), "owen"),
    "payments": (("owen", "tommy"), "jamie"),  # only the lead has ever reviewed it
}


def monorepo() -> Team:
    """Twelve services; nobody owns one alone and every pair of services shares someone."""
    team = Team(members=("owen", "priya", "tommy", "kim", "sam"))
    number = 100
    for service, (authors, reviewer) in WORK.items():
        for n, author in enumerate(authors * 2):
            others = [a for a in authors if a != author]
            number += 1
            team.merged_pr(
                number,
                author=author,
                reviewers=[reviewer] if reviewer else others,
                repo=REPO,
                paths=[f"services/{service}/handler_{n}.py", f"services/{service}/api/routes.py"],
                days_ago=10 + number % 40,
            )
    # Sam (platform) bumps the logging library in every service: everyone shares sam.
    team.merged_pr(
        90,
        author="sam",
        reviewers=["jamie"],
        repo=REPO,
        paths=[f"services/{s}/Dockerfile" for s in WORK],
        days_ago=30,
    )
    return team


def prs_in(team: Team, path: str) -> list[int]:
    return sorted(p.number for p in team.prs if any(q.startswith(path) for q in p.paths))


def test_a_service_only_the_lead_reviews_is_named_not_services() -> None:
    doc = monorepo().json()
    f = finding(doc, "review-concentration")
    areas = f["metrics"]["sole_reviewer_areas"]
    assert [(a["path"], a["pr_count"]) for a in areas] == [("services/payments/", 5)]
    assert "the only reviewer ever seen on services/payments/ in acme/platform" in f["message"]
    away = finding(doc, "away-risk")
    assert [a["path"] for a in away["metrics"]["sole_reviewer_areas"]] == ["services/payments/"]


def test_a_fixture_folder_only_the_lead_reviewed_counts_as_its_service() -> None:
    team = monorepo()
    # Golden files and snapshots under search/ and cart/ that only Jamie reviewed.
    for n, folder in enumerate(
        ("services/search/testdata/", "services/cart/__snapshots__/", "services/auth/test/data/")
    ):
        for k in range(3):
            team.merged_pr(
                200 + 10 * n + k,
                author="priya",
                reviewers=["jamie"],
                repo=REPO,
                paths=[f"{folder}case_{k}.json"],
                days_ago=5 + k,
            )
    f = finding(team.json(), "review-concentration")
    paths = [a["path"] for a in f["metrics"]["sole_reviewer_areas"]]
    assert paths == ["services/payments/"]
    assert "testdata" not in f["message"] and "__snapshots__" not in f["message"]


def test_a_pr_opened_before_the_history_and_merged_in_it_counts() -> None:
    """Three lead-only PRs make a lead-only area; one of them was opened long before."""
    team = Team()
    for n in range(2):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"])
    merged = ago(60)
    team.pr(
        12,
        author="priya",
        paths=["pipeline/stage.py"],
        created=ago(120),  # the history is 90 days
        merged=merged,
        reviews=[review("jamie", merged - timedelta(hours=1))],
    )
    team.merged_pr(20, author="tommy", reviewers=["priya"], paths=["ingest/load.py"])
    f = finding(team.json(), "review-concentration")
    areas = f["metrics"]["sole_reviewer_areas"]
    assert [(a["path"], a["prs"]) for a in areas] == [
        ("pipeline/", ["acme/app#10", "acme/app#11", "acme/app#12"])
    ]


def waiting_review(
    team: Team, number: int, author: str, paths: Iterable[str], repo: str = REPO
) -> None:
    team.pr(
        number,
        author=author,
        repo=repo,
        created=ago(2),
        paths=list(paths),
        requests=[request("jamie", ago(2))],
    )


def test_reasons_name_the_service_a_candidate_knows() -> None:
    team = monorepo()
    waiting_review(team, 300, "priya", ["services/orders/handler_9.py"])
    found = suggestions(team.json(), f"{REPO}#300")
    assert found, "someone who knows services/orders/ is suggested"
    top = found[0]
    assert top["to"] == "owen"
    assert top["evidence"]["area"] == f"path:{REPO}:services/orders/"
    assert "services/orders/" in top["rationale"]
    assert "services/ " not in top["rationale"]


def test_an_item_of_the_leads_cites_the_service_of_its_linked_pr() -> None:
    team = monorepo()
    team.item("ORD-7", assignee="jamie", title="Orders retry policy")
    team.pr(
        301,
        author="jamie",
        repo=REPO,
        created=ago(3),
        paths=["services/orders/retry.py"],
        linked=["ORD-7"],
    )
    found = suggestions(team.json(), "ORD-7")
    assert found
    for s in found:
        assert s["evidence"]["area"] == f"path:{REPO}:services/orders/", s["rationale"]
        assert "services/orders/" in s["rationale"]


def test_the_tree_shape_alone_finds_sibling_units() -> None:
    """``backend/`` is no known name, but six child folders each worked on apart are units."""
    team = Team(members=("owen", "priya", "tommy"))
    units = ("orders", "billing", "search", "users", "auth", "notify")
    for n, unit in enumerate(units):
        for k in range(2):
            team.merged_pr(
                10 + 2 * n + k,
                author="owen" if k else "priya",
                reviewers=["priya" if k else "owen"],
                paths=[f"backend/{unit}/main_{k}.py"],
            )
    waiting_review(team, 99, "tommy", ["backend/search/main_3.py"], repo="acme/app")
    found = suggestions(team.json(), "acme/app#99")
    assert {s["evidence"]["area"] for s in found} == {"path:acme/app:backend/search/"}


def test_a_package_manifest_makes_its_folder_a_unit() -> None:
    team = Team(members=("owen", "priya", "tommy"))
    team.merged_pr(10, author="owen", reviewers=["priya"], paths=["tools/lint/go.mod"])
    team.merged_pr(11, author="priya", reviewers=["owen"], paths=["tools/lint/rules.go"])
    team.merged_pr(12, author="priya", reviewers=["owen"], paths=["tools/release/tag.sh"])
    waiting_review(team, 99, "tommy", ["tools/lint/more.go"], repo="acme/app")
    found = suggestions(team.json(), "acme/app#99")
    assert {s["evidence"]["area"] for s in found} == {"path:acme/app:tools/lint/"}


def test_areas_units_in_the_config_name_the_area() -> None:
    team = Team(members=("owen", "priya", "tommy"))
    for n, feature in enumerate(("cart", "search")):
        for k in range(3):
            team.merged_pr(
                10 + 3 * n + k,
                author="owen",
                reviewers=["priya"],
                repo="acme/web",
                paths=[f"src/features/{feature}/view_{k}.tsx"],
            )
    waiting_review(team, 99, "tommy", ["src/features/cart/view_9.tsx"], repo="acme/web")
    before = suggestions(team.json(), "acme/web#99")
    assert {s["evidence"]["area"] for s in before} == {"path:acme/web:src/"}
    team.areas["units"] = ["acme/*:src/features/*"]
    after = suggestions(team.json(), "acme/web#99")
    assert {s["evidence"]["area"] for s in after} == {"path:acme/web:src/features/cart/"}
    assert all("touched src/features/cart/ 3 times" in s["rationale"] for s in after)


def test_a_configured_unit_is_never_split_further() -> None:
    """``[areas] units = ["services/*"]`` keeps payments/ whole, though its parts differ."""
    team = Team(members=("owen", "priya", "tommy"))
    for k in range(3):
        team.merged_pr(
            10 + k, author="owen", reviewers=["priya"], paths=[f"services/pay/api/h_{k}.py"]
        )
        team.merged_pr(
            20 + k, author="tommy", reviewers=["jamie"], paths=[f"services/pay/ledger/l_{k}.py"]
        )
    f = finding(team.json(), "review-concentration")
    assert [a["path"] for a in f["metrics"]["sole_reviewer_areas"]] == ["services/pay/ledger/"]
    team.areas["units"] = ["services/*"]
    f = finding(team.json(), "review-concentration")
    assert f["metrics"]["sole_reviewer_areas"] == []
    waiting_review(team, 99, "priya", ["services/pay/ledger/l_9.py"], repo="acme/app")
    found = suggestions(team.json(), "acme/app#99")
    assert {s["evidence"]["area"] for s in found} == {"path:acme/app:services/pay/"}


def test_more_fixture_folders_can_be_named() -> None:
    """samples/ (only Jamie reviewed) and core/ (Tommy reviews) have no author in common."""
    team = Team()
    for k in range(3):
        team.merged_pr(
            10 + k, author="owen", reviewers=["jamie"], paths=[f"pipeline/samples/s_{k}.json"]
        )
        team.merged_pr(
            20 + k, author="priya", reviewers=["tommy"], paths=[f"pipeline/core/run_{k}.py"]
        )
    f = finding(team.json(), "review-concentration")
    assert [a["path"] for a in f["metrics"]["sole_reviewer_areas"]] == ["pipeline/samples/"]
    team.areas["fixtures"] = ["samples"]
    f = finding(team.json(), "review-concentration")
    assert f["metrics"]["sole_reviewer_areas"] == []


def platform_team() -> Team:
    """platform/ is no known name and has three children: only CODEOWNERS can say they are units."""
    team = Team(members=("owen", "priya", "tommy"))
    for n, part in enumerate(("orders", "billing", "search")):
        for k in range(2):
            team.merged_pr(
                10 + 2 * n + k,
                author="owen" if k else "priya",
                reviewers=["priya" if k else "owen"],
                paths=[f"platform/{part}/main_{k}.py"],
            )
    waiting_review(team, 99, "tommy", ["platform/billing/main_3.py"], repo="acme/app")
    return team


def test_codeowners_folders_are_areas() -> None:
    team = platform_team()
    before = suggestions(team.json(), "acme/app#99")
    assert {s["evidence"]["area"] for s in before} == {"path:acme/app:platform/"}
    team.codeowners(
        "# Owners\n"
        "*                    @acme/everyone\n"
        "*.md                 @acme/docs\n"
        "/platform/orders/    @acme/orders @owen\n"
        "platform/billing/**  @acme/billing   # inline comment\n"
        "[Search]\n"
        "/platform/search     @acme/search\n"
    )
    after = suggestions(team.json(), "acme/app#99")
    assert {s["evidence"]["area"] for s in after} == {"path:acme/app:platform/billing/"}
    assert all("platform/billing/" in s["rationale"] for s in after)


def test_codeowners_of_another_repository_change_nothing() -> None:
    team = platform_team()
    team.codeowners("/platform/billing/ @acme/billing\n", repo="acme/other")
    found = suggestions(team.json(), "acme/app#99")
    assert {s["evidence"]["area"] for s in found} == {"path:acme/app:platform/"}


def test_codeowners_survive_a_run_from_a_file(tmp_path: Path) -> None:
    """Exported with the dataset, read by the file source, kept when accounts become people."""
    team = platform_team()
    team.codeowners("/platform/billing/ @acme/billing\n")
    team.person_config.setdefault("jamie", {})["github"] = "jamie"
    written = tmp_path / "team.json"
    written.write_text(dumps(dataset_to_json(team.dataset())))
    config = tmp_path / "leadkit.toml"
    source = f'[[sources]]\ntype = "file"\npath = "{written}"\n\n'
    config.write_text(source + team.config_text())
    result = CliRunner().invoke(
        cli, ["report", "--config", str(config), "--now", team.now.isoformat(), "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    found = suggestions(json.loads(result.output), "acme/app#99")
    assert {s["evidence"]["area"] for s in found} == {"path:acme/app:platform/billing/"}
