"""Shared fixtures: the published schema, a fake GitHub, and adapters wired to either.

Every GraphQL query the adapter sends in these tests is validated against
GitHub's published schema (tests/schema/) when the fake that served it is torn
down, so a query the real API would reject fails the test that sent it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from graphql import GraphQLSchema, build_schema, parse, validate
from leadkit_github import GitHubSource

from leadkit.collect.sources import CollectContext, SourceConfig, SourceStats
from leadkit.model.data import Window

from .fake_github import FakeGitHub

HERE = Path(__file__).parent
TOKEN = "ghp_testTOKEN0123456789abcdef"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
WINDOW = Window(start=NOW - timedelta(days=28), end=NOW, history_start=NOW - timedelta(days=90))
PUBLIC_GRAPHQL = re.compile(r"https://api\.github\.com(:443)?/graphql")
PUBLIC_ANY = re.compile(r"https://api\.github\.com(:443)?/.*")


@pytest.fixture(scope="session")
def schema() -> GraphQLSchema:
    """GitHub's published schema, built once per session (about 1.5 s)."""
    sdl = (HERE / "schema" / "schema.graphql").read_text(encoding="utf-8")
    return build_schema(sdl, assume_valid=True)


_VALID: set[str] = set()


def assert_valid(schema: GraphQLSchema, query: str) -> None:
    if query in _VALID:
        return
    errors = validate(schema, parse(query))
    assert not errors, f"query rejected by GitHub's schema: {errors}\n{query}"
    _VALID.add(query)


def validate_served(schema: GraphQLSchema, fake: FakeGitHub) -> None:
    for query in {s.query for s in fake.requests if s.query}:
        assert_valid(schema, query)


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
    base_url: str | None,
    *,
    repos: list[str] | None = None,
    sleeper: Sleeper | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> GitHubSource:
    """A GitHubSource with a fake clock; ``base_url=None`` uses the public API URL."""
    opts: dict[str, Any] = {"repos": repos or ["acme/api"], **options}
    if base_url is not None:
        opts["base_url"] = base_url
    environ = {"GITHUB_TOKEN": TOKEN} if env is None else env
    sleeper = sleeper or Sleeper()
    context = CollectContext(stats=SourceStats("gh"), environ=environ, sleep=sleeper)
    context.clock = sleeper.clock  # type: ignore[attr-defined]
    source = GitHubSource.configured(SourceConfig(name="gh", type="github", options=opts))
    return GitHubSource(source, context)


@pytest.fixture
def serve(schema: GraphQLSchema) -> Iterator[Any]:
    """Start fakes on 127.0.0.1: ``serve(repos, **kw)``; queries are validated at teardown."""
    started: list[FakeGitHub] = []

    def start(repos: Any = (), **kwargs: Any) -> FakeGitHub:
        kwargs.setdefault("token", TOKEN)
        fake = FakeGitHub(repos, **kwargs).start()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()
        validate_served(schema, fake)


@pytest.fixture
def mocked(schema: GraphQLSchema) -> Iterator[Any]:
    """The same fake behind ``responses`` at https://api.github.com: ``mocked(repos, **kw)``."""
    fakes: list[FakeGitHub] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:

        def start(repos: Any = (), **kwargs: Any) -> FakeGitHub:
            kwargs.setdefault("token", TOKEN)
            fake = FakeGitHub(repos, **kwargs)
            fake.public_url = "https://api.github.com"
            fakes.append(fake)

            def callback(request: Any) -> tuple[int, dict[str, str], str]:
                body = request.body or b""
                if isinstance(body, str):
                    body = body.encode()
                headers = {k.lower(): v for k, v in request.headers.items()}
                status, extra, reply = fake.handle(request.method, request.path_url, headers, body)
                if isinstance(reply, Exception):  # a scripted connection failure
                    raise reply
                text = reply if isinstance(reply, str) else json.dumps(reply)
                return status, extra, text

            for method in (responses.GET, responses.POST):
                rsps.add_callback(method, PUBLIC_ANY, callback=callback)
            return fake

        yield start
    for fake in fakes:
        validate_served(schema, fake)


def recorded(name: str, block: int = 0) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of the ``block``-th exchange of a PyGithub ReplayData file."""
    lines = (HERE / "fixtures" / "pygithub" / name).read_text(encoding="utf-8").splitlines()
    start = block * 11
    status = int(lines[start + 7])
    headers = {k.lower(): v for k, v in ast.literal_eval(lines[start + 8])}
    return status, headers, lines[start + 9]
