"""``leadkit sync``, and how the report reads the store instead of the trackers.

A sync runs each source's adapter and commits every page it yields to the
store (:mod:`leadkit.collect.store`) in its own transaction. A source with a finished
sync is fetched incrementally (:func:`leadkit.collect.selection.incremental_since`: the
last mark minus a clock-skew margin; the adapter's own overlap applies on top), so a sync
with nothing new costs one request per repository or JQL. The new mark (the
time this sync *started*) is written only after the source's last page, so
Ctrl-C, a kill or a network failure loses nothing already committed. An
adapter that can resume (``resumable``, e.g. GitHub) tags each page with
where each of its streams got to; that is saved with the page, and the next
sync carries on from there (the first sync included) instead of from page 1.
An item a tracker sent incomplete is left out by the adapter and holds the
mark before its update time, so the next sync reads it again.

Where the store is: ``--db PATH`` (or a ``postgresql://`` URL), else the URL in
``LEADKIT_STORE_URL``, else ``[store] url``, else ``[store] path`` (relative to the
config file), else ``leadkit.sqlite`` in the user cache folder. A PostgreSQL store
(:mod:`leadkit.collect.pgstore`) is shared by many machines: a sync holds its sources'
locks (another sync of them waits up to ``--wait`` seconds), a report reads one snapshot.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadkit.collect.fetch import Collection, select_sources, source_error
from leadkit.collect.pgstore import is_url
from leadkit.collect.selection import covers, incremental_since
from leadkit.collect.sources import Page, SourceAdapter, SourceStats
from leadkit.collect.store import StoreBase, SyncMark, SyncProgress, open_store
from leadkit.collect.validate import checked_pages
from leadkit.config import Config, user_cache_dir
from leadkit.errors import ConfigError, LeadkitError, StoreError
from leadkit.model.data import Window
from leadkit.timeutil import iso, parse_duration

if TYPE_CHECKING:
    from leadkit.session import RunOptions, Session

DEFAULT_MAX_AGE = "12h"
STORE_NAME = "leadkit.sqlite"


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class SyncResult:
    """What one source's sync did: items stored, requests, time, and how."""

    source: str
    items: int
    stats: SourceStats
    seconds: float
    since: datetime | None
    """The ``updated_since`` given to the adapter (None: a full sync)."""
    resumed: bool = False
    """Whether it carried on an interrupted sync rather than starting again."""

    def line(self) -> str:
        how = f"changes since {iso(self.since)}" if self.since else "full"
        if self.resumed:
            how += ", resumed where the last sync stopped"
        return (
            f"{self.source}: {self.items} items stored ({how}), "
            f"{self.stats.requests} requests, {self.seconds:.1f} s"
        )


STORE_URL_VARIABLE = "LEADKIT_STORE_URL"


def store_path(
    config: Config, db: str | None, environ: Mapping[str, str] | None = None
) -> tuple[Path | str, bool]:
    """The store (a file's path, or a ``postgresql://`` URL), and whether the user named it."""
    env = os.environ if environ is None else environ
    if db:
        return (db if is_url(db) else Path(db).expanduser()), True
    url = env.get(STORE_URL_VARIABLE, "").strip()
    if url:
        if not is_url(url):
            raise ConfigError(
                f"{STORE_URL_VARIABLE} must be a postgresql:// URL (a file goes in --db or "
                "[store] path)"
            )
        return url, True
    if config.store.get("url"):
        return str(config.store["url"]), True
    configured = config.store.get("path")
    if configured:
        path = Path(str(configured)).expanduser()
        return (path if path.is_absolute() else config.base_dir / path), True
    return user_cache_dir(environ) / STORE_NAME, False


def max_age_of(config: Config, option: str | None) -> timedelta:
    """``--max-age``, else ``[store] max_age``, else 12h."""
    text = option if option is not None else str(config.store.get("max_age") or DEFAULT_MAX_AGE)
    return parse_duration(text, what="--max-age")


def connect(session: Session, location: Path | str, *, readonly: bool = False) -> StoreBase:
    """The store at ``location`` as this session's config opens it (``[store] password_env``)."""
    return open_store(
        location,
        readonly=readonly,
        password_env=session.config.store.get("password_env"),
        environ=session.options.environ,
    )


