"""End to end: a GitLab team's report through the CLI (the story in ``story.py``; the same
team on GitHub is compared in the core's ``tests/test_gitlab_vs_github.py``)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from leadkit_gitlab import GitLabSource

from leadkit.cli import cli
from leadkit.plugins import load_plugins

from .conftest import NOW, TOKEN
from .story import GITLAB_SOURCE, PEOPLE, Change, as_gitlab, report, story


def test_the_plugin_is_found_through_its_entry_point():
    host = load_plugins(environ={})
    assert host.sources["gitlab"] is GitLabSource
    info = host.infos["gitlab"]
    assert info.error is None and info.distribution == "leadkit-gitlab"
    assert info.registers == {"sources": ["gitlab"]}


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
