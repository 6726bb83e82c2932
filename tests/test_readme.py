"""The README's promises: two-command quick start, and a plugin example that works."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli

from .conftest import DEMO_NOW

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_quick_start_is_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```\n(.*?)```", section, re.S)[0].strip().splitlines()
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")


def test_readme_plugin_example_runs(in_tmp: Path) -> None:
    code = re.findall(r"```python\n(.*?)```", README, re.S)[0]
    (in_tmp / "leadkit_weekend.py").write_text(code)
    demo_config = (ROOT / "leadkit" / "demo" / "leadkit.toml").read_text()
    demo_config = demo_config.replace(
        'path = "team.json"', f'path = "{ROOT / "leadkit" / "demo" / "team.json"}"'
    )
    (in_tmp / "leadkit.toml").write_text(
        '[plugins]\npaths = ["leadkit_weekend.py"]\n\n' + demo_config
    )
    result = CliRunner().invoke(cli, ["report", "--format", "json", "--now", DEMO_NOW])
    assert result.exit_code == 0, result.output
    kinds = [f["kind"] for f in json.loads(result.stdout)["findings"]]
    # The demo team never works at weekends...
    assert "weekend-work" not in kinds
    # ...until the whole story moves two days later, so Thursdays and Fridays become weekends.
    shifted = CliRunner().invoke(
        cli,
        ["report", "--demo", "--format", "json", "--now", "2026-11-22T16:00:00Z"],
        env={"LEADKIT_PLUGINS": str(in_tmp / "leadkit_weekend.py")},
    )
    found = [f for f in json.loads(shifted.stdout)["findings"] if f["kind"] == "weekend-work"]
    assert found and found[0]["metrics"]["weekend_actions"] > 0
    listing = CliRunner().invoke(cli, ["plugins", "--json"])
    registers = {p["name"]: p["registers"] for p in json.loads(listing.stdout)}
    assert registers["leadkit_weekend"] == {"analyses": ["weekend-work"]}
