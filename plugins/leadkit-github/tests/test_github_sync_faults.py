"""Syncing GitHub into the store through faults: partial GraphQL data, interrupted first syncs.

Each test names the defect it covers (issue 11, "Faults"). Time is faked (the
adapter's sleep and the sync's clock); requests are those the fake GitHub saw.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from leadkit_github.graphql import item_query, page_variables, repo_page_query

from leadkit.collect.selection import CLOCK_SKEW
from leadkit.errors import SourceError
from leadkit.model.interchange import dataset_to_json
from leadkit.testing import open_store, sync_into

from .conftest import NOW, WINDOW, Sleeper, make_adapter
from .fake_github import FakeGitHub, FakeRepo, generate_pulls

AUTHORS = ["jamie", "owen", "tommy"]
HOUR = timedelta(hours=1)


def incremental_page_with_a_hole(fake: FakeGitHub, number: int, since: datetime) -> dict:
    """The reply to an incremental page, PR ``number``'s timeline null with a timeout error."""
    query = repo_page_query(frozenset({"prs", "issues"}))
    since_text = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    values = {"owner": "acme", "name": "api", "first": 100, "since": since_text}
    body = fake.graphql(query, page_variables(query, values))
    pulls = body["data"]["repository"]["pullRequests"]["nodes"]
    index = next(i for i, p in enumerate(pulls) if p["number"] == number)
    pulls[index]["timelineItems"] = None
    body["errors"] = [
        {
            "message": "Timeout on timelineItems",
            "path": ["repository", "pullRequests", "nodes", index, "timelineItems"],
        }
    ]
    return body


def item_with_a_hole(fake: FakeGitHub, number: int) -> dict:
    variables = {"owner": "acme", "name": "api", "number": number}
    body = fake.graphql(item_query("pr"), variables)
    body["data"]["repository"]["pullRequest"]["timelineItems"] = None
    path = ["repository", "pullRequest", "timelineItems"]
    body["errors"] = [{"message": "timeout", "path": path}]
    return body


def stored_pull(store: Any, number: int) -> Any:
    data = store.dataset("gh", WINDOW)
    return next(r for r in data.reviews if r.number == number)


def test_partial_graphql_data_never_replaces_the_stored_item_and_warns_until_complete(
    mocked, tmp_path: Path
) -> None:
    fake = mocked([FakeRepo("acme/api", pulls=generate_pulls(3, now=NOW, authors=AUTHORS))])
    with open_store(tmp_path / "s.sqlite") as store:
        sync_into(store, make_adapter(None), WINDOW, now=NOW)
        good = stored_pull(store, 2)
        assert good.reviews, "the fake PR has reviews to lose"
        pull = fake.repos["acme/api"].pulls[1]
        assert pull.number == 2
        pull.title, pull.updated = "Edited after the first sync", NOW + HOUR
        fake.invalidate()

        # GitHub now sends #2 with its reviews null, and again when asked for it alone.
        fake.fail(200, incremental_page_with_a_hole(fake, 2, NOW - CLOCK_SKEW), path="graphql")
        fake.fail(200, item_with_a_hole(fake, 2), path="graphql", times=2)
        fake.reset_counts()
        sleeper = Sleeper()
        sync_into(store, make_adapter(None, sleeper=sleeper), WINDOW, now=NOW + 2 * HOUR)
        assert fake.count(operation="Item") == 2  # retried, alone
        assert len(sleeper.waits) == 2  # with backoff, through the context's sleep
        assert stored_pull(store, 2) == good  # not replaced by the incomplete copy
        mark = store.mark("gh")
        assert mark is not None and mark.mark <= NOW + HOUR  # the mark stays before #2
        (warning,) = [n for n in mark.notes if "acme/api#2" in n]
        assert "incomplete" in warning and "read again on the next sync" in warning
        assert any("acme/api#2" in n for n in store.dataset("gh", WINDOW).notes)

        # The next sync reads #2 again; complete now, it replaces the copy and the note goes.
        sync_into(store, make_adapter(None), WINDOW, now=NOW + 3 * HOUR)
        now_stored = stored_pull(store, 2)
        assert now_stored.title == "Edited after the first sync" and now_stored.reviews
        assert not any("acme/api#2" in n for n in store.mark("gh").notes)  # type: ignore[union-attr]


def test_an_item_with_a_hole_is_read_again_alone_and_kept_when_whole(mocked) -> None:
    fake = mocked([FakeRepo("acme/api", pulls=generate_pulls(3, now=NOW, authors=AUTHORS))])
    complete = make_adapter(None).collect(WINDOW)
    body = incremental_page_with_a_hole(fake, 3, NOW)
    body["data"]["repository"]["oldestOpen"] = {"nodes": []}
    body["data"]["repository"]["oldestOpenIssue"] = {"nodes": []}
    fake.fail(200, body, path="graphql")
    fake.reset_counts()
    data = make_adapter(None).collect(WINDOW)
    assert fake.count(operation="Item") == 1
    assert sorted(data.reviews, key=lambda r: r.number) == sorted(
        complete.reviews, key=lambda r: r.number
    )
    assert not data.notes


def test_an_interrupted_first_sync_resumes_where_it_stopped_not_from_page_1(
    mocked, tmp_path: Path
) -> None:
    repos = [
        FakeRepo("acme/api", pulls=generate_pulls(230, now=NOW, authors=AUTHORS, seed=1)),
        FakeRepo("acme/web", pulls=generate_pulls(120, now=NOW, authors=AUTHORS, seed=2)),
    ]
    fake = mocked(repos)
    options: dict[str, Any] = {
        "repos": ["acme/api", "acme/web"],
        "page_size": 50,
        "concurrency": 1,
        "max_retries": 0,
    }
    with open_store(tmp_path / "reference.sqlite") as reference:
        sync_into(reference, make_adapter(None, **options), WINDOW, now=NOW)
        uninterrupted = fake.count()
        expected = dataset_to_json(reference.dataset("gh", WINDOW))
    assert uninterrupted >= 8  # several pages per repository

    fake.reset_counts()
    stored_before_failure = 4
    fake.fail(503, {"message": "unavailable"}, path="graphql", after=stored_before_failure)
    with open_store(tmp_path / "s.sqlite") as store:
        with pytest.raises(SourceError, match="503"):
            sync_into(store, make_adapter(None, **options), WINDOW, now=NOW)
        # The failed sync stopped at the failure: its one worker did not go on to acme/web
        # (which it did, and sometimes only after the sync had returned: a request that then
        # counted against the next sync).
        assert [s.variables.get("name") for s in fake.requests] == ["api"] * 5
        assert store.mark("gh") is None  # the first sync did not finish
        assert store.counts("gh")["reviews"] == stored_before_failure * 50
        assert store.progress("gh") is not None

        fake.reset_counts()
        result = sync_into(store, make_adapter(None, **options), WINDOW, now=NOW + HOUR)
        # Only the pages not yet stored are read: none of the four again, no page 1 of acme/api.
        assert fake.count() == uninterrupted - stored_before_failure
        first_pages = [
            s for s in fake.requests if s.variables.get("name") == "api" and "oldestOpen" in s.reads
        ]
        assert first_pages == []
        assert "resumed where the last sync stopped" in result.line()
        mark = store.mark("gh")
        assert mark is not None and mark.mark == NOW  # it started when the first attempt did
        assert store.progress("gh") is None
        assert dataset_to_json(store.dataset("gh", WINDOW)) == expected
