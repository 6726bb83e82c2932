"""Shared fixtures: core tests see only the built-ins and the plugins they register."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

DEMO_NOW = "2026-11-20T16:00:00Z"
PLUGIN_FILES = Path(__file__).parent / "plugin_files"


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
