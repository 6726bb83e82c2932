"""The adapter against mocked HTTP (``responses``): paging, completion, counts, faults.

Jira Cloud ``/search/jql`` pages, multi-page ``/changelog`` envelopes and 429
answers have no public recording: those are built from Atlassian's OpenAPI
document (SearchAndReconcileResults, PageBeanChangelog) and api-notes.md, and
the tests say "built" in their names. Issue records inside them are recorded
ones where the test says "recorded".
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
from responses import matchers

from leadkit.errors import DataError, LeadkitError, SourceError
from leadkit.model.data import merge_datasets

CLOUD_SEARCH = "https://acme.atlassian.net/rest/api/2/search/jql"
DC_SEARCH = "https://jira.acme.example/rest/api/2/search"


def bodies(path: str) -> list[dict]:
    return [json.loads(c.request.body) for c in responses.calls if c.request.url.startswith(path)]


def cloud_page(issues, token=None):
    """A built SearchAndReconcileResults page: no total; nextPageToken null on the last page."""
    body = {"issues": issues, "isLast": token is None}
    if token:
        body["nextPageToken"] = token
    return body


# -- paging and request counts ------------------------------------------------------


@responses.activate
def test_cloud_token_pagination_built_pages(make_source, window, jp):
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1"), jp.issue("PIPE-2")], "t2"))
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-3")], "t3"))
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-4")]))
    source = make_source(page_size=2, fields={"story_points": "customfield_10016"})
    pages = list(source.pages(window))

    assert [len(p.work_items) for p in pages] == [2, 1, 1]
    assert all(p.sources == ["jira"] for p in pages)
    sent = bodies(CLOUD_SEARCH)
    assert [b.get("nextPageToken") for b in sent] == [None, "t2", "t3"]
    assert sent[0]["maxResults"] == 2
    assert sent[0]["expand"] == "changelog"
    assert "customfield_10016" in sent[0]["fields"] and "description" not in sent[0]["fields"]
    assert sent[0]["jql"].startswith('project in ("PIPE") AND (updated >= ')
    assert source.context.stats.requests == 3
    assert source.context.stats.items == 4
    data = merge_datasets(window, pages)
    assert {p.id for p in data.people} == {"jira:acc-jamie", "jira:acc-owen"}


@responses.activate
def test_cloud_stops_on_is_last_even_with_a_token(make_source, window, jp):
    responses.post(
        CLOUD_SEARCH, json={"issues": [jp.issue("PIPE-1")], "isLast": True, "nextPageToken": "x"}
    )
    assert len(list(make_source().pages(window))) == 1
    assert len(responses.calls) == 1


@responses.activate
def test_datacenter_offset_pagination_advances_by_what_came_back(make_source, window, jp):
    """Built /rest/api/2/search pages; the server caps maxResults at 2 although 100 were asked."""
    keys = [f"PIPE-{n}" for n in range(1, 6)]
    for start in (0, 2, 4):
        chunk = [jp.issue(k) for k in keys[start : start + 2]]
        responses.post(
            DC_SEARCH,
            json={"startAt": start, "maxResults": 2, "total": 5, "issues": chunk},
            match=[matchers.json_params_matcher({"startAt": start}, strict_match=False)],
        )
    source = make_source(
        server="https://jira.acme.example",
        deployment="datacenter",
        environ={"JIRA_TOKEN": "pat-abcdef"},
    )
    items = [i.key for page in source.pages(window) for i in page.work_items]
    assert items == keys
    assert [b["startAt"] for b in bodies(DC_SEARCH)] == [0, 2, 4]
    assert bodies(DC_SEARCH)[0]["expand"] == ["changelog"]
    assert responses.calls[0].request.headers["Authorization"] == "Bearer pat-abcdef"
    assert source.context.stats.requests == 3


@responses.activate
def test_auto_deployment_reads_server_info_once(make_source, window, jp):
    responses.get(
        "https://jira.acme.example/rest/api/2/serverInfo",
        json={"deploymentType": "Server", "version": "9.12.2"},
    )
    responses.post(
        DC_SEARCH,
        json={"startAt": 0, "maxResults": 100, "total": 1, "issues": [jp.issue("PIPE-1")]},
    )
    source = make_source(server="https://jira.acme.example", deployment="auto")
    (page,) = source.pages(window)
    assert page.work_items[0].key == "PIPE-1"
    assert source.context.stats.requests == 2


@responses.activate
@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_incremental_sync_with_nothing_new_costs_one_request(make_source, window, deployment):
    if deployment == "cloud":
        responses.post(CLOUD_SEARCH, json=cloud_page([]))
    else:
        responses.post(DC_SEARCH, json={"startAt": 0, "maxResults": 100, "total": 0, "issues": []})
    server = "https://acme.atlassian.net" if deployment == "cloud" else "https://jira.acme.example"
    source = make_source(server=server, deployment=deployment, timezone="UTC")
    mark = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)
    pages = list(source.pages(window, updated_since=mark))
    assert sum(len(p.work_items) for p in pages) == 0
    assert source.context.stats.requests == 1
    (body,) = [json.loads(c.request.body) for c in responses.calls]
    assert 'updated >= "2026-11-22 18:28"' in body["jql"]  # the mark minus a small overlap


BULK = "https://acme.atlassian.net/rest/api/3/changelog/bulkfetch"


@responses.activate
def test_truncated_changelogs_come_in_one_bulk_fetch_recorded_values_built_envelope(
    make_source, window, jp
):
    """Issue 13491's 79 recorded histories: the search embeds the newest 20; the page's
    truncated changelogs come from /changelog/bulkfetch, oldest first, in built
    BulkChangelogResponseBean pages of 50 entries joined by nextPageToken."""
    records = jp.devlake_rows("jira__raw_jira_api_issue_changelogs.13491.csv")
    records.sort(key=lambda h: (h["created"], int(h["id"])))
    assert len(records) == 79
    newest_first = list(reversed(records))
    issue = jp.issue("PIPE-13", histories=newest_first[:20], changelog_total=79)
    other = jp.issue("PIPE-15", histories=newest_first[:1], changelog_total=2)
    jamie = jp.user("acc-jamie", "Jamie")
    moved = jp.status_item("To Do", "In Progress")
    other_missing = jp.history("900001", jp.NOW - timedelta(days=3), jamie, moved)
    pages = [
        {
            "issueChangeLogs": [
                {"issueId": other["id"], "changeHistories": [other_missing]},
                {"issueId": issue["id"], "changeHistories": records[:49]},
            ],
            "nextPageToken": "UxAQBFRF",
        },
        {"issueChangeLogs": [{"issueId": issue["id"], "changeHistories": records[49:]}]},
    ]
    responses.post(CLOUD_SEARCH, json=cloud_page([issue, jp.issue("PIPE-14"), other]))
    for token, page in zip((None, "UxAQBFRF"), pages, strict=True):
        wanted = {"issueIdsOrKeys": ["PIPE-13", "PIPE-15"], "maxResults": 1000}
        if token:
            wanted["nextPageToken"] = token
        responses.post(BULK, json=page, match=[matchers.json_params_matcher(wanted)])
    responses.get("https://acme.atlassian.net/rest/api/2/status", json=[])
    source = make_source()
    (page,) = source.pages(window)
    item = page.work_items[0]
    status_changes = [
        (h["created"], it["toString"])
        for h in records
        for it in h["items"]
        if it.get("fieldId") == "status" or it.get("field") == "status"
    ]
    # the one status change is the 4th oldest history: only the bulk fetch has it
    assert status_changes == [("2021-01-29T15:58:12.493+0800", "Closed")]
    (transition,) = item.transitions
    assert (transition.to_status, transition.from_status) == ("Closed", "Open")
    assert transition.at == datetime(2021, 1, 29, 7, 58, 12, 493000, tzinfo=UTC)
    (moved_on,) = next(i for i in page.work_items if i.key == "PIPE-15").transitions
    assert moved_on.to_status == "In Progress"  # PIPE-15's missing entry, from the same call
    # one search, two bulk pages for both truncated issues (PIPE-14 was whole), and the
    # status list once, since the recorded statuses were never seen; no per-issue reads
    assert source.context.stats.requests == 4
    assert not any("/issue/" in c.request.url for c in responses.calls)


@responses.activate
def test_bulk_changelog_dates_in_epoch_seconds_as_atlassians_example_built(make_source, window, jp):
    jamie = jp.user("acc-jamie", "Jamie")
    at = jp.NOW - timedelta(days=5)
    old = jp.history("1", at, jamie, jp.status_item("To Do", "In Progress"))
    new = jp.history("2", at + timedelta(days=1), jamie, jp.status_item("In Progress", "Done"))
    issue = jp.issue("PIPE-2", histories=[new], changelog_total=2)
    responses.post(CLOUD_SEARCH, json=cloud_page([issue]))
    sent = {**old, "created": int(at.timestamp())}  # Atlassian's example: "created":1492070429
    responses.post(
        BULK, json={"issueChangeLogs": [{"issueId": issue["id"], "changeHistories": [sent]}]}
    )
    responses.get("https://acme.atlassian.net/rest/api/2/status", json=[])
    (page,) = make_source().pages(window)
    first, second = page.work_items[0].transitions
    assert (first.at, first.to_status) == (at, "In Progress")
    assert second.to_status == "Done"


@responses.activate
def test_truncated_changelog_on_datacenter_reads_the_issue_once(make_source, window, jp):
    jamie = jp.user("acc-jamie", "Jamie")
    full = [
        jp.history(str(n), jp.NOW - timedelta(days=10 - n), jamie, jp.status_item("A", "B"))
        for n in range(5)
    ]
    responses.post(
        DC_SEARCH,
        json={
            "startAt": 0,
            "maxResults": 100,
            "total": 1,
            "issues": [jp.issue("PIPE-1", histories=full[-2:], changelog_total=5)],
        },
    )
    responses.get(
        "https://jira.acme.example/rest/api/2/issue/PIPE-1",
        json={"key": "PIPE-1", "changelog": {"startAt": 0, "total": 5, "histories": full}},
    )
    source = make_source(server="https://jira.acme.example", deployment="datacenter")
    (page,) = source.pages(window)
    assert len(page.work_items[0].transitions) == 5
    assert source.context.stats.requests == 2


@responses.activate
def test_truncated_comments_fetch_the_rest_recorded_comments(make_source, window, jp):
    """Recorded comments (atlassian-python-api FOO-123); the second page's envelope is built."""
    recorded = jp.atlassian_response("rest_api_2_issue_FOO-123_comment_GET.py.txt")["comments"]
    issue = jp.issue("PIPE-5", comments=recorded[:1], comment_total=2)
    responses.post(CLOUD_SEARCH, json=cloud_page([issue]))
    responses.get(
        "https://acme.atlassian.net/rest/api/2/issue/PIPE-5/comment",
        json={"startAt": 1, "maxResults": 100, "total": 2, "comments": recorded[1:]},
        match=[matchers.query_param_matcher({"startAt": "1", "maxResults": "100"})],
    )
    source = make_source()
    (page,) = source.pages(window)
    assert len(page.work_items[0].comments) == 2
    assert source.context.stats.requests == 2


