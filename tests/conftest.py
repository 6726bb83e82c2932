"""Shared fixtures: core tests see only the built-ins and the plugins they register."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DEMO_NOW = "2026-11-20T16:00:00Z"
PLUGIN_FILES = Path(__file__).parent / "plugin_files"

REQUIRED_PROGRAMS = {
    n for n in os.environ if n.startswith("LEADKIT_REQUIRE_") and os.environ[n] == "1"
}
"""``LEADKIT_REQUIRE_BROWSER=1`` (``_POSTGRES``): read before any test clears ``LEADKIT_*``.
``.ci/run`` sets them, so CI fails where a developer's machine skips."""


def system_program(*names: str, require: str, install: str) -> str:
    """The first of ``names`` on ``PATH``, for a test that drives a system program.

    Without one the test is skipped with one line saying how to run it, unless the variable
    ``require`` is 1: then a missing program fails the test. ``make test`` never installs a
    system program; ``.ci/run`` does (``install`` is its package).
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    line = f"no {names[0]} on PATH: install it (apt-get install {install}), or run .ci/run"
    if require in REQUIRED_PROGRAMS:
        pytest.fail(f"{line}; {require}=1 requires it")
    pytest.skip(f"{line}; {require}=1 makes this a failure")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user config, plugin switches or CI markers leak into a test."""
    for name in list(os.environ):
        if name.startswith("LEADKIT_") or name in ("GITHUB_STEP_SUMMARY",):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    yield


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder (no ./leadkit.toml)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL server: its folder holds the data and the Unix socket."""

    folder: Path
    bin: Path
    user: str | None
    databases: int = 0

    def new_database(self) -> str:
        """A fresh, empty store on this server (a schema of its own, which is quicker to make
        than a database), as its ``postgresql://`` URL."""
        import psycopg

        self.databases += 1
        name = f"store_{self.databases}"
        with psycopg.connect(self.url(""), autocommit=True) as db:
            db.execute(f"CREATE SCHEMA {name}")
        return self.url(f"&options=-csearch_path%3D{name}")

    def url(self, query: str) -> str:
        return f"postgresql://leadkit@/postgres?host={self.folder}{query}"


def _postgres_bin() -> Path:
    """The folder of initdb and pg_ctl: Debian's /usr/lib/postgresql/N/bin, else PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = system_program("initdb", require="LEADKIT_REQUIRE_POSTGRES", install="postgresql")
    return Path(initdb).resolve().parent


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session, started from the system's programs in a temporary
    folder (a Unix socket there, no TCP port) and removed after. initdb refuses root, so as root
    (CI, this machine) the server runs as ``nobody``."""
    bin_dir = _postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="leadkit-pg-"))
    user = "nobody" if os.geteuid() == 0 else None
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    as_user: dict[str, object] = (
        {"user": user, "group": "nogroup", "extra_groups": []} if user else {}
    )
    data, log = folder / "data", folder / "server.log"

    def run(*args: str) -> None:
        done = subprocess.run(
            args,
            capture_output=True,
            text=True,
            cwd=folder,
            check=False,
            **as_user,  # type: ignore[call-overload]
        )
        if done.returncode:
            pytest.fail(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    try:
        run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "leadkit",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-k {folder} -h '' -c fsync=off -c full_page_writes=off",
            "start",
        )
        yield PostgresServer(folder, bin_dir, user)
    finally:
        if (data / "postmaster.pid").exists():
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def store_at(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a store test keeps its store: an SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "s.sqlite"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()
