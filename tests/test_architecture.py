"""ARCHITECTURE.md matches the tree: every package and top-level module is named in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
CORE = ROOT / "leadkit"


def test_every_package_and_top_level_module_is_named() -> None:
    packages = [p.parent for p in CORE.glob("*/__init__.py")]
    modules = [p for p in CORE.glob("*.py") if p.name != "__init__.py"]
    for path in [*packages, *modules]:
        shown = f"`leadkit/{path.name}{'/' if path.is_dir() else ''}`"
        assert shown in ARCHITECTURE, f"ARCHITECTURE.md does not name {shown}"


def test_every_module_of_a_package_is_named_with_it() -> None:
    for init in CORE.glob("*/__init__.py"):
        package = init.parent
        row = next(
            line for line in ARCHITECTURE.splitlines() if f"`leadkit/{package.name}/`" in line
        )
        for module in package.glob("*.py"):
            if module.name != "__init__.py":
                assert f"`{module.stem}`" in row, f"{package.name}/{module.name} is not in its row"
        for sub in package.glob("*/__init__.py"):
            assert f"`{sub.parent.name}/`" in row, f"{package.name}/{sub.parent.name}/ is not named"


def test_nothing_named_is_missing_from_the_tree() -> None:
    for named in re.findall(r"`leadkit/([\w/.]+)`", ARCHITECTURE):
        assert (CORE / named).exists(), f"ARCHITECTURE.md names leadkit/{named}, which is gone"
