"""Shared fixtures: core tests see only the built-ins and the plugins they register."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

DEMO_NOW = "2026-11-20T16:00:00Z"
PLUGIN_FILES = Path(__file__).parent / "plugin_files"

REQUIRED_PROGRAMS = {
    n for n in os.environ if n.startswith("LEADKIT_REQUIRE_") and os.environ[n] == "1"
}
"""``LEADKIT_REQUIRE_BROWSER=1`` (``_POSTGRES``): read before any test clears ``LEADKIT_*``.
``.ci/run`` sets them, so CI fails where a developer's machine skips."""


def system_program(*names: str, require: str, install: str) -> str:
    """The first of ``names`` on ``PATH``, for a test that drives a system program.

    Without one the test is skipped with one line saying how to run it, unless the variable
    ``require`` is 1: then a missing program fails the test. ``make test`` never installs a
    system program; ``.ci/run`` does (``install`` is its package).
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    line = f"no {names[0]} on PATH: install it (apt-get install {install}), or run .ci/run"
    if require in REQUIRED_PROGRAMS:
        pytest.fail(f"{line}; {require}=1 requires it")
    pytest.skip(f"{line}; {require}=1 makes this a failure")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user config, plugin switches or CI markers leak into a test."""
    for name in list(os.environ):
        if name.startswith("LEADKIT_") or name in ("GITHUB_STEP_SUMMARY",):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    yield


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder (no ./leadkit.toml)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
