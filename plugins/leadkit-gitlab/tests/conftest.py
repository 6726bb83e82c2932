"""Shared fixtures: a fake GitLab on 127.0.0.1 and adapters wired to it with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from leadkit_gitlab import GitLabSource

from leadkit.api import CollectContext, SourceConfig, SourceStats, Window

from .fake_gitlab import NOW, FakeGitLab, FakeProject

TOKEN = "glpat-testTOKEN0123456789ab"
WINDOW = Window(start=NOW - timedelta(days=28), end=NOW, history_start=NOW - timedelta(days=90))


class Sleeper:
    """A fake ``sleep`` that records waits and advances a fake clock."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def make_adapter(
    url: str,
    *,
    projects: list[str] | None = None,
    sleeper: Sleeper | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> GitLabSource:
    """A GitLabSource on ``url`` with a fake clock."""
    opts: dict[str, Any] = {"projects": projects or ["acme/api"], "url": url, **options}
    sleeper = sleeper or Sleeper()
    context = CollectContext(
        stats=SourceStats("gl"),
        environ={"GITLAB_TOKEN": TOKEN} if env is None else env,
        sleep=sleeper,
        clock=sleeper.clock,
    )
    return GitLabSource(SourceConfig(name="gl", type="gitlab", options=opts), context)


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start fakes on 127.0.0.1: ``serve(projects, **kw)``; stopped after the test."""
    started: list[FakeGitLab] = []

    def start(projects: list[FakeProject], **kwargs: Any) -> FakeGitLab:
        kwargs.setdefault("token", TOKEN)
        fake = FakeGitLab(projects, **kwargs).start()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()