@responses.activate
def test_status_list_is_read_once_and_only_when_a_status_is_unknown(make_source, window, jp):
    jamie = jp.user("acc-jamie", "Jamie")
    parked = jp.history("1", jp.NOW, jamie, jp.status_item("In Progress", "Parked", "3", "777"))
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1")], "t2"))
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-2", histories=[parked])], "t3"))
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-3", histories=[parked])]))
    responses.get(
        "https://acme.atlassian.net/rest/api/2/status",
        json=[{"id": "777", "name": "Parked", "statusCategory": {"key": "new"}}],
    )
    source = make_source()
    pages = list(source.pages(window))
    assert pages[1].work_items[0].transitions[0].to_category == "todo"
    assert sum(c.request.url.endswith("/status") for c in responses.calls) == 1
    assert source.context.stats.requests == 4


@responses.activate
def test_every_request_has_a_timeout(make_source, window, jp):
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1")]))
    list(make_source(timeout=12).pages(window))
    assert responses.calls[0].request.req_kwargs["timeout"] == (10.0, 12.0)


# -- rate limits and retries ---------------------------------------------------------


@responses.activate
def test_429_with_retry_after_built_response_time_faked(make_source, window, clock, jp):
    responses.post(
        CLOUD_SEARCH,
        status=429,
        headers={"Retry-After": "7"},
        json={"errorMessages": ["Rate limit exceeded."]},
    )
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1")]))
    source = make_source()
    (page,) = source.pages(window)
    assert page.work_items
    assert clock.sleeps == [7.0]
    stats = source.context.stats
    assert (stats.requests, stats.retries, stats.waited_seconds) == (2, 1, 7.0)


