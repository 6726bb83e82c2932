"""No credential reaches a second host: every list leadkit pages through, behind a hostile proxy.

The fake GitHub and the fake GitLab sit behind :class:`~tests.fakes.host_proxy.HostProxy`
(127.0.0.1, one port), which points a list's next page (``Link: rel="next"``) or a
redirect at :class:`~tests.fakes.host_proxy.Trap` (127.0.0.1, another port). For each
list the adapters page through (an org's repositories, a team's members, a PR's comments,
the open issues, GitLab's group projects, merge requests, notes, discussions ...), leadkit
must stop with one line naming both hosts and send the trap nothing; a redirected read goes
there without any credential; a redirected write (307/308) is never re-sent. Two plugins'
fakes and the Slack webhook: an integration test, so it lives in the core's tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from leadkit.api import HttpClient, SourceError, next_link
from leadkit.cli import cli
from leadkit.http import origin
from leadkit.testing import Answer, FakeServer, source_context
from tests.fakes import fake_github
from tests.fakes.fake_gitlab import FakeGitLab, story_module
from tests.fakes.fake_slack import HOOK_PATH, FakeSlack
from tests.fakes.host_proxy import HostProxy, Trap
from tests.test_gitlab_vs_github import as_github

_story = story_module()
PEOPLE, GITLAB_SOURCE = _story.PEOPLE, _story.GITLAB_SOURCE
GH_TOKEN = "ghp_crossHostTOKEN0123456789abcdef"
GL_TOKEN = "glpat-crossHostTOKEN012345"
NOW = ["--now", "2026-03-02T12:00:00Z"]
PR = ["--repo", "acme/api", "--pr", "8", *NOW]
GITHUB_SOURCE = """
[[sources]]
type = "github"
name = "code"
repos = ["acme/*"]

