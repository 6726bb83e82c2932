"""A finding kind is the unit of extension: a plugin's kind gets everything a built-in gets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.plugins import load_plugins

from .conftest import DEMO_NOW, PLUGIN_FILES

ROOT = Path(__file__).resolve().parent.parent
KIND_PLUGIN = {"LEADKIT_PLUGINS": str(PLUGIN_FILES / "kind_everything.py")}


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={**KIND_PLUGIN, **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def demo(*args: str) -> list[str]:
    return ["report", "--demo", "--now", DEMO_NOW, *args]


def test_a_plugin_kind_is_ranked_rendered_and_charted_like_a_builtin() -> None:
    code, out, err = run(demo("--format", "json"))
    assert code == 0, err
    doc = json.loads(out)
    (found,) = [f for f in doc["findings"] if f["kind"] == "open-prs"]
    assert found["metrics"] == {"open_prs": 4, "first": "acme/dataflow#139", "author": "jamie"}
    # Its tier puts it with the people blocked: after Priya, who has waited longer.
    first, top = doc["actions"][:2]
    assert first["kind"] == "unblock"
    assert (top["kind"], top["message"]) == ("look", "Look at acme/dataflow#139 (a test action)")
    code, markdown, _ = run(demo("--format", "markdown", "--audience", "team"))
    assert (
        "**Open PRs Jamie Rivera should see**" in markdown and "| who | PRs | share |" in markdown
    )
    assert "lead only" not in markdown
    for fmt in ("text", "markdown"):
        code, text, _ = run(demo("--format", fmt))
        assert "Opened first by Jamie Rivera" in text, fmt


def test_a_plugin_kinds_threshold_and_gate_are_the_configs(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text("[thresholds]\nopen_prs_warn = 9\n\n[gates]\nmax_open_prs = 3\n")
    code, out, err = run(demo("--config", str(mine), "--check", "--format", "json"))
    assert code == 1
    assert "gate max_open_prs failed: 4 PRs are open, limit 3 (team dataflow)" in err
    (found,) = [f for f in json.loads(out)["findings"] if f["kind"] == "open-prs"]
    assert found["severity"] == "info"  # open_prs_warn = 9
    without = CliRunner().invoke(cli, demo("--config", str(mine)))
    assert without.exit_code == 2  # without the plugin, neither key is known
    assert "thresholds.open_prs_warn is not a known key" in without.stderr


def test_a_plugin_kinds_note_goes_in_the_pr_comment() -> None:
    args = ["comment", "--demo", "--now", DEMO_NOW, "--dry-run", "--repo", "acme/dataflow"]
    code, out, err = run([*args, "--pr", "139"], env={"GITHUB_TOKEN": ""})
    assert code == 0, err
    assert "- Jamie Rivera should look at this one first \\(a test note\\)\\." in out


CORE = sorted(
    str(p.relative_to(ROOT / "leadkit"))
    for p in (ROOT / "leadkit").rglob("*.py")
    if "builtins/kinds" not in p.as_posix()
)


@pytest.mark.parametrize("module", CORE)
def test_the_core_names_no_finding_kind(module: str) -> None:
    """Ranking, gates, the PR comment, the renderers (the whole core) loop over the kinds."""
    source = (ROOT / "leadkit" / module).read_text(encoding="utf-8")
    for kind in load_plugins(use_entry_points=False, environ={}).kinds:
        if kind.kind == "delegation":
            continue  # also the name of the [delegation] config table and its rules
        assert f'"{kind.kind}"' not in source, f"{module} has a branch for {kind.kind}"
        for gate in kind.gates:
            assert gate.name not in source, f"{module} names the gate {gate.name}"
