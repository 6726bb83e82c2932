"""End to end through the core (config, plugin host, collect) against the fake Jira on 127.0.0.1."""

from __future__ import annotations

import importlib.metadata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import leadkit_jira
import pytest

from leadkit.collect.fetch import collect, make_adapter
from leadkit.config import parse_config
from leadkit.errors import SourceError
from leadkit.model.data import Link, Window
from leadkit.plugins import load_plugins

from .fake_jira import (
    CommentSpec,
    FakeJira,
    FakeUser,
    FakeVersion,
    IssueSpec,
    assignee_change,
    generate_issues,
    status_change,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WINDOW = Window(start=NOW - timedelta(days=28), end=NOW, history_start=NOW - timedelta(days=90))
EMAIL, TOKEN = "jamie@acme.example", "tok-9d8e7f6a5b4c"
ENV = {"JIRA_EMAIL": EMAIL, "JIRA_TOKEN": TOKEN}
JAMIE = FakeUser("acc-jamie", "Jamie Lead", "jamie@acme.example", name="jamie")
OWEN = FakeUser("acc-owen", "Owen Dev", name="owen")


def team_issues() -> list[IssueSpec]:
    day = timedelta(days=1)
    return [
        IssueSpec(
            key="PIPE-1",
            summary="Multi-stage pipeline",
            type="Story",
            status="Testing",
            assignee="acc-jamie",
            reporter="acc-jamie",
            created=NOW - 20 * day,
            updated=NOW - 9 * day,
            labels=["pipeline"],
            components=["ingest"],
            links=[("blocks", "PIPE-2")],
            histories=[
                status_change(NOW - 15 * day, "acc-jamie", "To Do", "In Progress"),
                status_change(NOW - 9 * day, "acc-jamie", "In Progress", "Testing"),
            ],
            custom={"customfield_10016": 8},
            due="2026-12-18",  # later than the release it is planned for
            fix_versions=[
                FakeVersion("10020", "2.3", "2026-11-02", released=True),  # history
                FakeVersion("10021", "2.4", "2026-12-04"),
                FakeVersion("10022", "2.5", "2026-12-01", archived=True),  # abandoned
                FakeVersion("10023", "3.0"),  # no date yet
            ],
        ),
        IssueSpec(
            key="PIPE-2",
            summary="Owen's test environment",
            type="Bug",
            status="In Progress",
            assignee="acc-owen",
            reporter="acc-owen",
            created=NOW - 10 * day,
            updated=NOW - 1 * day,
            links=[("is-blocked-by", "PIPE-1")],
            parent="PIPE-1",
            due="2026-11-27",
            fix_versions=[FakeVersion("10021", "2.4", "2026-12-04")],
            histories=[assignee_change(NOW - 8 * day, "acc-jamie", JAMIE, OWEN)],
            comments=[
                CommentSpec(NOW - 2 * day, "acc-owen", "[~accountid:acc-jamie] any idea why?"),
                CommentSpec(NOW - 1 * day, "acc-jamie", "Try a clean cache."),
            ],
        ),
        IssueSpec(
            key="PIPE-3",
            summary="Old closed thing",
            type="Quantum Widget",
            status="Done",
            created=NOW - 200 * day,
            updated=NOW - 150 * day,
        ),
    ]


def config_for(url: str, **extra: str) -> str:
    lines = "\n".join(f"{k} = {v}" for k, v in extra.items())
    return f"""
[team]
lead = "jamie"
members = ["owen"]

[people.jamie]
name = "Jamie Lead"
jira = "acc-jamie"

[people.owen]
name = "Owen Dev"
jira = "acc-owen"

[[sources]]
type = "jira"
name = "acme-jira"
server = "{url}"
email_env = "JIRA_EMAIL"
token_env = "JIRA_TOKEN"
projects = ["PIPE"]
timezone = "UTC"
fields = {{ story_points = "customfield_10016" }}
{lines}
"""


def run(url: str, environ=None, **extra: str):
    host = load_plugins(use_entry_points=False, extra=[("jira", leadkit_jira)], environ={})
    config = parse_config(config_for(url, **extra))
    return collect(host, config, WINDOW, environ=ENV if environ is None else environ)


@pytest.mark.parametrize("deployment", ["Cloud", "Server"])
def test_collect_through_the_core(deployment):
    with FakeJira(
        team_issues(), [JAMIE, OWEN], deployment=deployment, credentials=(EMAIL, TOKEN)
    ) as jira:
        url = jira.url
        collection = run(url)
        counts = jira.counts()
    data = collection.dataset
    items = {i.key: i for i in data.work_items}
    assert set(items) == {"PIPE-1", "PIPE-2"}  # PIPE-3 is older than the look-back
    one, two = items["PIPE-1"], items["PIPE-2"]
    who = "acc-jamie" if deployment == "Cloud" else "jamie"
    owen = "acc-owen" if deployment == "Cloud" else "owen"
    assert one.assignee == f"jira:{who}"
    assert one.type == "feature" and one.status_category == "in_progress"
    assert one.links == (Link("blocks", "PIPE-2"),)
    assert two.links == (Link("is-blocked-by", "PIPE-1"),)
    assert two.parent == "PIPE-1"
    assert [t.to_status for t in one.transitions] == ["In Progress", "Testing"]
    assert one.transitions[-1].to_category == "in_progress"
    assert one.fields == {"story_points": 8}
    assert two.assignments[0].to == f"jira:{owen}"
    assert two.assignments[0].from_ == f"jira:{who}"
    assert two.comments[0].question and two.comments[0].mentions == ("jira:acc-jamie",)
    assert one.url == f"{url}/browse/PIPE-1"
    # Due: the earlier of duedate and the earliest unreleased, dated fix version's releaseDate.
    assert (one.due, one.due_source, one.due_name) == (
        datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC),
        "fix_version",
        "2.4",
    )
    assert (two.due, two.due_source, two.due_name) == (
        datetime(2026, 11, 27, 23, 59, 59, tzinfo=UTC),
        "duedate",
        None,
    )
    people = {p.id: p for p in data.people}
    assert people[f"jira:{who}"].emails == ("jamie@acme.example",)
    assert people[f"jira:{who}"].accounts[0].tracker == "jira"
    # serverInfo (auto deployment on a non-Atlassian host) + one search page
    assert counts == {"serverInfo": 1, "search": 1}
    (stats,) = collection.stats
    assert stats.requests == 2 and stats.items == 2


