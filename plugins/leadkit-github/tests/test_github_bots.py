"""Bots and team requests, end to end from the fake GitHub's GraphQL to the report."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.model.interchange import dataset_from_json, dataset_to_json

from .conftest import NOW, TOKEN, WINDOW, make_adapter
from .fake_github import FakePull, FakeRepo

CONFIG = """
[team]
lead = "jamie"

[people.jamie]
name = "Jamie Rivera"
github = "jamie"

[[sources]]
type = "github"
name = "gh"
repos = ["acme/*"]
"""


def repo() -> FakeRepo:
    """Owen's PR waits on Jamie; dependabot's and renovate's wait longer; a team was asked on
    Priya's. Owen and Priya each merged two more: three PRs make a member of a team with no
    work tracker."""
    t = NOW - timedelta(days=4)  # a Thursday noon: 16 working hours (2 days) before Monday noon
    old = NOW - timedelta(days=9)
    merged = [
        FakePull(
            10 + n,
            f"Earlier change {n}",
            author,
            NOW - timedelta(days=20 + n),
            NOW - timedelta(days=19 + n),
            state="MERGED",
            merged=NOW - timedelta(days=19 + n),
            closed=NOW - timedelta(days=19 + n),
        )
        for n, author in enumerate(["owen", "priya"] * 2)
    ]
    return FakeRepo(
        "acme/api",
        pulls=[
            *merged,
            FakePull(
                1, "Retry uploads", "owen", t, t, requests=[("requested", "jamie", t, "owen")]
            ),
            FakePull(
                2,
                "Bump requests from 2.31 to 2.32",
                "dependabot[bot]",
                old,
                old,
                requests=[("requested", "jamie", old, "dependabot[bot]")],
                comments=[("codecov[bot]", old, "Coverage is 81%. Want a report?")],
            ),
            FakePull(
                3,
                "Update dependency ruff to v0.6",
                "renovate[bot]",
                old,
                old,
                requests=[("requested", "jamie", old, "renovate[bot]")],
            ),
            FakePull(
                4,
                "Schema registry client",
                "priya",
                old,
                old,
                requests=[("requested", "acme/core", old, "priya")],
            ),
        ],
    )


def test_bot_actors_are_flagged_in_the_dataset_and_survive_the_file_format(serve):
    fake = serve([repo()], teams={"acme/core": ["jamie", "priya"]})
    data = make_adapter(fake.url).collect(WINDOW)
    bots = {p.id for p in data.people if p.is_automation}
    assert bots == {"github:dependabot", "github:renovate", "github:codecov"}
    dependabot = next(p for p in data.people if p.id == "github:dependabot")
    assert dependabot.accounts[0].bot is True
    again = dataset_from_json(json.loads(json.dumps(dataset_to_json(data))), "test")
    assert {p.id for p in again.people if p.accounts[0].bot} == bots


def test_a_minimal_config_leaves_bots_and_team_requests_out_of_the_lead_s_queue(
    serve, tmp_path: Path
):
    fake = serve([repo()], teams={"acme/core": ["jamie", "priya"]})
    config = tmp_path / "leadkit.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["report", "--config", str(config), "--now", NOW.isoformat(), "--format", "json"],
        env={"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url},
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (team,) = doc["teams"]
    assert team["members"] == ["github:owen", "github:priya"]
    queue = next(f for f in doc["findings"] if f["kind"] == "review-queue")
    assert [i["number"] for i in queue["items"]] == [1]
    assert queue["metrics"]["bot_prs_waiting"] == 2
    assert queue["metrics"]["team_requests_waiting"] == 1
    assert queue["metrics"]["oldest_waiting_hours"] == 16.0
    assert queue["metrics"]["oldest_waiting_days"] == 2.0
    assert "2 bot PRs" in queue["message"]
    assert {p["id"] for p in doc["people"]}.isdisjoint(
        {"github:dependabot", "github:renovate", "github:codecov"}
    )
