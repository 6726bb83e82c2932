"""A small fake Jira (Cloud or Data Center) on 127.0.0.1, for end-to-end tests and benchmarks.

It serves, from an in-memory list of :class:`IssueSpec`, the endpoints the
leadkit-jira adapter uses, in the shapes Jira sends them (REST v2):

- ``/rest/api/2/serverInfo``, ``/field``, ``/myself``, ``/status``
- Cloud: ``/rest/api/{2,3}/search/jql`` (GET or POST, ``nextPageToken``, ``isLast``,
  no ``total``); the old ``/search`` answers 410 Gone, as Cloud does.
- Data Center: ``/rest/api/2/search`` (GET or POST, ``startAt``/``maxResults``/``total``);
  ``/search/jql`` answers 404.
- ``POST /rest/api/3/changelog/bulkfetch`` (Cloud; up to 1,000 issues' changelogs,
  oldest first, paged by ``nextPageToken``),
- ``/rest/api/{2,3}/issue/{key}/changelog`` (Cloud; oldest first, paged),
  ``/rest/api/2/issue/{key}`` (with ``expand=changelog``, the whole changelog),
  ``/rest/api/2/issue/{key}/comment`` (paged).
- ``PUT /rest/api/2/issue/{key}/assignee`` (``accountId`` on Cloud, ``name`` on Data
  Center): 204, the issue's assignee changes and :attr:`FakeJira.assigned` records it.

The search embeds at most ``embed_changelog`` histories (newest first) and
``embed_comments`` comments, like Jira, so truncation paths run for real. The
JQL understood is what leadkit sends: ``project in (...)``, ``updated >=
"YYYY-MM-DD HH:MM"`` and ``created >= "YYYY-MM-DD HH:MM"`` (read as UTC) and
``key in (...)``; anything else is
ignored. Every request is recorded (:attr:`FakeJira.calls`); ``latency`` adds
a delay per request; :meth:`FakeJira.fail_next` queues error answers (429 with
Retry-After, 503, 500...). Issue JSON is rendered once per issue and cached,
so thousands of generated issues (:func:`generate_issues`) serve quickly.

Usage::

    with FakeJira(issues, users, deployment="Cloud") as jira:
        ... server = jira.url ...
"""

from __future__ import annotations

import base64
import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from leadkit.testing.server import FastHandler, LocalServer

DEFAULT_STATUSES: dict[str, tuple[str, str]] = {
    "To Do": ("1", "new"),
    "Backlog": ("10000", "new"),
    "In Progress": ("3", "indeterminate"),
    "In Review": ("10001", "indeterminate"),
    "Testing": ("10002", "indeterminate"),
    "Done": ("10003", "done"),
}
"""Status name -> (id, statusCategory key)."""

GONE_MESSAGE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."
)
UNBOUNDED_MESSAGE = (
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
)
ISSUE_TYPES = {
    "Bug": "10004",
    "Story": "10001",
    "Task": "10002",
    "Epic": "10000",
    "Sub-task": "10003",
}


@dataclass
class _Failure:
    """A queued error answer (:meth:`FakeJira.fail_next`)."""

    status: int
    headers: dict[str, str]
    body: Any
    method: str
    after: int


