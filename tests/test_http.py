"""The shared HTTP layer (leadkit.http) against ``responses``: retries, rate limits, budgets, secrets.

Time is faked: waits go through the context's ``sleep`` and the clock only
moves when it is called. The headers are those GitHub and Jira document
(see /work/shared/api-notes.md): GitHub's ``x-ratelimit-*`` in epoch
seconds, Jira's ``Retry-After`` on 429/503 and ``X-RateLimit-Reset`` as an
ISO time.
"""

from __future__ import annotations

import json
import threading
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests
import responses

from leadkit import api
from leadkit.collect.sources import CollectContext, SourceStats
from leadkit.errors import SourceError
from leadkit.http import Again, HttpClient, MaybeDone, Reply, RetryPolicy
from leadkit.secrets import remember_secret

API = "https://tracker.example"
SEARCH = f"{API}/rest/search"
START = datetime(2027, 1, 15, 8, 0, tzinfo=UTC).timestamp()
SECRET = "tok-a91Bc7De3Fg5Hi"


class Clock:
    """A fake clock and sleep: waits are recorded and move the clock."""

    def __init__(self) -> None:
        self.now = START
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as rsps:
        yield rsps


def client(clock: Clock, progress: list[str] | None = None, **policy: Any) -> HttpClient:
    context = CollectContext(stats=SourceStats("t"), sleep=clock.sleep, clock=clock.clock)
    if progress is not None:
        context.progress = progress.append
    return HttpClient(
        source="t",
        service="Tracker",
        base_url=API,
        context=context,
        policy=RetryPolicy(**policy),
    )


def test_a_reply_is_counted_and_its_json_read(mock, clock) -> None:
    mock.post(SEARCH, json={"issues": []})
    http = client(clock)
    reply = http.request("POST", "/rest/search", what="the search", json={"jql": "x"})
    assert (reply.status, reply.data) == (200, {"issues": []})
    assert json.loads(mock.calls[0].request.body) == {"jql": "x"}
    assert mock.calls[0].request.req_kwargs["timeout"] == (10.0, 30.0)
    assert http.context.stats.requests == 1 and clock.waits == []


def test_5xx_and_connection_errors_are_retried_with_growing_jittered_waits(mock, clock) -> None:
    mock.get(SEARCH, status=502, body="<html>Bad gateway</html>")
    mock.get(SEARCH, body=requests.ConnectionError("connection reset by peer"))
    mock.get(SEARCH, status=500, json={"message": "oops"})
    mock.get(SEARCH, json={"ok": True})
    http = client(clock)
    assert http.request("GET", SEARCH, what="the search").data == {"ok": True}
    assert len(clock.waits) == 3
    for attempt, waited in enumerate(clock.waits):  # 1, 2, 4 s, each up to 10 % longer
        assert 2**attempt <= waited <= 1.1 * 2**attempt
    stats = http.context.stats
    assert (stats.requests, stats.retries) == (4, 3)
    assert stats.waited_seconds == pytest.approx(sum(clock.waits))


def test_retries_are_bounded_and_the_message_says_how_often(mock, clock) -> None:
    mock.get(SEARCH, status=503, json={"message": "Service unavailable"})
    http = client(clock, max_retries=2)
    with pytest.raises(SourceError) as err:
        http.request("GET", SEARCH, what="the search")
    assert str(err.value) == (
        "source 't': Tracker answered HTTP 503: Service unavailable for the search, "
        "3 attempts (waited 3 s between them)"
    )
    assert len(mock.calls) == 3


def test_a_request_that_must_not_run_twice_is_not_retried(mock, clock) -> None:
    mock.post(SEARCH, status=502)
    with pytest.raises(MaybeDone, match="HTTP 502 for a comment"):
        client(clock).request("POST", SEARCH, what="a comment", retry_transient=False)
    assert len(mock.calls) == 1


def test_a_body_cut_off_or_not_json_is_retried_and_named(mock, clock) -> None:
    mock.get(SEARCH, body='{"issues": [{"key": "PIPE-1"')
    mock.get(SEARCH, body="<html>maintenance</html>")
    mock.get(SEARCH, status=204)
    http = client(clock)
    assert http.request("GET", SEARCH, what="the search").data is None  # 204: nothing to read
    mock.replace(responses.GET, SEARCH, body='{"issues": [')
    with pytest.raises(SourceError, match=r"the response was cut off for the search, 2 attempts"):
        client(clock, max_retries=1).request("GET", SEARCH, what="the search")