def sync_sources(
    store: StoreBase,
    adapters: Iterable[SourceAdapter],
    window: Window,
    *,
    full: bool = False,
    clock: Callable[[], datetime] = _utcnow,
    on_result: Callable[[SyncResult], None] | None = None,
    wait: float = 0,
) -> list[SyncResult]:
    """Sync every adapter into ``store``: fetched concurrently, written in this thread.

    Each source's pages are committed as they arrive; its mark is written when
    its last page is stored. The first failure stops everything and is raised
    (what was committed stays) once the other sources' threads have stopped
    (each after the page it is reading): no request and no write follows it.
    No other sync of the same sources runs meanwhile (a shared store waits up to
    ``wait`` seconds for one, then stops); each source is fetched once.
    """
    adapters = list({a.source.name: a for a in adapters}.values())
    with store.hold([a.source.name for a in adapters], wait):
        return _sync_sources(store, adapters, window, full, clock, on_result)


def _sync_sources(
    store: StoreBase,
    adapters: list[SourceAdapter],
    window: Window,
    full: bool,
    clock: Callable[[], datetime],
    on_result: Callable[[SyncResult], None] | None,
) -> list[SyncResult]:
    plans: dict[str, tuple[datetime | None, datetime | None]] = {}
    progress: dict[str, SyncProgress] = {}
    resumed: dict[str, dict[str, Any] | None] = {}
    for adapter in adapters:
        name = adapter.source.name
        mark = None if full else store.mark(name)
        since = incremental_since(mark.mark, mark.covered_from, window) if mark else None
        plans[name] = (since, mark.covered_from if since is not None and mark else None)
        progress[name], resumed[name] = _progress(store, adapter, window, since, full, clock)
    events: queue.Queue[tuple[str, str, Any]] = queue.Queue()
    stop = threading.Event()

    def fetch(adapter: SourceAdapter) -> None:
        name = adapter.source.name
        since = plans[name][0]
        extra = {"resume": resumed[name]} if resumed[name] is not None else {}
        try:
            pages = adapter.pages(window, updated_since=since, **extra)
            try:
                for page in checked_pages(adapter, pages):
                    if stop.is_set():
                        return
                    events.put((name, "page", page))
            finally:
                close = getattr(pages, "close", None)  # a generator: let it clean up now
                if callable(close):
                    close()
            events.put((name, "done", None))
        except BaseException as exc:  # handed to the writing thread
            events.put((name, "error", exc))

    started = {name: (p.started, time.monotonic()) for name, p in progress.items()}
    counted = {a.source.name: a.context.stats.as_dict() for a in adapters}  # before this sync
    items = dict.fromkeys(started, 0)
    notes: dict[str, dict[str, None]] = {name: {} for name in started}
    by_name = {a.source.name: a for a in adapters}
    results: list[SyncResult] = []
    threads = [
        threading.Thread(target=fetch, args=(a,), daemon=True, name=f"leadkit-sync-{a.source.name}")
        for a in adapters
    ]
    for thread in threads:
        thread.start()
    try:
        remaining = len(threads)
        while remaining:
            name, kind, value = events.get()
            adapter = by_name[name]
            if kind == "page":
                saved = None
                if adapter.resumable and isinstance(value, Page):
                    saved = progress[name]
                    saved.streams.update(value.resume)
                    if value.incomplete_since is not None:
                        saved.hold = min(
                            saved.hold or value.incomplete_since, value.incomplete_since
                        )
                items[name] += store.write_page(name, value, saved)
                notes[name].update(dict.fromkeys(value.notes))
                continue
            if kind == "error":
                error = source_error(adapter, value)
                if error is value:
                    raise error
                raise error from value
            remaining -= 1
            began_at, began = started[name]
            since, covered_from = plans[name]
            seconds = time.monotonic() - began
            adapter.context.stats.elapsed_seconds = seconds
            stats = adapter.context.stats.since(counted[name])  # this sync's, not the adapter's
            stats.elapsed_seconds = seconds
            hold = progress[name].hold
            store.finish_sync(
                name,
                mark=min(began_at, hold) if hold is not None else began_at,
                finished=clock(),
                covered_from=covered_from if since is not None else window.history_start,
                items=items[name],
                requests=stats.requests,
                notes=notes[name],
            )
            result = SyncResult(name, items[name], stats, seconds, since, resumed[name] is not None)
            results.append(result)
            if on_result is not None:
                on_result(result)
    finally:
        # Another source failed (or Ctrl-C): the others stop at their next page
        # and are waited for, so none reads on or outlives a run that has ended.
        stop.set()
        for thread in threads:
            thread.join()
    order = {a.source.name: i for i, a in enumerate(adapters)}
    return sorted(results, key=lambda r: order[r.source])