[publish.github-issue]
repo = "acme/api"
"""
CLEAN_ENV = {
    "GITHUB_TOKEN": None,
    "GITLAB_TOKEN": None,
    "GITHUB_API_URL": None,
    "GITHUB_REPOSITORY": None,
    "GITHUB_EVENT_PATH": None,
    "LEADKIT_CONFIG": None,
}


@dataclass
class Rig:
    """A fake behind the proxy, the trap, and how to run leadkit against them."""

    proxy: HostProxy
    trap: Trap
    fake: Any
    config: Path
    env: dict[str, str | None]
    token: str

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(
            cli, [args[0], "--config", str(self.config), *args[1:]], env=self.env
        )

    def assert_stopped(self, result: Result) -> None:
        """One line naming both hosts, exit 2, and nothing at all sent to the trap."""
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.strip().splitlines()
        trap, proxy = origin(self.trap.server_url), origin(self.proxy.server_url)
        assert f"to another host: {trap} is not the configured {proxy}" in line, line
        assert self.token not in result.output
        assert self.trap.received == []


def github_fake() -> Any:
    changes, tickets = _story.story()
    (repo,) = as_github(changes, tickets, fake_github)
    asked = _story.NOW - timedelta(days=2)
    team_request = fake_github.FakePull(
        30,
        "Schema client",
        "priya",
        asked,
        asked,
        requests=[("requested", "acme/core", asked, "priya")],
    )
    repo.pulls.append(team_request)
    return fake_github.FakeGitHub([repo], token=GH_TOKEN, teams={"acme/core": ["jamie", "priya"]})


@contextmanager
def make_rig(tracker: str, tmp_path: Path) -> Iterator[Rig]:
    """The fake GitHub or GitLab behind a proxy, with a trap beside it."""
    if tracker == "github":
        fake = github_fake()
    else:
        changes, tickets = _story.story()
        fake = FakeGitLab(_story.as_gitlab(changes, tickets), token=GL_TOKEN)
    with fake, Trap() as trap, HostProxy(fake.server_url, trap) as proxy:
        config = tmp_path / f"{tracker}.toml"
        env: dict[str, str | None] = {**CLEAN_ENV, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        if tracker == "github":
            source, token = GITHUB_SOURCE, GH_TOKEN
            env.update(GITHUB_TOKEN=GH_TOKEN, GITHUB_API_URL=proxy.server_url)
        else:
            source, token = GITLAB_SOURCE.format(url=proxy.server_url), GL_TOKEN
            env.update(GITLAB_TOKEN=GL_TOKEN)
        config.write_text(PEOPLE.format(tracker=tracker) + source, encoding="utf-8")
        yield Rig(proxy, trap, fake, config, env, token)


@pytest.fixture
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    """``make_rig`` for the tracker the test names as its parameter."""
    with make_rig(request.param, tmp_path) as made:
        yield made


@pytest.mark.parametrize("tracker", ["github", "gitlab"])
def test_through_the_proxy_alone_the_report_and_the_comment_are_made(
    tracker: str, tmp_path: Path
) -> None:
    """The harness itself: with no fault scripted, everything runs through it."""
    with make_rig(tracker, tmp_path) as rig:
        for command in (["report", *NOW], ["comment", *PR]):
            result = rig.run(*command)
            assert result.exit_code == 0, result.output
        assert rig.trap.received == [] and rig.proxy.diverted == []


GITHUB_LISTS = [
    ("an org's repositories (repos = acme/*)", r"^/orgs/acme/repos$", ["report", *NOW]),
    ("a team's members", r"^/orgs/acme/teams/core/members$", ["report", *NOW]),
    ("a pull request's comments", r"^/repos/acme/api/issues/8/comments$", ["comment", *PR]),
    (
        "the open issues (--publish github-issue)",
        r"^/repos/acme/api/issues$",
        ["report", *NOW, "--publish", "github-issue"],
    ),
]
GITLAB_LISTS = [
    ("a group's projects (projects = acme/*)", r"/groups/acme/projects$", ["report", *NOW]),
    ("the merge requests", r"/merge_requests$", ["report", *NOW]),
    ("a merge request's notes", r"/merge_requests/\d+/notes$", ["report", *NOW]),
    ("a merge request's changes", r"/merge_requests/\d+/diffs$", ["report", *NOW]),
    ("the issues", r"/issues$", ["report", *NOW]),
    ("an issue's notes", r"/issues/\d+/notes$", ["report", *NOW]),
    ("an issue's links", r"/issues/\d+/links$", ["report", *NOW]),
    ("an issue's state events", r"/resource_state_events$", ["report", *NOW]),
    ("a merge request's notes (leadkit comment)", r"/merge_requests/8/notes$", ["comment", *PR]),
]


@pytest.mark.parametrize(
    ("rig", "what", "path", "command"),
    [("github", *case) for case in GITHUB_LISTS] + [("gitlab", *case) for case in GITLAB_LISTS],
    indirect=["rig"],
    ids=[case[0] for case in GITHUB_LISTS + GITLAB_LISTS],
)
def test_a_next_page_on_another_host_stops_the_run_and_gets_nothing(
    rig: Rig, what: str, path: str, command: list[str]
) -> None:
    rig.proxy.divert(path)
    result = rig.run(*command)
    assert rig.proxy.diverted, f"{what}: the list was never read"
    rig.assert_stopped(result)


@pytest.mark.parametrize("rig", ["github"], indirect=True)
def test_a_users_repositories_stop_at_another_host(rig: Rig) -> None:
    """``repos = ["acme/*"]`` where acme is a user: the org list 404s, the user's is read."""
    rig.fake.owners["acme"] = "User"
    rig.proxy.divert(r"^/users/acme/repos$")
    result = rig.run("report", *NOW)
    assert rig.proxy.diverted == ["/users/acme/repos"]
    rig.assert_stopped(result)


@pytest.mark.parametrize("rig", ["gitlab"], indirect=True)
def test_the_discussions_apply_reads_stop_at_another_host(rig: Rig) -> None:
    """100 earlier discussions: leadkit's note is on the second page."""
    (mr,) = [m for m in rig.fake.projects["acme/api"].merge_requests if m.iid == 8]
    mr.comments += [("owen", mr.created + timedelta(minutes=n), f"note {n}") for n in range(100)]
    assert rig.run("comment", *PR).exit_code == 0
    rig.proxy.divert(r"/merge_requests/8/discussions$")
    result = rig.run("apply", *PR)
    assert rig.proxy.diverted
    rig.assert_stopped(result)


@pytest.mark.parametrize(
    ("rig", "path"),
    [("github", r"^/orgs/acme/repos$"), ("gitlab", r"/merge_requests$")],
    indirect=["rig"],
)
def test_a_read_redirected_to_another_host_goes_there_without_any_credential(
    rig: Rig, path: str
) -> None:
    rig.proxy.redirect(path, "GET", 302)
    rig.run("report", *NOW)
    assert rig.trap.received, "the redirect was not followed"
    assert rig.trap.credentials([rig.token]) == []


