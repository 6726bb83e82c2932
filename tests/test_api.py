"""The public API: ``leadkit.api`` is everything a plugin imports."""

from __future__ import annotations

import ast
import inspect
import re
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


def test_first_party_plugin_tests_need_nothing_from_the_core_tests() -> None:
    """Each plugin's tests run from its own folder on leadkit.testing: what they take from
    the core's tests/ (another tracker's fake, the generated org) is optional, and skipped
    there (``pytest.importorskip``), never a plain import."""
    files = sorted((ROOT / "plugins").glob("leadkit-*/tests/**/*.py"))
    assert len(files) >= 10
    plain = {
        str(f.relative_to(ROOT)): sorted(m for m in _imports(f) if m.split(".")[0] == "tests")
        for f in files
    }
    assert {f: m for f, m in plain.items() if m} == {}
    for plugin in ("leadkit-github", "leadkit-jira"):
        text = (ROOT / "plugins" / plugin / "pyproject.toml").read_text(encoding="utf-8")
        assert "[tool.pytest.ini_options]" in text  # run from its folder, its own rootdir


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _docs() -> dict[str, str]:
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def test_the_docs_name_only_the_public_modules() -> None:
    """The docs say a plugin imports only leadkit.api (and leadkit.testing): they name no
    other module of the package, and every ``leadkit.api.X`` they name is there."""
    private = {
        name: sorted(set(re.findall(r"(?<![\w./-])leadkit\.(?!api\b|testing\b)([a-z_]+)", text)))
        for name, text in _docs().items()
    }
    files = {"toml", "sqlite", "yml", "dump", "outputs"}  # leadkit.toml, steps.leadkit.outputs
    assert {n: [m for m in found if m not in files] for n, found in private.items()} == {
        n: [] for n in private
    }
    named = {m for text in _docs().values() for m in re.findall(r"leadkit\.api\.(\w+)", text)}
    assert named and named <= set(leadkit.api.__all__)


def test_no_doc_or_docstring_names_an_option_that_does_not_exist() -> None:
    """``once=True`` is not an HttpClient option: a write made once is
    ``retry_transient=False``."""
    assert all("once=True" not in text for text in _docs().values())
    assert "once=True" not in (leadkit.api.create_once.__doc__ or "")
    assert "retry_transient=False" in (leadkit.api.create_once.__doc__ or "")
    assert "retry_transient" in inspect.signature(leadkit.api.HttpClient.request).parameters
    assert "inspect=" in _docs()["plugins.md"] and "Again(" in _docs()["plugins.md"]
