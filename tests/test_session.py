"""One Session per CLI call: config and plugins loaded once, every command through it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.session import RunOptions, Session

from .conftest import DEMO_NOW, PLUGIN_FILES
from .report_data import demo_config


@pytest.fixture
def counting(tmp_path: Path) -> tuple[Path, Path]:
    """The counting plugin copied to ``tmp_path``, and the log it appends to."""
    plugin = tmp_path / "counting.py"
    shutil.copy(PLUGIN_FILES / "counting.py", plugin)
    return plugin, tmp_path / "loads.log"


def loads(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_a_plugin_from_leadkit_plugins_loads_once_per_report(
    counting: tuple[Path, Path], in_tmp: Path
) -> None:
    plugin, log = counting
    env = {"LEADKIT_PLUGINS": str(plugin), "COUNTING_PLUGIN_LOG": str(log)}
    code, out, err = run(["report", "--demo", "--now", DEMO_NOW, "--format", "json"], env)
    assert code == 0, err
    assert loads(log) == ["import", "register_analyses"]
    assert json.loads(out)["schema_version"]


def test_a_config_plugin_loads_once_and_adds_its_command(
    counting: tuple[Path, Path], tmp_path: Path
) -> None:
    plugin, log = counting
    config = demo_config(tmp_path, f"[plugins]\npaths = [{json.dumps(str(plugin))}]\n")
    env = {"COUNTING_PLUGIN_LOG": str(log)}
    code, _, err = run(["report", "--config", str(config), "--now", DEMO_NOW], env)
    assert code == 0, err
    assert loads(log) == ["import", "register_analyses"]
    log.unlink()
    code, out, err = run(["counted", "--config", str(config)], env)
    assert code == 0, err
    assert out == "counted says hello\n"
    assert loads(log) == ["import", "register_analyses", "register_commands"]


def test_a_plugin_command_run_reuses_the_plugins_it_was_found_with(
    counting: tuple[Path, Path], tmp_path: Path
) -> None:
    """``comment`` is a plugin command: finding it loads the plugins, and its run reuses them."""
    plugin, log = counting
    mine = tmp_path / "mine.toml"
    mine.write_text(f"[plugins]\npaths = [{json.dumps(str(plugin))}]\n", encoding="utf-8")
    env = {"COUNTING_PLUGIN_LOG": str(log), "GITHUB_TOKEN": ""}
    args = ["comment", "--demo", "--config", str(mine), "--now", DEMO_NOW, "--dry-run"]
    code, out, err = run([*args, "--repo", "acme/dataflow", "--pr", "141"], env)
    assert code == 0, err
    assert "Delegation suggestions for this pull request" in out
    assert loads(log) == ["import", "register_analyses", "register_commands"]


def test_comment_and_apply_refuse_a_lead_who_is_not_a_person(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    start = text.index("[people.jamie]")
    config.write_text(text[:start] + text[text.index("\n\n", start) :], encoding="utf-8")
    for command in ("comment", "apply"):
        args = [command, "--config", str(config), "--now", DEMO_NOW, "--dry-run"]
        code, out, err = run([*args, "--repo", "acme/dataflow", "--pr", "141"], {})
        assert code == 2, (command, out, err)
        assert "the lead 'jamie' is not a person in [people]" in err


def test_a_session_computes_each_step_once() -> None:
    session = Session.open(RunOptions(demo=True, now=DEMO_NOW, environ={}))
    assert session.dataset() is session.dataset()
    report = session.report()
    assert report is session.report()
    assert session.render("json") is session.render("json")
    assert json.loads(session.render("json"))["findings"] == [
        f.as_dict(report.evidence) for f in report.findings
    ]
    assert {run.status for run in report.analyses} == {"ok"}
    assert report.not_loaded == []


def test_a_failing_analysis_has_a_status_and_a_note(tmp_path: Path) -> None:
    plugin = tmp_path / "failing.py"
    plugin.write_text(
        "from leadkit import hookimpl\n\n"
        "def boom(context):\n    raise RuntimeError('no luck')\n\n"
        "@hookimpl\ndef register_analyses(register):\n    register('review-queue-too', boom)\n",
        encoding="utf-8",
    )
    options = RunOptions(demo=True, now=DEMO_NOW, environ={"LEADKIT_PLUGINS": str(plugin)})
    report = Session.open(options).report()
    run_ = report.analysis_run("review-queue-too", "dataflow")
    assert run_ is not None and (run_.status, run_.plugin) == ("failed", "failing")
    assert report.notes == []  # the data's notes: the failure is a status
    assert report.as_dict()["notes"] == [
        f"analysis 'review-queue-too' (plugin 'failing' from LEADKIT_PLUGINS: {plugin}) "
        "failed: RuntimeError: no luck"
    ]


def test_the_console_entry_point_loads_a_plugin_once(
    counting: tuple[Path, Path], in_tmp: Path
) -> None:
    """Through ``main()``, as ``leadkit`` runs, not only through Click's test runner."""
    import os
    import subprocess
    import sys

    plugin, log = counting
    env = {**os.environ, "LEADKIT_PLUGINS": str(plugin), "COUNTING_PLUGIN_LOG": str(log)}
    done = subprocess.run(
        [sys.executable, "-c", "from leadkit.cli import main; main()", "report", "--demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert loads(log) == ["import", "register_analyses"]