@responses.activate
def test_429_with_x_ratelimit_reset_built_response(make_source, window, clock, jp):
    reset = (datetime.now(UTC) + timedelta(seconds=30)).isoformat().replace("+00:00", "Z")
    responses.post(CLOUD_SEARCH, status=429, headers={"X-RateLimit-Reset": reset})
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1")]))
    list(make_source().pages(window))
    (slept,) = clock.sleeps
    assert 25 < slept <= 30


@responses.activate
def test_429_without_headers_backs_off_with_jitter_built_response(make_source, window, clock, jp):
    for _ in range(3):
        responses.post(CLOUD_SEARCH, status=429)
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1")]))
    list(make_source().pages(window))
    assert len(clock.sleeps) == 3
    for attempt, slept in enumerate(clock.sleeps):  # 1, 2, 4 s, each up to 10 % longer
        assert 2**attempt <= slept <= 1.1 * 2**attempt


@responses.activate
def test_503_honours_retry_after(make_source, window, clock, jp):
    responses.post(CLOUD_SEARCH, status=503, headers={"Retry-After": "2"}, body="busy")
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1")]))
    list(make_source().pages(window))
    assert clock.sleeps == [2.0]


@responses.activate
def test_rate_limit_wait_past_max_wait_fails_without_sleeping(make_source, window, clock):
    responses.post(CLOUD_SEARCH, status=429, headers={"Retry-After": "600"})
    source = make_source(max_wait=120)
    with pytest.raises(SourceError, match=r"wait 600 s more, past max_wait = 120 s"):
        list(source.pages(window))
    assert clock.sleeps == []


