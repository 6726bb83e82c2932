"""``action.yml``: its run script turns inputs into one safe ``leadkit report`` command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ACTION = Path(__file__).parent.parent / "action.yml"


def run_step(inputs: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Run leadkit report")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEADKIT_", "GITHUB_"))}
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["GITHUB_STEP_SUMMARY"] = str(tmp_path / "summary.md")
    env["GITHUB_OUTPUT"] = str(tmp_path / "outputs.txt")
    env["RUNNER_TEMP"] = str(tmp_path / "runner-temp")
    (tmp_path / "runner-temp").mkdir(exist_ok=True)
    for name in ("config", "format", "output", "publish-summary", "check", "args", "audience"):
        key = "LEADKIT_INPUT_" + name.upper().replace("-", "_")
        assert key in step["env"], key
        env[key] = inputs.get(name, action["inputs"][name].get("default", ""))
    return subprocess.run(
        ["bash", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True, text=True
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_inputs_become_options(tmp_path: Path) -> None:
    result = run_step(
        {
            "config": "",
            "format": "markdown, json",
            "output": "r.md r.json",
            "check": "true",
            "args": "--demo --now 2026-11-20T16:00:00Z",
        },
        tmp_path,
    )
    assert result.returncode == 1, result.stderr  # the demo fails its example gates
    assert "gate max_interrupt_share failed" in result.stderr
    assert (tmp_path / "r.md").read_text().startswith("# leadkit report")
    assert (tmp_path / "r.json").read_text().startswith("{")
    assert (tmp_path / "summary.md").read_text().startswith("# leadkit report")
    # CI's files and summary are the team's: no check-in prompt naming anyone.
    assert json.loads((tmp_path / "r.json").read_text())["audience"] == "team"
    assert "Check in with" not in (tmp_path / "r.md").read_text()
    assert "Check in with" not in (tmp_path / "summary.md").read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_lead_can_ask_for_the_leads_report(tmp_path: Path) -> None:
    args = "--demo --now 2026-11-20T16:00:00Z"
    result = run_step({"config": "", "output": "r.md", "audience": "lead", "args": args}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Check in with Tommy Lindqvist" in (tmp_path / "r.md").read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_args_are_not_expanded_by_the_shell(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    result = run_step({"config": "", "args": f"--demo $(touch {marker}) *"}, tmp_path)
    assert result.returncode == 2
    assert not marker.exists()
    assert "Got unexpected extra argument" in result.stderr


def step_outputs(tmp_path: Path) -> dict[str, str]:
    """What the step wrote to ``$GITHUB_OUTPUT`` (``name=value`` lines)."""
    lines = (tmp_path / "outputs.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_the_action_declares_its_outputs_from_the_report_step() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    outputs = action["outputs"]
    assert set(outputs) == {"json", "markdown", "gates-failed"}
    for name, spec in outputs.items():
        assert spec["value"] == f"${{{{ steps.report.outputs.{name} }}}}"
        assert spec["description"]
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Run leadkit report")
    assert step["id"] == "report"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_outputs_name_the_given_files_and_count_the_failed_gates(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = run_step(
        {
            "config": "",
            "format": "html json markdown",
            "output": "r.html out/r.json r.md",
            "check": "true",
            "args": "--demo --now 2026-11-20T16:00:00Z",
        },
        tmp_path,
    )
    assert result.returncode == 1, result.stderr  # the failed gates still fail the step
    failed = [line for line in result.stderr.splitlines() if line.startswith("gate ")]
    assert failed and all(" failed: " in line for line in failed)
    outputs = step_outputs(tmp_path)
    assert outputs == {
        "json": str(tmp_path / "out/r.json"),
        "markdown": str(tmp_path / "r.md"),
        "gates-failed": str(len(failed)),
    }
    report = json.loads(Path(outputs["json"]).read_text(encoding="utf-8"))
    assert report["teams"][0]["name"] == "dataflow"
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_outputs_name_a_file_even_when_the_format_goes_to_the_log(tmp_path: Path) -> None:
    # The default: markdown to the log, no file, no --check.
    result = run_step(
        {"config": "", "publish-summary": "false", "args": "--demo --since 14d"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("# leadkit report") == 1  # the log still shows the report
    outputs = step_outputs(tmp_path)
    assert outputs["gates-failed"] == "0"
    temp = tmp_path / "runner-temp"
    assert outputs["json"] == str(temp / "leadkit-report.json")
    assert outputs["markdown"] == str(temp / "leadkit-report.md")
    assert Path(outputs["markdown"]).read_text(encoding="utf-8") in result.stdout
    window = json.loads(Path(outputs["json"]).read_text(encoding="utf-8"))["window"]
    assert window["end"] == "2026-11-20T16:00:00Z"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_gate_that_holds_counts_zero(tmp_path: Path) -> None:
    (tmp_path / "lenient.toml").write_text("[gates]\nmax_review_queue = 50\n", encoding="utf-8")
    result = run_step(
        {"config": "", "check": "true", "args": "--demo --config lenient.toml"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "gates hold" in result.stderr or "gate holds" in result.stderr
    assert step_outputs(tmp_path)["gates-failed"] == "0"
