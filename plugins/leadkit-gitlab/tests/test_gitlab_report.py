"""End to end: a GitLab team's report through the CLI, and the same team on GitHub.

One tracker-neutral story is served by the fake GitLab and by the fake
GitHub; both reports must show review-queue, review-concentration and
delegation alike, modulo how each tracker spells a merge request's ref
(``acme/api!9`` on GitLab, ``acme/api#9`` on GitHub) and its URL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from leadkit_gitlab import GitLabSource

from leadkit.cli import cli
from leadkit.plugins import load_plugins

from .conftest import NOW, TOKEN
from .fake_gitlab import FakeIssue, FakeMR, FakeProject

PEOPLE = """
[team]
name = "core"
lead = "jamie"
members = ["owen", "priya", "tommy"]

[people.jamie]
name = "Jamie Rivera"
{tracker} = "jamie"

[people.owen]
name = "Owen Ortiz"
{tracker} = "owen"

[people.priya]
name = "Priya Patel"
{tracker} = "priya"

[people.tommy]
name = "Tommy Tran"
{tracker} = "tommy"
"""
GITLAB_SOURCE = """
[[sources]]
type = "gitlab"
name = "code"
url = "{url}"
projects = ["acme/*"]
"""
GITHUB_SOURCE = """
[[sources]]
type = "github"
name = "code"
repos = ["acme/api"]
"""


@dataclass
class Change:
    """A merge/pull request in the story, tracker-neutral."""

    number: int
    title: str
    author: str
    created: datetime
    files: list[str]
    requested: list[tuple[str, datetime]] = field(default_factory=list)
    approved: list[tuple[str, datetime]] = field(default_factory=list)
    merged: datetime | None = None


@dataclass
class Ticket:
    number: int
    title: str
    author: str
    created: datetime
    labels: list[str]
    assignee: str
    closed: datetime | None = None


def story() -> tuple[list[Change], list[Ticket]]:
    """Jamie approves every pipeline change alone; three wait on Jamie; Jamie holds test work
    that Owen, who has done the pipeline tests before, could take."""
    t = NOW - timedelta(days=20)
    changes = []
    for n, author in enumerate(["owen", "priya", "tommy", "owen", "priya", "owen"], start=1):
        at = t + timedelta(days=n)
        changes.append(
            Change(
                n,
                f"Pipeline stage {n}",
                author,
                at,
                [
                    f"services/pipeline/stages/stage_{n}.py",
                    "services/pipeline/tests/test_stages.py",
                ],
                requested=[("jamie", at + timedelta(minutes=10))],
                approved=[("jamie", at + timedelta(hours=5))],
                merged=at + timedelta(hours=6),
            )
        )
    for n, author in ((7, "owen"), (8, "priya"), (9, "tommy")):
        at = NOW - timedelta(days=4, hours=n)
        changes.append(
            Change(
                n,
                f"Ingest step {n}",
                author,
                at,
                [f"services/ingest/step_{n}.py"],
                requested=[("jamie", at + timedelta(minutes=10))],
            )
        )
    tickets = [
        Ticket(
            20, "Pipeline tests flaky on CI", "owen", NOW - timedelta(days=6), ["test"], "jamie"
        ),
        Ticket(
            21, "Add pipeline test fixtures", "priya", NOW - timedelta(days=5), ["test"], "jamie"
        ),
        Ticket(
            22, "Pipeline test harness", "jamie", t, ["test"], "owen", closed=t + timedelta(days=3)
        ),
    ]
    return changes, tickets


def as_gitlab(changes: list[Change], tickets: list[Ticket]) -> list[FakeProject]:
    mrs = [
        FakeMR(
            c.number,
            c.title,
            c.author,
            c.created,
            c.merged or c.created + timedelta(minutes=10),
            state="merged" if c.merged else "opened",
            merged=c.merged,
            files=c.files,
            requests=[("requested", who, at, c.author) for who, at in c.requested],
            approvals=c.approved,
        )
        for c in changes
    ]
    issues = [
        FakeIssue(
            k.number,
            k.title,
            k.author,
            k.created,
            k.closed or k.created,
            state="closed" if k.closed else "opened",
            closed=k.closed,
            labels=k.labels,
            assignees=[k.assignee],
            state_events=[("closed", k.closed, k.assignee)] if k.closed else [],
        )
        for k in tickets
    ]
    return [FakeProject("acme/api", merge_requests=mrs, issues=issues)]


def as_github(changes: list[Change], tickets: list[Ticket], gh: ModuleType) -> list[Any]:
    """The story for the core's fake GitHub (``gh``: ``tests.fakes.fake_github``)."""
    pulls = [
        gh.FakePull(
            c.number,
            c.title,
            c.author,
            c.created,
            c.merged or c.created + timedelta(minutes=10),
            state="MERGED" if c.merged else "OPEN",
            merged=c.merged,
            closed=c.merged,
            files=c.files,
            requests=[("requested", who, at, c.author) for who, at in c.requested],
            reviews=[(who, "APPROVED", at) for who, at in c.approved],
            last_commit=c.created,  # pushed when opened, as on GitLab
        )
        for c in changes
    ]
    issues = [
        gh.FakeIssue(
            k.number,
            k.title,
            k.author,
            k.created,
            k.closed or k.created,
            state="CLOSED" if k.closed else "OPEN",
            closed=k.closed,
            labels=k.labels,
            assignees=[k.assignee],
            events=[("closed", k.closed, k.assignee, None)] if k.closed else [],
        )
        for k in tickets
    ]
    return [gh.FakeRepo("acme/api", pulls=pulls, issues=issues)]


