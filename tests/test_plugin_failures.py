"""One failure policy for plugins: whatever fails, one line naming the plugin and its
distribution, the traceback only with --debug; sources, renderers, publishers and
commands stop the run (exit 2), analyses and loading leave a note (exit 0)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli

from .conftest import DEMO_NOW, PLUGIN_FILES
from .report_data import demo_config

PLUGIN = PLUGIN_FILES / "failing_everywhere.py"
WHO = f"plugin 'failing_everywhere' from LEADKIT_PLUGINS: {PLUGIN}"
SECRET = "ghp_failingplugin0123456789abcdef"


def run(args: list[str], fail_in: str, debug: bool = False) -> tuple[int, str, str]:
    env = {"LEADKIT_PLUGINS": str(PLUGIN), "FAIL_IN": fail_in}
    result = CliRunner().invoke(cli, ["--debug", *args] if debug else args, env=env)
    assert SECRET not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def with_flaky_source(tmp_path: Path) -> Path:
    return demo_config(tmp_path, '\n[[sources]]\ntype = "flaky"\nname = "flaky"\n')


@pytest.mark.parametrize(
    ("fail_in", "what"),
    [("source", "source 'flaky'"), ("adapter", "source 'flaky'")],
)
def test_a_failing_source_stops_the_run_naming_its_plugin(
    fail_in: str, what: str, tmp_path: Path
) -> None:
    args = ["report", "--config", str(with_flaky_source(tmp_path)), "--now", DEMO_NOW]
    code, out, err = run(args, fail_in)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"leadkit: error: {what} ({WHO}) failed: RuntimeError: the {fail_in} broke (token=***)"
    ]
    code, _, err = run(args, fail_in, debug=True)
    assert code == 2 and "Traceback" in err and err.splitlines()[-1].startswith("leadkit: error:")


def test_a_failing_renderer_stops_the_run_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    args = ["report", "--demo", "--now", DEMO_NOW, "--format", "json", "-o", str(out)]
    code, _, err = run([*args, "--format", "flaky"], "renderer")
    assert code == 2
    assert err.splitlines() == [
        f"leadkit: error: renderer 'flaky' ({WHO}) failed: "
        "RuntimeError: the renderer broke (token=***)"
    ]
    assert not out.exists()


def test_a_failing_publisher_stops_the_run(tmp_path: Path) -> None:
    args = ["report", "--demo", "--now", DEMO_NOW, "-o", str(tmp_path / "r.md")]
    code, _, err = run([*args, "--publish", "flaky"], "publisher")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"leadkit: error: publisher 'flaky' ({WHO}) failed: "
        "RuntimeError: the publisher broke (token=***)"
    )


def test_a_failing_command_is_one_line_naming_its_plugin(in_tmp: Path) -> None:
    assert run(["flaky"], "nothing")[:2] == (0, "flaky ran\n")
    code, _, err = run(["flaky"], "command")
    assert code == 2
    assert err.splitlines() == [
        f"leadkit: error: command 'flaky' ({WHO}) failed: "
        "RuntimeError: the command broke (token=***)"
    ]
    assert "Traceback" in run(["flaky"], "command", debug=True)[2]


def test_a_failing_analysis_leaves_a_note_and_the_run_goes_on() -> None:
    args = ["report", "--demo", "--now", DEMO_NOW, "--format", "json"]
    code, out, err = run(args, "analysis")
    assert code == 0 and err == ""
    assert json.loads(out)["notes"] == [
        f"analysis 'flaky-analysis' ({WHO}) failed: RuntimeError: the analysis broke (token=***)"
    ]
    code, _, err = run(args, "analysis", debug=True)
    assert code == 0 and "Traceback" in err and "the analysis broke" in err


def test_a_plugin_that_fails_to_load_is_a_warning_naming_it(tmp_path: Path) -> None:
    broken = PLUGIN_FILES / "broken_plugin.py"
    result = CliRunner().invoke(
        cli,
        ["report", "--demo", "--now", DEMO_NOW, "--format", "json"],
        env={"LEADKIT_PLUGINS": str(broken)},
    )
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"leadkit: warning: plugin 'broken_plugin' from LEADKIT_PLUGINS: {broken} failed to "
        "load: ModuleNotFoundError: No module named 'not_a_module_that_exists'"
    ]
