"""The store (an SQLite file, and a PostgreSQL database where shown): round trips, idempotent upserts, schema versions, foreign and corrupt files."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadkit.collect import store as store_module
from leadkit.collect.selection import incremental_since
from leadkit.collect.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Store, open_store
from leadkit.errors import StoreError
from leadkit.model.data import CodeOwners, Comment, Dataset, Person, Review, Window, WorkItem

NOW = datetime(2026, 11, 20, 16, 0, 0, 123456, tzinfo=UTC)
WINDOW = Window(start=NOW - timedelta(days=28), end=NOW, history_start=NOW - timedelta(days=90))


def item(key: str, updated: datetime = NOW, status: str = "todo") -> WorkItem:
    return WorkItem(
        source="jira",
        key=key,
        title=f"Item {key}",
        type="task",
        status=status,
        status_category=status,  # type: ignore[arg-type]
        created=updated - timedelta(days=1),
        updated=updated,
        assignee="jira:acc-1",
        comments=(Comment("jira:acc-2", updated, True, ("jira:acc-1",)),),
    )


def review(number: int, updated: datetime = NOW, merged: datetime | None = None) -> Review:
    return Review(
        source="gh",
        repo="acme/api",
        number=number,
        title=f"PR {number}",
        created=updated - timedelta(days=1),
        updated=updated,
        author="github:octo",
        merged=merged,
    )


def page(*items: WorkItem | Review, people: tuple[Person, ...] = ()) -> Dataset:
    return Dataset(
        window=WINDOW,
        people=list(people),
        work_items=[i for i in items if isinstance(i, WorkItem)],
        reviews=[r for r in items if isinstance(r, Review)],
    )


def test_a_page_round_trips_exactly_microseconds_included(store_at: Path | str) -> None:
    person = Person(id="jira:acc-1", name="Ana", emails=("ana@example.com",))
    data = page(item("A-1"), review(7), people=(person,))
    with open_store(store_at) as store:
        assert store.write_page("jira", data) == 2
        back = store.dataset("jira", WINDOW)
    assert back.work_items == data.work_items
    assert back.reviews == data.reviews
    assert back.people == [person]
    assert back.work_items[0].updated.microsecond == 123456


def test_a_duplicate_page_is_stored_once(store_at: Path | str) -> None:
    data = page(item("A-1"), item("A-2"), review(7))
    with open_store(store_at) as store:
        store.write_page("jira", data)
        store.write_page("jira", data)
        assert store.counts("jira") == {"people": 0, "work_items": 2, "reviews": 1}
        store.write_page("jira", page(item("A-1", status="done")))
        assert store.counts("jira")["work_items"] == 2
        assert {i.key: i.status for i in store.dataset("jira", WINDOW).work_items}["A-1"] == "done"


def test_sources_are_kept_apart(store_at: Path | str) -> None:
    with open_store(store_at) as store:
        store.write_page("one", page(item("A-1")))
        store.write_page("two", page(item("A-1")))
        assert store.counts("one")["work_items"] == store.counts("two")["work_items"] == 1


def test_the_window_selects_as_the_adapters_do(store_at: Path | str) -> None:
    old = NOW - timedelta(days=200)
    with open_store(store_at) as store:
        store.write_page(
            "s",
            page(
                item("OLD-1", updated=old, status="done"),
                item("OLD-2", updated=old),
                item("NEW-1"),
                review(1, old),
                review(2, old, old),
            ),
        )
        data = store.dataset("s", WINDOW)
    assert [i.key for i in data.work_items] == ["OLD-2", "NEW-1"]  # old but still open
    assert [r.number for r in data.reviews] == [1]  # old but still open


def test_a_page_interrupted_mid_write_commits_nothing(
    store_at: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store_module._dump
    calls = {"n": 0}

    def dump(value: object) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(value)

    with open_store(store_at) as store:
        store.write_page("s", page(item("A-1")))
        monkeypatch.setattr(store_module, "_dump", dump)
        calls["n"] = 0
        with pytest.raises(KeyboardInterrupt):
            store.write_page("s", page(item("B-1"), item("B-2"), review(3)))
        assert store.counts("s")["work_items"] == 1
        assert store.counts("s")["reviews"] == 0


def test_marks_are_recorded_and_read_back(store_at: Path | str) -> None:
    with open_store(store_at) as store:
        assert store.mark("s") is None
        store.finish_sync(
            "s",
            mark=NOW,
            finished=NOW + timedelta(seconds=5),
            covered_from=WINDOW.history_start,
            items=3,
            requests=2,
            notes=["a note", "a note"],
        )
        mark = store.mark("s")
    assert mark is not None
    assert mark.mark == NOW.replace(microsecond=0)
    assert mark.covered_from == WINDOW.history_start.replace(microsecond=0)
    assert (mark.items, mark.requests, mark.notes) == (3, 2, ("a note",))


def test_a_new_store_carries_the_application_id_and_schema_version(tmp_path: Path) -> None:
    Store(tmp_path / "s.sqlite").close()
    db = sqlite3.connect(tmp_path / "s.sqlite")
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]  # one file, no journal


def test_an_older_schema_migrates_forward_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in MIGRATIONS[1]:
        db.execute(statement)
    db.execute("INSERT INTO meta VALUES ('app', 'leadkit')")
    db.execute(
        "INSERT INTO sync_marks VALUES ('s', '2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z', 4, 1)"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store(path) as store:
        mark = store.mark("s")
    assert mark is not None and mark.items == 4
    assert mark.covered_from == mark.mark  # version 4: read again in full (due dates)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_store_from_before_due_dates_syncs_in_full_once(tmp_path: Path) -> None:
    """Items synced before version 4 carry no due date, and an item nobody touches is never
    read again by an incremental sync: so the migration makes each source's next sync full."""
    path = tmp_path / "s.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for version in (1, 2, 3):
        for statement in MIGRATIONS[version]:
            db.execute(statement)
    db.execute("INSERT INTO meta VALUES ('app', 'leadkit')")
    db.execute(
        "INSERT INTO sync_marks VALUES ('s', '2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z',"
        " 4, 1, '2026-08-01T00:00:00Z', '[]')"
    )
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    window = Window(
        start=datetime(2026, 10, 20, tzinfo=UTC),
        end=datetime(2026, 11, 20, tzinfo=UTC),
        history_start=datetime(2026, 9, 1, tzinfo=UTC),
    )
    with Store(path) as store:
        mark = store.mark("s")
    assert mark is not None and mark.covered_from == mark.mark
    assert incremental_since(mark.mark, mark.covered_from, window) is None  # a full sync


