"""``leadkit apply`` reassigns a PR's linked Jira ticket through the fake Jira (when allowed).

Jamie holds PIPE-201 (a bug); Owen's PR on branch ``PIPE-201-retry`` waits on
Jamie's review; Priya wants to learn ingestion. The comment offers to hand
PIPE-201 to Priya; ticking it reassigns the ticket with Priya's accountId.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from click.testing import CliRunner, Result

from leadkit.cli import cli
from leadkit.pr.comment import MARKER
from tests.fakes.fake_github import FakeGitHub, FakePull, FakeRepo
from tests.fakes.fake_jira import FakeJira, FakeUser, IssueSpec, status_change

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
JIRA_EMAIL, JIRA_TOKEN, GITHUB_TOKEN = "lead@acme.example", "jira-tok-9z8y7x", "gh-tok-5d6e7f8a"
ARGS = ["--repo", "acme/dataflow", "--pr", "141", "--now", "2026-11-23T09:00:00Z"]

CONFIG = """
[team]
lead = "jamie"
members = ["owen", "priya"]

[people.jamie]
name = "Jamie Rivera"
jira = "acc-jamie"
github = "jamie-gh"

[people.owen]
name = "Owen Hart"
jira = "acc-owen"
github = "owen-gh"

[people.priya]
name = "Priya Shah"
jira = "acc-priya"
github = "priya-gh"
growth = ["ingestion retries"]

[delegation]
allow_reassign = {allow}

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
repos = ["acme/dataflow"]
include_issues = false
"""


def jira_issues() -> list[IssueSpec]:
    return [
        IssueSpec(
            "PIPE-201",
            "Ingestion retries lose batches",
            NOW - 12 * DAY,
            NOW - 2 * DAY,
            type="Bug",
            status="In Progress",
            assignee="acc-jamie",
            reporter="acc-owen",
            histories=[status_change(NOW - 10 * DAY, "acc-jamie", "To Do", "In Progress")],
        )
    ]


def github_repo() -> FakeRepo:
    pull = FakePull(
        141,
        "Retry failed ingestion batches",
        "owen-gh",
        NOW - 4 * DAY,
        NOW - 3 * DAY,
        branch="PIPE-201-retry",
        files=["ingestion/retry.py"],
        requests=[("requested", "jamie-gh", NOW - 3 * DAY, "owen-gh")],
    )
    return FakeRepo("acme/dataflow", pulls=[pull])


def comment_tick_and_apply(
    tmp_path: Path, *, allow: bool, before_apply: Callable[[FakeJira], None] | None = None
) -> tuple[Result, str, FakeJira]:
    """Post the comment, tick the hand-off to Priya, run apply: its result, the body, the fake."""
    users = [
        FakeUser("acc-jamie", "Jamie Rivera"),
        FakeUser("acc-owen", "Owen Hart"),
        FakeUser("acc-priya", "Priya Shah"),
    ]
    with (
        FakeJira(jira_issues(), users, credentials=(JIRA_EMAIL, JIRA_TOKEN)) as jira,
        FakeGitHub([github_repo()], token=GITHUB_TOKEN) as github,
    ):
        github.now = NOW
        config = tmp_path / "leadkit.toml"
        config.write_text(
            CONFIG.format(jira=jira.url, github=github.url, allow=str(allow).lower()),
            encoding="utf-8",
        )
        env = {
            "JIRA_EMAIL": JIRA_EMAIL,
            "JIRA_TOKEN": JIRA_TOKEN,
            "GITHUB_TOKEN": GITHUB_TOKEN,
            "GITHUB_API_URL": None,
            "GITHUB_EVENT_PATH": None,
            "GITHUB_REPOSITORY": None,
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "LEADKIT_CONFIG": None,
            "LEADKIT_PLUGINS": None,
            "LEADKIT_DISABLE_PLUGINS": None,
        }
        runner = CliRunner()
        first = runner.invoke(cli, ["comment", "--config", str(config), *ARGS], env=env)
        assert first.exit_code == 0, first.output
        (comment,) = github.comments[("acme/dataflow", 141)]
        assert LINE in comment["body"] and MARKER in comment["body"]
        ticked = "\n".join(
            "- [x]" + text[5:] if text.endswith(LINE) else text
            for text in comment["body"].split("\n")
        )
        github.edit_comment(comment, ticked, "jamie-gh")  # the lead ticks it
        if before_apply is not None:
            before_apply(jira)
        result = runner.invoke(cli, ["apply", "--config", str(config), *ARGS], env=env)
    return result, comment["body"], jira


LINE = "<!-- s:delegate:PIPE-201:priya -->"


@pytest.mark.parametrize("allow", [True, False])
def test_apply_reassigns_the_linked_jira_ticket_only_when_allowed(tmp_path, allow):
    result, body, jira = comment_tick_and_apply(tmp_path, allow=allow)
    assert result.exit_code == 0, result.output
    if allow:
        assert jira.assigned == [("PIPE-201", {"accountId": "acc-priya"})], result.output + body
        assert "Reassigned PIPE\\-201 from Jamie Rivera to Priya Shah" in body
        assert LINE not in body
    else:
        assert jira.assigned == []
        assert "**Not carried out**" in body and "allow\\_reassign = true" in body
        assert any(t.startswith("- [ ]") and t.endswith(LINE) for t in body.split("\n"))
    for secret in (JIRA_TOKEN, GITHUB_TOKEN):
        assert secret not in result.output + body


def test_a_jira_error_echoing_basic_auth_is_masked_in_the_output_and_the_pr_comment(tmp_path):
    """Defect: Jira's error body echoed ``Authorization: Basic base64(email:token)``, which the
    token-only redaction missed, into stderr and the "failed:" record of the PR comment."""
    basic = base64.b64encode(f"{JIRA_EMAIL}:{JIRA_TOKEN}".encode()).decode()
    other = base64.b64encode(f"admin:{JIRA_TOKEN}".encode()).decode()
    echo = (
        f"Request rejected. Headers: Authorization: Basic {basic}; "
        f"forwarded as {other}; query token={quote_plus(JIRA_TOKEN)}"
    )

    def fail_the_reassign(jira: FakeJira) -> None:
        jira.fail_next(400, body={"errorMessages": [echo]}, method="PUT")

    result, body, jira = comment_tick_and_apply(
        tmp_path, allow=True, before_apply=fail_the_reassign
    )
    assert jira.assigned == []
    assert "failed" in body and "Request rejected" in body, body
    shown = result.output + body
    for leaked in (basic, other, JIRA_TOKEN, quote_plus(JIRA_TOKEN), GITHUB_TOKEN):
        assert leaked not in shown
    assert "Authorization: Basic \\*\\*\\*" in body  # the header is named, its value masked
