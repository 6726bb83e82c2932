"""Progress shows on a terminal and stays out of CI logs and pipes."""

from __future__ import annotations

import io

import pytest

from leadkit.collect.sources import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    progress = Progress(stream)
    progress("jira: 100 issues (1 pages)", force=True)
    progress.done()
    assert "jira: 100 issues" in stream.getvalue()
    assert stream.getvalue().endswith("\r\x1b[2K")  # the line is cleared when done


def test_progress_is_quiet_in_ci_and_in_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    terminal = Terminal()
    Progress(terminal)("github acme/api: 100 items", force=True)
    assert terminal.getvalue() == ""
    monkeypatch.delenv("CI")
    pipe = io.StringIO()
    Progress(pipe)("github acme/api: 100 items", force=True)
    assert pipe.getvalue() == ""


def test_progress_is_throttled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    progress = Progress(stream)
    for n in range(50):
        progress(f"{n} items")
    assert stream.getvalue().count("items") == 1
