"""Faults, through ``responses`` at https://api.github.com: rate limits, retries, errors, secrets.

Time is faked: every wait goes through the adapter's injected ``sleep``. There
is no real recording of a GitHub 429 or secondary-limit response (see
api-notes.md): the tests named ``*_built_from_docs`` build them from the
documented shapes; the others replay PyGithub's recorded responses
(tests/fixtures/pygithub/, LGPL-3.0).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import traceback
from datetime import timedelta

import pytest
import requests
from leadkit_github.graphql import page_variables, repo_page_query

from leadkit.errors import DataError, LeadkitError, SourceError

from .conftest import NOW, TOKEN, WINDOW, Sleeper, make_adapter, recorded
from .fake_github import FakeRepo, generate_pulls

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


def test_malformed_json_in_a_200_is_retried_with_backoff(mocked):
    fake = mocked([repo()])
    fake.fail(200, "<html>Unicorn!</html>", path="graphql")
    sleeper = Sleeper()
    adapter = make_adapter(None, sleeper=sleeper)
    assert len(adapter.collect(WINDOW).reviews) == 3
    assert fake.count() == 2 and len(sleeper.waits) == 1 and 1 <= sleeper.waits[0] <= 1.25


def test_a_reply_that_is_never_json_gives_up_after_bounded_retries(mocked):
    fake = mocked([repo()])
    fake.fail(200, "<html>Unicorn!</html>", path="graphql", times=10)
    sleeper = Sleeper()
    with pytest.raises(SourceError, match=r"not JSON \(HTTP 200\) for repository acme/api, 3 a"):
        make_adapter(None, sleeper=sleeper, max_retries=2).collect(WINDOW)
    assert fake.count() == 3
    assert [round(w) for w in sleeper.waits] == [1, 2]  # 1 s then 2 s (plus jitter)


def test_a_truncated_body_is_retried_and_said_to_be_cut_off(mocked):
    fake = mocked([repo()])
    body = json.dumps(fake.graphql(FIRST_PAGE, first_page_variables()))
    fake.fail(200, body[: len(body) // 2], path="graphql")
    adapter = make_adapter(None)
    assert len(adapter.collect(WINDOW).reviews) == 3  # the retry read it whole
    fake.fail(200, body[: len(body) // 2], path="graphql", times=10)
    with pytest.raises(SourceError) as err:
        make_adapter(None, max_retries=1).collect(WINDOW)
    assert "the response was cut off for repository acme/api, 2 attempts" in str(err.value)
    assert "JSONDecodeError" not in str(err.value) and "Error" not in str(err.value)


def test_a_connection_broken_mid_body_says_cut_off_not_the_exception_class(mocked):
    fake = mocked([repo()])
    broken = requests.exceptions.ChunkedEncodingError(
        "('Connection broken: IncompleteRead(1200 bytes read, 8800 more expected)')"
    )
    fake.fail(200, broken, path="graphql", times=10)
    with pytest.raises(SourceError) as err:
        make_adapter(None, max_retries=2).collect(WINDOW)
    message = str(err.value)
    assert "the response was cut off for repository acme/api, 3 attempts" in message
    assert "ChunkedEncodingError" not in message and "IncompleteRead" not in message


@pytest.mark.parametrize(
    "message",
    [
        "Something went wrong while executing your query. This may be the result of a "
        "timeout, or it could be a GitHub bug. Please include `1A2B:3C4D` when reporting.",
        "Timeout on validation of query",
    ],
    ids=["something-went-wrong", "timeout"],
)
def test_a_graphql_200_whose_errors_say_timeout_is_retried(mocked, message):
    fake = mocked([repo()])
    fake.fail(200, {"data": None, "errors": [{"message": message}]}, path="graphql", times=2)
    sleeper = Sleeper()
    adapter = make_adapter(None, sleeper=sleeper)
    assert len(adapter.collect(WINDOW).reviews) == 3
    assert fake.count() == 3 and len(sleeper.waits) == 2
    fake.fail(200, {"data": None, "errors": [{"message": message}]}, path="graphql", times=10)
    with pytest.raises(SourceError, match="GitHub could not finish the query"):
        make_adapter(None, max_retries=1).collect(WINDOW)


def test_persistent_gateway_timeouts_back_off_between_halvings(mocked):
    fake = mocked([repo()])
    fake.fail(504, "<html>Gateway Timeout</html>", path="graphql", times=50)
    sleeper = Sleeper()
    with pytest.raises(SourceError) as err:
        make_adapter(None, sleeper=sleeper).collect(WINDOW)
    assert [s.variables["first"] for s in fake.requests] == [100, 50, 25, 12, 6, 3, 1]
    assert len(sleeper.waits) == 6  # one pause before each smaller page
    assert sleeper.waits == sorted(sleeper.waits) and sleeper.waits[-1] <= 30 * 1.25
    assert f"(waited {sum(sleeper.waits):.0f} s between tries)" in str(err.value)


def test_waits_of_repositories_read_in_parallel_are_not_summed(mocked):
    repos = [repo(), FakeRepo("acme/web", pulls=generate_pulls(2, now=NOW, authors=AUTHORS))]
    fake = mocked(repos)
    for name in ("acme/api", "acme/web"):
        fake.fail(429, {"message": "slow down"}, path="graphql", repo=name, retry_after="100")
    together = threading.Barrier(2, timeout=10)

    class Parallel(Sleeper):
        """Both repositories wait at the same time, on their own threads, as for real."""

        def __call__(self, seconds: float) -> None:
            together.wait()
            super().__call__(seconds)

    adapter = make_adapter(
        None, repos=["acme/api", "acme/web"], max_wait=150, concurrency=2, sleeper=Parallel()
    )
    assert len(adapter.collect(WINDOW).reviews) == 5  # each waited 100 s, within 150 s
    assert adapter.context.stats.waited_seconds >= 200  # the stats still add them up
    for name in ("acme/api", "acme/web"):
        fake.fail(429, {"message": "slow"}, path="graphql", repo=name, times=2, retry_after="100")
    with pytest.raises(SourceError) as err:
        make_adapter(None, repos=["acme/api", "acme/web"], max_wait=150).collect(WINDOW)
    assert re.search(r"past max_wait = 150 s \(1[01]\d s waited already\)", str(err.value))


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
    assert 3 + 1 <= stats["waited_seconds"] <= 3.3 + 1.25  # Retry-After, then a 1 s backoff


def test_stale_window_start_is_sent_as_since(mocked):
    fake = mocked([repo()])
    make_adapter(None).collect(WINDOW)
    assert fake.requests[0].variables["since"] == (NOW - timedelta(days=90)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


FIRST_PAGE = repo_page_query(frozenset({"prs", "issues", "probe", "issueProbe"}))
"""The first page request of a full fetch, for building replies by hand."""


def first_page_variables() -> dict[str, object]:
    """The variables of the first page request of acme/api."""
    since = (NOW - timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return page_variables(
        FIRST_PAGE, {"owner": "acme", "name": "api", "first": 100, "since": since}
    )


def test_an_unreadable_nested_field_becomes_a_note(mocked):
    fake = mocked([repo()])
    body = fake.graphql(FIRST_PAGE, first_page_variables())
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