def _progress(
    store: StoreBase,
    adapter: SourceAdapter,
    window: Window,
    since: datetime | None,
    full: bool,
    clock: Callable[[], datetime],
) -> tuple[SyncProgress, dict[str, Any] | None]:
    """This sync's progress record, and the adapter's resume state when it carries one on.

    An interrupted sync is carried on when the adapter can resume, the new
    sync asks for the same ``since`` (for a first sync: none), and the stored
    pages reach back far enough for this window. It keeps the old start time,
    so the finished mark covers every change since the first page was read.
    """
    name = adapter.source.name
    old = None if full or not adapter.resumable else store.progress(name)
    if old is not None and old.since == since and old.history_start <= window.history_start:
        return old, dict(old.streams)
    return SyncProgress(name, clock(), since, window.history_start), None


def run_sync(
    session: Session,
    *,
    full: bool = False,
    wait: float = 0,
    echo: Callable[[str], None] = print,
) -> list[SyncResult]:
    """``leadkit sync``: every selected source into the store, one summary line each."""
    options = session.options
    if options.demo:
        raise LeadkitError("the demo reads a bundled file: there is nothing to sync")
    path, _ = store_path(session.config, options.db, options.environ)
    adapters = session.adapters()
    with connect(session, path) as store:
        try:
            return sync_sources(
                store,
                adapters,
                session.window,
                full=full,
                on_result=lambda r: echo(r.line()),
                wait=wait,
            )
        finally:
            session.progress_done()


def gather_with_store(session: Session) -> Collection | None:
    """The report's data from the store (syncing stale sources first), or None: fetch directly.

    Without ``--db``, ``[store] path``, ``--refresh`` or ``--offline``, the
    store is used only if the default file already exists (a user who never
    ran ``leadkit sync`` gets today's direct fetch and no cache file).
    """
    options = session.options
    if options.demo:
        if options.refresh:
            raise LeadkitError("--refresh does not apply to --demo (it reads a bundled file)")
        return None
    config = session.config
    path, named = store_path(config, options.db, options.environ)
    if not (named or options.refresh or options.offline or Path(path).exists()):
        return None
    window = session.window
    sources = select_sources(config, options.sources)
    max_age = max_age_of(config, options.max_age)
    now = _utcnow()
    stats: dict[str, SourceStats] = {s.name: SourceStats(s.name) for s in sources}
    with connect(session, path, readonly=options.offline) as store:
        if store.rolled_back:
            options.warn(
                f"the last sync into {store.where} was interrupted: its unfinished page was rolled "
                "back and the report reads what the finished pages stored; run `leadkit sync` "
                "to carry on"
            )
        stale = []
        for source in sources:
            mark = store.mark(source.name)
            covered = mark is not None and covers(mark.covered_from, window)
            if options.offline:
                _check_offline(
                    store.where, source.name, mark, covered, window, now, max_age, options
                )
            elif options.refresh or not covered or mark is None or now - mark.finished > max_age:
                stale.append(source)
        if stale:
            for result in sync_sources(store, session.adapters(stale), window):
                stats[result.source] = result.stats
            session.progress_done()
        with store.snapshot():
            dataset = store.datasets([s.name for s in sources], window, options.progress)
        session.progress_done()
    return Collection(dataset=dataset, stats=list(stats.values()))


def _sync_again(name: str, options: RunOptions) -> str:
    """The sync command that stores what an ``--offline`` run with these options needs."""
    flags = options.window_flags()
    return f"leadkit sync --source {name}" + (f" {flags}" if flags else "")


def _check_offline(
    where: str,
    name: str,
    mark: SyncMark | None,
    covered: bool,
    window: Window,
    now: datetime,
    max_age: timedelta,
    options: RunOptions,
) -> None:
    if mark is None:
        raise StoreError(
            f"--offline: the store {where} has nothing for source '{name}': "
            f"run `leadkit sync --source {name}` while online"
        )
    if not covered:
        raise StoreError(
            f"--offline: the store has source '{name}' from {iso(mark.covered_from)} only, "
            f"but the report needs it from {iso(window.history_start)}: run "
            f"`{_sync_again(name, options)}` while online"
        )
    age = now - mark.finished
    if age > max_age:
        hours = age.total_seconds() / 3600
        options.warn(
            f"source '{name}': the store was last synced {hours:.1f} h ago "
            f"({iso(mark.finished)}); --offline uses it anyway"
        )
