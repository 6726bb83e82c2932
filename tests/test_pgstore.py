"""What only the shared PostgreSQL store does: source locks, kill -9 mid-page, its URL rules.

Each test runs against a real server (the ``postgres_server`` fixture in conftest.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from leadkit.collect.pgstore import PostgresStore
from leadkit.collect.store import SCHEMA_VERSION
from leadkit.errors import ConfigError, StoreError
from leadkit.model.data import Window
from leadkit.secrets import redact
from leadkit.testing import open_store
from tests.conftest import PostgresServer
from tests.test_sync import ENV, Team, running_team


@pytest.fixture
def pg_team(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_server: PostgresServer
) -> Team:
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    with running_team(tmp_path, postgres_server.new_database()) as made:
        yield made  # type: ignore[misc]


def test_a_second_sync_of_a_source_waits_then_names_who_holds_it(pg_team: Team) -> None:
    assert isinstance(pg_team.db, str)
    with PostgresStore(pg_team.db) as holder, holder.hold(["gh"]):
        began = time.monotonic()
        blocked = pg_team.run("sync", "--source", "gh", "--wait", "1")
        waited = time.monotonic() - began
    assert blocked.exit_code == 2, blocked.output
    (line,) = blocked.output.strip().splitlines()
    assert "source 'gh' is being synced" in line
    assert f"leadkit pid {os.getpid()}" in line  # the holder
    assert waited >= 1
    assert pg_team.requests() == (0, 0)  # nothing fetched while another sync holds it
    other = pg_team.run("sync", "--source", "jira")  # another source is free meanwhile
    assert other.exit_code == 0, other.output
    assert pg_team.run("sync", "--source", "gh").exit_code == 0  # released with the holder


KILLED_SYNC = """
import sys, time
from pathlib import Path

from leadkit.collect import pgstore

marker = Path(sys.argv[1])
real = pgstore.PostgresStore._executemany
calls = []


def paused_in_the_second_page(self, sql, rows):
    real(self, sql, rows)
    if sql.startswith("INSERT INTO reviews"):
        calls.append(sql)
    if len(calls) == 2:  # the second page's reviews are written, its transaction still open
        marker.write_text("mid-page")
        time.sleep(600)


pgstore.PostgresStore._executemany = paused_in_the_second_page
from leadkit.cli import main

sys.argv = ["leadkit", *sys.argv[2:]]
main()
"""


def test_kill_9_mid_page_then_a_resumed_sync_equals_a_clean_sync(
    pg_team: Team, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    script = tmp_path / "killed_sync.py"
    script.write_text(KILLED_SYNC, encoding="utf-8")
    marker = tmp_path / "paused"
    argv = ["sync", "--source", "gh", "--config", str(pg_team.config), "--db", str(pg_team.db)]
    with subprocess.Popen(
        [sys.executable, str(script), str(marker), *argv], env={**os.environ, **ENV}
    ) as proc:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert marker.exists(), "the sync never reached its second page"
    with open_store(pg_team.db) as store:
        assert store.mark("gh") is None  # not finished
        assert store.counts("gh")["reviews"] == 70  # the first page only: the second rolled back
        assert store.progress("gh") is not None
    resumed = pg_team.run("sync", "--source", "gh", "--wait", "30")  # the lock died with it
    assert resumed.exit_code == 0, resumed.output
    assert "resumed where the last sync stopped" in resumed.output
    clean = postgres_server.new_database()
    assert replace(pg_team, db=clean).run("sync", "--source", "gh").exit_code == 0
    window = Window(pg_team.now, pg_team.now, pg_team.now - timedelta(days=90))
    with open_store(pg_team.db) as store, open_store(clean) as reference:
        got, want = store.dataset("gh", window), reference.dataset("gh", window)
        assert store.counts("gh") == reference.counts("gh")
    assert sorted(got.reviews, key=lambda r: (r.repo, r.number)) == sorted(
        want.reviews, key=lambda r: (r.repo, r.number)
    )
    assert sorted(p.id for p in got.people) == sorted(p.id for p in want.people)


def test_a_newer_schema_is_refused_untouched(postgres_server: PostgresServer) -> None:
    url = postgres_server.new_database()
    open_store(url).close()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    with pytest.raises(StoreError, match="upgrade leadkit"):
        open_store(url)


def test_another_applications_tables_are_refused_untouched(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.new_database()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="another application's tables"):
        open_store(url)
    with psycopg.connect(url, autocommit=True) as db:
        tables = db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    assert tables == [("invoices",)]


def test_a_password_in_the_url_is_refused_and_masked(in_tmp: Path) -> None:
    with pytest.raises(StoreError) as caught:
        PostgresStore("postgresql://lead:hunter2-secret@db.example/leadkit")
    message = str(caught.value)
    assert "PGPASSWORD" in message and "hunter2-secret" not in message
    assert redact("hunter2-secret") == "***"
    (in_tmp / "leadkit.toml").write_text(
        '[store]\nurl = "postgresql://lead:other-secret-9@db.example/leadkit"\n', encoding="utf-8"
    )
    from leadkit.config import load_config

    with pytest.raises(ConfigError) as config_error:
        load_config(in_tmp / "leadkit.toml")
    assert "other-secret-9" not in str(config_error.value)


def test_a_password_comes_from_the_variable_password_env_names(
    postgres_server: PostgresServer,
) -> None:
    with pytest.raises(ConfigError, match="STORE_PASSWORD is not set"):
        PostgresStore(postgres_server.new_database(), password_env="STORE_PASSWORD", environ={})
    url = postgres_server.new_database()
    with PostgresStore(url, password_env="STORE_PASSWORD", environ={"STORE_PASSWORD": "s3cret-pw"}):
        pass  # trust authentication ignores it; it is read and masked from then on
    assert redact("s3cret-pw") == "***"


def test_twenty_reports_and_a_sync_at_once_all_succeed_with_nothing_lost(pg_team: Team) -> None:
    """Report jobs on many runners read the shared store while the scheduled sync rewrites it:
    each reads one snapshot, so every report is whole and the same."""
    now = (pg_team.now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert pg_team.run("sync", "--now", now).exit_code == 0
    before = pg_team.run("report", "--offline", "--now", now, "--format", "json")
    assert before.exit_code == 0, before.output
    common = ["--config", str(pg_team.config), "--db", str(pg_team.db), "--now", now]
    leadkit = [sys.executable, "-c", "from leadkit.cli import main; main()"]
    env = {**os.environ, **ENV}
    sync = subprocess.Popen(
        [*leadkit, "sync", "--full", "--wait", "60", *common], env=env, stdout=subprocess.PIPE
    )
    reports = [
        subprocess.Popen(
            [*leadkit, "report", "--offline", "--format", "json", *common],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(20)
    ]
    outputs = [(proc.communicate(timeout=120), proc.returncode) for proc in reports]
    sync.communicate(timeout=120)
    assert sync.returncode == 0
    for (out, err), code in outputs:
        assert code == 0, err.decode()
        assert json.loads(out) == json.loads(before.output)
    with open_store(pg_team.db) as store:
        assert store.counts("gh")["reviews"] == 140
        assert store.counts("jira")["work_items"] == 150
