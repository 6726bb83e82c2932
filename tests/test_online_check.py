"""``leadkit config check --online`` against the fake GitHub and the fake Jira (Cloud and DC).

Each source makes its own cheap authenticated read and says what the token
sees; nothing is written; a file source has no online check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from leadkit.cli import cli
from tests.fakes.fake_github import FakeGitHub, FakeRepo
from tests.fakes.fake_jira import FakeJira, IssueSpec

NOW = datetime.now(UTC).replace(microsecond=0)
JIRA_EMAIL, JIRA_TOKEN, GITHUB_TOKEN = (
    "lead@acme.example",
    "jira-tok-online42",
    "ghp_onlineCheck0123456789ab",
)

CONFIG = """
[team]
lead = "jamie"

[people.jamie]
name = "Jamie Rivera"
jira = "acc-jamie"
github = "jamie-gh"

[[sources]]
type = "jira"
name = "acme-jira"
server = "{jira}"
deployment = "{deployment}"
email_env = "JIRA_EMAIL"
token_env = "JIRA_TOKEN"
projects = ["PIPE"]

[[sources]]
type = "github"
name = "acme-github"
base_url = "{github}"
repos = ["acme/dataflow", "acme/secret-infra", "platform/*"]

[[sources]]
type = "file"
name = "extra"
path = "extra.json"
"""


def issues() -> list[IssueSpec]:
    return [
        IssueSpec("PIPE-1", "Retry batches", NOW - timedelta(days=3), NOW - timedelta(days=1)),
        IssueSpec("PIPE-2", "Store outputs", NOW - timedelta(days=2), NOW - timedelta(days=1)),
    ]


def check(tmp_path: Path, gh: FakeGitHub, jira: FakeJira, deployment: str, **env: str) -> Result:
    config = tmp_path / "leadkit.toml"
    config.write_text(
        CONFIG.format(jira=jira.url, github=gh.url, deployment=deployment), encoding="utf-8"
    )
    (tmp_path / "extra.json").write_text('{"people": [], "work_items": []}', encoding="utf-8")
    environ = {
        "JIRA_EMAIL": JIRA_EMAIL,
        "JIRA_TOKEN": JIRA_TOKEN,
        "GITHUB_TOKEN": GITHUB_TOKEN,
        **env,
    }
    return CliRunner().invoke(
        cli, ["config", "check", "--config", str(config), "--online"], env=environ
    )


def repos() -> list[FakeRepo]:
    return [FakeRepo("acme/dataflow"), FakeRepo("platform/api"), FakeRepo("platform/web")]


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_each_source_says_what_its_token_sees(tmp_path: Path, deployment: str) -> None:
    kind = "Cloud" if deployment == "cloud" else "Server"
    with (
        FakeGitHub(repos(), token=GITHUB_TOKEN, viewer="jamie-gh") as gh,
        FakeJira(issues(), deployment=kind, credentials=(JIRA_EMAIL, JIRA_TOKEN)) as jira,
    ):
        result = check(tmp_path, gh, jira, deployment)
        assert result.exit_code == 0, result.output
        out = result.stdout.splitlines()
        assert "config ok" in out
        online = out[out.index("config ok") + 1 :]
        assert online[0] == "source acme-jira: runs as Me (me) on " + jira.url
        assert online[1].startswith("source acme-jira: JQL accepted, ")
        assert ("2 issues match" in online[1]) == (deployment == "datacenter")
        assert "project in (PIPE)" in online[1] or 'project in ("PIPE")' in online[1]
        assert online[2:] == [
            "source acme-github: the token in GITHUB_TOKEN runs as user jamie-gh",
            "source acme-github: repositories visible: acme/dataflow, platform/* (2 repositories)",
            "source acme-github: NOT visible (missing, or the token cannot read them): "
            "acme/secret-infra",
            "source acme-github: GraphQL points left this hour: 4999 of 5000",
            "source extra (file): no online check",
        ]
        assert gh.count() == 1 and gh.writes == []
        assert [m for m, _ in jira.calls if m not in ("GET",)] in ([], ["POST"])
        assert JIRA_TOKEN not in result.output and GITHUB_TOKEN not in result.output


def test_a_refused_token_is_named_and_the_check_fails(tmp_path: Path) -> None:
    with (
        FakeGitHub(repos(), token=GITHUB_TOKEN) as gh,
        FakeJira(issues(), credentials=(JIRA_EMAIL, JIRA_TOKEN)) as jira,
    ):
        result = check(tmp_path, gh, jira, "cloud", GITHUB_TOKEN="ghp_wrongToken0123456789abcd")
        assert result.exit_code == 2
        assert "source acme-github: online check FAILED: " in result.stdout
        assert "GITHUB_TOKEN" in result.stdout
        assert "source acme-jira: runs as Me" in result.stdout  # the others still checked
        assert result.stderr == "leadkit: error: online check failed for source acme-github\n"
        assert "wrongToken" not in result.output
