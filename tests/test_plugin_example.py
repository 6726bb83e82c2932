"""The plugin example in docs/plugins.md works as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(), re.S)


def csv_plugin() -> str:
    (code,) = [b for b in blocks("python") if "class CsvSource" in b]
    return code


def test_documented_csv_plugin_runs_end_to_end(in_tmp: Path) -> None:
    (in_tmp / "leadkit_csv.py").write_text(csv_plugin())
    toml = blocks("toml")[0]
    (in_tmp / "leadkit.toml").write_text(
        '[team]\nlead = "sam"\nmembers = ["kim"]\n\n[people.kim]\ncsv = "kim"\n\n' + toml
    )
    (in_tmp / "tickets.csv").write_text(
        "key,title,type,status,assignee,created,updated\n"
        "T-1,Fix the flaky deploy,Bug,In Progress,sam,2026-11-01T09:00:00,2026-11-02T09:00:00\n"
        "T-2,Quiet task,Task,In Progress,kim,2026-11-01T09:00:00,2026-11-03T09:00:00\n"
    )
    listing = CliRunner().invoke(cli, ["plugins", "--json"])
    assert listing.exit_code == 0, listing.output
    plugin = {p["name"]: p for p in json.loads(listing.output)}["leadkit_csv"]
    assert plugin["registers"] == {"sources": ["csv"]} and plugin["version"] == "0.1.0"
    result = CliRunner().invoke(
        cli, ["report", "--format", "json", "--now", "2026-11-20T12:00:00Z"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    kinds = {f["kind"] for f in report["findings"]}
    assert "quiet-work" in kinds  # kim's T-2 has been quiet for 17 days
    quiet = next(f for f in report["findings"] if f["kind"] == "quiet-work")
    assert quiet["people"] == ["kim"] and quiet["items"][0]["key"] == "T-2"
    delegated = [s for s in report["suggestions"] if s["item"].get("key") == "T-1"]
    assert delegated == [] or delegated[0]["to"] == "kim"


@pytest.mark.parametrize("hook", ["register_sources"])
def test_example_uses_a_documented_hook(hook: str) -> None:
    assert f"def {hook}(register)" in csv_plugin()
