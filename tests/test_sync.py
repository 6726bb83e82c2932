"""`leadkit sync` and the report's use of the store, against the fake GitHub and Jira.

Request counts are those the fake servers saw. Generated data is dated
relative to the real clock, since sync marks are real times.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("leadkit_github", reason="needs leadkit-github")
pytest.importorskip("leadkit_jira", reason="needs leadkit-jira")
pytest.importorskip("graphql", reason="the fake GitHub needs graphql-core")

from click.testing import CliRunner, Result

from leadkit.cli import cli
from leadkit.collect.selection import CLOCK_SKEW
from leadkit.collect.sources import CollectContext, SourceAdapter, SourceConfig, SourceStats
from leadkit.collect.store import open_store
from leadkit.collect.sync import sync_sources
from leadkit.errors import SourceError
from leadkit.model.data import Dataset, Window
from leadkit.testing import org, org_config
from tests.fakes.fake_github import FakeGitHub, github_repos, github_users
from tests.fakes.fake_jira import FakeJira, IssueSpec
from tests.fakes.generate import jira_issues, jira_users

SOURCES = """
[[sources]]
type = "github"
name = "gh"
base_url = "{github}"
repos = ["acme/repo0", "acme/repo1"]

[[sources]]
type = "jira"
name = "jira"
server = "{jira}"
deployment = "cloud"
timezone = "UTC"
email_env = "JIRA_EMAIL"
token_env = "JIRA_TOKEN"
projects = ["PIPE"]
"""
ENV = {"GITHUB_TOKEN": "gh-tok", "JIRA_EMAIL": "lead@example.com", "JIRA_TOKEN": "jira-tok"}


@dataclass
class Team:
    github: FakeGitHub
    jira: FakeJira
    config: Path
    db: Path | str
    now: datetime

    def run(self, *args: str, db: bool = True) -> Result:
        extra = ["--config", str(self.config), *(["--db", str(self.db)] if db else [])]
        return CliRunner().invoke(cli, [*args, *extra], env=ENV, catch_exceptions=False)

    def requests(self) -> tuple[int, int]:
        return self.github.count(), self.jira.count()

    def reset(self) -> None:
        self.github.reset_counts()
        self.jira.reset_calls()


@contextmanager
def running_team(tmp_path: Path, db: Path | str) -> Iterator[Team]:
    """The fake GitHub and Jira of a team, its config, and its store at ``db``."""
    now = datetime.now(UTC).replace(microsecond=0)
    members = org()
    repos = github_repos(140, now=now, members=members)  # 70 per repo: one page each
    issues = jira_issues(150, now=now, members=members)  # two search pages
    with (
        FakeGitHub(repos, users=github_users(members)) as github,
        FakeJira(issues, jira_users(members)) as jira,
    ):
        config = tmp_path / "leadkit.toml"
        sources = SOURCES.format(github=github.url, jira=jira.url)
        config.write_text(org_config(members, sources=sources), encoding="utf-8")
        yield Team(github, jira, config, db, now)


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_at: Path | str) -> Iterator[Team]:
    """A team whose store is an SQLite file, then a PostgreSQL database."""
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    with running_team(tmp_path, store_at) as made:
        yield made


@pytest.fixture
def file_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    """A team whose store is an SQLite file (for what only a file has: a journal, bytes)."""
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    with running_team(tmp_path, tmp_path / "store.sqlite") as made:
        yield made


def test_sync_stores_everything_at_the_lower_bound_and_prints_a_line_per_source(
    team: Team,
) -> None:
    result = team.run("sync")
    assert result.exit_code == 0, result.output
    assert team.requests() == (2, 2)  # one page per repository, two search pages
    lines = sorted(result.output.splitlines())
    assert lines[0].startswith("gh: 140 items stored (full), 2 requests")
    assert lines[1].startswith("jira: 150 items stored (full), 2 requests")
    with open_store(team.db) as store:
        assert store.counts("gh")["reviews"] == 140
        assert store.counts("jira")["work_items"] == 150
        assert store.mark("gh") is not None and store.mark("jira") is not None


def test_incremental_sync_fetches_only_what_changed(team: Team) -> None:
    team.run("sync")
    team.reset()
    nothing = team.run("sync")
    assert "gh: 0 items stored (changes since" in nothing.output
    assert team.requests() == (2, 1)  # at most one request per repository or JQL
    later = datetime.now(UTC) + timedelta(minutes=1)
    repo = team.github.repos["acme/repo1"]
    for pull in repo.pulls[:3]:
        pull.title, pull.updated = f"Edited {pull.number}", later
    team.github.invalidate()
    edited = [replace(i, summary="Edited", updated=later) for i in team.jira.issues[:2]]
    team.jira.add(edited)
    team.reset()
    result = team.run("sync")
    assert team.github.count() == 2
    assert team.jira.counts()["search"] == 1  # (plus /status: the changelogs name statuses)
    assert team.jira.count() <= 2
    assert "gh: 3 items stored" in result.output
    assert "jira: 2 items stored" in result.output
    with open_store(team.db) as store:
        data = store.dataset("gh", Window(team.now, team.now, team.now - timedelta(days=90)))
        titles = {r.number: r.title for r in data.reviews if r.repo == "acme/repo1"}
        assert [titles[p.number] for p in repo.pulls[:3]] == [
            f"Edited {p.number}" for p in repo.pulls[:3]
        ]
        assert store.counts("gh")["reviews"] == 140


def test_full_ignores_the_marks(team: Team) -> None:
    team.run("sync")
    team.reset()
    result = team.run("sync", "--full")
    assert "(full)" in result.output
    assert team.requests() == (2, 2)


class Flaky(SourceAdapter):
    """Yields ``data`` in pages of one item; fails with ``error`` after ``fail_after`` pages."""

    type = "flaky"
    data: Dataset
    fail_after: int | None = None
    error: BaseException = ConnectionError("network is down")
    seen_since: list[datetime | None]

    def pages(self, window: Window, *, updated_since: datetime | None = None) -> Iterator[Dataset]:
        self.seen_since.append(updated_since)
        for n, item in enumerate(self.data.work_items):
            if self.fail_after is not None and n == self.fail_after:
                raise self.error
            yield Dataset(window=window, work_items=[item], sources=[self.source.name])


def flaky(data: Dataset, fail_after: int | None, error: BaseException, seen: list) -> Flaky:
    adapter = Flaky(SourceConfig("flaky", "flaky"), CollectContext(stats=SourceStats("flaky")))
    adapter.data, adapter.fail_after, adapter.error, adapter.seen_since = (
        data,
        fail_after,
        error,
        seen,
    )
    return adapter


@pytest.mark.parametrize(
    "error", [ConnectionError("network is down"), KeyboardInterrupt()], ids=["network", "ctrl-c"]
)
def test_an_interrupted_sync_keeps_its_pages_and_resumes_from_the_old_mark(
    store_at: Path | str, error: BaseException
) -> None:
    from tests.test_store import WINDOW, item

    data = Dataset(window=WINDOW, work_items=[item(f"A-{n}") for n in range(1, 11)])
    seen: list[datetime | None] = []
    ticks = iter(WINDOW.end + timedelta(hours=h) for h in range(100))

    def clock() -> datetime:
        return next(ticks)

    with open_store(store_at) as store:
        first = Dataset(window=WINDOW, work_items=data.work_items[:2])
        sync_sources(store, [flaky(first, None, error, seen)], WINDOW, clock=clock)
        old = store.mark("flaky")
        assert old is not None
        expected = SourceError if isinstance(error, ConnectionError) else KeyboardInterrupt
        with pytest.raises(expected):
            sync_sources(store, [flaky(data, 5, error, seen)], WINDOW, clock=clock)
        assert store.counts("flaky")["work_items"] == 5  # pages before the failure are kept
        assert store.mark("flaky") == old  # the mark moves only when a source finishes
        sync_sources(store, [flaky(data, None, error, seen)], WINDOW, clock=clock)
        assert store.counts("flaky")["work_items"] == 10  # nothing lost, nothing doubled
        assert store.mark("flaky").mark > old.mark  # type: ignore[union-attr]
    assert seen == [None, old.mark - CLOCK_SKEW, old.mark - CLOCK_SKEW]


class Endless(SourceAdapter):
    """A slow, many-paged source: one item per page, for as long as it is asked."""

    type = "endless"
    requested: list[int]
    read_one: threading.Event
    """Set once it has read its first page."""
    gate: threading.Event
    """Held closed while it reads its second page, until the other source has failed."""

    def pages(self, window: Window, *, updated_since: datetime | None = None) -> Iterator[Dataset]:
        from tests.test_store import item

        for n in range(1, 100_000):
            if n == 2:
                self.gate.wait(10)
            self.requested.append(n)
            self.read_one.set()
            yield Dataset(window=window, work_items=[item(f"S-{n}")], sources=[self.source.name])


class FailsOnce(SourceAdapter):
    """Fails as soon as the other source is reading its second page, then lets it go on."""

    type = "fails"
    gate: threading.Event
    other: Endless

    def pages(self, window: Window, *, updated_since: datetime | None = None) -> Iterator[Dataset]:
        self.other.read_one.wait(10)
        try:
            raise ConnectionError("network is down")
        finally:
            self.gate.set()
        yield Dataset(window=window)  # a generator, as adapters are


def test_when_one_source_fails_the_others_stop_before_the_sync_reports_it(
    store_at: Path | str,
) -> None:
    from tests.test_store import WINDOW

    gate = threading.Event()
    slow = Endless(SourceConfig("slow", "endless"), CollectContext(stats=SourceStats("slow")))
    slow.requested, slow.read_one, slow.gate = [], threading.Event(), gate
    fails = FailsOnce(SourceConfig("bad", "fails"), CollectContext(stats=SourceStats("bad")))
    fails.gate, fails.other = gate, slow
    with open_store(store_at) as store:
        with pytest.raises(SourceError, match="network is down"):
            sync_sources(store, [slow, fails], WINDOW)
        # No thread of the sync outlives it, so the slow source reads nothing more.
        assert not [t for t in threading.enumerate() if t.name.startswith("leadkit-sync-")]
        requested = len(slow.requested)
        assert requested < 100_000  # it was stopped, not run to its end
        kept = store.dataset("slow", WINDOW)
        stored = sorted(int(w.key.split("-")[1]) for w in kept.work_items)
        # whole pages only, in order, none beyond what was read; no source is marked synced
        assert stored == list(range(1, len(stored) + 1))
        assert len(stored) <= requested
        assert store.mark("slow") is None and store.mark("bad") is None


def test_report_from_the_store_equals_the_direct_report(team: Team, tmp_path: Path) -> None:
    now = (team.now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    direct = team.run("report", "--now", now, "--format", "json", db=False)
    assert direct.exit_code == 0, direct.output
    assert team.requests() == (2, 2)
    assert not list(tmp_path.rglob("*.sqlite"))  # no store: fetched directly, none made
    team.run("sync", "--now", now)
    team.reset()
    stored = team.run("report", "--now", now, "--format", "json", "--offline")
    assert stored.exit_code == 0, stored.output
    assert team.requests() == (0, 0)
    assert json.loads(stored.output) == json.loads(direct.output)
    assert json.loads(direct.output)["findings"]  # a report worth comparing


def test_a_store_report_keeps_the_leads_old_open_blocker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An open ticket untouched for months is fetched directly, so the store must return it too."""
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    now = datetime.now(UTC).replace(microsecond=0)
    members = org()
    lead, dev = members[0], members[1]
    issues = jira_issues(60, now=now, members=members)
    waiting = IssueSpec(
        key="PIPE-901",
        summary="Stage output compaction",
        created=now - timedelta(days=20),
        updated=now - timedelta(days=2),
        type="Story",
        status="In Progress",
        assignee=dev.jira,
        reporter=lead.jira,
    )
    old = IssueSpec(
        key="PIPE-900",
        summary="Decide the artifact storage format",
        created=now - timedelta(days=220),
        updated=now - timedelta(days=150),  # long before the 90-day history
        type="Task",
        status="In Progress",
        assignee=lead.jira,
        reporter=lead.jira,
        links=[("blocks", "PIPE-901")],
    )
    with (
        FakeGitHub(github_repos(20, now=now, members=members), users=github_users(members)) as gh,
        FakeJira([*issues, waiting, old], jira_users(members)) as jira,
    ):
        config = tmp_path / "leadkit.toml"
        sources = SOURCES.format(github=gh.url, jira=jira.url)
        config.write_text(org_config(members, sources=sources), encoding="utf-8")
        team = Team(gh, jira, config, tmp_path / "store.sqlite", now)
        at = (now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        direct = team.run("report", "--now", at, "--format", "json", db=False)
        assert direct.exit_code == 0, direct.output
        team.run("sync", "--now", at)
        stored = team.run("report", "--now", at, "--format", "json", "--offline")
        assert stored.exit_code == 0, stored.output
    doc = json.loads(direct.output)
    blocking = [f for f in doc["findings"] if f["kind"] == "blocking-work"]
    assert any(i.get("key") == "PIPE-900" for f in blocking for i in f["items"])
    assert json.loads(stored.output) == doc


def test_offline_never_opens_a_socket(file_team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    file_team.run("sync")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("--offline opened a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    result = file_team.run("report", "--offline", "--max-age", "0h", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "--offline uses it anyway" in result.output  # stale: a warning, not a fetch


def test_offline_without_data_for_a_source_says_so(file_team: Team) -> None:
    file_team.run("sync", "--source", "gh")
    result = file_team.run("report", "--offline")
    assert result.exit_code == 2
    assert "has nothing for source 'jira'" in result.output
    missing = file_team.run(
        "report", "--offline", "--db", str(file_team.db.parent / "none.sqlite"), db=False
    )
    assert missing.exit_code == 2 and "run `leadkit sync` first" in missing.output


def test_offline_period_not_stored_names_what_the_user_gave_and_the_sync_that_stores_it(
    team: Team,
) -> None:
    team.run("sync")
    month = f"{team.now.year - 1}-{team.now.month:02d}"
    result = team.run("report", "--period", month, "--offline")
    assert result.exit_code == 2
    assert f"`leadkit sync --source gh --period {month}`" in result.stderr
    assert "--since" not in result.stderr  # the user gave none
    assert team.run("sync", "--period", month).exit_code == 0
    assert team.run("report", "--period", month, "--offline").exit_code == 0


def test_report_syncs_stale_sources_first_then_reads_the_store(team: Team) -> None:
    team.run("sync")
    team.reset()
    fresh = team.run("report", "--format", "json")
    assert fresh.exit_code == 0 and team.requests() == (0, 0)
    stale = team.run("report", "--max-age", "0h", "--format", "json")
    assert stale.exit_code == 0 and team.requests() == (2, 1)  # incremental: nothing new
    team.reset()
    team.run("report", "--refresh", "--format", "json")
    assert team.requests() == (2, 1)


def test_a_foreign_db_stops_sync_with_one_line(file_team: Team) -> None:
    file_team.db.write_bytes(b"not a database at all")
    result = file_team.run("sync")
    assert result.exit_code == 2
    assert "not a leadkit store" in result.output
    assert file_team.db.read_bytes() == b"not a database at all"
    assert file_team.requests() == (0, 0)


KILLED_SYNC = """
import sqlite3, sys, time
from pathlib import Path

marker = Path(sys.argv[1])
connect = sqlite3.connect


def paused_at_the_second_commit(*args, **kwargs):
    # A one-page cache makes SQLite spill each page's rows into the file mid-transaction, as a
    # large page does; the sync then waits at its second page's COMMIT to be killed.
    db = connect(*args, **kwargs)
    db.execute("PRAGMA cache_size = 1")
    commits = []

    def trace(sql):
        if sql == "COMMIT":
            commits.append(sql)
            if len(commits) == 2:
                marker.write_text("mid-page")
                time.sleep(600)

    db.set_trace_callback(trace)
    return db


sqlite3.connect = paused_at_the_second_commit
from leadkit.cli import main

sys.argv = ["leadkit", *sys.argv[2:]]
main()
"""


def kill_a_sync_mid_page(file_team: Team, tmp_path: Path) -> None:
    """``leadkit sync --full --source gh`` in a real process, killed (SIGKILL) inside its second page."""
    script = tmp_path / "killed_sync.py"
    script.write_text(KILLED_SYNC, encoding="utf-8")
    marker = tmp_path / "paused"
    argv = [
        "sync",
        "--full",
        "--source",
        "gh",
        "--config",
        str(file_team.config),
        "--db",
        str(file_team.db),
    ]
    env = {**os.environ, **ENV}
    with subprocess.Popen([sys.executable, str(script), str(marker), *argv], env=env) as proc:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert marker.exists(), "the sync never reached its second page"


def test_offline_report_after_a_killed_sync_rolls_it_back_and_never_calls_the_store_corrupt(
    file_team: Team, tmp_path: Path
) -> None:
    assert file_team.run("sync").exit_code == 0
    now = (file_team.now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    before = file_team.run("report", "--offline", "--now", now, "--format", "json")
    assert before.exit_code == 0, before.output
    kill_a_sync_mid_page(file_team, tmp_path)
    journal = file_team.db.with_name(file_team.db.name + "-journal")
    assert journal.stat().st_size > 0
    reader = sqlite3.connect(f"{file_team.db.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # the journal is hot
        reader.execute("SELECT COUNT(*) FROM reviews").fetchone()
    reader.close()

    after = file_team.run("report", "--offline", "--now", now, "--format", "json")
    assert after.exit_code == 0, after.output
    assert "the last sync into" in after.stderr and "was interrupted" in after.stderr
    assert "run `leadkit sync`" in after.stderr
    assert "corrupt" not in after.output and "delete" not in after.output
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert not journal.exists()  # rolled back: one file again
    assert file_team.run("sync").exit_code == 0


def test_offline_report_that_may_not_write_says_the_sync_was_interrupted(
    file_team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert file_team.run("sync").exit_code == 0
    kill_a_sync_mid_page(file_team, tmp_path)
    before = file_team.db.read_bytes()
    connect = sqlite3.connect

    def read_only_medium(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if "mode=ro" not in str(database):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_medium)
    result = file_team.run("report", "--offline", "--format", "json")
    assert result.exit_code == 2
    line = result.output.strip()
    assert "\n" not in line and "the last sync into" in line and "was interrupted" in line
    assert "run `leadkit sync`" in line and "the store is sound" in line
    assert "corrupt" not in line and "delete" not in line
    assert file_team.db.read_bytes() == before


def test_one_sync_serves_every_team_and_each_team_reports_from_the_store(team: Team) -> None:
    config = team.config.read_text(encoding="utf-8")
    (lead, *people) = [m.id for m in org()][:9]
    teams = "".join(
        f'[[teams]]\nname = "{name}"\nlead = "{lead}"\nmembers = {json.dumps(members)}\n\n'
        for name, lead, members in (
            ("api", lead, people[:3]),
            ("web", people[3], people[4:6]),
            ("data", people[6], people[7:]),
        )
    )
    start = config.index("[team]")
    end = config.index("\n\n", start) + 2
    team.config.write_text(config[:start] + teams + config[end:], encoding="utf-8")
    synced = team.run("sync")
    assert synced.exit_code == 0, synced.output
    assert team.requests() == (2, 2)  # each source fetched once, whatever number of teams read it
    team.reset()
    now = (team.now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("api", "web", "data"):
        report = team.run("report", "--team", name, "--offline", "--now", now, "--format", "json")
        assert report.exit_code == 0, report.output
        assert [t["name"] for t in json.loads(report.output)["teams"]] == [name]
    assert team.requests() == (0, 0)
