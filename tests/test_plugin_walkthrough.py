"""The walkthrough in docs/plugins.md ("Writing a source on the kit") works as written:
its source and its test, run as they are, on nothing but leadkit.api and leadkit.testing."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def _block(marker: str) -> str:
    (code,) = [b for b in re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.S) if marker in b]
    return code


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def walkthrough(tmp_path: Path) -> Iterator[tuple[str, str]]:
    source = _block("class TicketsSource")
    test = _block("def test_tickets_source_passes")
    (tmp_path / "leadkit_tickets.py").write_text(source, encoding="utf-8")
    (tmp_path / "test_tickets.py").write_text(test, encoding="utf-8")
    _load("leadkit_tickets", tmp_path / "leadkit_tickets.py")
    yield source, test
    sys.modules.pop("leadkit_tickets", None)
    sys.modules.pop("walkthrough_test_tickets", None)


def test_the_walkthrough_source_fits_a_page_and_imports_only_the_api(
    walkthrough: tuple[str, str],
) -> None:
    source, test = walkthrough
    assert len(source.splitlines()) <= 60 and len(test.splitlines()) <= 60
    imports = re.findall(r"^from (\S+) import", source + test, re.M)
    assert set(imports) <= {"leadkit.api", "leadkit.testing", "leadkit_tickets", "datetime"}


def test_the_walkthrough_test_passes(walkthrough: tuple[str, str], tmp_path: Path) -> None:
    module = _load("walkthrough_test_tickets", tmp_path / "test_tickets.py")
    module.test_tickets_source_passes_the_contract_through_a_429()


def test_the_walkthrough_source_fails_its_test_when_it_drops_a_page(
    walkthrough: tuple[str, str], tmp_path: Path
) -> None:
    """The walkthrough's test can fail: a source that stops after the first page breaks it."""
    source, _ = walkthrough
    broken = source.replace('page = reply.data["next"]', "page = None")
    assert broken != source
    (tmp_path / "leadkit_tickets.py").write_text(broken, encoding="utf-8")
    _load("leadkit_tickets", tmp_path / "leadkit_tickets.py")
    module = _load("walkthrough_test_tickets", tmp_path / "test_tickets.py")
    with pytest.raises(AssertionError):
        module.test_tickets_source_passes_the_contract_through_a_429()
