"""Testing a source: its config and context, a fake clock, and the contract every source passes.

from leadkit.testing import FakeClock, check_source, source_config, source_context

clock = FakeClock()
adapter = MySource(
    source_config("mytracker", url=fake.server_url, token_env="MY_TOKEN"),
    source_context(environ={"MY_TOKEN": "t0ken-for-tests"}, clock=clock),
)
result = check_source(adapter, window)   # raises AssertionError listing every breach
assert clock.waits == [3.0]              # a Retry-After was honoured without sleeping
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from leadkit.collect.identity import person_references
from leadkit.collect.sources import CollectContext, SourceAdapter, SourceConfig, SourceStats
from leadkit.collect.store import StoreBase
from leadkit.collect.store import open_store as _open_store
from leadkit.collect.sync import SyncResult, sync_sources
from leadkit.collect.validate import page_problems
from leadkit.model.data import Dataset, Review, Window, WorkItem, merge_datasets

A = TypeVar("A", bound=SourceAdapter)


class FakeClock:
    """A fake ``sleep`` that records each wait and moves a fake wall clock on instead.

    Hand it to :func:`source_context`: ``context.sleep`` is the clock itself,
    ``context.clock`` its :meth:`time`, so rate-limit waits cost nothing.
    """

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def time(self) -> float:
        return self.now


def source_config(
    type: str, name: str | None = None, *, where: str = "", **options: Any
) -> SourceConfig:
    """One ``[[sources]]`` table: ``type``, ``name`` (defaults to the type) and its keys."""
    return SourceConfig(name=name or type, type=type, options=dict(options), where=where)


def source_context(
    *,
    environ: Mapping[str, str] | None = None,
    clock: FakeClock | None = None,
    config_dir: str = ".",
    name: str = "test",
) -> CollectContext:
    """What the core hands an adapter: an empty environment unless given, and a fake clock."""
    clock = clock or FakeClock()
    return CollectContext(
        stats=SourceStats(name),
        environ=dict(environ or {}),
        config_dir=config_dir,
        sleep=clock,
        clock=clock.time,
    )


def make_source(
    adapter: type[A],
    *,
    name: str | None = None,
    environ: Mapping[str, str] | None = None,
    clock: FakeClock | None = None,
    config_dir: str = ".",
    **options: Any,
) -> A:
    """``adapter`` built as a run builds it: its ``[[sources]]`` table (``options``) checked
    against its ``declared_options`` with the defaults filled in, then its ``__init__``.

    The context is :func:`source_context`'s (``adapter.context.sleep`` is the clock).
    """
    source = adapter.configured(source_config(adapter.type, name, **options))
    context = source_context(environ=environ, clock=clock, config_dir=config_dir, name=source.name)
    built = adapter(source, context)
    built.owner = f"adapter {adapter.__name__}"
    return built


def make_window(
    end: datetime | None = None, *, days: float = 28, history_days: float = 90
) -> Window:
    """A report window of ``days`` ending at ``end`` (now), reaching back ``history_days``."""
    end = end or datetime.now(UTC)
    start = end - timedelta(days=days)
    return Window(
        start=start, end=end, history_start=min(start, end - timedelta(days=history_days))
    )


@dataclass
class SourceCheck:
    """What :func:`check_source` read: the full fetch merged, its pages, and the incremental one."""

    dataset: Dataset
    pages: int
    incremental: Dataset | None = None
    problems: list[str] = field(default_factory=list)


def _refs(pages: Iterable[Dataset], problems: list[str]) -> set[str]:
    """The item and review refs in ``pages``, noting any ref yielded twice."""
    seen: set[str] = set()
    for page in pages:
        for ref in [
            *(f"work item {i.ref}" for i in page.work_items),
            *(f"review {r.source}:{r.ref}" for r in page.reviews),
        ]:
            if ref in seen:
                problems.append(f"{ref} is yielded twice (refs must be unique)")
            seen.add(ref)
    return seen


def _check_fetch(adapter: SourceAdapter, pages: list[Dataset], problems: list[str]) -> set[str]:
    name = adapter.source.name
    for page in pages:
        problems.extend(page_problems(page))
    valid = [p for p in pages if isinstance(p, Dataset)]
    refs = _refs(valid, problems)
    people = {p.id for page in valid for p in page.people if isinstance(p.id, str)}
    for page in valid:
        things: list[WorkItem | Review] = [*page.work_items, *page.reviews]
        for thing in things:
            if thing.source != name:
                problems.append(
                    f"{type(thing).__name__} {thing.ref}: source is {thing.source!r}, "
                    f"not the source's name {name!r}"
                )
        try:
            missing = sorted(person_references(page) - people)
        except (AttributeError, TypeError):  # already reported as an invalid page
            continue
        problems.extend(
            f"person {ref!r} is referred to but not in any page's people" for ref in missing
        )
    return refs


def check_source(
    adapter: SourceAdapter,
    window: Window | None = None,
    *,
    updated_since: datetime | None = None,
    incremental: bool = True,
) -> SourceCheck:
    """Run the contract every source must pass, and return what it read.

    A full fetch of ``window`` (default: :func:`make_window`), then, unless
    ``incremental=False``, a fetch of what changed since ``updated_since``
    (default: a week before the window's end). Every page must be valid model
    data with aware UTC times (as the core checks each page of a run), every
    item and review ref must be yielded once, carry the source's name (the
    source is also built under another name than its type, when they are the
    same, so a name hard-coded in the adapter shows), and
    every person an item or review refers to must be in some page's
    ``people``; the incremental fetch must return a subset of the full one.
    All breaches are raised together as one ``AssertionError``.
    """
    window = window or make_window()
    problems: list[str] = []
    pages = list(adapter.pages(window))
    refs = _check_fetch(adapter, pages, problems)
    valid = [p for p in pages if isinstance(p, Dataset)]
    result = SourceCheck(merge_datasets(window, valid), len(pages), problems=problems)
    if adapter.source.name == adapter.source.type:  # a name hard-coded as the type would pass
        renamed = type(adapter)(
            replace(adapter.source, name=f"{adapter.source.name}-renamed"), adapter.context
        )
        _check_fetch(renamed, list(renamed.pages(window)), problems)
    if incremental:
        since = updated_since or window.end - timedelta(days=7)
        later = list(adapter.pages(window, updated_since=since))
        changed = _check_fetch(adapter, later, problems)
        extra = sorted(changed - refs)
        problems.extend(
            f"{ref} is in the incremental fetch (since {since.isoformat()}) but not the full one"
            for ref in extra
        )
        result.incremental = merge_datasets(window, [p for p in later if isinstance(p, Dataset)])
    if problems:
        shown = "\n  ".join(dict.fromkeys(problems))
        raise AssertionError(f"source '{adapter.source.name}' breaks the contract:\n  {shown}")
    return result


def open_store(path: Path | str) -> StoreBase:
    """The store at ``path`` (a file, created if new, or a ``postgresql://`` URL), as
    ``leadkit sync`` keeps it; use it as a
    context manager and read back what a sync kept: ``dataset(source, window)``,
    ``mark(source)`` (how far the last finished sync got), ``counts(source)`` and
    ``progress(source)`` (an interrupted sync's resume point)."""
    return _open_store(path)


def sync_into(
    store: StoreBase | Path | str,
    adapter: SourceAdapter,
    window: Window,
    *,
    now: datetime | None = None,
    full: bool = False,
) -> SyncResult:
    """Sync one source into ``store`` (an open store, or a path opened and closed here) as
    ``leadkit sync`` does: incremental from the store's mark unless ``full``, resuming an
    interrupted sync, each page committed as it arrives. ``now`` is the sync's wall clock
    (the mark it writes); a failure is raised as the run would raise it, what was committed
    stays."""
    if not isinstance(store, StoreBase):
        with _open_store(store) as opened:
            return sync_into(opened, adapter, window, now=now, full=full)
    clock = (lambda: now) if now is not None else (lambda: datetime.now(UTC))
    (result,) = sync_sources(store, [adapter], window, full=full, clock=clock)
    return result
