"""The embedded store: normalized data of every source in one SQLite file.

``leadkit sync`` writes what each source's adapter yields, page by page, one
transaction per page; ``leadkit report`` reads it back as the same
:class:`leadkit.model.data.Dataset` a direct fetch would give. Rows hold the
interchange JSON of one person, work item or review (:mod:`leadkit.model.interchange`),
keyed by source and key, so an upsert of the same page twice stores it once.

Safety rules, in the order :class:`Store` applies them on open:

- a file that is not SQLite, or is another application's database, raises
  :class:`leadkit.errors.StoreError` and is never written to (the checks read
  only; nothing is written before they pass);
- a store from a newer leadkit (``PRAGMA user_version`` above
  :data:`SCHEMA_VERSION`) is refused with "upgrade leadkit"; an older one is
  migrated forward in one transaction;
- the database uses SQLite's rollback journal, so between runs it is always a
  single file that ``actions/cache`` can keep, and a process killed mid-write
  leaves a journal that SQLite rolls back on the next open. A read-only open
  (``report --offline``) cannot roll it back through its own connection, so it
  rolls it back through a brief read-write one, then reads (the store is then as
  the last finished page left it, :attr:`Store.rolled_back` says so); where it
  may not write it says the last sync was interrupted and to run ``leadkit sync``.
  Only a store SQLite itself calls corrupt is ever called corrupt: a locked,
  unreadable or interrupted store is never one to delete.

A source's sync mark (the time its last *finished* sync started) is written
only after its last page. Meanwhile each page's transaction also saves where
the sync got to (:class:`SyncProgress`, per stream), so an interrupted sync,
the first one included, carries on from there rather than from page 1.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from leadkit.collect.selection import select
from leadkit.errors import DataError, StoreError
from leadkit.model.codec import decode_json, decode_rows, encode
from leadkit.model.data import (
    CodeOwners,
    Dataset,
    Person,
    Review,
    Window,
    WorkItem,
    merge_datasets,
    merge_people,
)
from leadkit.secrets import redact
from leadkit.timeutil import iso, parse_datetime

_CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
"""The only SQLite errors that mean the file itself is damaged (every other one leaves it sound)."""
_HOT_JOURNAL = "SQLITE_READONLY_ROLLBACK"
"""A read-only connection met a hot journal: a write was interrupted and must be rolled back."""

APPLICATION_ID = 0x4C4B5354
"""``PRAGMA application_id`` of a leadkit store ("LKST"): tells it from other SQLite files."""
SQLITE_MAGIC = b"SQLite format 3\x00"
SCHEMA_VERSION = 5
T = TypeVar("T")
_BATCH = 5000
"""Rows decoded at a time when a report reads the store."""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE people ("
        " source TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,"
        " PRIMARY KEY (source, id))",
        "CREATE TABLE work_items ("
        " source TEXT NOT NULL, key TEXT NOT NULL, updated TEXT NOT NULL,"
        " open INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (source, key))",
        "CREATE TABLE reviews ("
        " source TEXT NOT NULL, repo TEXT NOT NULL, number INTEGER NOT NULL,"
        " updated TEXT NOT NULL, open INTEGER NOT NULL, doc TEXT NOT NULL,"
        " PRIMARY KEY (source, repo, number))",
        "CREATE TABLE sync_marks ("
        " source TEXT PRIMARY KEY, mark TEXT NOT NULL, finished TEXT NOT NULL,"
        " items INTEGER NOT NULL DEFAULT 0, requests INTEGER NOT NULL DEFAULT 0)",
    ),
    2: (
        # Version 2: how far back a source's data is complete, and its last sync's notes.
        "ALTER TABLE sync_marks ADD COLUMN covered_from TEXT",
        "ALTER TABLE sync_marks ADD COLUMN notes TEXT NOT NULL DEFAULT '[]'",
        "CREATE INDEX work_items_updated ON work_items (source, updated)",
        "CREATE INDEX reviews_updated ON reviews (source, updated)",
    ),
    3: (
        # Version 3: where an unfinished sync stopped, so the next one carries on from there.
        "CREATE TABLE sync_progress ("
        " source TEXT PRIMARY KEY, started TEXT NOT NULL, since TEXT,"
        " history_start TEXT NOT NULL, hold TEXT, streams TEXT NOT NULL DEFAULT '{}')",
    ),
    4: (
        # Version 4: items and reviews carry due dates, which older syncs did not read. An
        # item nobody touched since would keep none, so each source's data counts as
        # complete only from its last mark: its next sync is a full one.
        "UPDATE sync_marks SET covered_from = mark",
    ),
    5: (
        # Version 5: each repository's CODEOWNERS, read again by every sync.
        "CREATE TABLE code_owners ("
        " source TEXT NOT NULL, repo TEXT NOT NULL, doc TEXT NOT NULL,"
        " PRIMARY KEY (source, repo))",
    ),
}
"""Schema changes per version; a store at version v runs every later step, in order."""

_TABLES = {"meta", "people", "work_items", "reviews", "sync_marks"}


@dataclass(frozen=True)
class SyncMark:
    """A source's last finished sync: its high-water mark and when it finished."""

    source: str
    mark: datetime
    """When that sync started (server changes after this are fetched next time)."""
    finished: datetime
    covered_from: datetime | None
    """The window history start of the last full sync: data is complete from here on."""
    items: int = 0
    requests: int = 0
    notes: tuple[str, ...] = ()


