"""The fake Github lives with its plugin's tests (`plugins/leadkit-github/tests/fake_github.py`), so
they run from that folder alone; the core's tests and benchmarks reach it through here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

_PATH = (
    Path(__file__).resolve().parents[2] / "plugins" / "leadkit-github" / "tests" / "fake_github.py"
)


def _load() -> Any:
    name = "leadkit_github_fake"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _PATH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


globals().update({k: v for k, v in vars(_load()).items() if not k.startswith("__")})
