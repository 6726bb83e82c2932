"""Config keys and flags that cannot mean anything are refused, naming the key and its line
(one line, exit 2), never read as something else: no working day as every day, a bare
holiday string, a period that ends before it starts, an unknown key of a ``file`` source,
``--max-age nan`` while no store is read, an empty ``--since``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit import demo
from leadkit.cli import cli

from .conftest import DEMO_NOW

DEMO_TOML = (demo.directory() / "leadkit.toml").read_text(encoding="utf-8")
DATA = demo.directory() / "team.json"


def config_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEMO_TOML.replace('path = "team.json"', f'path = "{DATA}"')
    assert old in text
    path = tmp_path / "leadkit.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def refused(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", "--config", str(config), "--now", DEMO_NOW, *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "internal error" not in line
    return line


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            'timezone = "Europe/London"',
            'timezone = "Europe/London"\nworking_days = []',
            "working_days",
            'team.working_days names no day: list the days the team works, like ["mon", "tue", '
            '"wed", "thu", "fri"]',
        ),
        (
            'timezone = "Europe/London"',
            'timezone = "Europe/London"\nholidays = "2026-12-24"',
            "holidays",
            "team.holidays must be a list of days and ranges like "
            '["2026-12-24", "2026-12-28..2026-12-31"], got \'2026-12-24\'',
        ),
        (
            'name = "Owen Hart"',
            'name = "Owen Hart"\naway = ["2026-11-10..2026-11-01"]',
            "away",
            "people.owen.away has '2026-11-10..2026-11-01', which ends before it starts",
        ),
        (
            'name = "Owen Hart"',
            'name = "Owen Hart"\naway = [{ from = "2026-11-10T12:00:00Z", to = "2026-11-10T09:00:00Z" }]',
            "away",
            "people.owen.away has {'from': '2026-11-10T12:00:00Z', 'to': '2026-11-10T09:00:..., "
            "which ends before it starts",
        ),
    ],
)
def test_a_config_value_that_cannot_mean_anything_is_refused_naming_key_and_line(
    old: str, new: str, needle: str, message: str, tmp_path: Path
) -> None:
    config = config_with(tmp_path, old, new)
    line = refused(config)
    assert line == f"leadkit: error: {config}, line {line_of(config, needle)}: {message}"


def test_an_unknown_key_in_a_file_source_is_refused_naming_its_line(tmp_path: Path) -> None:
    config = config_with(tmp_path, 'name = "demo"', 'name = "demo"\npaht = "other.json"')
    line = refused(config)
    assert line == (
        "leadkit: error: source 'demo': paht is not a known option (known: path) "
        f"({config}, line {line_of(config, 'paht')})"
    )


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--max-age", "nan", "--max-age 'nan' is not a duration"),
        ("--max-age", "", "--max-age '' is not a duration"),
        ("--since", "", "--since '' is neither a duration"),
        ("--until", "", "--until '' is not a date or time"),
    ],
)
def test_a_flag_that_cannot_mean_anything_is_refused_even_when_unused(
    flag: str, value: str, message: str, tmp_path: Path
) -> None:
    """No store is read here (no --db, none made), and --max-age is still checked."""
    config = config_with(tmp_path, 'name = "demo"', 'name = "demo"')
    line = refused(config, f"{flag}={value}")
    assert line.startswith(f"leadkit: error: {message}")