def report(config: Path, env: dict[str, str]) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        ["report", "--config", str(config), "--now", "2026-03-02T12:00:00Z", "--format", "json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def neutral(finding: Any) -> Any:
    """A finding with tracker spellings made alike: MR refs, URLs, account keys."""
    text = json.dumps(finding, sort_keys=True)
    text = re.sub(r"acme/api!(\d+)", r"acme/api#\1", text)
    text = re.sub(r'"url": "[^"]*"', '"url": ""', text)
    text = re.sub(r'"sep": "[!#]"', '"sep": "#"', text)
    text = text.replace("gitlab:", "github:")
    return json.loads(text)


def test_the_plugin_is_found_through_its_entry_point():
    host = load_plugins(environ={})
    assert host.sources["gitlab"] is GitLabSource
    info = host.infos["gitlab"]
    assert info.error is None and info.distribution == "leadkit-gitlab"
    assert info.registers == {"sources": ["gitlab"]}


def test_a_gitlab_team_gets_the_same_findings_as_the_same_team_on_github(serve, tmp_path: Path):
    changes, tickets = story()
    lab = serve(as_gitlab(changes, tickets))
    gitlab_config = tmp_path / "gitlab.toml"
    gitlab_config.write_text(
        PEOPLE.format(tracker="gitlab") + GITLAB_SOURCE.format(url=lab.url), encoding="utf-8"
    )
    from_gitlab = report(gitlab_config, {"GITLAB_TOKEN": TOKEN})

    # The core's fake GitHub: only where the core's tests are (a checkout, not an install).
    gh = pytest.importorskip("tests.fakes.fake_github")
    with gh.FakeGitHub(as_github(changes, tickets, gh), token="ghp_sameStory0123456789") as hub:
        github_config = tmp_path / "github.toml"
        github_config.write_text(PEOPLE.format(tracker="github") + GITHUB_SOURCE, encoding="utf-8")
        from_github = report(
            github_config, {"GITHUB_TOKEN": "ghp_sameStory0123456789", "GITHUB_API_URL": hub.url}
        )

    lab_findings = {f["id"]: f for f in from_gitlab["findings"]}
    hub_findings = {f["id"]: f for f in from_github["findings"]}
    for kind in ("review-queue", "review-concentration"):
        assert lab_findings[kind]["computed"] is True, lab_findings[kind]
        assert neutral(lab_findings[kind]) == neutral(hub_findings[kind]), kind
    # Delegation: its suggestions, what it keeps with the lead, and the ranked actions.
    for part in ("suggestions", "kept", "actions"):
        assert neutral(from_gitlab[part]) == neutral(from_github[part]), part

    queue = lab_findings["review-queue"]
    assert sorted(item["ref"] for item in queue["items"]) == [
        "acme/api!7",
        "acme/api!8",
        "acme/api!9",
    ]
    concentration = lab_findings["review-concentration"]["metrics"]
    assert len(concentration["merged_prs"]) == 6 and concentration["sole_approver_share"] == 1.0
    handed = {
        (s["action"], s["item"].get("ref") or s["item"]["key"], s["to"])
        for s in from_gitlab["suggestions"]
    }
    assert ("delegate", "acme/api#20", "owen") in handed
    assert ("review", "acme/api!8", "owen") in handed


def test_leadkit_plugins_lists_leadkit_gitlab_and_its_options():
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    (gitlab,) = [p for p in json.loads(result.stdout) if p.get("distribution") == "leadkit-gitlab"]
    declared = {o["name"]: o for o in gitlab["options"]["gitlab"]}
    assert declared["projects"]["required"] is True
    assert declared["url"]["default"] == "https://gitlab.com"
    assert declared["token_env"]["default"] == "GITLAB_TOKEN"


def test_cli_shows_a_rejected_token_and_a_missing_project_as_one_line_exit_2(serve, tmp_path: Path):
    changes, tickets = story()
    lab = serve(as_gitlab(changes, tickets))
    config = tmp_path / "leadkit.toml"
    for projects, env, expected in (
        (
            '["acme/*"]',
            {"GITLAB_TOKEN": "glpat-wrongTokenValue99"},
            "rejected the token in GITLAB_TOKEN",
        ),
        ('["acme/gone"]', {"GITLAB_TOKEN": TOKEN}, "project acme/gone was not found"),
    ):
        source = GITLAB_SOURCE.format(url=lab.url).replace('["acme/*"]', projects)
        config.write_text(PEOPLE.format(tracker="gitlab") + source, encoding="utf-8")
        for args in (["report"], ["--debug", "report"]):
            result = CliRunner().invoke(
                cli, [*args, "--config", str(config), "--now", "2026-03-02T12:00:00Z"], env=env
            )
            assert result.exit_code == 2, result.output
            assert expected in result.output
            if args == ["report"]:
                assert len(result.output.strip().splitlines()) == 1, result.output
            assert "glpat-wrongTokenValue99" not in result.output and TOKEN not in result.output


def test_an_mr_and_an_issue_with_the_same_number_stay_apart_in_the_report(serve, tmp_path: Path):
    """Tommy's MR !20 takes the place of his !9 in the story; issue #20 is still Jamie's."""
    changes, tickets = story()
    at = NOW - timedelta(days=3)
    changes = [c for c in changes if c.number != 9]
    changes.append(
        Change(
            20,
            "Pipeline test retries",
            "tommy",
            at,
            ["services/ingest/retry.py"],
            requested=[("jamie", at + timedelta(minutes=5))],
        )
    )
    lab = serve(as_gitlab(changes, tickets))
    config = tmp_path / "gitlab.toml"
    config.write_text(
        PEOPLE.format(tracker="gitlab") + GITLAB_SOURCE.format(url=lab.url), encoding="utf-8"
    )
    data = report(config, {"GITLAB_TOKEN": TOKEN})
    queue = {f["id"]: f for f in data["findings"]}["review-queue"]
    waiting = {item["ref"]: item for item in queue["items"]}
    assert waiting["acme/api!20"]["title"] == "Pipeline test retries"
    assert "acme/api#20" not in waiting
    suggested = {
        (s["action"], s["item"].get("ref") or s["item"]["key"], s["item"]["title"])
        for s in data["suggestions"]
    }
    assert ("delegate", "acme/api#20", "Pipeline tests flaky on CI") in suggested
    assert ("review", "acme/api!20", "Pipeline test retries") in suggested
