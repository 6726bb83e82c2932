"""One place decides what a fetch selects: the adapters, the store and sync consult it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from leadkit.collect.selection import CLOCK_SKEW, Selection, incremental_since, select
from leadkit.collect.store import Store
from leadkit.model.data import Dataset, Window, WorkItem

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
WINDOW = Window(start=NOW - timedelta(days=28), end=NOW, history_start=NOW - timedelta(days=90))


def ticket(key: str, updated: datetime, category: str) -> WorkItem:
    return WorkItem(
        source="jira",
        key=key,
        title=key,
        type="bug",
        raw_type="Bug",
        status={"done": "Done", "todo": "To Do"}[category],
        status_category=category,  # type: ignore[arg-type]
        created=updated - timedelta(days=3),
        updated=updated,
    )


def test_a_full_fetch_takes_the_look_back_and_every_open_item_however_old() -> None:
    full = select(WINDOW)
    assert full == Selection(since=WINDOW.history_start, changed_only=False)
    old = WINDOW.history_start - timedelta(days=400)
    assert full.takes(old, is_open=True)  # the lead's oldest open ticket
    assert not full.takes(old, is_open=False)
    assert full.takes(WINDOW.history_start, is_open=False)


def test_an_incremental_fetch_takes_only_what_changed_and_never_before_the_look_back() -> None:
    mark = NOW - timedelta(hours=3)
    changed = select(WINDOW, mark)
    assert changed == Selection(since=mark, changed_only=True)
    assert not changed.takes(mark - timedelta(seconds=1), is_open=True)
    assert changed.takes(mark, is_open=False)
    assert select(WINDOW, WINDOW.history_start - timedelta(days=5)).since == WINDOW.history_start


def test_a_sync_is_incremental_only_when_the_stored_data_reaches_back_far_enough() -> None:
    mark = NOW - timedelta(hours=3)
    assert incremental_since(mark, WINDOW.history_start, WINDOW) == mark - CLOCK_SKEW
    assert incremental_since(mark, None, WINDOW) == mark - CLOCK_SKEW  # an old store: unknown
    later_start = WINDOW.history_start + timedelta(days=1)
    assert incremental_since(mark, later_start, WINDOW) is None  # a longer --since: full
    assert incremental_since(None, None, WINDOW) is None  # never synced


def test_the_store_reads_back_exactly_what_a_full_fetch_selects(tmp_path: Path) -> None:
    ancient = WINDOW.history_start - timedelta(days=200)
    items = [
        ticket("PIPE-1", ancient, "todo"),  # open for months: kept
        ticket("PIPE-2", ancient, "done"),  # closed long ago: not in the window
        ticket("PIPE-3", NOW - timedelta(days=2), "done"),
        ticket("PIPE-4", WINDOW.history_start, "done"),  # on the bound: kept
    ]
    with Store(tmp_path / "s.sqlite") as store:
        store.write_page("jira", Dataset(window=WINDOW, work_items=items))
        stored = [i.key for i in store.dataset("jira", WINDOW).work_items]
    full = select(WINDOW)
    assert stored == [i.key for i in items if full.takes(i.updated, i.is_open)]
    assert stored == ["PIPE-1", "PIPE-3", "PIPE-4"]
