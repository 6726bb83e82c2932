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


DEMO = ["report", "--demo", "--now", DEMO_NOW]
REPORT = [*DEMO, "--format", "json"]


def run_with(args: list[str], **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"LEADKIT_PLUGINS": str(PLUGIN), **env})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("fail_in", "args", "what"),
    [
        ("source", "flaky", "source 'flaky'"),
        ("adapter", "flaky", "source 'flaky'"),
        ("renderer", "--format=flaky", "renderer 'flaky'"),
        ("publisher", "--publish=flaky", "publisher 'flaky'"),
    ],
)
def test_a_plugin_calling_sys_exit_0_fails_the_run_naming_it(
    fail_in: str, args: str, what: str, tmp_path: Path
) -> None:
    """``report --check`` never exits 0 without a report because a plugin ran sys.exit(0)."""
    if args == "flaky":
        base = ["report", "--config", str(with_flaky_source(tmp_path)), "--now", DEMO_NOW]
    else:
        base = [*DEMO, args]
    code, _, err = run_with([*base, "--check"], FAIL_IN=fail_in, FAIL_WITH="exit")
    assert code == 2
    assert err.splitlines()[-1] == f"leadkit: error: {what} ({WHO}) failed: SystemExit: 0"


def test_a_plugin_command_calling_sys_exit_fails_naming_it(in_tmp: Path) -> None:
    code, _, err = run_with(["flaky"], FAIL_IN="command", FAIL_WITH="exit")
    assert code == 2
    assert err.splitlines()[-1].startswith(
        f"leadkit: error: command 'flaky' ({WHO}) ended the run with SystemExit: 0"
    )


def test_an_analysis_calling_sys_exit_is_a_failed_analysis_and_the_report_goes_on() -> None:
    code, out, err = run_with([*REPORT, "--check"], FAIL_IN="analysis", FAIL_WITH="exit")
    assert code == 1 and "3 of 4 evaluated gates failed" in err  # the demo's gates still judged
    assert json.loads(out)["notes"] == [f"analysis 'flaky-analysis' ({WHO}) failed: SystemExit: 0"]


@pytest.mark.parametrize("fail_in", ["import", "register"])
def test_a_plugin_calling_sys_exit_while_loading_is_a_warning(fail_in: str) -> None:
    code, out, err = run_with(REPORT, FAIL_IN=fail_in, FAIL_WITH="exit")
    assert code == 0 and json.loads(out)["findings"]
    assert "SystemExit: 0" in err and "failed_everywhere" not in out


@pytest.mark.parametrize(
    ("fail_in", "args"),
    [
        ("analysis", "--format=json"),
        ("renderer", "--format=flaky"),
        ("publisher", "--publish=flaky"),
    ],
)
def test_a_keyboard_interrupt_in_plugin_code_is_an_interrupt(fail_in: str, args: str) -> None:
    code, _, err = run_with([*DEMO, args], FAIL_IN=fail_in, FAIL_WITH="interrupt")
    assert (code, err) == (130, "leadkit: interrupted\n")


@pytest.mark.parametrize("returned", ["bytes", "none"])
def test_a_renderer_returning_other_than_text_is_a_plugin_failure(
    returned: str, tmp_path: Path
) -> None:
    out = tmp_path / "r.txt"
    code, _, err = run_with([*DEMO, "--format=flaky", "-o", str(out)], RENDER_AS=returned)
    kind = {"bytes": "bytes", "none": "NoneType"}[returned]
    assert code == 2
    assert err.splitlines() == [
        f"leadkit: error: renderer 'flaky' ({WHO}) failed: it returned {kind}, not text"
    ]
    assert not out.exists()


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("nan", "it returned a finding's metric 'share' = nan (finite numbers only)"),
        ("inf", "it returned a finding's metric 'weeks[1]' = inf (finite numbers only)"),
        ("severity", "it returned a finding with severity 'critical' (known: high, warn, info)"),
    ],
)
def test_a_finding_with_a_bad_number_or_severity_fails_its_analysis_and_the_json_stays_valid(
    bad: str, why: str
) -> None:
    plugin = PLUGIN_FILES / "bad_findings.py"
    who = f"plugin 'bad_findings' from LEADKIT_PLUGINS: {plugin}"
    result = CliRunner().invoke(
        cli, REPORT, env={"LEADKIT_PLUGINS": str(plugin), "BAD_FINDING": bad}
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout, parse_constant=pytest.fail)  # NaN/Infinity would be invalid
    assert doc["notes"] == [f"analysis 'bad-numbers' ({who}) failed: {why}"]
    assert not [f for f in doc["findings"] if f["kind"] == "bad-numbers"]
    fine = CliRunner().invoke(cli, REPORT, env={"LEADKIT_PLUGINS": str(plugin)})
    assert [f["kind"] for f in json.loads(fine.stdout)["findings"]].count("bad-numbers") == 1
