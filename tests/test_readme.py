"""The README's promises: two-command quick start, and a plugin example that works."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli

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
    """The weekend-work kind, its gate and its config, exactly as the README shows them."""
    section = README.split("## Writing a plugin", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    config = re.findall(r"```toml\n(.*?)```", section, re.S)[0]
    shell = re.findall(r"```\n(\$ leadkit .*?)```", section, re.S)[0]
    (in_tmp / "leadkit_weekend.py").write_text(code)
    (in_tmp / "mine.toml").write_text(config)
    command = shell.splitlines()[0].removeprefix("$ leadkit ").split()
    assert command == ["report", "--demo", "--config", "mine.toml", "--since", "70d", "--check"]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1, result.output
    shown = [line for line in shell.splitlines()[1:] if line.startswith("gate ")]
    assert shown and result.stderr.splitlines()[: len(shown)] == shown
    assert result.stderr.splitlines()[-1] == "1 of 1 evaluated gates failed"
    doc = json.loads(CliRunner().invoke(cli, [*command[:-1], "--format", "json"]).stdout)
    (weekend,) = [f for f in doc["findings"] if f["kind"] == "weekend-work"]
    assert weekend["metrics"] == {"weekend_actions": 2} and weekend["severity"] == "warn"
    listing = CliRunner().invoke(cli, ["plugins", "--json", "--config", "mine.toml"])
    registers = {p["name"]: p["registers"] for p in json.loads(listing.stdout)}
    assert registers["leadkit_weekend"] == {"analyses": ["weekend-work"]}


def test_readme_plugin_kind_gets_what_a_builtin_gets(in_tmp: Path) -> None:
    """Its threshold is validated, its action is ranked, its gate is known to the config."""
    section = README.split("## Writing a plugin", 1)[1].split("\n## ", 1)[0]
    (in_tmp / "leadkit_weekend.py").write_text(re.findall(r"```python\n(.*?)```", section, re.S)[0])
    (in_tmp / "mine.toml").write_text(
        '[plugins]\npaths = ["leadkit_weekend.py"]\n\n[thresholds]\nweekend_actions_warn = 1\n'
        "\n[analysis]\nmax_actions = 20\n"  # room beside the built-in kinds' actions
    )
    args = ["report", "--demo", "--config", "mine.toml", "--since", "70d", "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    actions = {a["kind"]: a for a in json.loads(result.stdout)["actions"]}
    assert actions["protect-weekends"]["findings"] == ["weekend-work"]
    # Ranked with every other kind's: nobody waits on it, so it comes after every unblocking.
    assert actions["protect-weekends"]["rank"] > actions["unblock"]["rank"]
    (in_tmp / "mine.toml").write_text(
        '[plugins]\npaths = ["leadkit_weekend.py"]\n\n[gates]\nmax_weekend_action = 1\n'
    )
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "gates.max_weekend_action is not a known key" in result.stderr
    assert "max_weekend_actions" in result.stderr  # the known ones are listed


def test_make_help_lists_every_target_with_a_line() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):(?!=)", makefile, re.M)
    phony = re.search(r"^\.PHONY: (.*)$", makefile, re.M)
    assert phony and sorted(phony[1].split()) == sorted(targets)
    shown = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    assert [line.split()[1] for line in shown] == targets
    assert all(len(line.split()) > 3 for line in shown)  # each with what it does
    assert "make help" in README
