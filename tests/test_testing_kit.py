"""leadkit.testing, the kit a plugin's tests build on: each piece, and the checks the core
runs on every page a source yields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from leadkit.api import (
    Account,
    Comment,
    Dataset,
    HttpClient,
    Person,
    RetryPolicy,
    Review,
    ReviewRequest,
    SourceAdapter,
    Window,
    WorkItem,
    account_key,
)
from leadkit.cli import cli
from leadkit.testing import (
    NOW,
    FakeClock,
    FakeServer,
    check_source,
    finding,
    make_window,
    open_store,
    run_report,
    source_config,
    source_context,
    sync_into,
)

from .conftest import DEMO_NOW
from .report_data import demo_config

WINDOW = make_window(NOW)


def _person(login: str) -> Person:
    return Person(
        account_key("tiny", login), login.capitalize(), accounts=(Account("tiny", login),)
    )


class TinySource(SourceAdapter):
    """A source over a list of reviews; ``flaws`` breaks the contract in the named ways."""

    type = "tiny"

    def __init__(self, source: Any, context: Any) -> None:
        super().__init__(source, context)
        self.flaws = set(source.get_list("flaws"))
        self.people = [_person(p) for p in ("jamie", "owen")]

    def _review(self, number: int, updated: datetime) -> Review:
        created = updated - timedelta(days=1)
        if "naive" in self.flaws and number == 2:
            created = created.replace(tzinfo=None)
        author = "tiny:ghost" if "ghost" in self.flaws and number == 3 else "tiny:owen"
        return Review(
            source="elsewhere"
            if "name" in self.flaws
            else "tiny"
            if "hard-coded" in self.flaws
            else self.source.name,
            repo="acme/app",
            number=number,
            title=f"Change {number}",
            created=created,
            updated=updated,
            author=author,
            review_requests=(ReviewRequest("tiny:jamie", created),),
            comments=(Comment("tiny:jamie", updated, question=True),),
        )

    def pages(self, window: Window, *, updated_since: datetime | None = None) -> Iterator[Dataset]:
        self.context.sleep(1.5)
        self.context.stats.add(requests=2)  # a page each
        reviews = [self._review(n, NOW - timedelta(days=n)) for n in range(1, 5)]
        if updated_since is not None:
            reviews = [r for r in reviews if r.updated >= updated_since]
            if "incremental" in self.flaws:
                reviews.append(self._review(99, NOW))
        yield Dataset(window=window, people=self.people, reviews=reviews[:2])
        rest = reviews[2:] + (reviews[:1] if "twice" in self.flaws else [])
        yield Dataset(window=window, people=self.people, reviews=rest)


def tiny(*flaws: str) -> TinySource:
    clock = FakeClock()
    return TinySource(source_config("tiny", flaws=list(flaws)), source_context(clock=clock))


def test_a_good_source_passes_the_contract_and_sleeps_only_on_the_fake_clock() -> None:
    adapter = tiny()
    result = check_source(adapter, WINDOW)
    assert result.pages == 2
    assert sorted(r.ref for r in result.dataset.reviews) == [f"acme/app#{n}" for n in range(1, 5)]
    assert result.incremental is not None
    assert sorted(r.number for r in result.incremental.reviews) == [1, 2, 3, 4]
    clock = adapter.context.sleep
    assert isinstance(clock, FakeClock)
    # the full fetch, the same under another name (tiny is named as its type), the incremental one
    assert clock.waits == [1.5, 1.5, 1.5] and adapter.context.clock() == clock.now


@pytest.mark.parametrize(
    ("flaw", "problem"),
    [
        ("naive", "review acme/app#2: Review.created is a naive datetime"),
        ("twice", "review tiny:acme/app#1 is yielded twice"),
        ("ghost", "person 'tiny:ghost' is referred to but not in any page's people"),
        ("name", "Review acme/app#1: source is 'elsewhere', not the source's name 'tiny'"),
        ("incremental", "review tiny:acme/app#99 is in the incremental fetch"),
    ],
)
def test_each_breach_of_the_contract_is_named(flaw: str, problem: str) -> None:
    with pytest.raises(AssertionError) as caught:
        check_source(tiny(flaw), WINDOW)
    text = str(caught.value)
    assert text.startswith("source 'tiny' breaks the contract:")
    assert problem in text


def test_the_contract_catches_a_source_name_hard_coded_as_the_type() -> None:
    with pytest.raises(AssertionError) as caught:
        check_source(tiny("hard-coded"), WINDOW)
    assert "source is 'tiny', not the source's name 'tiny-renamed'" in str(caught.value)


def test_sync_into_a_store_path_reads_in_full_then_only_what_changed_since_its_mark(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.sqlite"
    first = sync_into(path, tiny(), WINDOW, now=NOW)
    assert first.since is None and first.items == 4
    again = sync_into(path, tiny(), WINDOW, now=NOW + timedelta(hours=1))
    assert again.since is not None and NOW - timedelta(hours=1) < again.since <= NOW
    assert again.items == 0  # nothing changed since the first sync's mark
    with open_store(path) as store:
        kept = store.dataset("tiny", WINDOW)
        assert sorted(r.number for r in kept.reviews) == [1, 2, 3, 4]
        mark = store.mark("tiny")
        assert mark is not None and mark.mark == NOW + timedelta(hours=1)


def test_sync_into_reports_the_syncs_own_requests_not_the_adapters_since_it_was_built(
    tmp_path: Path,
) -> None:
    adapter = tiny()
    check_source(adapter, WINDOW)  # the same adapter served other fetches first
    before = adapter.context.stats.requests
    assert before > 0
    result = sync_into(tmp_path / "store.sqlite", adapter, WINDOW, now=NOW)
    own = adapter.context.stats.requests - before
    assert result.stats.requests == own and f", {own} requests," in result.line()
    again = sync_into(tmp_path / "store.sqlite", adapter, WINDOW, now=NOW + timedelta(hours=1))
    assert again.stats.requests == adapter.context.stats.requests - before - own


def test_run_report_merges_accounts_into_people_and_runs_the_kinds() -> None:
    data = check_source(tiny(), WINDOW).dataset
    config = """
