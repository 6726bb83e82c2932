"""The fake GitLab lives with its plugin's tests (`plugins/leadkit-gitlab/tests/`), so they run
from that folder alone; the core's tests reach it, and the story it serves, through here."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import Any

_DIR = Path(__file__).resolve().parents[2] / "plugins" / "leadkit-gitlab" / "tests"
_PACKAGE = "leadkit_gitlab_tests"


def _load(name: str) -> Any:
    """``name`` from the plugin's tests folder, imported as a package so its relative imports
    (``from .fake_gitlab import ...``) resolve."""
    if _PACKAGE not in sys.modules:
        package = types.ModuleType(_PACKAGE)
        package.__path__ = [str(_DIR)]
        sys.modules[_PACKAGE] = package
    return importlib.import_module(f"{_PACKAGE}.{name}")


def story_module() -> Any:
    """The plugin's ``story.py``: a team's merge requests and tickets, tracker-neutral."""
    return _load("story")


globals().update({k: v for k, v in vars(_load("fake_gitlab")).items() if not k.startswith("__")})
