"""Syncing GitLab into the local store: the first sync reads in full, the next only what changed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from leadkit_gitlab.adapter import OWNER_FILES

from leadkit.api import SourceError, Window
from leadkit.testing import open_store, sync_into

from .conftest import NOW, WINDOW, make_adapter
from .fake_gitlab import FakeMR, stamp
from .test_gitlab_fetch import T, api_project, many, web_project

HOUR = timedelta(hours=1)


def test_the_second_sync_asks_only_for_what_changed_and_the_store_keeps_the_rest(
    serve, tmp_path: Path
):
    api = api_project()
    fake = serve([api, web_project()])
    with open_store(tmp_path / "s.sqlite") as store:
        sync_into(store, make_adapter(fake.url, projects=["acme/*"]), WINDOW, now=NOW)
        first = store.dataset("gl", WINDOW)
        assert sorted(r.ref for r in first.reviews) == ["acme/api!7"]
        assert sorted(i.key for i in first.work_items) == ["acme/api#7", "acme/web#3"]

        # An hour later: a new MR, and a comment on issue #7.
        api.merge_requests.append(FakeMR(8, "Tune retries", "priya", NOW + HOUR, NOW + HOUR))
        issue = api.issues[0]
        issue.comments.append(("jamie", NOW + HOUR, "Done?"))
        issue.updated = NOW + HOUR
        served = len(fake.requests)
        later = Window(WINDOW.start + 2 * HOUR, NOW + 2 * HOUR, WINDOW.history_start + 2 * HOUR)
        sync_into(store, make_adapter(fake.url, projects=["acme/*"]), later, now=NOW + 2 * HOUR)
        second = fake.requests[served:]
        lists = [r for r in second if r.path.endswith(("/merge_requests", "/issues"))]
        assert len(lists) == 4  # MRs and issues of two projects, one page each
        for request in lists:
            assert "updated_before" not in request.query
            assert request.query["updated_after"] == "2026-03-02T11:55:00Z"  # the mark less skew
        files = [r for r in second if "/repository/files/" in r.path]
        assert len(files) == 2 * len(OWNER_FILES)  # each sync reads CODEOWNERS (none here)
        details = sorted(
            {r.path.rsplit("/", 1)[0] for r in second if r not in lists and r not in files}
        )
        assert details == [
            "/api/v4/groups/acme",
            "/api/v4/projects/acme/api/issues/7",
            "/api/v4/projects/acme/api/merge_requests/8",
        ]
        stored = store.dataset("gl", later)
        assert sorted(r.ref for r in stored.reviews) == ["acme/api!7", "acme/api!8"]
        (seven,) = [i for i in stored.work_items if i.key == "acme/api#7"]
        assert seven.comments[-1].question and seven.comments[-1].by is not None
        assert "acme/web#3" in {i.key for i in stored.work_items}


def test_an_interrupted_first_sync_carries_on_where_it_stopped(serve, tmp_path: Path):
    fake = serve([many(250)])
    broken = fake.path("acme/big", "merge_requests", 150, "notes")
    fake.fail(500, body={"message": "500 Internal Server Error"}, times=1, path=broken)

    def adapter() -> Any:
        return make_adapter(fake.url, projects=["acme/big"], include_issues=False, max_retries=0)

    with open_store(tmp_path / "s.sqlite") as store:
        with pytest.raises(SourceError, match="HTTP 500"):
            sync_into(store, adapter(), WINDOW, now=NOW)
        assert len(store.dataset("gl", WINDOW).reviews) == 100  # the first page was kept

        served = len(fake.requests)
        result = sync_into(store, adapter(), WINDOW, now=NOW + HOUR)
        assert result.resumed
        second = fake.requests[served:]
        (first_list, *_) = [r for r in second if r.path.endswith("/merge_requests")]
        assert first_list.query["updated_after"] == stamp(T + timedelta(minutes=100))
        notes = {r.path for r in second if r.path.endswith("/notes")}
        assert len(notes) == 151  # !100 again (its time is the resume point), then !101..!250
        assert sorted(r.number for r in store.dataset("gl", WINDOW).reviews) == list(range(1, 251))
        assert store.mark("gl") is not None