def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="upgrade leadkit"):
        Store(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"my precious notes\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a leadkit store"):
        Store(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_another_apps_database_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO users VALUES (1, 'x')")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another application"):
        Store(path)
    assert path.read_bytes() == before


def test_a_corrupt_store_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.write_page("s", page(item("A-1")))
    data = bytearray(path.read_bytes())
    data[16:100] = b"\xff" * 84  # the header after the magic string: page size, counts...
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"corrupt"), Store(path) as store:
        store.dataset("s", WINDOW)
    assert path.read_bytes() == bytes(data)


def test_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="leadkit sync"):
        Store(tmp_path / "missing.sqlite", readonly=True)
    assert not (tmp_path / "missing.sqlite").exists()


def test_codeowners_round_trip_and_a_later_read_replaces_them(tmp_path: Path) -> None:
    """Every sync reads each repository's CODEOWNERS again: the newest read is kept."""
    first = CodeOwners.parse("gh", "acme/api", ".github/CODEOWNERS", "/services/a/ @acme/a\n")
    later = CodeOwners.parse("gh", "acme/api", "CODEOWNERS", "/services/b/ @acme/b\n")
    with Store(tmp_path / "s.sqlite") as store:
        store.write_page("gh", replace(page(review(1)), code_owners=[first]))
        assert store.dataset("gh", WINDOW).code_owners == [first]
        store.write_page("gh", replace(page(), code_owners=[later]))
        assert store.dataset("gh", WINDOW).code_owners == [later]
        assert store.dataset("other", WINDOW).code_owners == []
    assert later.rules[0].pattern == "/services/b/" and later.rules[0].owners == ("@acme/b",)
