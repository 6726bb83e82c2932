"""``action.yml``: its run script turns inputs into one safe ``leadkit report`` command."""

from __future__ import annotations

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
    for name in ("config", "format", "output", "publish-summary", "check", "args"):
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


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_args_are_not_expanded_by_the_shell(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    result = run_step({"config": "", "args": f"--demo $(touch {marker}) *"}, tmp_path)
    assert result.returncode == 2
    assert not marker.exists()
    assert "Got unexpected extra argument" in result.stderr
