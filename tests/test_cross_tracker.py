"""Issue 5's end-to-end test: `leadkit report` over the fake Jira and the fake GitHub together.

Owen is configured by name only: identity merging must join his Jira account
and his GitHub login into one person. Jamie (the lead) holds PIPE-1, which
blocks Owen's PIPE-2, and Owen's PR for PIPE-2 waits on Jamie's review, so
both ``blocking-work`` and ``review-queue`` must come out.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from leadkit.cli import cli
from tests.fakes.fake_github import FakeGitHub, FakePull, FakeRepo
from tests.fakes.fake_jira import FakeJira, FakeUser, IssueSpec, status_change

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
JIRA_EMAIL, JIRA_TOKEN, GITHUB_TOKEN = "lead@acme.example", "jira-tok-7a6b5c4d", "gh-tok-1e2f3a4b"


def jira_issues() -> list[IssueSpec]:
    return [
        IssueSpec(
            "PIPE-1",
            "Multi-stage pipeline",
            NOW - 20 * DAY,
            NOW - 2 * DAY,
            type="Story",
            status="In Progress",
            assignee="acc-jamie",
            reporter="acc-jamie",
            links=[("blocks", "PIPE-2")],
            histories=[status_change(NOW - 15 * DAY, "acc-jamie", "To Do", "In Progress")],
        ),
        IssueSpec(
            "PIPE-2",
            "Test environment for ingest",
            NOW - 10 * DAY,
            NOW - 1 * DAY,
            status="In Progress",
            assignee="acc-owen",
            reporter="acc-owen",
            links=[("is-blocked-by", "PIPE-1")],
            histories=[status_change(NOW - 6 * DAY, "acc-owen", "To Do", "In Progress")],
        ),
    ]


def github_repos() -> list[FakeRepo]:
    pull = FakePull(
        7,
        "PIPE-2: ingest test environment",
        "owen-dev",
        NOW - 4 * DAY,
        NOW - 3 * DAY,
        branch="PIPE-2-test-env",
        files=["ingest/env.py"],
        requests=[("requested", "jamie-gh", NOW - 3 * DAY, "owen-dev")],
    )
    return [FakeRepo("acme/api", pulls=[pull])]


CONFIG = """
[team]
lead = "jamie"
members = ["owen"]

[people.jamie]
name = "Jamie Lead"
jira = "acc-jamie"
github = "jamie-gh"

[people.owen]
name = "Owen Dev"   # no accounts: merging must find his Jira account and GitHub login

[[sources]]
type = "jira"
name = "acme-jira"
server = "{jira}"
deployment = "cloud"
email_env = "JIRA_EMAIL"
token_env = "JIRA_TOKEN"
projects = ["PIPE"]
timezone = "UTC"

[[sources]]
type = "github"
name = "acme-github"
base_url = "{github}"
repos = ["acme/api"]
"""


def test_report_over_fake_jira_and_fake_github_merges_owen_and_finds_both(tmp_path):
    users = [
        FakeUser("acc-jamie", "Jamie Lead", "jamie@acme.example"),
        FakeUser("acc-owen", "Owen Dev", "owen@acme.example"),
    ]
    github_users = {"owen-dev": ("Owen Dev", "owen@acme.example"), "jamie-gh": ("Jamie Lead", None)}
    with (
        FakeJira(jira_issues(), users, credentials=(JIRA_EMAIL, JIRA_TOKEN)) as jira,
        FakeGitHub(github_repos(), users=github_users, token=GITHUB_TOKEN) as github,
    ):
        config = tmp_path / "leadkit.toml"
        config.write_text(CONFIG.format(jira=jira.url, github=github.url), encoding="utf-8")
        env = {
            "JIRA_EMAIL": JIRA_EMAIL,
            "JIRA_TOKEN": JIRA_TOKEN,
            "GITHUB_TOKEN": GITHUB_TOKEN,
            "GITHUB_API_URL": None,
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "LEADKIT_CONFIG": None,
            "LEADKIT_PLUGINS": None,
            "LEADKIT_DISABLE_PLUGINS": None,
        }
        args = ["report", "--config", str(config), "--now", "2026-11-23T09:00:00Z"]
        result = CliRunner().invoke(cli, [*args, "--format", "json", "--stats"], env=env)
        jira_requests, github_requests = jira.count(), github.count()

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)

    owens = [p for p in report["people"] if "owen" in p["name"].lower()]
    assert len(owens) == 1
    assert owens[0]["id"] == "owen"
    assert owens[0]["accounts"] == {"github": ["owen-dev"], "jira": ["acc-owen"]}

    findings = {f["kind"]: f for f in report["findings"]}
    blocking = findings["blocking-work"]
    assert {i["key"] for i in blocking["items"] if "key" in i} == {"PIPE-1", "PIPE-2"}
    assert blocking["people"] == ["jamie", "owen"]
    queue = findings["review-queue"]
    assert [w["pr"] for w in queue["metrics"]["waiting"]] == ["acme/api#7"]
    assert queue["metrics"]["waiting"][0]["author"] == "owen"

    # --stats: one search request for Jira, one GraphQL page for GitHub
    assert (jira_requests, github_requests) == (1, 1)
    assert "acme-jira" in result.stderr and "acme-github" in result.stderr
    for secret in (JIRA_TOKEN, GITHUB_TOKEN):
        assert secret not in result.output
