"""Several teams in one config: a section per team, or one team with --team."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.errors import ConfigError
from leadkit.model.interchange import dataset_to_json, dumps
from leadkit.testing import Team, ago, finding, findings, request


def two_teams() -> Team:
    team = Team(lead="jamie", members=["owen", "priya"], name="dataflow")
    team.add_team("platform", "kim", ["lee", "max"])
    team.pr(41, author="owen", created=ago(4), requests=[request("jamie", ago(4))])
    team.pr(51, author="lee", created=ago(0, 5), requests=[request("kim", ago(0, 5))])
    team.item("PLAT-1", assignee="max", created=ago(20), transitions=[])
    return team


def test_each_team_gets_its_own_section_with_its_own_lead() -> None:
    doc = two_teams().json()
    assert [{k: t[k] for k in ("name", "lead", "members")} for t in doc["teams"]] == [
        {"name": "dataflow", "lead": "jamie", "members": ["owen", "priya"]},
        {"name": "platform", "lead": "kim", "members": ["lee", "max"]},
    ]
    queues = findings(doc, "review-queue")
    assert [(f["team"], f["id"], f["people"]) for f in queues] == [
        ("dataflow", "dataflow/review-queue", ["jamie", "owen"]),
        ("platform", "platform/review-queue", ["kim", "lee"]),
    ]
    assert [f["severity"] for f in queues] == ["high", "info"]
    # Max's quiet work is the platform lead's check-in, not Jamie's.
    quiet = findings(doc, "quiet-work")
    assert [(f["team"], f["people"]) for f in quiet] == [("platform", ["max"])]
    # Ids are unique across teams, and every action points at its own team's findings.
    ids = [f["id"] for f in doc["findings"]] + [s["id"] for s in doc["suggestions"]]
    assert len(ids) == len(set(ids))
    for action in doc["actions"]:
        for fid in action["findings"]:
            assert fid.startswith(action["team"] + "/")
    assert {a["team"] for a in doc["actions"]} == {"dataflow", "platform"}


def test_one_team_can_be_picked() -> None:
    doc = two_teams().json(team="platform")
    assert [t["name"] for t in doc["teams"]] == ["platform"]
    assert {f["team"] for f in doc["findings"]} == {"platform"}
    assert finding(doc, "review-queue")["id"] == "review-queue"
    assert "jamie" not in {p["id"] for p in doc["people"]}


def test_an_unknown_team_names_the_known_ones() -> None:
    with pytest.raises(
        ConfigError, match=r"no team named 'nope' in the config \(teams: dataflow, platform\)"
    ):
        two_teams().report(team="nope")


def test_the_cli_team_option(tmp_path: Path) -> None:
    team = two_teams()
    (tmp_path / "team.json").write_text(dumps(dataset_to_json(team.dataset())))
    leads = "".join(f'\n[people.{lead}]\ngithub = "{lead}"\n' for lead in ("jamie", "kim"))
    config = team.config_text() + leads + '\n[[sources]]\ntype = "file"\npath = "team.json"\n'
    (tmp_path / "leadkit.toml").write_text(config)
    args = ["report", "--config", str(tmp_path / "leadkit.toml"), "--now", "2026-11-20T16:00:00Z"]
    result = CliRunner().invoke(cli, [*args, "--team", "platform", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [t["name"] for t in doc["teams"]] == ["platform"]
    assert [f["people"] for f in findings(doc, "review-queue")] == [["kim", "lee"]]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert [t["name"] for t in json.loads(result.stdout)["teams"]] == ["dataflow", "platform"]