@dataclass
class SyncProgress:
    """An unfinished sync of a source: how it was planned and where each stream got to.

    Saved with every page, in the page's transaction, and removed when the
    sync finishes; a sync that finds one carries on from it (same start time,
    same ``since``) instead of reading everything again.
    """

    source: str
    started: datetime
    """When the interrupted sync started: the mark the finished sync will record."""
    since: datetime | None
    """The ``updated_since`` it gave the adapter (None: a full sync)."""
    history_start: datetime
    """The window history start it read from."""
    hold: datetime | None = None
    """The oldest update time of an item left out as incomplete: the mark stays before it."""
    streams: dict[str, Any] = dataclasses.field(default_factory=dict)
    """The adapter's resume state per stream (see :class:`leadkit.collect.sources.Page`)."""


class _Interrupted(Exception):
    """Opening read-only met the hot journal of a killed sync (rolled back, then opened again)."""


class StoreBase:
    """What every store backend does with the same SQL: pages, marks, progress, datasets.

    A backend (:class:`Store` for the SQLite file, :class:`leadkit.collect.pgstore.PostgresStore`)
    supplies the connection: :meth:`_execute` and :meth:`_executemany` (SQL written with
    ``?`` parameters), :meth:`transaction`, the errors its driver raises, and how a row's
    document is read as JSON bytes. The schema is :data:`MIGRATIONS` for both.
    """

    where: str
    """The store as messages name it: the file, or the URL with its password masked."""
    readonly: bool = False
    rolled_back: bool = False
    """True when opening rolled back the write of a sync that was killed mid-page."""
    _errors: tuple[type[Exception], ...] = ()
    """The driver's errors: each becomes a :class:`StoreError` naming :attr:`where`."""
    _doc_bytes = "CAST(doc AS BLOB)"
    """A row's document as the JSON bytes the decoder reads."""

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        raise NotImplementedError
        yield  # pragma: no cover

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one consistent state of the store while a sync writes."""
        yield

    @contextmanager
    def hold(self, sources: Iterable[str], wait: float = 0) -> Iterator[None]:
        """Keep other syncs of ``sources`` out while this one runs (a file needs no more than
        its own write lock: a page is one transaction)."""
        yield

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------

    def write_page(self, source: str, page: Dataset, progress: SyncProgress | None = None) -> int:
        """Upsert one page's people, work items and reviews in one transaction; item count.

        ``progress``, when given, is saved in the same transaction: what is
        stored and where the sync says it got to never disagree.
        """
        items = [
            (source, i.key, _stamp(i.updated), int(i.is_open), _dump(i)) for i in page.work_items
        ]
        reviews = [
            (source, r.repo, r.number, _stamp(r.updated), int(r.is_open), _dump(r))
            for r in page.reviews
        ]
        try:
            with self.transaction():
                for person in page.people:
                    row = self._execute(
                        f"SELECT {self._doc_bytes} FROM people WHERE source = ? AND id = ?",
                        (source, person.id),
                    ).fetchone()
                    if row is not None:
                        # The rule merge_datasets applies: the record seen first wins the name.
                        person = merge_people(_load(Person, row[0], self.where), person)
                    self._execute(
                        "INSERT INTO people VALUES (?, ?, ?) ON CONFLICT (source, id)"
                        " DO UPDATE SET doc = excluded.doc",
                        (source, person.id, _dump(person)),
                    )
                self._executemany(
                    "INSERT INTO work_items VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, key)"
                    " DO UPDATE SET updated = excluded.updated, open = excluded.open,"
                    " doc = excluded.doc",
                    items,
                )
                self._executemany(
                    "INSERT INTO code_owners VALUES (?, ?, ?) ON CONFLICT (source, repo)"
                    " DO UPDATE SET doc = excluded.doc",
                    [(source, o.repo, _dump(o)) for o in page.code_owners],
                )
                self._executemany(
                    "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (source, repo, number) DO UPDATE SET"
                    " updated = excluded.updated, open = excluded.open, doc = excluded.doc",
                    reviews,
                )
                if progress is not None:
                    self._execute(
                        "INSERT INTO sync_progress VALUES (?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (source) DO UPDATE SET started = excluded.started,"
                        " since = excluded.since, history_start = excluded.history_start,"
                        " hold = excluded.hold, streams = excluded.streams",
                        (
                            source,
                            iso(progress.started),
                            iso(progress.since),
                            iso(progress.history_start),
                            iso(progress.hold),
                            json.dumps(progress.streams, sort_keys=True),
                        ),
                    )
        except self._errors as exc:
            raise StoreError(f"cannot write to the store {self.where}: {exc}") from None
        return len(items) + len(reviews)

    def finish_sync(
        self,
        source: str,
        *,
        mark: datetime,
        finished: datetime,
        covered_from: datetime | None,
        items: int,
        requests: int,
        notes: Iterable[str] = (),
    ) -> None:
        """Record a source's finished sync (call only after its last page is stored)."""
        try:
            with self.transaction():
                self._execute(
                    "INSERT INTO sync_marks"
                    " (source, mark, finished, items, requests, covered_from, notes)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET"
                    " mark = excluded.mark, finished = excluded.finished,"
                    " items = excluded.items, requests = excluded.requests,"
                    " covered_from = excluded.covered_from, notes = excluded.notes",
                    (
                        source,
                        iso(mark),
                        iso(finished),
                        items,
                        requests,
                        iso(covered_from),
                        json.dumps(list(dict.fromkeys(redact(n) for n in notes))),
                    ),
                )
                self._execute("DELETE FROM sync_progress WHERE source = ?", (source,))
        except self._errors as exc:
            raise StoreError(f"cannot write to the store {self.where}: {exc}") from None

    # -- reading -------------------------------------------------------------------

    def mark(self, source: str) -> SyncMark | None:
        """The source's last finished sync, or None if it never finished one."""
        row = self._query(
            "SELECT source, mark, finished, covered_from, items, requests, notes"
            " FROM sync_marks WHERE source = ?",
            (source,),
        ).fetchone()
        if row is None:
            return None
        return SyncMark(
            source=row[0],
            mark=parse_datetime(row[1]),
            finished=parse_datetime(row[2]),
            covered_from=parse_datetime(row[3]) if row[3] else None,
            items=row[4],
            requests=row[5],
            notes=tuple(json.loads(row[6] or "[]")),
        )

    def progress(self, source: str) -> SyncProgress | None:
        """Where the source's unfinished sync stopped, or None when its last sync finished."""
        row = self._query(
            "SELECT started, since, history_start, hold, streams FROM sync_progress"
            " WHERE source = ?",
            (source,),
        ).fetchone()
        if row is None:
            return None
        try:
            streams = json.loads(row[4] or "{}")
        except ValueError:
            streams = {}
        return SyncProgress(
            source=source,
            started=parse_datetime(row[0]),
            since=parse_datetime(row[1]) if row[1] else None,
            history_start=parse_datetime(row[2]),
            hold=parse_datetime(row[3]) if row[3] else None,
            streams=streams if isinstance(streams, dict) else {},
        )

    def marks(self) -> list[SyncMark]:
        rows = self._query("SELECT source FROM sync_marks ORDER BY source").fetchall()
        return [m for (name,) in rows if (m := self.mark(name)) is not None]

    def counts(self, source: str) -> dict[str, int]:
        """Rows stored for a source (people, work items, reviews)."""
        return {
            table: self._query(
                f"SELECT COUNT(*) FROM {table} WHERE source = ?", (source,)
            ).fetchone()[0]
            for table in ("people", "work_items", "reviews")
        }

    def dataset(
        self, source: str, window: Window, progress: Callable[[str], None] | None = None
    ) -> Dataset:
        """A source's data as a full fetch for ``window`` returns it (see :mod:`leadkit.collect.selection`).

        Only the rows that fetch would take are read and decoded: those updated
        since the window's history start, and every open one however old.
        ``progress`` is told how many rows are read so far.
        """
        selection = select(window)
        since = _stamp(selection.since)
        where = (
            "source = ? AND (updated >= ? OR open = 1)"
            if selection.takes_open
            else ("source = ? AND updated >= ?")
        )

        def told(what: str) -> Callable[[int], None] | None:
            if progress is None:
                return None
            return lambda n: progress(f"{source}: reading the store: {n:,} {what}")

        people = self._load_all(
            Person,
            f"SELECT {self._doc_bytes} FROM people WHERE source = ? ORDER BY rowid",
            (source,),
        )
        items = self._load_all(
            WorkItem,
            f"SELECT {self._doc_bytes} FROM work_items WHERE {where} ORDER BY rowid",
            (source, since),
            told("work items"),
        )
        reviews = self._load_all(
            Review,
            f"SELECT {self._doc_bytes} FROM reviews WHERE {where} ORDER BY rowid",
            (source, since),
            told("pull requests"),
        )
        owners = self._load_all(
            CodeOwners,
            f"SELECT {self._doc_bytes} FROM code_owners WHERE source = ? ORDER BY repo",
            (source,),
        )
        mark = self.mark(source)
        return Dataset(
            window=window,
            people=people,
            work_items=items,
            reviews=reviews,
            notes=list(mark.notes) if mark else [],
            sources=[source],
            code_owners=owners,
        )

    def datasets(
        self, sources: Iterable[str], window: Window, progress: Callable[[str], None] | None = None
    ) -> Dataset:
        """Several sources merged, as :func:`leadkit.collect.fetch.collect` merges them."""
        return merge_datasets(window, [self.dataset(s, window, progress) for s in sources])

    def _load_all(
        self,
        cls: type[T],
        sql: str,
        params: tuple[Any, ...],
        told: Callable[[int], None] | None = None,
    ) -> list[T]:
        """The rows ``sql`` selects (one JSON document each) as ``cls`` values.

        Decoded a batch at a time, so the rows' text and the decoder's
        intermediate values never all sit in memory at once.
        """
        cursor = self._query(sql, params)
        out: list[T] = []
        while True:
            try:
                rows = cursor.fetchmany(_BATCH)
            except self._errors as exc:
                raise StoreError(f"cannot read the store {self.where}: {exc}") from None
            if not rows:
                return out
            try:
                out.extend(decode_rows(cls, [row[0] for row in rows], cls.__name__))
            except (DataError, ValueError) as exc:
                raise StoreError(f"the store {self.where} holds a damaged row: {exc}") from None
            if told is not None:
                told(len(out))

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        try:
            return self._execute(sql, params)
        except self._errors as exc:
            raise StoreError(f"cannot read the store {self.where}: {exc}") from None