def test_429_waits_exactly_what_retry_after_says_seconds_or_http_date(mock, clock) -> None:
    mock.get(SEARCH, status=429, headers={"Retry-After": "7"})
    later = datetime.fromtimestamp(START + 7 + 90, UTC)
    mock.get(SEARCH, status=429, headers={"Retry-After": format_datetime(later, usegmt=True)})
    mock.get(SEARCH, json={})
    http = client(clock)
    http.request("GET", SEARCH, what="the search")
    assert clock.waits == [7.0, 90.0]  # the date is read against the context's clock


def test_github_primary_limit_waits_until_the_reset_plus_its_rounding(mock, clock) -> None:
    reset = int(START) + 120
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
    mock.post(SEARCH, status=403, headers=headers, json={"message": "API rate limit exceeded"})
    mock.post(SEARCH, json={"data": {}})
    client(clock).request("POST", SEARCH, what="repository acme/api")
    assert clock.waits == [121.0]


def test_github_secondary_limit_without_advice_waits_at_least_the_limit_wait(mock, clock) -> None:
    message = "You have exceeded a secondary rate limit. Please wait a few minutes."
    remaining = {"x-ratelimit-remaining": "4000", "x-ratelimit-reset": str(int(START) + 3000)}
    for _ in range(2):
        mock.post(SEARCH, status=403, headers=remaining, json={"message": message})
    mock.post(SEARCH, json={"data": {}})
    client(clock, limit_wait=60).request("POST", SEARCH, what="repository acme/api")
    assert 60 <= clock.waits[0] <= 66 and 120 <= clock.waits[1] <= 132  # not the primary reset


def test_a_403_that_is_not_a_rate_limit_comes_back_for_the_adapter(mock, clock) -> None:
    mock.get(SEARCH, status=403, json={"message": "Resource not accessible by integration"})
    reply = client(clock).request("GET", SEARCH, what="the search")
    assert (reply.ok, reply.status, clock.waits) == (False, 403, [])


def test_jira_503_with_retry_after_is_a_rate_limit_and_iso_reset_is_read(mock, clock) -> None:
    mock.get(SEARCH, status=503, headers={"Retry-After": "2"}, body="busy")
    reset = datetime.fromtimestamp(START + 2 + 30.5, UTC).isoformat().replace("+00:00", "Z")
    mock.get(SEARCH, status=429, headers={"X-RateLimit-Reset": reset})
    mock.get(SEARCH, json={})
    client(clock).request("GET", SEARCH, what="the search")
    assert clock.waits == [2.0, 30.5]


def test_a_wait_past_max_wait_fails_at_once_saying_when_the_limit_resets(mock, clock) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(START) + 3600)}
    mock.get(SEARCH, status=429, headers=headers)
    with pytest.raises(SourceError) as err:
        client(clock, max_wait=600).request("GET", SEARCH, what="repository acme/api")
    assert str(err.value) == (
        "source 't': Tracker rate limit reached while reading repository acme/api; it resets "
        "at 2027-01-15 09:00:00 UTC: leadkit would have to wait 3601 s more, past max_wait = "
        "600 s (0 s waited already). Try again later, or raise max_wait"
    )
    assert clock.waits == []


def test_max_wait_counts_each_threads_own_waiting(mock, clock) -> None:
    mock.get(SEARCH, status=429, headers={"Retry-After": "100"})
    mock.get(SEARCH, json={})
    http = client(clock, max_wait=150)
    results: list[float] = []

    def read() -> None:
        http.request("GET", SEARCH, what="the search")
        results.append(http.waited)

    for _ in range(2):  # one after another, each on its own thread
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    assert results == [100.0, 0.0]  # the second thread did not inherit the first one's wait
    assert http.waited == 0.0 and http.context.stats.waited_seconds == 100.0


def test_rate_limit_waits_are_bounded_in_number_too(mock, clock) -> None:
    mock.get(SEARCH, status=429, headers={"Retry-After": "0"})
    with pytest.raises(SourceError, match=r"kept rate-limiting the search .*, 4 times"):
        client(clock, max_limit_waits=3).request("GET", SEARCH, what="the search")
    assert len(mock.calls) == 4