[team]
name = "core"
lead = "jamie"
members = ["owen"]

[people.jamie]
tiny = "jamie"

[people.owen]
tiny = "owen"
"""
    report = run_report(data, config).as_dict()
    queue = finding(report, "review-queue")
    assert queue is not None
    assert [i["ref"] for i in queue["items"]] == [f"acme/app#{n}" for n in (4, 3, 2, 1)]
    assert queue["people"] == ["jamie", "owen"]


class Echo(FakeServer):
    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        return 200, {"X-Seen": method}, {"path": path, "body": json.loads(body or b"null")}


def test_the_fake_server_answers_records_and_plays_faults_in_order() -> None:
    with Echo() as fake:
        fake.fail(503, times=2, path="/flaky")
        assert requests.get(f"{fake.server_url}/flaky/1", timeout=5).status_code == 503
        assert requests.get(f"{fake.server_url}/steady?page=2", timeout=5).json() == {
            "path": "/steady?page=2",
            "body": None,
        }
        assert requests.get(f"{fake.server_url}/flaky/2", timeout=5).status_code == 503
        reply = requests.post(f"{fake.server_url}/flaky/3", json={"a": 1}, timeout=5)
        assert (reply.status_code, reply.headers["X-Seen"]) == (200, "POST")
        assert [(r.method, r.path) for r in fake.requests_to("/flaky")] == [
            ("GET", "/flaky/1"),
            ("GET", "/flaky/2"),
            ("POST", "/flaky/3"),
        ]
        assert fake.requests_to("/steady")[0].query == {"page": "2"}
        assert fake.requests_to("/flaky", "POST")[0].json() == {"a": 1}


def test_a_429_with_retry_after_is_waited_out_on_the_fake_clock() -> None:
    clock = FakeClock()
    context = source_context(clock=clock, name="t")
    with Echo() as fake:
        fake.fail(429, headers={"Retry-After": "7"})
        client = HttpClient(
            source="t", service="Echo", base_url=fake.server_url, context=context,
            policy=RetryPolicy(max_retries=2, max_wait=60),
        )  # fmt: skip
        reply = client.request("GET", "/things", what="things")
        client.close()
    assert reply.status == 200 and reply.data["path"] == "/things"
    assert clock.waits == [7.0]
    assert context.stats.requests == 2


# -- the core checks every page a source yields --------------------------------------------

NAIVE_SOURCE = """
from datetime import datetime
from leadkit.api import Dataset, SourceAdapter, WorkItem, hookimpl


class Naive(SourceAdapter):
    type = "naive"

    def pages(self, window, *, updated_since=None):
        when = datetime(2026, 11, 10, 9, 0)  # no time zone: a plugin's bug
        yield Dataset(window=window, work_items=[WorkItem(
            source=self.source.name, key="NAIVE-7", title="t", type="task", status="Open",
            status_category="todo", created=when, updated=when)])


@hookimpl
def register_sources(register):
    register(Naive)
"""


def test_a_naive_datetime_from_a_plugin_source_is_blamed_on_the_plugin(tmp_path: Path) -> None:
    plugin = tmp_path / "naive_plugin.py"
    plugin.write_text(NAIVE_SOURCE, encoding="utf-8")
    extra = '[[sources]]\ntype = "naive"\nname = "naive"\n'
    config = demo_config(tmp_path, extra)
    text = config.read_text(encoding="utf-8")
    config.write_text(f'[plugins]\npaths = ["{plugin.name}"]\n\n{text}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--config", str(config), "--now", DEMO_NOW])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("leadkit: error: source 'naive' (plugin 'naive_plugin' from ")
    assert line.endswith(
        "yielded an invalid page: work item NAIVE-7: WorkItem.created is a naive datetime "
        "(2026-11-10T09:00:00): sources must give aware UTC times"
    )
    assert "review_queue" not in result.stderr and "review-queue" not in result.stderr


def test_the_page_check_names_wrong_types_and_values_in_nested_records() -> None:
    from leadkit.collect.validate import page_problems

    when = NOW
    item = WorkItem("j", "PIPE-1", "t", "task", "Open", "todo", when, when)
    bad = [
        replace(item, status_category="doing"),  # type: ignore[arg-type]
        replace(item, key="PIPE-2", labels=("a", 3)),  # type: ignore[arg-type]
        replace(item, key="PIPE-3", comments=(Comment("j:a", when.astimezone(_plus_two())),)),
        replace(item, key="PIPE-4", title=None),  # type: ignore[arg-type]
    ]
    problems = list(page_problems(Dataset(window=WINDOW, work_items=[item, *bad])))
    assert problems == [
        "work item PIPE-1: WorkItem.status_category must be one of 'todo', 'in_progress', "
        "'done', got 'doing'",
        "work item PIPE-2: WorkItem.labels[1] must be str, got int 3",
        "work item PIPE-3: WorkItem.comments[0].at is not in UTC (2026-11-20T18:00:00+02:00): "
        "sources must give aware UTC times",
        "work item PIPE-4: WorkItem.title must be str, got NoneType None",
    ]
    assert list(page_problems({"work_items": []})) == ["a page must be a Dataset, got dict"]


def _plus_two() -> Any:
    from datetime import timezone

    return timezone(timedelta(hours=2))
