"""Growth goals match whole words of any length, labels, components and areas (issue 19, item 7),
and ``config check`` warns about a goal that matches nothing in the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.testing import Team, ago, suggestions

DEMO_DATA = Path(__file__).resolve().parents[2] / "leadkit" / "demo" / "team.json"


def team_with_goal(goal: str) -> Team:
    """Kim did the platform work; Jamie holds four items that short goals name."""
    team = Team(members=["kim", "sam"])
    team.person("kim", growth=[goal])
    for n in range(3):
        team.item(f"PLAT-{n + 1}", assignee="kim", status="Done", components=["platform"])
    team.item("PLAT-10", assignee="jamie", status="To Do", labels=["ops"], components=["platform"])
    team.item("PLAT-11", assignee="jamie", status="To Do", title="QA pass on the release")
    team.item("PLAT-12", assignee="jamie", status="To Do", title="Move the runners to k8s")
    team.item("PLAT-13", assignee="jamie", status="To Do", title="UI polish", components=["ui"])
    team.item("SAM-1", assignee="sam", status="Done", components=["ui"], updated=ago(2))
    return team


@pytest.mark.parametrize(
    ("goal", "item"),
    [
        ("ops", "PLAT-10"),  # the ops label
        ("qa", "PLAT-11"),  # a two-letter word of the title
        ("learn k8s", "PLAT-12"),
        ("ui", "PLAT-13"),  # the ui component
    ],
)
def test_a_short_goal_matches_a_whole_word_label_or_component(goal: str, item: str) -> None:
    found = {s["to"]: s for s in suggestions(team_with_goal(goal).json(), item)}
    assert found["kim"]["parts"]["growth"] == 1.0
    assert found["kim"]["evidence"]["growth_goal"] == goal
    assert f"wants to learn {goal}" in found["kim"]["rationale"]


def test_a_goal_matches_whole_words_not_parts_of_words() -> None:
    # "ops" is not in "shops" or "workshops": no growth match on the shop item.
    team = team_with_goal("ops")
    team.item("PLAT-14", assignee="jamie", status="To Do", title="Workshops for shops")
    found = {s["to"]: s for s in suggestions(team.json(), "PLAT-14")}
    assert all(s["parts"]["growth"] == 0.0 for s in found.values())


def test_config_check_warns_about_a_goal_that_matches_nothing_in_the_data(tmp_path: Path) -> None:
    shutil.copy(DEMO_DATA, tmp_path / "team.json")
    config = tmp_path / "leadkit.toml"
    config.write_text(
        '[team]\nlead = "jamie"\nmembers = ["owen"]\n'
        '[people.jamie]\njira = "jamie.rivera@example.com"\ngithub = "jrivera-dev"\n'
        '[people.owen]\nname = "Owen Hart"\ngrowth = ["ingestion", "sre", "quantum computing"]\n'
        '[[sources]]\ntype = "file"\nname = "demo"\npath = "team.json"\n'
    )
    result = CliRunner().invoke(cli, ["config", "check", "--config", str(config)])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "growth" in line]
    assert warned == [
        f"warning: people.owen.growth '{goal}' matches nothing in the data (no item title, "
        "label or component, PR title or folder has any of its words): no suggestion will be "
        "made for it"
        for goal in ("sre", "quantum computing")
    ]
    assert result.output.rstrip().endswith("config ok")
