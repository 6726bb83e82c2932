"""Faults, through ``responses`` at https://api.github.com: rate limits, retries, errors, secrets.

Time is faked: every wait goes through the adapter's injected ``sleep``. There
is no real recording of a GitHub 429 or secondary-limit response (see
api-notes.md): the tests named ``*_built_from_docs`` build them from the
documented shapes; the others replay PyGithub's recorded responses
(tests/fixtures/pygithub/, LGPL-3.0).
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

import pytest
import requests

from leadkit.errors import DataError, LeadkitError, SourceError
from tests.fakes.fake_github import FakeRepo, generate_pulls

from .conftest import NOW, TOKEN, WINDOW, Sleeper, make_adapter, recorded

AUTHORS = ["jamie", "owen", "tommy"]


def repo(n: int = 3) -> FakeRepo:
    return FakeRepo("acme/api", pulls=generate_pulls(n, now=NOW, authors=AUTHORS))


def test_primary_rate_limit_403_waits_until_reset(mocked):
    fake = mocked([repo()])
    sleeper = Sleeper()
    reset = int(sleeper.now) + 120
    fake.fail(
        403,
        {"message": "API rate limit exceeded for user ID 1."},
        path="graphql",
        x_ratelimit_remaining="0",
        x_ratelimit_reset=str(reset),
    )
    adapter = make_adapter(None, sleeper=sleeper)
    assert len(adapter.collect(WINDOW).reviews) == 3
    (wait,) = sleeper.waits
    assert 121 <= wait <= 121 * 1.1
    stats = adapter.context.stats
    assert (stats.requests, stats.retries) == (2, 1)
    assert stats.waited_seconds == pytest.approx(wait)


def test_recorded_403_rate_limit_without_reset_waits_a_minute(mocked):
    status, headers, body = recorded("SpecificExceptions.testRateLimitExceeded.txt", block=1)
    assert status == 403 and headers["x-ratelimit-remaining"] == "0"
    fake = mocked([repo()])
    keep = {k: v for k, v in headers.items() if k.startswith("x-ratelimit")}
    fake.fail(403, body, path="graphql", **{k.replace("-", "_"): v for k, v in keep.items()})
    sleeper = Sleeper()
    assert len(make_adapter(None, sleeper=sleeper).collect(WINDOW).reviews) == 3
    assert len(sleeper.waits) == 1 and 60 <= sleeper.waits[0] <= 66


def test_429_with_retry_after_built_from_docs(mocked):
    fake = mocked([repo()])
    fake.fail(429, {"message": "Too many requests"}, path="graphql", retry_after="7")
    sleeper = Sleeper()
    make_adapter(None, sleeper=sleeper).collect(WINDOW)
    assert len(sleeper.waits) == 1 and 7 <= sleeper.waits[0] <= 7.7


def test_429_without_retry_after_backs_off_exponentially_built_from_docs(mocked):
    # PyGithub does not retry this one; leadkit must.
    fake = mocked([repo()])
    fake.fail(429, {"message": "Too many requests"}, path="graphql", times=2)
    sleeper = Sleeper()
    adapter = make_adapter(None, sleeper=sleeper)
    assert len(adapter.collect(WINDOW).reviews) == 3
    assert len(sleeper.waits) == 2
    assert 60 <= sleeper.waits[0] <= 66 and 120 <= sleeper.waits[1] <= 132


def test_secondary_limit_403_built_from_docs(mocked):
    fake = mocked([repo()])
    message = (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    )
    fake.fail(403, {"message": message}, path="graphql")
    sleeper = Sleeper()
    make_adapter(None, sleeper=sleeper).collect(WINDOW)
    assert len(sleeper.waits) == 1 and sleeper.waits[0] >= 60


def test_graphql_rate_limited_error_in_a_200_body(mocked):
    fake = mocked([repo()])
    sleeper = Sleeper()
    body = {
        "errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]
    }
    fake.fail(
        200,
        body,
        path="graphql",
        x_ratelimit_remaining="0",
        x_ratelimit_reset=str(int(sleeper.now) + 30),
    )
    adapter = make_adapter(None, sleeper=sleeper)
    assert len(adapter.collect(WINDOW).reviews) == 3
    assert len(sleeper.waits) == 1 and 31 <= sleeper.waits[0] <= 35


def test_rate_limit_wait_is_bounded_and_says_when_it_resets(mocked):
    fake = mocked([repo()])
    sleeper = Sleeper(start=1_800_000_000.0)
    fake.fail(
        403,
        {"message": "API rate limit exceeded"},
        path="graphql",
        x_ratelimit_remaining="0",
        x_ratelimit_reset="1800003600",
    )
    adapter = make_adapter(None, sleeper=sleeper, max_wait=600)
    with pytest.raises(SourceError) as err:
        adapter.collect(WINDOW)
    assert "resets at 2027-01-15 09:00:00 UTC" in str(err.value)
    assert "max_wait" in str(err.value)
    assert sleeper.waits == []


def test_recorded_500_is_retried(mocked):
    status, _, body = recorded("Retry.testReturnsRepoAfter1Retry.txt")
    assert status == 500
    fake = mocked([repo()])
    fake.fail(500, body, path="graphql")
    sleeper = Sleeper()
    adapter = make_adapter(None, sleeper=sleeper)
    assert len(adapter.collect(WINDOW).reviews) == 3
    assert adapter.context.stats.retries == 1 and fake.count() == 2
    assert 1 <= sleeper.waits[0] <= 1.25


def test_5xx_retries_are_bounded(mocked):
    fake = mocked([repo()])
    fake.fail(503, {"message": "Service unavailable"}, path="graphql", times=10)
    adapter = make_adapter(None, max_retries=2)
    with pytest.raises(SourceError, match=r"503.*repository acme/api, 3 attempts"):
        adapter.collect(WINDOW)
    assert fake.count() == 3


def test_connection_errors_are_retried(mocked):
    fake = mocked([repo()])
    fake.fail(200, requests.ConnectionError("connection reset by peer"), path="graphql", times=2)
    adapter = make_adapter(None)
    assert len(adapter.collect(WINDOW).reviews) == 3
    assert adapter.context.stats.retries == 2


def test_gateway_timeout_shrinks_the_page_and_grows_it_back(mocked):
    fake = mocked([repo(250)])
    fake.fail(502, {"data": None, "errors": [{"message": "timeout"}]}, path="graphql")
    adapter = make_adapter(None)
    assert len(adapter.collect(WINDOW).reviews) == 250
    assert [s.variables["first"] for s in fake.requests] == [100, 50, 100, 100]
    assert adapter.context.stats.retries == 1


def test_gateway_timeouts_on_every_size_give_up(mocked):
    fake = mocked([repo()])
    fake.fail(504, "<html>Gateway Timeout</html>", path="graphql", times=50)
    with pytest.raises(SourceError, match="timed out reading acme/api even with pages of 1"):
        make_adapter(None).collect(WINDOW)
    assert [s.variables["first"] for s in fake.requests] == [100, 50, 25, 12, 6, 3, 1]


def test_401_names_the_variable_and_hides_the_token(mocked):
    fake = mocked([repo()])
    fake.token = "something-else"
    adapter = make_adapter(None, env={"MY_GH_TOKEN": TOKEN}, token_env="MY_GH_TOKEN")
    with pytest.raises(SourceError) as err:
        adapter.collect(WINDOW)
    assert "the token in MY_GH_TOKEN was rejected" in str(err.value)
    assert TOKEN not in str(err.value)
    assert fake.count() == 1


def test_missing_repository_is_named(mocked):
    mocked([repo()])
    with pytest.raises(SourceError, match="acme/nope was not found"):
        make_adapter(None, repos=["acme/nope"]).collect(WINDOW)


def test_unknown_owner_is_named(mocked):
    mocked([repo()])
    with pytest.raises(SourceError, match="no organization or user 'ghost'"):
        make_adapter(None, repos=["ghost/*"]).collect(WINDOW)


def test_a_reply_that_is_not_json_is_a_data_error(mocked):
    fake = mocked([repo()])
    fake.fail(200, "<html>Unicorn!</html>", path="graphql")
    with pytest.raises(DataError, match="not JSON for repository acme/api"):
        make_adapter(None).collect(WINDOW)


def test_a_pr_missing_a_field_is_a_data_error_naming_it(mocked):
    fake = mocked([repo()])
    node = fake.repo_node("acme", "api")["_pull_by_number"][2]
    del node["createdAt"]
    with pytest.raises(DataError, match=r"for PR acme/api#2: expected a timestamp, got None"):
        make_adapter(None).collect(WINDOW)


def test_a_wrongly_typed_list_is_a_data_error(mocked):
    fake = mocked([repo()])
    fake.repo_node("acme", "api")["_pull_by_number"][1]["files"] = {"oops": 1}
    with pytest.raises(DataError, match=r"acme/api#1"):
        make_adapter(None).collect(WINDOW)


def test_a_bad_timestamp_is_a_data_error(mocked):
    fake = mocked([repo()])
    fake.repo_node("acme", "api")["_pull_by_number"][3]["updatedAt"] = "yesterday"
    with pytest.raises(DataError, match=r"acme/api#3"):
        make_adapter(None).collect(WINDOW)


def test_the_token_never_appears_in_errors_tracebacks_logs_or_stats(mocked, caplog):
    caplog.set_level(logging.DEBUG)
    fake = mocked([repo()])
    # A server that echoes the credentials back in its error body.
    fake.fail(500, {"message": f"bad header: token {TOKEN}"}, path="graphql", times=10)
    adapter = make_adapter(None, max_retries=1)
    with pytest.raises(LeadkitError) as err:
        adapter.collect(WINDOW)
    shown = "".join(traceback.format_exception(err.value))
    assert "bad header: token ***" in str(err.value)
    assert TOKEN not in shown
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(adapter) and TOKEN not in repr(adapter.transport())
    assert TOKEN not in str(adapter.context.stats.as_dict())
    # The token was sent, though: the fake checked it.
    assert fake.count() == 2


def test_waits_are_counted_in_stats(mocked):
    fake = mocked([repo()])
    fake.fail(429, {"message": "slow down"}, path="graphql", retry_after="3")
    fake.fail(502, {"message": "bad gateway"}, path="graphql")
    adapter = make_adapter(None)
    adapter.collect(WINDOW)
    stats = adapter.context.stats.as_dict()
    assert stats["requests"] == 3 and stats["retries"] == 2
    assert 3 <= stats["waited_seconds"] <= 3.3


def test_stale_window_start_is_sent_as_since(mocked):
    fake = mocked([repo()])
    make_adapter(None).collect(WINDOW)
    assert fake.requests[0].variables["since"] == (NOW - timedelta(days=90)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_an_unreadable_nested_field_becomes_a_note(mocked):
    from leadkit_github.graphql import REPO_PAGE

    fake = mocked([repo()])
    variables = {
        "owner": "acme",
        "name": "api",
        "first": 100,
        "prs": True,
        "stale": False,
        "issues": True,
        "staleIssues": False,
        "probe": True,
        "issueProbe": True,
        "since": (NOW - timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    body = fake.graphql(REPO_PAGE, variables)
    body["errors"] = [
        {
            "type": "FORBIDDEN",
            "path": ["repository", "pullRequests", "nodes", 0, "author", "email"],
            "message": "Resource not accessible by integration",
        }
    ]
    fake.fail(200, body, path="graphql")
    data = make_adapter(None).collect(WINDOW)
    assert len(data.reviews) == 3
    assert any("repository.pullRequests.nodes.0.author.email" in n for n in data.notes)


def test_a_top_level_graphql_error_is_a_source_error(mocked):
    fake = mocked([repo()])
    fake.fail(
        200, {"errors": [{"message": "Field 'x' doesn't exist on type 'Query'"}]}, path="graphql"
    )
    with pytest.raises(SourceError, match="GitHub GraphQL error reading repository acme/api"):
        make_adapter(None).collect(WINDOW)