def jira_time(moment: datetime) -> str:
    """A datetime the way Jira writes it: ``2026-11-20T09:15:00.000+0000``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


@dataclass(frozen=True)
class FakeUser:
    """A Jira user: ``account_id`` on Cloud; ``name`` (and ``key``) on Data Center."""

    account_id: str
    display_name: str
    email: str | None = None
    name: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class HistorySpec:
    """One changelog entry: who, when, and (field, from id, from text, to id, to text) items."""

    at: datetime
    author: str | None
    items: tuple[tuple[str, str | None, str | None, str | None, str | None], ...]


@dataclass(frozen=True)
class CommentSpec:
    at: datetime
    author: str | None
    body: str


@dataclass(frozen=True)
class FakeVersion:
    """A project version, as a fix version of an issue (``releaseDate`` a ``YYYY-MM-DD`` day)."""

    id: str
    name: str
    release_date: str | None = None
    released: bool = False
    archived: bool = False


@dataclass
class IssueSpec:
    """One issue. People are user ids (``FakeUser.account_id``); links are (kind, key) with
    kind ``blocks``, ``is-blocked-by``, ``relates``, ``duplicates`` or ``clones``."""

    key: str
    summary: str
    created: datetime
    updated: datetime | None = None
    type: str = "Task"
    status: str = "To Do"
    assignee: str | None = None
    reporter: str | None = None
    resolved: datetime | None = None
    labels: Sequence[str] = ()
    components: Sequence[str] = ()
    parent: str | None = None
    links: Sequence[tuple[str, str]] = ()
    histories: Sequence[HistorySpec] = ()
    comments: Sequence[CommentSpec] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)
    due: str | None = None
    """The ``duedate`` field: a ``YYYY-MM-DD`` day, as Jira sends it."""
    fix_versions: Sequence[FakeVersion] = ()

    @property
    def project(self) -> str:
        return self.key.rsplit("-", 1)[0]

    @property
    def last_updated(self) -> datetime:
        return self.updated or self.created


def status_change(at: datetime, by: str | None, old: str | None, new: str) -> HistorySpec:
    """A changelog entry moving an issue from status ``old`` to ``new``."""
    old_id = DEFAULT_STATUSES.get(old or "", (None,))[0] if old else None
    new_id = DEFAULT_STATUSES.get(new, ("99999",))[0]
    return HistorySpec(at, by, (("status", old_id, old, new_id, new),))


def assignee_change(
    at: datetime, by: str | None, old: FakeUser | None, new: FakeUser | None
) -> HistorySpec:
    """A changelog entry reassigning an issue (ids in from/to, names in the strings)."""
    return HistorySpec(
        at,
        by,
        (
            (
                "assignee",
                old.account_id if old else None,
                old.display_name if old else None,
                new.account_id if new else None,
                new.display_name if new else None,
            ),
        ),
    )


_LINK_TYPES = {
    "blocks": ("Blocks", "is blocked by", "blocks", "outwardIssue"),
    "is-blocked-by": ("Blocks", "is blocked by", "blocks", "inwardIssue"),
    "relates": ("Relates", "relates to", "relates to", "outwardIssue"),
    "duplicates": ("Duplicate", "is duplicated by", "duplicates", "outwardIssue"),
    "clones": ("Cloners", "is cloned by", "clones", "outwardIssue"),
}


class FakeJira(LocalServer):
    """The fake server; a context manager that starts and stops it on 127.0.0.1."""

    def __init__(
        self,
        issues: Iterable[IssueSpec] = (),
        users: Iterable[FakeUser] = (),
        *,
        deployment: str = "Cloud",
        embed_changelog: int = 100,
        embed_comments: int = 20,
        max_results_cap: int = 100,
        latency: float = 0.0,
        credentials: tuple[str | None, str] | None = None,
        statuses: Mapping[str, tuple[str, str]] | None = None,
        custom_fields: Mapping[str, str] | None = None,
    ) -> None:
        self.deployment = deployment
        self.cloud = deployment.lower() == "cloud"
        self.embed_changelog = embed_changelog
        self.embed_comments = embed_comments
        self.max_results_cap = max_results_cap
        self.latency = latency
        self.credentials = credentials
        self.statuses = dict(statuses or DEFAULT_STATUSES)
        self.custom_fields = dict(custom_fields or {})
        self.users = {u.account_id: u for u in users}
        self.issues: list[IssueSpec] = []
        self._by_key: dict[str, IssueSpec] = {}
        self._ids: dict[str, str] = {}
        """Each issue's id, unique across projects (as Jira's are)."""
        self._rendered: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        self.calls: list[tuple[str, str]] = []
        self.assigned: list[tuple[str, dict[str, Any]]] = []
        """Every assignee change served: ``(issue key, JSON body)``."""
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self.add(issues)

    # -- data ---------------------------------------------------------------------

    def add(self, issues: Iterable[IssueSpec]) -> None:
        """Add or replace issues (kept in creation order, as leadkit's JQL asks)."""
        with self._lock:
            for issue in issues:
                self._by_key[issue.key] = issue
                self._ids.setdefault(issue.key, str(10001 + len(self._ids)))
                self._rendered.pop(issue.key, None)
            self.issues = sorted(
                self._by_key.values(), key=lambda i: (i.created, i.project, _number(i.key))
            )

    def fail_next(
        self,
        status: int,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        *,
        method: str = "",
        after: int = 0,
    ) -> None:
        """Answer the next request (with ``method``, any when empty) with this error instead.

        ``after`` lets that many such requests through first (to stop a run mid-way).
        Queue several for a storm."""
        with self._lock:
            self._failures.append(_Failure(status, dict(headers or {}), body, method, after))

    def count(self, fragment: str = "") -> int:
        """Requests whose path contains ``fragment`` (all requests when empty)."""
        with self._lock:
            return sum(1 for _, path in self.calls if fragment in path)

    def counts(self) -> Counter[str]:
        """Requests per endpoint kind (search, changelog, comment, issue, other)."""
        kinds: Counter[str] = Counter()
        with self._lock:
            for _, path in self.calls:
                kinds[_kind(path)] += 1
        return kinds

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- lifecycle (start, stop, context manager: leadkit.testing.server.LocalServer) ----------

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_Handler,), {"fake": self})

    @property
    def url(self) -> str:
        return self.server_url

    # -- rendering ----------------------------------------------------------------

    def user_json(self, user_id: str | None) -> dict[str, Any] | None:
        if user_id is None:
            return None
        user = self.users.get(user_id) or FakeUser(user_id, user_id)
        out: dict[str, Any] = {"displayName": user.display_name, "active": True}
        if self.cloud:
            out["accountId"] = user.account_id
            out["accountType"] = "atlassian"
        else:
            out["name"] = user.name or user.account_id
            out["key"] = user.key or user.name or user.account_id
        if user.email:
            out["emailAddress"] = user.email
        return out

    def status_json(self, name: str) -> dict[str, Any]:
        status_id, category = self.statuses.get(name, ("99999", "indeterminate"))
        return {
            "id": status_id,
            "name": name,
            "statusCategory": {"id": 2, "key": category, "name": category.title()},
        }

    def _user_ref(self, user_id: str | None) -> str | None:
        """How a changelog from/to names a user: accountId (Cloud) or user key (DC)."""
        if user_id is None:
            return None
        user = self.users.get(user_id)
        if self.cloud or user is None:
            return user_id
        return user.key or user.name or user_id

    def _render(self, spec: IssueSpec) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        cached = self._rendered.get(spec.key)
        if cached is not None:
            return cached
        links = []
        for i, (kind, other) in enumerate(spec.links):
            name, inward, outward, side = _LINK_TYPES[kind]
            links.append(
                {
                    "id": str(10000 + i),
                    "type": {"id": "1000", "name": name, "inward": inward, "outward": outward},
                    side: {"key": other, "fields": {"summary": f"summary of {other}"}},
                }
            )
        fields: dict[str, Any] = {
            "summary": spec.summary,
            "issuetype": {"id": ISSUE_TYPES.get(spec.type, "10999"), "name": spec.type},
            "status": self.status_json(spec.status),
            "assignee": self.user_json(spec.assignee),
            "reporter": self.user_json(spec.reporter),
            "created": jira_time(spec.created),
            "updated": jira_time(spec.last_updated),
            "resolutiondate": jira_time(spec.resolved) if spec.resolved else None,
            "labels": list(spec.labels),
            "components": [{"id": str(i), "name": c} for i, c in enumerate(spec.components)],
            "issuelinks": links,
            "comment": None,  # filled per request (embedding is truncated)
            "duedate": spec.due,
            "fixVersions": [self.version_json(v) for v in spec.fix_versions],
        }
        if spec.parent:
            fields["parent"] = {"key": spec.parent, "fields": {"summary": spec.parent}}
        fields.update(spec.custom)
        histories = []
        for i, h in enumerate(sorted(spec.histories, key=lambda h: h.at)):
            histories.append(
                {
                    "id": str(i + 1),
                    "author": self.user_json(h.author),
                    "created": jira_time(h.at),
                    "items": [
                        {
                            "field": f,
                            "fieldtype": "jira",
                            "fieldId": f,
                            "from": self._user_ref(fr) if f == "assignee" else fr,
                            "fromString": frs,
                            "to": self._user_ref(to) if f == "assignee" else to,
                            "toString": tos,
                        }
                        for f, fr, frs, to, tos in h.items
                    ],
                }
            )
        self._rendered[spec.key] = (fields, histories)
        return fields, histories

    def version_json(self, version: FakeVersion) -> dict[str, Any]:
        """A fix version as REST v2 embeds it (``releaseDate`` only when one is set)."""
        out: dict[str, Any] = {
            "self": f"{self.url}/rest/api/2/version/{version.id}",
            "id": version.id,
            "description": "",
            "name": version.name,
            "archived": version.archived,
            "released": version.released,
        }
        if version.release_date:
            out["releaseDate"] = version.release_date
        return out

    def comment_json(self, spec: IssueSpec, index: int, comment: CommentSpec) -> dict[str, Any]:
        return {
            "id": str(10000 + index),
            "author": self.user_json(comment.author),
            "body": comment.body,
            "created": jira_time(comment.at),
            "updated": jira_time(comment.at),
        }

    def issue_json(
        self,
        spec: IssueSpec,
        wanted: set[str] | None,
        expand_changelog: bool,
        *,
        full: bool = False,
    ) -> dict[str, Any]:
        fields, histories = self._render(spec)
        comments = sorted(spec.comments, key=lambda c: c.at)
        embedded = comments if full else comments[: self.embed_comments]
        all_fields = dict(fields)
        all_fields["comment"] = {
            "comments": [self.comment_json(spec, i, c) for i, c in enumerate(embedded)],
            "maxResults": len(embedded),
            "total": len(comments),
            "startAt": 0,
        }
        if wanted is not None and "*all" not in wanted:
            all_fields = {k: v for k, v in all_fields.items() if k in wanted}
        out: dict[str, Any] = {
            "id": self._ids[spec.key],
            "key": spec.key,
            "self": f"/rest/api/2/issue/{spec.key}",
            "fields": all_fields,
        }
        if expand_changelog:
            newest = list(reversed(histories))
            shown = newest if full else newest[: self.embed_changelog]
            out["changelog"] = {
                "startAt": 0,
                "maxResults": len(shown),
                "total": len(histories),
                "histories": shown,
            }
        return out

    def search(self, jql: str) -> list[IssueSpec]:
        """The issues a JQL selects (the subset of JQL leadkit writes)."""
        issues = self.issues
        match = re.search(r"project\s+in\s*\(([^)]*)\)", jql, re.IGNORECASE)
        if match:
            projects = {p.strip().strip('"') for p in match.group(1).split(",")}
            issues = [i for i in issues if i.project in projects]
        match = re.search(r"key\s+in\s*\(([^)]*)\)", jql, re.IGNORECASE)
        if match:
            keys = {p.strip().strip('"') for p in match.group(1).split(",")}
            issues = [i for i in issues if i.key in keys]
        match = re.search(r'updated\s*>=\s*"(\d{4}-\d\d-\d\d \d\d:\d\d)"', jql, re.IGNORECASE)
        if match:
            bound = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
            with_open = re.search(r"OR\s+statusCategory\s*!=\s*Done", jql, re.IGNORECASE)
            issues = [
                i
                for i in issues
                if i.last_updated >= bound or (with_open and self.category(i.status) != "done")
            ]
        match = re.search(r'created\s*>=\s*"(\d{4}-\d\d-\d\d \d\d:\d\d)"', jql, re.IGNORECASE)
        if match:
            bound = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
            issues = [i for i in issues if i.created >= bound]
        return issues

    def category(self, status: str) -> str:
        """The status category key (new, indeterminate, done) of a status name."""
        return self.statuses.get(status, ("99999", "indeterminate"))[1]


