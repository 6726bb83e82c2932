"""The ``jira`` source: searches Jira Cloud or Data Center and yields one Dataset per page.

Requests, in order: ``/serverInfo`` only when the deployment is neither
configured nor evident from the host (``*.atlassian.net`` is Cloud); one search
per page (Cloud: ``POST /rest/api/2/search/jql`` with ``nextPageToken``; Data
Center: ``POST /rest/api/2/search`` with ``startAt``), with the changelog
expanded and only the fields leadkit reads; then, only when the search
truncated them, the missing changelog entries (Cloud: one ``POST
/rest/api/3/changelog/bulkfetch`` for all of a page's truncated issues, paged by
``nextPageToken``; Data Center: each truncated issue read once) and, per issue,
the missing comment pages; and
``/rest/api/2/status`` at most once, only when a changelog names a status no
issue has shown yet. A sync with nothing new costs one request.

An interrupted sync carries on (``resumable``): each page tells the store the
creation time of its last issue, and the next sync searches from that minute
(``created >=``, in the same creation order) rather than from page 1. A
``nextPageToken`` or a ``startAt`` is not kept: a token may not outlive the
run, and an offset moves as issues are created.

REST v2 rather than v3 on Cloud: v2 returns comment bodies as wiki text, in
which questions and ``[~accountid:...]`` mentions are plain to read; v3 would
send Atlassian Document Format trees (which the normalizer also reads).
Searches are POSTs so that a long JQL and field list never hit URL limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from leadkit.api import (
    CollectContext,
    DataError,
    Dataset,
    Page,
    SourceAdapter,
    SourceConfig,
    Window,
    select,
)
from leadkit_jira.client import JiraClient
from leadkit_jira.jql import build_jql
from leadkit_jira.normalize import Malformed, Normalizer, parse_time
from leadkit_jira.settings import DECLARED, JiraSettings, read_credentials, read_settings
from leadkit_jira.writes import JiraWrites

BASE_FIELDS = (
    "summary",
    "issuetype",
    "status",
    "assignee",
    "reporter",
    "created",
    "updated",
    "resolutiondate",
    "labels",
    "components",
    "parent",
    "issuelinks",
    "comment",
    "duedate",
    "fixVersions",
)
COMMENT_PAGE = 100
BULK_ISSUES = 1000
"""Issues per ``changelog/bulkfetch`` call (Jira Cloud's maximum)."""
BULK_HISTORIES = 1000
"""Changelog entries per ``changelog/bulkfetch`` page (Jira Cloud's default)."""
STREAM = "search"
"""The one stream a Jira source resumes (:attr:`Page.resume`): its JQL search."""


class JiraSource(SourceAdapter):
    """Jira Cloud or Data Center issues, with status and assignee history, links and comments."""

    type = "jira"
    description = "Jira Cloud or Data Center issues (JQL), with changelogs, links and comments"
    resumable = True
    declared_options = DECLARED

    def __init__(self, source: SourceConfig, context: CollectContext) -> None:
        super().__init__(source, context)
        self.settings: JiraSettings = read_settings(source)
        self._email, self._token = read_credentials(self.settings, source, context.environ)
        self._client: JiraClient | None = None
        self._cloud: bool | None = {"cloud": True, "datacenter": False}.get(
            self.settings.deployment
        )
        if self._cloud is None and self.settings.host_is_cloud:
            self._cloud = True

    def __repr__(self) -> str:
        return f"<JiraSource {self.source.name!r} {self.settings.server}>"

    # -- plumbing ------------------------------------------------------------------

    @property
    def client(self) -> JiraClient:
        """The HTTP client, made on first use (so ``__init__`` stays offline)."""
        if self._client is None:
            self._client = JiraClient(
                source_name=self.source.name,
                server=self.settings.server,
                email=self._email,
                token=self._token,
                credential_variables=self.settings.credential_variables,
                context=self.context,
                timeout=self.settings.timeout,
                max_retries=self.settings.max_retries,
                max_wait=self.settings.max_wait,
            )
        return self._client

    def is_cloud(self) -> bool:
        """Cloud or Data Center: from config, the host name, or ``/serverInfo`` (one request)."""
        if self._cloud is None:
            info = self.client.get("/rest/api/2/serverInfo", what="server info")
            if not isinstance(info, dict):
                raise DataError(f"source '{self.source.name}': Jira's serverInfo is not an object")
            self._cloud = str(info.get("deploymentType") or "").lower() == "cloud"
        return self._cloud

    def ticket_writer(self) -> JiraWrites:
        """Reassigning this site's issues, for ``leadkit apply`` (see ``leadkit.pr.code_hosts``)."""
        return JiraWrites(self.client, self.is_cloud)

    def search_fields(self) -> list[str]:
        """Only the fields leadkit reads (Cloud returns just ids unless asked)."""
        return [*BASE_FIELDS, *dict.fromkeys(self.settings.fields.values())]

    # -- the adapter contract ------------------------------------------------------

    def check_online(self, window: Window) -> list[str]:
        """The account the credentials run as (``/myself``) and whether the source's JQL is
        accepted (a search for one issue without fields): two small reads, no write."""
        me = self.client.get("/rest/api/2/myself", what="account check (/myself)")
        me = me if isinstance(me, dict) else {}
        who = me.get("displayName") or me.get("name") or "?"
        account = me.get("accountId") or me.get("name") or me.get("key")
        jql = build_jql(self.settings, select(window, None))
        if self.is_cloud():
            body = {"jql": jql, "maxResults": 1, "fields": ["key"]}
            page = self.client.post("/rest/api/2/search/jql", body, what="JQL check")
            found = "some issues match" if (page or {}).get("issues") else "no issue matches yet"
        else:
            params = {"jql": jql, "maxResults": 0}
            page = self.client.get("/rest/api/2/search", params, what="JQL check")
            found = f"{(page or {}).get('total', '?')} issues match"
        return [
            f"runs as {who} ({account}) on {self.settings.server}",
            f"JQL accepted, {found} in the window: {jql}",
        ]

    def pages(
        self,
        window: Window,
        *,
        updated_since: datetime | None = None,
        resume: dict[str, Any] | None = None,
    ) -> Iterator[Dataset]:
        """One :class:`Page` per search page, issues complete with history and comments.

        ``resume`` is the state the last stored page of an interrupted sync
        carried (the creation time of its last issue): the search carries on
        from that minute instead of from page 1.
        """
        created_from = _resume_time((resume or {}).get(STREAM))
        jql = build_jql(self.settings, select(window, updated_since), created_from)
        cloud = self.is_cloud()
        normalizer = Normalizer(
            source=self.source.name,
            server=self.settings.server,
            cloud=cloud,
            type_map=self.settings.type_map,
            blocks_link_types=self.settings.blocks_link_types,
            custom_fields=self.settings.fields,
        )
        try:
            yield from self._pages(window, jql, cloud, normalizer, created_from)
        finally:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _pages(
        self,
        window: Window,
        jql: str,
        cloud: bool,
        normalizer: Normalizer,
        created_from: datetime | None,
    ) -> Iterator[Page]:
        search = self._cloud_search(jql) if cloud else self._datacenter_search(jql)
        seen = 0
        for number, issues in enumerate(search, start=1):
            self._complete_changelogs(issues, cloud)
            for issue in issues:
                self._complete_comments(issue)
            normalizer.learn_issues(issues)
            if not normalizer.status_list_loaded and normalizer.unknown_statuses(issues):
                normalizer.learn_status_list(
                    self.client.get("/rest/api/2/status", what="status list")
                )
            items = [normalizer.work_item(issue, i) for i, issue in enumerate(issues)]
            seen += len(items)
            self.context.stats.add(items=len(items))
            self.context.progress(f"{self.source.name}: {seen} issues ({number} pages)")
            # Issues come in creation order: once this page is stored, none created
            # before its last one is left to read.
            created_from = max([created_from, *(i.created for i in items)], key=_or_oldest)
            yield Page(
                window=window,
                people=normalizer.take_people(),
                work_items=items,
                sources=[self.source.name],
                resume={STREAM: {"created": created_from.isoformat()}} if created_from else {},
            )

    # -- searching -----------------------------------------------------------------

    def _issues(self, page: Any, number: int) -> list[Any]:
        issues = page.get("issues") if isinstance(page, dict) else None
        if not isinstance(issues, list):
            raise DataError(
                f"source '{self.source.name}': Jira's search page {number} has no issue list"
            )
        return issues

    def _cloud_search(self, jql: str) -> Iterator[list[Any]]:
        """``/search/jql`` pages, following ``nextPageToken`` until it is null or ``isLast``."""
        token: str | None = None
        number = 0
        while True:
            number += 1
            body: dict[str, Any] = {
                "jql": jql,
                "maxResults": self.settings.page_size,
                "fields": self.search_fields(),
                "expand": "changelog",
            }
            if token:
                body["nextPageToken"] = token
            page = self.client.post("/rest/api/2/search/jql", body, what=f"search page {number}")
            yield self._issues(page, number)
            next_token = page.get("nextPageToken")
            if not next_token or page.get("isLast") is True:
                return
            if next_token == token:
                raise DataError(
                    f"source '{self.source.name}': Jira returned the same nextPageToken twice "
                    f"(search page {number})"
                )
            token = str(next_token)

    def _datacenter_search(self, jql: str) -> Iterator[list[Any]]:
        """``/search`` pages by ``startAt``, advancing by what came back (servers cap pages)."""
        start = 0
        number = 0
        while True:
            number += 1
            body = {
                "jql": jql,
                "startAt": start,
                "maxResults": self.settings.page_size,
                "fields": self.search_fields(),
                "expand": ["changelog"],
            }
            page = self.client.post("/rest/api/2/search", body, what=f"search page {number}")
            issues = self._issues(page, number)
            yield issues
            total = page.get("total")
            start += len(issues)
            if not issues or not isinstance(total, int) or start >= total:
                return

    # -- completing truncated issues -----------------------------------------------

    def _complete_changelogs(self, issues: list[Any], cloud: bool) -> None:
        """Fetch the changelog entries the search truncated (it embeds the newest only).

        Cloud reads them for the whole page in one ``POST /rest/api/3/changelog/bulkfetch``
        (up to :data:`BULK_ISSUES` issues a call, paged by ``nextPageToken``); Data
        Center, which has no such endpoint, reads each truncated issue once.
        """
        truncated = [issue for issue in issues if _truncated(issue)]
        if not truncated:
            return
        if cloud:
            fetched = self._bulk_changelogs(truncated)
            for issue in truncated:
                _merge_histories(issue, fetched.get(str(issue.get("id")), []))
            return
        for issue in truncated:
            _merge_histories(issue, self._datacenter_changelog(issue["key"]))

    def _complete_comments(self, issue: Any) -> None:
        """Fetch the comments the search truncated."""
        if not isinstance(issue, dict) or not isinstance(issue.get("key"), str):
            return  # the normalizer reports it, naming what it can
        fields = issue.get("fields")
        comment = fields.get("comment") if isinstance(fields, dict) else None
        if isinstance(comment, dict) and isinstance(comment.get("comments"), list):
            total = comment.get("total")
            if isinstance(total, int) and total > len(comment["comments"]):
                comment["comments"] = comment["comments"] + self._more_comments(
                    issue["key"], len(comment["comments"]), total
                )

    def _bulk_changelogs(self, issues: list[dict[str, Any]]) -> dict[str, list[Any]]:
        """Every changelog entry of ``issues``, by issue id, from Cloud's bulk endpoint."""
        out: dict[str, list[Any]] = {}
        keys = [str(issue["key"]) for issue in issues]
        for start in range(0, len(keys), BULK_ISSUES):
            chunk = keys[start : start + BULK_ISSUES]
            what = f"changelogs of {chunk[0]}" + (
                f" and {len(chunk) - 1} more" if chunk[1:] else ""
            )
            token: str | None = None
            while True:
                body: dict[str, Any] = {"issueIdsOrKeys": chunk, "maxResults": BULK_HISTORIES}
                if token:
                    body["nextPageToken"] = token
                page = self.client.post("/rest/api/3/changelog/bulkfetch", body, what=what)
                logs = page.get("issueChangeLogs") if isinstance(page, dict) else None
                if not isinstance(logs, list):
                    raise DataError(
                        f"source '{self.source.name}': Jira's bulk changelog page for {what} "
                        "has no issueChangeLogs"
                    )
                for log in logs:
                    histories = log.get("changeHistories") if isinstance(log, dict) else None
                    if isinstance(histories, list):
                        out.setdefault(str(log.get("issueId")), []).extend(
                            _jira_created(h) for h in histories
                        )
                next_token = page.get("nextPageToken")
                if not next_token or next_token == token:
                    break
                token = str(next_token)
        return out

    def _datacenter_changelog(self, key: str) -> list[Any]:
        """Data Center has no changelog paging; the issue itself expands its whole changelog."""
        issue = self.client.get(
            f"/rest/api/2/issue/{key}",
            {"fields": "created", "expand": "changelog"},
            what=f"changelog of {key}",
        )
        changelog = issue.get("changelog") if isinstance(issue, dict) else None
        histories = changelog.get("histories") if isinstance(changelog, dict) else None
        if not isinstance(histories, list):
            raise DataError(
                f"source '{self.source.name}': Jira issue {key}: no changelog came back"
            )
        return histories

    def _more_comments(self, key: str, start: int, total: int) -> list[Any]:
        """Comments past those the search embedded."""
        return self._offset_pages(
            f"/rest/api/2/issue/{key}/comment", "comments", start, total, COMMENT_PAGE,
            label="comment", key=key, what=f"comments of {key}",
        )  # fmt: skip

    def _offset_pages(
        self,
        path: str,
        field: str,
        start: int,
        stop: int,
        size: int,
        *,
        label: str,
        key: str,
        what: str,
    ) -> list[Any]:
        """The ``field`` lists of ``startAt`` pages from ``start`` until ``stop`` or the last page."""
        out: list[Any] = []
        while start < stop:
            page = self.client.get(path, {"startAt": start, "maxResults": size}, what=what)
            values = page.get(field) if isinstance(page, dict) else None
            if not isinstance(values, list):
                raise DataError(
                    f"source '{self.source.name}': Jira issue {key}: {label} page has no {field}"
                )
            out.extend(values)
            start += len(values)
            if not values or page.get("isLast") is True:
                break
        return out


def _or_oldest(moment: datetime | None) -> datetime:
    return moment or datetime.min.replace(tzinfo=UTC)


def _resume_time(state: Any) -> datetime | None:
    """The creation time a stored page's resume state carries on from (None: page 1)."""
    created = state.get("created") if isinstance(state, dict) else None
    try:
        return parse_time(created, "resume state")
    except Malformed:
        return None  # not a state this version wrote: start again from page 1


def _truncated(issue: Any) -> bool:
    """Whether the search embedded fewer changelog entries than the issue has."""
    if not isinstance(issue, dict) or not isinstance(issue.get("key"), str):
        return False  # the normalizer reports it, naming what it can
    changelog = issue.get("changelog")
    if not isinstance(changelog, dict) or not isinstance(changelog.get("histories"), list):
        return False
    total = changelog.get("total")
    return isinstance(total, int) and total > len(changelog["histories"])


def _merge_histories(issue: dict[str, Any], fetched: list[Any]) -> None:
    """The fetched entries, oldest first, then the embedded ones not among them (by id)."""
    changelog = issue["changelog"]
    merged = {str(h.get("id")): h for h in fetched if isinstance(h, dict)}
    for history in changelog["histories"]:
        if isinstance(history, dict):
            merged.setdefault(str(history.get("id")), history)
    changelog["histories"] = list(merged.values())


def _jira_created(history: Any) -> Any:
    """A bulk changelog entry with ``created`` as Jira writes dates elsewhere.

    The bulk endpoint's schema says a date-time string, but Atlassian's own
    example sends epoch seconds: both are read.
    """
    created = history.get("created") if isinstance(history, dict) else None
    if isinstance(created, int | float) and not isinstance(created, bool):
        seconds = created / 1000 if created > 10**11 else created  # milliseconds, or seconds
        moment = datetime.fromtimestamp(seconds, UTC)
        text = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"
        return {**history, "created": text}
    return history