@responses.activate
def test_total_wait_is_bounded_across_requests(make_source, window, clock):
    for _ in range(5):
        responses.post(CLOUD_SEARCH, status=429, headers={"Retry-After": "40"})
    with pytest.raises(SourceError, match="max_wait"):
        list(make_source(max_wait=100).pages(window))
    assert clock.sleeps == [40.0, 40.0]


@responses.activate
def test_5xx_is_retried_a_bounded_number_of_times(make_source, window, clock):
    responses.post(CLOUD_SEARCH, status=502, body="<html>Bad gateway</html>")
    source = make_source(max_retries=2)
    with pytest.raises(SourceError) as info:
        list(source.pages(window))
    assert "HTTP 502" in str(info.value) and "3 attempts" in str(info.value)
    assert source.context.stats.requests == 3
    assert len(clock.sleeps) == 2


@responses.activate
def test_connection_errors_are_retried_then_reported(make_source, window, clock, jp):
    responses.post(CLOUD_SEARCH, body=requests.ConnectionError("connection refused"))
    responses.post(CLOUD_SEARCH, json=cloud_page([jp.issue("PIPE-1")]))
    source = make_source()
    assert len(list(source.pages(window))) == 1
    assert source.context.stats.retries == 1

    responses.reset()
    responses.post(CLOUD_SEARCH, body=requests.ConnectTimeout("timed out"))
    with pytest.raises(SourceError, match=r"cannot reach Jira .*timed out.*, 2 attempts"):
        list(make_source(max_retries=1).pages(window))


# -- errors the user can act on -----------------------------------------------------


@responses.activate
def test_401_names_the_credential_variables(make_source, window):
    responses.post(CLOUD_SEARCH, status=401, body="Unauthorized")
    with pytest.raises(SourceError) as info:
        list(make_source().pages(window))
    assert str(info.value) == (
        "source 'jira': Jira rejected the credentials in JIRA_EMAIL / JIRA_TOKEN "
        "(HTTP 401 on the search page 1)"
    )
    assert info.value.exit_code == 2


