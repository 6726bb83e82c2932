"""One dataclass codec for the interchange format, the store and the demo's time shift."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadkit import demo
from leadkit.collect.store import Store
from leadkit.errors import DataError, StoreError
from leadkit.model.codec import decode, decode_fast, decode_json, encode, replace_times
from leadkit.model.data import (
    Assignment,
    Comment,
    Dataset,
    Link,
    Review,
    ReviewRequest,
    Transition,
    Window,
    WorkItem,
)
from leadkit.model.interchange import dataset_from_json, dataset_to_json

AT = datetime(2026, 11, 20, 10, 0, 0, 493000, tzinfo=UTC)
WINDOW = Window(start=AT - timedelta(days=28), end=AT, history_start=AT - timedelta(days=90))


def story() -> WorkItem:
    """A Jira story with history, a reassignment (``from_``), links and a custom field."""
    return WorkItem(
        source="jira",
        key="PIPE-210",
        title="Pipeline retries",
        type="feature",
        status="In Progress",
        status_category="in_progress",
        created=AT - timedelta(days=9),
        updated=AT,
        raw_type="Story",
        assignee="jira:acc-priya",
        links=(Link("blocks", "PIPE-211"),),
        transitions=(Transition(AT - timedelta(days=2), "In Progress", "To Do", "jira:acc-jamie"),),
        assignments=(Assignment(AT - timedelta(days=3), "jira:acc-priya", from_="jira:acc-owen"),),
        comments=(Comment("jira:acc-owen", AT - timedelta(hours=5), question=True),),
        fields={"story_points": 3.0, "sprint": "Sprint 14"},
        due=datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC),
        due_source="fix_version",
        due_name="2.4",
    )


def test_encode_leaves_out_defaults_renames_from_and_writes_times_to_the_second() -> None:
    plain = encode(story())
    assert plain["created"] == "2026-11-11T10:00:00Z"
    assert plain["assignments"] == [
        {"at": "2026-11-17T10:00:00Z", "to": "jira:acc-priya", "from": "jira:acc-owen"}
    ]
    assert "resolved" not in plain and "labels" not in plain and "url" not in plain
    assert (plain["due"], plain["due_source"], plain["due_name"]) == (
        "2026-12-01T23:59:59Z",
        "fix_version",
        "2.4",
    )
    assert plain["comments"] == [
        {"by": "jira:acc-owen", "at": "2026-11-20T05:00:00Z", "question": True}
    ]


def test_exact_encoding_round_trips_microseconds_and_every_field() -> None:
    item = story()
    assert encode(item, exact=True)["updated"] == "2026-11-20T10:00:00.493000+00:00"
    assert decode(WorkItem, encode(item, exact=True), "item") == item
    # The interchange form drops the milliseconds, and only them.
    again = decode(WorkItem, encode(item), "item")
    assert again.updated == AT.replace(microsecond=0) and again.title == item.title


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["transitions"][0].update(at="tuesday"),
            "item.transitions[0].at: 'tuesday' is not an ISO 8601 date-time",
        ),
        (
            lambda d: d["links"][0].update(kind="duplicates"),
            "item.links[0].kind: 'duplicates' is not one of 'blocks'",
        ),
        (
            lambda d: d["fields"].update(sprint=["a"]),
            "item.fields.sprint: expected str, got a list",
        ),
        (lambda d: d["assignments"][0].pop("at"), "item.assignments[0]: missing field 'at'"),
        (lambda d: d.update(points=3), "item: unknown field 'points'"),
        (
            lambda d: d.update(due_source="sprint"),
            "item.due_source: 'sprint' is not one of 'duedate', 'fix_version', 'milestone'",
        ),
    ],
)
def test_decoding_errors_name_the_path_of_the_bad_value(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    plain = encode(story())
    mutate(plain)
    with pytest.raises(DataError) as info:
        decode(WorkItem, plain, "item")
    assert str(info.value).startswith(message)
    # The same text through the compiled decoder: refused, and the same error.
    assert decode_fast(WorkItem, json.dumps(plain).encode()) is None
    with pytest.raises(DataError) as again:
        decode_json(WorkItem, json.dumps(plain), "item")
    assert str(again.value) == str(info.value)


def test_the_compiled_decoder_reads_what_the_checking_decoder_reads() -> None:
    for value, cls in ((story(), WorkItem), (_pull_request(), Review)):
        for exact in (False, True):
            text = json.dumps(encode(value, exact=exact)).encode()
            fast = decode_fast(cls, text)
            assert fast is not None  # the canonical forms take the fast path
            assert fast == decode(cls, json.loads(text), "value")
            assert fast == (
                value if exact else replace_times(value, lambda t: t.replace(microsecond=0))
            )


@pytest.mark.parametrize(
    "written",
    ["2026-11-20T12:00:00+02:00", "2026-11-20T10:00:00", "2026-11-20T05:00:00-05:00"],
)
def test_times_with_another_offset_or_none_are_read_as_utc(written: str) -> None:
    plain = encode(story())
    plain["transitions"][0]["at"] = written
    plain["updated"] = written
    item = decode_json(WorkItem, json.dumps(plain), "item")
    for at in (item.updated, item.transitions[0].at):
        assert at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
        assert at.utcoffset() == timedelta(0) and at.hour == 10  # UTC, not just the same instant


def test_the_window_keeps_its_own_checks_when_decoded() -> None:
    bad = {"start": "2026-11-20", "end": "2026-11-01", "history_start": "2026-10-01"}
    with pytest.raises(DataError, match=r"^window: Window needs history_start <= start <= end"):
        decode(Window, bad, "window")


def test_replace_times_moves_every_time_in_nested_records() -> None:
    pr = Review(
        source="gh",
        repo="acme/platform",
        number=143,
        title="services/orders/api: retry",
        created=AT - timedelta(days=2),
        updated=AT,
        merged=AT,
        review_requests=(ReviewRequest("github:priya", AT - timedelta(days=1), removed=AT),),
    )
    week = timedelta(days=7)
    for value in (story(), pr):
        moved = replace_times(value, lambda t: t + week)
        assert encode(moved, exact=True) == encode(_shift_plain(value, week), exact=True)
        assert type(moved) is type(value)


def _pull_request() -> Review:
    return Review(
        source="gh",
        repo="acme/platform",
        number=143,
        title="services/orders/api: retry",
        created=AT - timedelta(days=2),
        updated=AT,
        author="github:priya-gh",
        merged=AT,
        closed=AT,
        review_requests=(ReviewRequest("github:jamie-gh", AT - timedelta(days=1), removed=AT),),
        paths=("services/orders/api/retry.py",),
        linked_keys=("PIPE-210",),
        due=datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC),
        due_source="milestone",
        due_name="Sprint 14",
    )


def _shift_plain(value: WorkItem | Review, delta: timedelta) -> WorkItem | Review:
    """The expected result, built independently: every time string rewritten by hand."""
    plain = encode(value, exact=True)

    def move(node: object) -> object:
        if isinstance(node, dict):
            return {k: move(v) for k, v in node.items()}
        if isinstance(node, list):
            return [move(v) for v in node]
        if isinstance(node, str) and node[:4].isdigit() and "T" in node:
            return (datetime.fromisoformat(node) + delta).isoformat()
        return node

    result: WorkItem | Review = decode(type(value), move(plain), "value")
    return result


def test_the_store_and_the_interchange_format_read_the_same_records(tmp_path: Path) -> None:
    data = Dataset(window=WINDOW, work_items=[story()], sources=["jira"])
    with Store(tmp_path / "s.sqlite") as store:
        store.write_page("jira", data)
        stored = store.dataset("jira", WINDOW)
    assert stored.work_items == [story()]  # lossless in the store
    exported = dataset_from_json(dataset_to_json(stored))
    (assignment,) = exported.work_items[0].assignments
    assert (assignment.from_, assignment.at) == (
        "jira:acc-owen",
        AT.replace(microsecond=0) - timedelta(days=3),
    )


def test_a_damaged_store_row_names_the_bad_field(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.write_page("jira", Dataset(window=WINDOW, work_items=[story()]))
    db = sqlite3.connect(path)
    db.execute("UPDATE work_items SET doc = json_set(doc, '$.created', 'soon')")
    db.commit()
    db.close()
    with Store(path) as store, pytest.raises(StoreError, match=r"WorkItem\.created: 'soon'"):
        store.dataset("jira", WINDOW)


def test_the_demo_shift_moves_every_recorded_time() -> None:
    data = dataset_from_json(
        dataset_to_json(Dataset(window=WINDOW, work_items=[story()], sources=["demo"]))
    )
    later = Window(WINDOW.start + timedelta(days=1), WINDOW.end + timedelta(days=1), WINDOW.start)
    (moved,) = demo.shifted(data, timedelta(days=1), later).work_items
    assert moved.transitions[0].at == data.work_items[0].transitions[0].at + timedelta(days=1)
    assert moved.comments[0].at - data.work_items[0].comments[0].at == timedelta(days=1)
    assert moved.due == datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC)  # stays ahead of --now
