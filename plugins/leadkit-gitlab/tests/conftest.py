"""Shared fixtures: a fake GitLab on 127.0.0.1 and adapters wired to it with a fake clock
(both from :mod:`leadkit.testing`, as a third-party plugin's tests would be)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from leadkit_gitlab import GitLabSource

from leadkit.api import Window
from leadkit.testing import FakeClock, make_source

from .fake_gitlab import NOW, FakeGitLab, FakeProject

TOKEN = "glpat-testTOKEN0123456789ab"
WINDOW = Window(start=NOW - timedelta(days=28), end=NOW, history_start=NOW - timedelta(days=90))


def make_adapter(
    url: str,
    *,
    projects: list[str] | None = None,
    clock: FakeClock | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> GitLabSource:
    """A GitLabSource named "gl" on ``url``, built as a run builds it (declared options
    checked, defaults filled), waiting on a fake clock."""
    return make_source(
        GitLabSource,
        name="gl",
        environ={"GITLAB_TOKEN": TOKEN} if env is None else env,
        clock=clock,
        projects=projects or ["acme/api"],
        url=url,
        **options,
    )


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
