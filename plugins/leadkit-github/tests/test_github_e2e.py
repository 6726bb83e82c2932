"""End to end: the installed plugin, through the core and the CLI, against the fake GitHub."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from leadkit_github import GitHubSource

from leadkit.cli import cli
from leadkit.collect.fetch import collect
from leadkit.config import parse_config
from leadkit.model.interchange import dataset_to_json, dumps
from leadkit.plugins import load_plugins

from .conftest import NOW, TOKEN, WINDOW
from .fake_github import FakeIssue, FakePull, FakeRepo

CONFIG = """
[team]
name = "core"
lead = "jamie"
members = ["owen", "priya", "tommy"]

[people.jamie]
name = "Jamie Rivera"
github = "jamie"

[people.owen]
github = "owen"

[people.priya]
github = "priya"

[people.tommy]
github = "tommy"

[[sources]]
type = "github"
name = "gh"
repos = ["acme/*"]
"""


def team_repo() -> FakeRepo:
    """Owen's and Priya's PRs wait on Jamie; one of Jamie's own PRs was reviewed by Priya."""
    t = NOW - timedelta(days=4)
    pulls = [
        FakePull(
            n,
            f"PIPE-{n}: stage {n}",
            author,
            t,
            t + timedelta(hours=2),
            files=[f"pipeline/stage_{n}.py"],
            requests=[("requested", "jamie", t + timedelta(minutes=10), author)],
        )
        for n, author in ((1, "owen"), (2, "owen"), (3, "priya"))
    ]
    pulls.append(
        FakePull(
            4,
            "Ingest retries",
            "jamie",
            t - timedelta(days=3),
            t,
            state="MERGED",
            merged=t,
            closed=t,
            files=["ingest/retry.py"],
            requests=[("requested", "priya", t - timedelta(days=3), "jamie")],
            reviews=[("priya", "APPROVED", t - timedelta(days=2))],
        )
    )
    issues = [
        FakeIssue(
            10,
            "Test environment broken?",
            "owen",
            t,
            t + timedelta(days=1),
            labels=["bug"],
            assignees=["jamie"],
            comments=[("jamie", t + timedelta(hours=3), "Which runner do you use?")],
        )
    ]
    return FakeRepo("acme/api", pulls=pulls, issues=issues)


def test_the_plugin_is_found_through_its_entry_point():
    host = load_plugins(environ={})
    assert host.sources["github"] is GitHubSource
    info = host.infos["github"]
    assert info.error is None and info.distribution == "leadkit-github"
    assert info.registers == {"sources": ["github"]}


def test_collect_through_the_core(serve, tmp_path: Path):
    fake = serve([team_repo()])
    config = parse_config(CONFIG, tmp_path / "leadkit.toml")
    host = load_plugins(environ={})
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url}
    collection = collect(host, config, WINDOW, environ=env)
    data = collection.dataset
    assert sorted(r.ref for r in data.reviews) == [f"acme/api#{n}" for n in (1, 2, 3, 4)]
    assert [i.key for i in data.work_items] == ["acme/api#10"]
    assert {p.id for p in data.people} >= {"github:jamie", "github:owen", "github:priya"}
    assert data.sources == ["gh"]
    (stats,) = collection.stats
    assert stats.requests == 2  # one org listing + one GraphQL page
    assert stats.items == 5


def run_report(config: Path, env: dict[str, str]) -> dict:
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--config",
            str(config),
            "--source",
            "gh",
            "--now",
            "2026-03-02T12:00:00Z",
            "--format",
            "json",
            "--stats",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_report_finds_the_review_queue_and_matches_the_file_adapter(serve, tmp_path: Path):
    fake = serve([team_repo()])
    config = tmp_path / "leadkit.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url}
    report = run_report(config, env)
    findings = {f["id"]: f for f in report["findings"]}
    queue = findings["review-queue"]
    assert queue["computed"] is True
    waiting = sorted(item["number"] for item in queue["items"])
    assert waiting == [1, 2, 3]

    # The same data through the file adapter gives the same findings.
    host = load_plugins(environ={})
    data = collect(host, parse_config(CONFIG, config), WINDOW, environ=env).dataset
    (tmp_path / "team.json").write_text(dumps(dataset_to_json(data)), encoding="utf-8")
    file_config = tmp_path / "file.toml"
    file_config.write_text(
        CONFIG.split("[[sources]]")[0]
        + '[[sources]]\ntype = "file"\nname = "gh"\npath = "team.json"\n',
        encoding="utf-8",
    )
    from_file = run_report(file_config, {})
    assert from_file["findings"] == report["findings"]


def test_cli_shows_a_rejected_token_as_one_line(serve, tmp_path: Path):
    fake = serve([team_repo()])
    config = tmp_path / "leadkit.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {"GITHUB_TOKEN": "wrong-token-value", "GITHUB_API_URL": fake.url}
    for args in (["report"], ["--debug", "report"]):
        result = CliRunner().invoke(
            cli, [*args, "--config", str(config), "--now", "2026-03-02T12:00:00Z"], env=env
        )
        assert result.exit_code == 2
        assert "the token in GITHUB_TOKEN was rejected" in result.output
        assert "wrong-token-value" not in result.output