@pytest.mark.parametrize(
    ("rig", "path", "command"),
    [
        ("github", r"^/graphql$", ["report", *NOW]),
        ("github", r"^/repos/acme/api/issues/8/comments$", ["comment", *PR]),
        ("gitlab", r"/merge_requests/8/notes$", ["comment", *PR]),
    ],
    indirect=["rig"],
    ids=["github-graphql", "github-comment", "gitlab-note"],
)
@pytest.mark.parametrize("status", [307, 308])
def test_a_write_redirected_to_another_host_is_never_sent_there(
    rig: Rig, path: str, command: list[str], status: int
) -> None:
    rig.proxy.redirect(path, "POST", status)
    result = rig.run(*command)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    trap, proxy = origin(rig.trap.server_url), origin(rig.proxy.server_url)
    assert f"a POST to {proxy} was redirected (HTTP {status}) to another host, {trap}" in line
    assert rig.trap.received == [] and rig.token not in result.output


@pytest.mark.parametrize("status", [307, 308])
def test_the_slack_digest_is_never_re_posted_to_another_host(status: int) -> None:
    with FakeSlack() as slack, Trap() as trap, HostProxy(slack.server_url, trap) as proxy:
        proxy.redirect(f"^{HOOK_PATH}$", "POST", status)
        result = CliRunner().invoke(
            cli,
            ["report", "--demo", "--now", "2026-11-20T16:00:00Z", "--publish", "slack"],
            env={"SLACK_WEBHOOK_URL": proxy.server_url + HOOK_PATH},
        )
        assert result.exit_code == 2, result.output
        assert trap.received == [] and slack.posts == []
        elsewhere = f"redirected (HTTP {status}) to another host, {origin(trap.server_url)}"
    (line,) = result.stderr.strip().splitlines()
    assert elsewhere in line
    assert "s3cretHookKey" not in result.output


@pytest.mark.parametrize(
    ("url", "same"),
    [
        ("https://API.github.com:443/x?page=2", True),
        ("https://api.github.com/graphql", True),
        ("http://api.github.com/x", False),
        ("https://api.github.com:8443/x", False),
        ("https://api.github.com.evil.example/x", False),
        ("https://user:pw@evil.example/x", False),
    ],
)
def test_an_origin_is_scheme_host_and_port(url: str, same: bool) -> None:
    assert (origin(url) == origin("https://api.github.com")) is same


# -- a plugin on the kit gets the same rule ------------------------------------------------


class Paged(FakeServer):
    """A third-party tracker's fake: one list in two pages, the second named by ``next_url``."""

    def __init__(self, next_url: str | None = None) -> None:
        super().__init__()
        self.next_url = next_url

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if path.startswith("/things?page=2"):
            return 200, {}, [{"n": 2}]
        nxt = self.next_url or f"{self.server_url}/things?page=2"
        return 200, {"Link": f'<{nxt}>; rel="next"'}, [{"n": 1}]


def read_all(base_url: str) -> list[Any]:
    """How a plugin pages with the kit: ``next_link`` and ``HttpClient.request``."""
    client = HttpClient(
        source="things",
        service="Things",
        base_url=base_url,
        context=source_context(name="things"),
        headers={"X-Things-Token": "thingsTOKEN0123456789"},
    )
    items: list[Any] = []
    url: str | None = "/things"
    try:
        while url:
            reply = client.request("GET", url, what="the things")
            items += reply.data
            url = next_link(reply)
    finally:
        client.close()
    return items


def test_a_plugin_on_the_kit_follows_its_own_host_and_stops_at_another() -> None:
    with Paged() as fake:
        assert read_all(fake.server_url) == [{"n": 1}, {"n": 2}]
    with Trap() as trap, Paged(f"{trap.server_url}/things?page=2") as fake:
        with pytest.raises(SourceError) as raised:
            read_all(fake.server_url)
        assert trap.received == []
        hosts = f"{origin(trap.server_url)} is not the configured {origin(fake.server_url)}"
    message = str(raised.value)
    assert message.startswith("source 'things': not following Things's link for the things")
    assert hosts in message