class Store(StoreBase):
    """One SQLite store file; use as a context manager (it closes, and so checkpoints)."""

    _errors = (sqlite3.Error,)

    def __init__(self, path: Path | str, *, readonly: bool = False) -> None:
        self.path = Path(path).expanduser()
        self.where = str(self.path)
        self.readonly = readonly
        self._check_file()
        if readonly and not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `leadkit sync` first")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rolled_back = False
        self.db = self._connect(readonly)
        try:
            try:
                self._check_and_migrate()
            except _Interrupted:
                self.db.close()
                self._roll_back()
                self.db = self._connect(readonly)
                self._check_and_migrate()
        except BaseException:
            self.db.close()  # closing twice is harmless
            raise

    # -- opening -------------------------------------------------------------------

    def _connect(self, readonly: bool) -> sqlite3.Connection:
        try:
            if readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
            return sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None

    def _roll_back(self) -> None:
        """Let SQLite roll back a killed sync's unfinished write (it does so on a writable read)."""
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            try:
                db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            finally:
                db.close()
        except sqlite3.Error:
            raise StoreError(
                f"the last sync into {self.path} was interrupted before it finished a page, and "
                f"leadkit may not write here to roll that page back: run `leadkit sync` where "
                f"the store is writable (it rolls back and carries on); the store is sound, keep "
                f"it and the {self.path.name}-journal beside it"
            ) from None
        self.rolled_back = True

    def _check_file(self) -> None:
        """Refuse a file that is not SQLite before SQLite touches it."""
        if not self.path.exists():
            return
        if self.path.is_dir():
            raise StoreError(f"the store path {self.path} is a folder, not a file")
        try:
            with self.path.open("rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc.strerror}") from None
        if header and header != SQLITE_MAGIC:
            raise StoreError(
                f"{self.path} is not a leadkit store (not an SQLite database); "
                "leadkit left it untouched: pass another --db or move the file"
            )

    def _check_and_migrate(self) -> None:
        try:
            app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                row[0]
                for row in self.db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%'"
                )
            }
        except sqlite3.DatabaseError as exc:
            name = getattr(exc, "sqlite_errorname", "")
            if name == _HOT_JOURNAL and not self.rolled_back:
                raise _Interrupted from None
            if name in _CORRUPT:
                raise StoreError(
                    f"{self.path} is corrupt or not a leadkit store ({exc}); leadkit left it "
                    "untouched: delete it and run `leadkit sync --full` to rebuild"
                ) from None
            raise StoreError(
                f"cannot read the store {self.path} ({exc}); leadkit left it untouched"
            ) from None
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
            raise StoreError(
                f"{self.path} is another application's SQLite database, not a leadkit store; "
                "leadkit left it untouched: pass another --db"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} was written by a newer leadkit (schema {version}, this "
                f"one reads up to {SCHEMA_VERSION}): upgrade leadkit"
            )
        if app_id == APPLICATION_ID and not tables >= _TABLES and version:
            raise StoreError(
                f"{self.path} is a damaged leadkit store (tables missing); delete it and run "
                "`leadkit sync --full`"
            )
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(
                f"the store {self.path} has schema {version}; run `leadkit sync` once to migrate it"
            )
        self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Every step after ``version`` in one transaction (all or nothing)."""
        try:
            with self.transaction():
                if version == 0:
                    self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[step]:
                        self.db.execute(statement)
                if version == 0:
                    self.db.execute("INSERT INTO meta VALUES ('app', 'leadkit')")
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot migrate the store {self.path}: {exc}") from None

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; the file is then complete on its own."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on any exception, Ctrl-C too)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


def open_store(
    location: Path | str,
    *,
    readonly: bool = False,
    password_env: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> StoreBase:
    """The store at ``location``: a ``postgresql://`` URL (:mod:`leadkit.collect.pgstore`),
    else the SQLite file at that path. ``password_env`` names the variable holding the
    database's password (a file needs none)."""
    if isinstance(location, str):
        from leadkit.collect import pgstore

        if pgstore.is_url(location):
            return pgstore.PostgresStore(
                location, readonly=readonly, password_env=password_env, environ=environ
            )
    return Store(location, readonly=readonly)


def _stamp(value: datetime) -> str:
    """A sortable UTC text with microseconds (for the ``updated`` columns)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dump(value: Any) -> str:
    """A row's JSON: interchange data whose times keep their microseconds (reports must not shift)."""
    return json.dumps(encode(value, exact=True), separators=(",", ":"), ensure_ascii=False)


def _load(cls: type[T], doc: str | bytes, where: str) -> T:
    try:
        loaded: T = decode_json(cls, doc, cls.__name__)
        return loaded
    except (DataError, ValueError) as exc:
        raise StoreError(f"the store {where} holds a damaged row: {exc}") from None
