"""Syncing Jira into the store: an interrupted first sync carries on where it stopped.

Issue 11 ("Faults"): an interrupted first sync resumes per stream cursor, not
from page 1. Jira's cursor is the creation time of the last stored issue (the
search is in creation order); a ``nextPageToken`` or ``startAt`` is not kept.
Requests are those the fake Jira saw; the sync's clock is faked.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from leadkit.errors import SourceError
from leadkit.model.data import Window
from leadkit.model.interchange import dataset_to_json
from leadkit.testing import open_store, sync_into

from .conftest import NOW, MakeSource
from .fake_jira import FakeJira, generate_issues

HOUR = timedelta(hours=1)
PAGE = 50


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_an_interrupted_first_sync_resumes_where_it_stopped_not_from_page_1(
    deployment: str, make_source: MakeSource, window: Window, tmp_path: Path
) -> None:
    issues, users = generate_issues(230, project="PIPE", seed=11, now=NOW, days=60)
    fake_deployment = "Cloud" if deployment == "cloud" else "Server"
    options = {"deployment": deployment, "timezone": "UTC", "page_size": PAGE, "max_retries": 0}
    with FakeJira(issues, users, deployment=fake_deployment) as jira:
        options["server"] = jira.url
        with open_store(tmp_path / "reference.sqlite") as reference:
            sync_into(reference, make_source(**options), window, now=NOW)
            expected = dataset_to_json(reference.dataset("jira", window))
        uninterrupted = jira.count("/search")
        assert uninterrupted == 5  # 230 issues, 50 a page

        stored_before_failure = 2
        jira.reset_calls()
        jira.fail_next(503, method="POST", after=stored_before_failure)
        with open_store(tmp_path / "s.sqlite") as store:
            with pytest.raises(SourceError, match="503"):
                sync_into(store, make_source(**options), window, now=NOW)
            assert store.mark("jira") is None  # the first sync did not finish
            assert store.counts("jira")["work_items"] == stored_before_failure * PAGE
            assert store.progress("jira") is not None

            jira.reset_calls()
            result = sync_into(store, make_source(**options), window, now=NOW + HOUR)
            # Only the pages not yet stored are read: from the last stored issue's minute
            # on (issues of that minute are read again: JQL dates have minute resolution).
            last = sorted(issues, key=lambda i: (i.created, int(i.key.split("-")[1])))[
                stored_before_failure * PAGE - 1
            ]
            minute = last.created.replace(second=0, microsecond=0)
            assert result.items == sum(1 for i in issues if i.created >= minute) < 230
            assert jira.count("/search") == uninterrupted - stored_before_failure
            assert "resumed where the last sync stopped" in result.line()
            mark = store.mark("jira")
            assert mark is not None and mark.mark == NOW  # from when the first attempt started
            assert store.progress("jira") is None
            assert dataset_to_json(store.dataset("jira", window)) == expected


def test_a_resume_state_this_version_cannot_read_starts_from_page_1(
    make_source: MakeSource, window: Window
) -> None:
    issues, users = generate_issues(60, project="PIPE", seed=5, now=NOW, days=60)
    with FakeJira(issues, users) as jira:
        source = make_source(server=jira.url, timezone="UTC", page_size=PAGE)
        pages = list(source.pages(window, resume={"search": {"created": "not a time"}}))
    assert sum(len(p.work_items) for p in pages) == 60
