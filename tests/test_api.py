"""The public API: ``leadkit.api`` is everything a plugin imports."""

from __future__ import annotations

import ast
from pathlib import Path

import leadkit.api

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_name_is_there_once() -> None:
    names = leadkit.api.__all__
    assert len(names) == len(set(names))
    missing = [n for n in names if not hasattr(leadkit.api, n)]
    assert missing == []
    for needed in ("hookimpl", "SourceAdapter", "CollectContext", "Finding", "ItemRef"):
        assert needed in names


def _core_imports(path: Path) -> set[str]:
    """The ``leadkit`` modules a file imports (its own package's are not counted)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        else:
            continue
        out.update(m for m in modules if m == "leadkit" or m.startswith("leadkit."))
    return out


def test_first_party_plugins_import_only_the_public_api() -> None:
    files = sorted((ROOT / "plugins").glob("leadkit-*/leadkit_*/**/*.py"))
    assert len(files) >= 10
    private = {str(f.relative_to(ROOT)): _core_imports(f) - {"leadkit.api"} for f in files}
    assert {f: m for f, m in private.items() if m} == {}