def unplaced(collection: Any) -> list[Any]:
    """The collected work items without their URLs (two fakes listen on two ports)."""
    return [replace(item, url=None) for item in collection.dataset.work_items]


def test_request_counts_stay_near_the_pages_needed():
    issues, users = generate_issues(450, project="PIPE", histories=4, comments=3)
    with FakeJira(issues, users, embed_changelog=2, embed_comments=1) as jira:
        collection = run(jira.url, page_size="100", deployment='"cloud"')
        counts = jira.counts()
    with FakeJira(issues, users, embed_changelog=100, embed_comments=1) as whole:
        untruncated = run(whole.url, page_size="100", deployment='"cloud"')
    truncated_comments = sum(1 for i in issues if len(i.comments) > 1)
    in_scope = [i for i in issues if i.last_updated >= WINDOW.history_start]
    pages = -(-len(in_scope) // 100)  # ceil
    assert len(collection.dataset.work_items) == len(in_scope)
    assert counts["search"] == pages  # one request per page
    # Truncated changelogs: one bulk fetch per page that has any, never one per issue.
    assert sum(1 for i in in_scope if len(i.histories) > 2) > pages
    assert counts["bulkfetch"] == pages and "changelog" not in counts
    assert unplaced(collection) == unplaced(untruncated)  # nothing lost
    assert (
        counts["comment"] == sum(1 for i in in_scope if len(i.comments) > 1) <= truncated_comments
    )
    assert "serverInfo" not in counts and "status" not in counts
    assert collection.stats[0].requests == sum(counts.values())


def test_bulk_changelogs_are_paged_past_1000_entries():
    issues, users = generate_issues(100, project="PIPE", histories=4, comments=0)
    busy = []
    for issue in issues:  # each issue moved back and forth 14 times: 1,400 entries
        start = issue.created + timedelta(minutes=5)
        moves = [
            status_change(start + timedelta(hours=h), "acc-001", *pair)
            for h, pair in enumerate([("To Do", "In Progress"), ("In Progress", "To Do")] * 7)
        ]
        busy.append(replace(issue, histories=moves, updated=moves[-1].at, status="To Do"))
    with FakeJira(busy, users, embed_changelog=3) as jira:
        collection = run(jira.url, page_size="100", deployment='"cloud"')
        counts = jira.counts()
    with FakeJira(busy, users) as whole:
        untruncated = run(whole.url, page_size="100", deployment='"cloud"')
    in_scope = [i for i in busy if i.last_updated >= WINDOW.history_start]
    assert sum(len(i.histories) for i in in_scope) > 1000
    assert unplaced(collection) == unplaced(untruncated)
    assert all(len(i.transitions) == 14 for i in collection.dataset.work_items)
    # One search page; its changelogs in one bulk call, two pages of up to 1,000 entries.
    assert counts["search"] == 1 and counts["bulkfetch"] == 2


def test_retry_after_over_a_real_socket_waits_through_the_context():
    sleeps: list[float] = []
    with FakeJira(team_issues(), [JAMIE, OWEN]) as jira:
        jira.fail_next(429, {"Retry-After": "3"})
        jira.fail_next(503, {"Retry-After": "1"})
        host = load_plugins(use_entry_points=False, extra=[("jira", leadkit_jira)], environ={})
        config = parse_config(config_for(jira.url, deployment='"cloud"'))
        from leadkit.collect.fetch import make_adapter

        adapter = make_adapter(host, config.sources[0], config, environ=ENV)
        adapter.context.sleep = sleeps.append
        data = adapter.collect(WINDOW)
    assert len(data.work_items) == 2
    assert sleeps == [3.0, 1.0]
    assert adapter.context.stats.requests == 3


def test_wrong_token_against_the_fake_names_the_variables():
    with (
        FakeJira(team_issues(), [JAMIE], credentials=(EMAIL, "another")) as jira,
        pytest.raises(SourceError, match="JIRA_EMAIL / JIRA_TOKEN"),
    ):
        run(jira.url, deployment='"cloud"')


def test_unreachable_server_is_a_source_error():
    with FakeJira() as jira:
        url = jira.url
    with pytest.raises(SourceError, match="cannot reach Jira"):
        run(url, deployment='"cloud"', max_retries="0")


def test_installed_distribution_registers_the_source_from_its_entry_point():
    try:
        dist = importlib.metadata.distribution("leadkit-jira")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("leadkit-jira is not installed in this environment")
    (ep,) = [ep for ep in dist.entry_points if ep.group == "leadkit"]
    assert ep.name == "jira" and ep.value == "leadkit_jira"
    host = load_plugins(environ={})
    assert host.sources["jira"] is leadkit_jira.JiraSource
    info = host.infos["jira"]
    assert (info.distribution, info.version, info.error) == ("leadkit-jira", "0.1.0", None)


@pytest.mark.parametrize("debug", [False, True])
def test_cli_shows_one_line_and_never_the_token(tmp_path, debug):
    from click.testing import CliRunner

    from leadkit.cli import cli

    with FakeJira(team_issues(), [JAMIE], credentials=(EMAIL, "the-right-one")) as jira:
        jira.fail_next(400, body={"errorMessages": [f"JQL echo: {TOKEN}"]})
        config = tmp_path / "leadkit.toml"
        config.write_text(config_for(jira.url, deployment='"cloud"'), encoding="utf-8")
        env = {
            **ENV,
            "XDG_CACHE_HOME": str(tmp_path),
            "LEADKIT_CONFIG": None,
            "LEADKIT_PLUGINS": None,
        }
        args = ["--debug"] if debug else []
        first = CliRunner().invoke(cli, [*args, "report", "--config", str(config)], env=env)
        second = CliRunner().invoke(cli, [*args, "report", "--config", str(config)], env=env)
    assert first.exit_code == second.exit_code == 2
    assert "Jira rejected the search page 1: JQL echo: ***" in first.stderr
    assert "leadkit: error: source 'acme-jira': Jira rejected the credentials in " in (
        second.stderr
    )
    assert "JIRA_EMAIL / JIRA_TOKEN" in second.stderr
    for result in (first, second):
        assert TOKEN not in result.output
        assert ("Traceback" in result.stderr) is debug
        if not debug:
            assert len(result.stderr.strip().splitlines()) == 1


def test_open_items_are_fetched_however_long_untouched_but_not_again_when_unchanged():
    """The lead's oldest open ticket is often the one blocking someone."""
    day = timedelta(days=1)
    old_open = IssueSpec(
        key="PIPE-9",
        summary="Decide the retention policy",
        status="In Progress",
        assignee="acc-jamie",
        created=NOW - 300 * day,
        updated=NOW - 200 * day,
    )
    with FakeJira([*team_issues(), old_open], [JAMIE, OWEN], credentials=(EMAIL, TOKEN)) as jira:
        keys = {i.key for i in run(jira.url, deployment='"cloud"').dataset.work_items}
        host = load_plugins(use_entry_points=False, extra=[("jira", leadkit_jira)], environ={})
        config = parse_config(config_for(jira.url, deployment='"cloud"'))
        adapter = make_adapter(host, config.sources[0], config, environ=ENV)
        incremental = adapter.collect(WINDOW, updated_since=NOW - day)
    assert keys == {"PIPE-1", "PIPE-2", "PIPE-9"}  # PIPE-3 is done and old: left out
    assert {i.key for i in incremental.work_items} == {"PIPE-2"}  # only what changed since