def test_the_adapters_hook_sees_each_reply_first(mock, clock) -> None:
    limited = {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]}
    mock.post(SEARCH, json=limited, headers={"Retry-After": "5"})
    mock.post(SEARCH, status=504, body="<html>Gateway Timeout</html>")

    class Smaller(Exception):
        pass

    def inspect(reply: Reply) -> Again | None:
        if isinstance(reply.data, dict) and reply.data.get("errors"):
            return Again("GraphQL rate limit", rate_limit=True)
        if reply.status == 504:
            raise Smaller
        return None

    with pytest.raises(Smaller):
        client(clock).request("POST", SEARCH, what="a page", inspect=inspect)
    assert clock.waits == [5.0]


def graphql_limit(reply: api.Reply) -> api.Again | None:
    """The docs/plugins.md example: a GraphQL rate limit in a 200, its reset in seconds in a
    header the generic rules do not read."""
    errors = reply.data.get("errors") if isinstance(reply.data, dict) else None
    if errors and any(e.get("type") == "RATE_LIMITED" for e in errors):
        reset = reply.headers.get("RateLimit-Reset")
        return api.Again("GraphQL rate limit", rate_limit=True, wait=float(reset or 60))
    return None


LIMITED = {"data": None, "errors": [{"type": "RATE_LIMITED", "message": "rate limit exceeded"}]}


def test_an_announced_wait_is_waited_exactly_instead_of_the_backoff(mock, clock) -> None:
    mock.post(SEARCH, json=LIMITED, headers={"RateLimit-Reset": "37"})
    mock.post(SEARCH, json={"data": {"ok": True}})
    http = client(clock)
    reply = http.request("POST", SEARCH, what="a page", inspect=graphql_limit)
    assert reply.data == {"data": {"ok": True}}
    assert clock.waits == [37.0]  # not limit_wait's 1 s, and no jitter: the tracker said 37
    assert http.context.stats.waited_seconds == 37.0


def test_an_announced_wait_past_max_wait_reports_the_trackers_reset_time(mock, clock) -> None:
    mock.post(SEARCH, json=LIMITED, headers={"RateLimit-Reset": "1800"})
    with pytest.raises(api.SourceError) as err:
        client(clock, max_wait=600).request("POST", SEARCH, what="a page", inspect=graphql_limit)
    assert "it resets at 2027-01-15 08:30:00 UTC" in str(err.value)  # START + 1800 s
    assert "wait 1800 s more, past max_wait = 600 s" in str(err.value)
    assert clock.waits == [] and len(mock.calls) == 1


def test_a_transient_failure_with_an_announced_wait_waits_that(mock, clock) -> None:
    mock.post(SEARCH, json={"errors": [{"type": "TIMEOUT"}]})
    mock.post(SEARCH, json={"data": {}})

    def busy(reply: api.Reply) -> api.Again | None:
        errors = reply.data.get("errors") if isinstance(reply.data, dict) else None
        return api.Again("GraphQL timed out", wait=12.5) if errors else None

    client(clock).request("POST", SEARCH, what="a page", inspect=busy)
    assert clock.waits == [12.5]
    checked: api.Inspect = busy  # the public type of the hook
    assert checked is busy


def test_progress_says_what_is_waited_for(mock, clock) -> None:
    mock.get(SEARCH, status=429, headers={"Retry-After": "3"})
    mock.get(SEARCH, json={})
    progress: list[str] = []
    client(clock, progress).request("GET", SEARCH, what="the search")
    assert progress == ["t: waiting 3 s (Tracker rate limit on the search)"]


def test_secrets_never_appear_in_errors_tracebacks_or_progress(mock, clock) -> None:
    remember_secret(SECRET)
    mock.get(SEARCH, status=500, json={"message": f"bad header: token {SECRET}"})
    mock.get(SEARCH, body=requests.ConnectionError(f"refused https://u:{SECRET}@tracker.example"))
    progress: list[str] = []
    http = client(clock, progress, max_retries=1)
    with pytest.raises(SourceError) as err:
        http.request("GET", SEARCH, what="the search")
    shown = "".join(traceback.format_exception(err.value)) + "".join(progress) + repr(http)
    assert SECRET not in shown
    assert "cannot reach Tracker at https://tracker.example: the connection failed" in shown
    assert "bad header: token ***" in "".join(progress)


def test_waits_read_the_clock_of_the_context_not_the_machine(mock, clock) -> None:
    """A reset an hour after the faked start is an hour away, whatever the real time is."""
    reset = datetime.fromtimestamp(START, UTC) + timedelta(hours=1)
    mock.get(SEARCH, status=429, headers={"X-RateLimit-Reset": reset.isoformat()})
    mock.get(SEARCH, json={})
    client(clock, max_wait=7200).request("GET", SEARCH, what="the search")
    assert clock.waits == [3600.0]