def _number(key: str) -> int:
    tail = key.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _kind(path: str) -> str:
    if "/search" in path:
        return "search"
    if path.endswith("/changelog/bulkfetch"):
        return "bulkfetch"
    if path.endswith("/changelog"):
        return "changelog"
    if path.endswith("/comment"):
        return "comment"
    if "/issue/" in path:
        return "issue"
    return path.rsplit("/", 1)[-1]


def _encode_token(offset: int, jql: str) -> str:
    raw = json.dumps([offset, jql]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_token(token: str) -> tuple[int, str] | None:
    try:
        offset, jql = json.loads(base64.urlsafe_b64decode(token.encode()))
        return int(offset), str(jql)
    except Exception:
        return None


class _Handler(FastHandler):
    fake: FakeJira

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    # -- helpers ------------------------------------------------------------------

    def _send(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, *messages: str) -> None:
        self._send(status, {"errorMessages": list(messages), "errors": {}})

    def _authorized(self) -> bool:
        expected = self.fake.credentials
        if expected is None:
            return True
        email, token = expected
        header = self.headers.get("Authorization", "")
        if email is None:
            return header == f"Bearer {token}"
        basic = base64.b64encode(f"{email}:{token}".encode()).decode()
        return header == f"Basic {basic}"

    def _handle(self, method: str) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        with fake._lock:
            fake.calls.append((method, path))
            failure = next((f for f in fake._failures if f.method in ("", method)), None)
            if failure is not None and failure.after > 0:
                failure.after -= 1
                failure = None
            elif failure is not None:
                fake._failures.remove(failure)
        if fake.latency:
            time.sleep(fake.latency)
        if failure is not None:
            status, headers, body = failure.status, failure.headers, failure.body
            payload = body if body is not None else {"errorMessages": [f"HTTP {status}"]}
            self._send(status, payload, headers)
            return
        if not self._authorized():
            self._error(
                401, "You are not authenticated. Authentication required to perform this operation."
            )
            return
        try:
            body = json.loads(raw_body) if raw_body else {}
        except ValueError:
            self._error(
                400, "Invalid request payload. Refer to the REST API documentation and try again."
            )
            return
        params: dict[str, Any] = {**query, **(body if isinstance(body, dict) else {})}
        route = re.sub(r"^/rest/api/[23]", "", path)
        if route == "/serverInfo":
            self._send(
                200,
                {
                    "baseUrl": fake.url,
                    "version": "1001.0.0-SNAPSHOT" if fake.cloud else "9.12.2",
                    "versionNumbers": [1001, 0, 0] if fake.cloud else [9, 12, 2],
                    "deploymentType": "Cloud" if fake.cloud else "Server",
                    "serverTitle": "Fake Jira",
                },
            )
        elif route == "/myself":
            self._send(200, {"accountId": "me", "displayName": "Me", "timeZone": "UTC"})
        elif route == "/field":
            fields = [{"id": k, "name": k, "custom": False} for k in ("summary", "status")]
            fields += [
                {"id": fid, "name": name, "custom": True}
                for name, fid in fake.custom_fields.items()
            ]
            self._send(200, fields)
        elif route == "/status":
            self._send(200, [fake.status_json(name) for name in fake.statuses])
        elif route == "/changelog/bulkfetch" and method == "POST":
            if not fake.cloud:
                self._error(404, f"null for uri: {path}")
            else:
                self._bulk_changelogs(body if isinstance(body, dict) else {})
        elif route == "/search/jql":
            if not fake.cloud:
                self._error(404, "null for uri: /rest/api/2/search/jql")
            else:
                self._cloud_search(params)
        elif route == "/search":
            if fake.cloud:
                self._error(
                    410,
                    GONE_MESSAGE,
                )
            else:
                self._dc_search(params)
        elif method == "PUT" and (
            m := re.fullmatch(r"/issue/([A-Z][A-Z0-9_]*-\d+)/assignee", route)
        ):
            self._assign(m.group(1), body if isinstance(body, dict) else {})
        elif m := re.fullmatch(r"/issue/([A-Z][A-Z0-9_]*-\d+)(/changelog|/comment)?", route):
            self._issue(m.group(1), m.group(2), params)
        else:
            self._error(404, f"null for uri: {path}")

    def _wanted(self, params: Mapping[str, Any]) -> tuple[set[str] | None, bool]:
        fields = params.get("fields")
        if isinstance(fields, str):
            fields = [f.strip() for f in fields.split(",")]
        expand = params.get("expand") or ""
        if isinstance(expand, list):
            expand = ",".join(expand)
        wanted = set(fields) if fields else None
        return wanted, "changelog" in str(expand)

    def _max(self, params: Mapping[str, Any], default: int = 50) -> int:
        try:
            asked = int(params.get("maxResults", default))
        except (TypeError, ValueError):
            asked = default
        return max(0, min(asked, self.fake.max_results_cap))

    def _cloud_search(self, params: Mapping[str, Any]) -> None:
        fake = self.fake
        jql = str(params.get("jql") or "")
        if "updated" not in jql and "key in" not in jql.lower():
            self._error(
                400,
                UNBOUNDED_MESSAGE,
            )
            return
        if "bad jql" in jql.lower():
            self._error(400, "Error in the JQL Query: Expecting operator but got 'jql'.")
            return
        offset = 0
        token = params.get("nextPageToken")
        if token:
            decoded = _decode_token(str(token))
            if decoded is None or decoded[1] != jql:
                self._error(400, "The provided next page token is invalid or expired.")
                return
            offset = decoded[0]
        wanted, changelog = self._wanted(params)
        size = self._max(params)
        with fake._lock:
            found = fake.search(jql)
            page = found[offset : offset + size]
            issues = [fake.issue_json(i, wanted, changelog) for i in page]
        last = offset + size >= len(found)
        self._send(
            200,
            {
                "issues": issues,
                "isLast": last,
                **({} if last else {"nextPageToken": _encode_token(offset + size, jql)}),
            },
        )

    def _dc_search(self, params: Mapping[str, Any]) -> None:
        fake = self.fake
        jql = str(params.get("jql") or "")
        if "bad jql" in jql.lower():
            self._error(400, "Error in the JQL Query: Expecting operator but got 'jql'.")
            return
        start = int(params.get("startAt") or 0)
        size = self._max(params)
        wanted, changelog = self._wanted(params)
        with fake._lock:
            found = fake.search(jql)
            issues = [fake.issue_json(i, wanted, changelog) for i in found[start : start + size]]
        self._send(
            200, {"startAt": start, "maxResults": size, "total": len(found), "issues": issues}
        )

    def _assign(self, key: str, body: dict[str, Any]) -> None:
        fake = self.fake
        who = body.get("accountId") if fake.cloud else body.get("name")
        spec = fake._by_key.get(key)
        if spec is None:
            self._error(404, "Issue does not exist or you do not have permission to see it.")
            return
        if not isinstance(who, str) or who not in fake.users:
            self._error(400, f"User '{who}' cannot be assigned issues.")
            return
        with fake._lock:
            spec.assignee = who
            fake._rendered.pop(key, None)
            fake.assigned.append((key, dict(body)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _bulk_changelogs(self, body: Mapping[str, Any]) -> None:
        """``POST /rest/api/3/changelog/bulkfetch``: every changelog entry of up to 1,000 issues.

        Entries come oldest first (issue id breaking ties), ``maxResults`` a page
        (default 1,000), grouped per issue as ``issueChangeLogs``; ``nextPageToken``
        is absent on the last page. Unknown issues are left out.
        """
        fake = self.fake
        refs = body.get("issueIdsOrKeys")
        if not isinstance(refs, list) or not 1 <= len(refs) <= 1000:
            self._error(400, "issueIdsOrKeys: size must be between 1 and 1000")
            return
        size = min(max(int(body.get("maxResults") or 1000), 1), 10000)
        token = body.get("nextPageToken")
        decoded = _decode_token(str(token)) if token else (0, "bulk")
        if decoded is None:
            self._error(400, "Invalid nextPageToken")
            return
        offset = decoded[0]
        entries: list[tuple[str, int, dict[str, Any]]] = []
        with fake._lock:
            by_id = {issue_id: key for key, issue_id in fake._ids.items()}
            for ref in dict.fromkeys(str(r) for r in refs):
                spec = fake._by_key.get(by_id.get(ref, ref))
                if spec is None:
                    continue
                issue_id = int(fake._ids[spec.key])
                entries += [(h["created"], issue_id, h) for h in fake._render(spec)[1]]
        entries.sort(key=lambda e: (e[0], e[1]))
        page = entries[offset : offset + size]
        logs: list[dict[str, Any]] = []
        for _created, issue_id, history in page:
            if not logs or logs[-1]["issueId"] != str(issue_id):
                logs.append({"issueId": str(issue_id), "changeHistories": []})
            logs[-1]["changeHistories"].append(history)
        reply: dict[str, Any] = {"issueChangeLogs": logs}
        if offset + size < len(entries):
            reply["nextPageToken"] = _encode_token(offset + size, "bulk")
        self._send(200, reply)

    def _issue(self, key: str, sub: str | None, params: Mapping[str, Any]) -> None:
        fake = self.fake
        spec = fake._by_key.get(key)
        if spec is None:
            self._error(404, "Issue does not exist or you do not have permission to see it.")
            return
        start = int(params.get("startAt") or 0)
        size = self._max(params)
        with fake._lock:
            _fields, histories = fake._render(spec)
            if sub == "/changelog":
                if not fake.cloud:
                    self._error(404, f"null for uri: /rest/api/2/issue/{key}/changelog")
                    return
                values = histories[start : start + size]
                body: Any = {
                    "startAt": start,
                    "maxResults": size,
                    "total": len(histories),
                    "isLast": start + size >= len(histories),
                    "values": values,
                }
            elif sub == "/comment":
                comments = sorted(spec.comments, key=lambda c: c.at)
                body = {
                    "startAt": start,
                    "maxResults": size,
                    "total": len(comments),
                    "comments": [
                        fake.comment_json(spec, start + i, c)
                        for i, c in enumerate(comments[start : start + size])
                    ],
                }
            else:
                wanted, changelog = self._wanted(params)
                body = fake.issue_json(spec, wanted, changelog, full=True)
        self._send(200, body)


def generate_issues(
    n: int,
    *,
    project: str = "BENCH",
    people: int = 8,
    seed: int = 0,
    now: datetime | None = None,
    days: int = 90,
    histories: int = 4,
    comments: int = 2,
) -> tuple[list[IssueSpec], list[FakeUser]]:
    """``n`` plausible issues and their users, deterministic for a ``seed`` (for benchmarks)."""
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    users = [
        FakeUser(f"acc-{i:03d}", f"Person {i}", f"person{i}@example.com", name=f"person{i}")
        for i in range(people)
    ]
    flow = ["To Do", "In Progress", "In Review", "Testing", "Done"]
    types = ["Story", "Bug", "Task", "Task", "Sub-task", "Epic"]
    issues = []
    for number in range(1, n + 1):
        created = now - timedelta(days=days) + timedelta(minutes=rng.randrange(days * 24 * 60))
        assignee = rng.choice(users)
        steps = rng.randrange(0, min(histories, len(flow) - 1) + 1)
        at = created
        history = []
        for step in range(steps):
            at = at + timedelta(hours=rng.randrange(1, 72))
            history.append(status_change(at, assignee.account_id, flow[step], flow[step + 1]))
        comment_specs = [
            CommentSpec(
                at + timedelta(hours=i + 1),
                rng.choice(users).account_id,
                f"Could you look at this, [~accountid:{assignee.account_id}]?"
                if i % 2
                else "Done.",
            )
            for i in range(rng.randrange(0, comments + 1))
        ]
        last = max([at, *(c.at for c in comment_specs)])
        links: list[tuple[str, str]] = []
        if number > 1 and rng.random() < 0.1:
            links.append(("blocks", f"{project}-{rng.randrange(1, number)}"))
        issues.append(
            IssueSpec(
                key=f"{project}-{number}",
                summary=f"Generated issue {number}",
                created=created,
                updated=min(last, now),
                type=rng.choice(types),
                status=flow[steps],
                assignee=assignee.account_id,
                reporter=rng.choice(users).account_id,
                resolved=at if steps == len(flow) - 1 else None,
                labels=rng.sample(
                    ["backend", "frontend", "pipeline", "ops"], k=rng.randrange(0, 3)
                ),
                components=[rng.choice(["api", "ingest", "ui"])],
                links=links,
                histories=history,
                comments=comment_specs,
            )
        )
    return issues, users