@responses.activate
def test_403_names_the_variable_and_jiras_reason(make_source, window):
    responses.post(
        "https://jira.acme.example/rest/api/2/search",
        status=403,
        headers={"X-Authentication-Denied-Reason": "CAPTCHA_CHALLENGE; login-url=/login.jsp"},
    )
    source = make_source(
        server="https://jira.acme.example",
        deployment="datacenter",
        token_env="JIRA_PAT",
        environ={"JIRA_PAT": "pat-abcdef"},
    )
    with pytest.raises(SourceError, match=r"credentials in JIRA_PAT \(HTTP 403: CAPTCHA_CHALLENGE"):
        list(source.pages(window))


@responses.activate
def test_jql_400_shows_jiras_own_messages(make_source, window):
    responses.post(
        CLOUD_SEARCH,
        status=400,
        json={
            "errorMessages": ["Error in the JQL Query: Expecting operator but got 'lables'."],
            "errors": {},
        },
    )
    with pytest.raises(SourceError) as info:
        list(make_source(projects=[], jql="lables = x").pages(window))
    assert str(info.value) == (
        "source 'jira': Jira rejected the search page 1: "
        "Error in the JQL Query: Expecting operator but got 'lables'."
    )


@responses.activate
def test_old_search_endpoint_gone_suggests_cloud(make_source, window):
    responses.post("https://acme.atlassian.net/rest/api/2/search", status=410)
    with pytest.raises(SourceError, match='set deployment = "cloud"'):
        list(make_source(deployment="datacenter").pages(window))


@responses.activate
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ({"json": {"values": []}}, "search page 1 has no issue list"),
        ({"json": ["not", "a", "page"]}, "search page 1 has no issue list"),
        ({"json": {"issues": [{"key": "PIPE-9", "fields": 7}]}}, "Jira issue PIPE-9 is malformed"),
    ],
)
def test_malformed_bodies_give_a_data_error(make_source, window, reply, expected):
    responses.post(CLOUD_SEARCH, **reply)
    with pytest.raises(DataError) as info:
        list(make_source().pages(window))
    assert expected in str(info.value)


@responses.activate
def test_a_maintenance_page_instead_of_json_is_retried_then_reported(make_source, window, clock):
    responses.post(CLOUD_SEARCH, body="<html>maintenance</html>")
    source = make_source(max_retries=2)
    with pytest.raises(SourceError) as info:
        list(source.pages(window))
    assert "Jira sent a reply that is not JSON (HTTP 200) for the search page 1, 3 attempts" in (
        str(info.value)
    )
    assert source.context.stats.requests == 3 and len(clock.sleeps) == 2


@responses.activate
def test_malformed_bulk_changelog_page_names_the_issues(make_source, window, jp):
    issues = [jp.issue(f"PIPE-{n}", changelog_total=150) for n in (3, 4)]
    responses.post(CLOUD_SEARCH, json=cloud_page(issues))
    responses.post(BULK, json={"oops": 1})
    with pytest.raises(DataError, match="changelogs of PIPE-3 and 1 more has no issueChangeLogs"):
        list(make_source().pages(window))


@responses.activate
def test_credentials_never_appear_in_errors_logs_or_tracebacks(make_source, window, caplog):
    token = "tok-3f9c1d2e7a8b"
    responses.post(CLOUD_SEARCH, status=401, json={"errorMessages": [f"bad token {token}"]})
    source = make_source()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(LeadkitError) as info:
        list(source.pages(window))
    shown = "".join(traceback.format_exception(info.value))
    shown += repr(source) + repr(source.client.session.auth) + caplog.text + str(info.value)

    responses.reset()
    responses.post(CLOUD_SEARCH, status=400, json={"errorMessages": [f"echo {token}"]})
    with pytest.raises(SourceError) as info:
        list(source.pages(window))
    shown += "".join(traceback.format_exception(info.value))
    assert "***" in str(info.value)  # Jira echoing the token is masked too

    responses.reset()
    responses.post(CLOUD_SEARCH, body=requests.ConnectionError(f"refused {token}"))
    with pytest.raises(SourceError) as info:
        list(make_source(max_retries=0).pages(window))
    shown += "".join(traceback.format_exception(info.value)) + caplog.text
    assert token not in shown
    assert "bGVhZEBhY21lLmV4YW1wbGU6dG9r" not in shown  # base64 of the basic-auth pair
