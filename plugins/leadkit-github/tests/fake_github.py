"""A small fake GitHub on 127.0.0.1: GraphQL from in-memory specs, plus a few REST lists.

It answers *any* GraphQL query over the part of GitHub's schema leadkit reads,
by walking the query document (graphql-core's parser, no schema needed) over
plain dicts: fields, aliases, variables, fragments, inline fragments and
``@include``/``@skip``; lists become connections honouring ``first``/``last``,
``after``, ``states``, ``orderBy: UPDATED_AT``, ``itemTypes`` and
``filterBy.since``. REST: ``/orgs/{o}/repos``, ``/users/{u}/repos`` and
``/orgs/{o}/teams/{slug}/members`` with ``Link`` pagination. GHES prefixes
(``/api/v3``, ``/api/graphql``) are accepted too.

Issues, for ``--publish github-issue``: ``GET /repos/{o}/{r}/issues`` (``state``,
``Link`` pagination), ``POST`` to create (as :attr:`FakeGitHub.poster`) and
``PATCH .../issues/{n}`` to edit; :meth:`FakeGitHub.add_issue` seeds one as
someone else. Writes, for ``leadkit comment`` / ``apply``: ``GET /user`` (``viewer``; None
answers 403 like an app token), ``GET /repos/{o}/{r}/pulls/{n}``, issue
comments (list with ``Link`` pagination, create, edit; :attr:`FakeGitHub.comments`)
with their authors and edit history (GraphQL ``node(id:)`` on an
``IssueComment``: ``userContentEdits`` newest first, the first edit also
recording the body as posted; :meth:`FakeGitHub.edit_comment` edits as someone
else). ``app="name"`` models an app's installation token: ``GET /user`` 403,
GraphQL ``viewer`` the ``Bot`` "name", posts by ``name[bot]``, and
``GET /installation/repositories`` answers.
``POST``/``DELETE .../pulls/{n}/requested_reviewers`` (recorded as timeline
events on the pull, so the next GraphQL read sees them) and
``POST``/``DELETE .../issues/{n}/assignees``. :attr:`FakeGitHub.writes` lists
every write with its JSON body.

Use::

    with FakeGitHub([FakeRepo("acme/api", pulls=[FakePull(1, ...)])], token="t") as gh:
        gh.url          # base URL for base_url / GITHUB_API_URL
        gh.requests     # every request served, with its operation and variables

``latency`` (seconds per request) and scripted faults (:meth:`FakeGitHub.fail`)
make it usable for benchmarks and fault tests; :func:`generate_pulls` makes
N realistic PRs quickly.
"""

from __future__ import annotations

import base64
import json
import math
import random
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

from graphql import Undefined, parse
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.utilities import value_from_ast_untyped

from leadkit.testing import AREAS, Member, org, random_ago
from leadkit.testing.server import FastHandler, LocalServer

Time = datetime | str
ACTOR_TYPES = {"User", "Bot", "Mannequin", "Organization"}
TITLE_TOO_LONG = {
    "resource": "Issue",
    "field": "title",
    "code": "custom",
    "message": "title is too long (maximum is 256 characters)",
}
"""What GitHub answers (422) to an issue title over 256 characters."""


def iso(value: Time | None) -> str | None:
    """A datetime (or ISO string) as GitHub prints it: ``2026-01-02T03:04:05Z``."""
    if value is None or isinstance(value, str):
        return value
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- specs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeMilestone:
    """A milestone; ``due_on`` is sent as GitHub sends it (``2026-12-01T08:00:00Z``: the
    day's start in US Pacific time) or None when it has no due date."""

    title: str
    due_on: Time | None = None
    number: int = 1

    def node(self) -> dict[str, Any]:
        return {
            "__typename": "Milestone",
            "number": self.number,
            "title": self.title,
            "dueOn": iso(self.due_on),
            "state": "OPEN",
        }


@dataclass
class FakePull:
    """A pull request. ``requests``: ``(kind, reviewer, at, actor)`` with kind
    ``"requested"``/``"removed"`` and reviewer a login or ``"org/slug"`` team."""

    number: int
    title: str
    author: str
    created: Time
    updated: Time
    state: str = "OPEN"
    merged: Time | None = None
    closed: Time | None = None
    draft: bool = False
    branch: str = "feature"
    body: str = ""
    files: list[str] = field(default_factory=list)
    reviews: list[tuple[str, str, Time]] = field(default_factory=list)
    comments: list[tuple[str, Time, str]] = field(default_factory=list)
    threads: list[list[tuple[str, Time, str]]] = field(default_factory=list)
    requests: list[tuple[str, str, Time, str]] = field(default_factory=list)
    last_commit: Time | None = None
    closes: list[tuple[str, int]] = field(default_factory=list)
    milestone: FakeMilestone | None = None


@dataclass
class FakeIssue:
    """An issue. ``events``: ``(kind, at, actor, assignee)`` with kind closed,
    reopened, assigned or unassigned."""

    number: int
    title: str
    author: str
    created: Time
    updated: Time
    state: str = "OPEN"
    closed: Time | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    body: str = ""
    comments: list[tuple[str, Time, str]] = field(default_factory=list)
    events: list[tuple[str, Time, str, str | None]] = field(default_factory=list)
    milestone: FakeMilestone | None = None


@dataclass
class FakeRepo:
    full_name: str
    pulls: list[FakePull] = field(default_factory=list)
    issues: list[FakeIssue] = field(default_factory=list)
    archived: bool = False
    files: dict[str, str | None] = field(default_factory=dict)
    """Text files on the default branch by path (``.github/CODEOWNERS``), for ``object``;
    None: the token may not read it (a FORBIDDEN error on the field)."""


@dataclass
class Fault:
    """A scripted reply for the next ``times`` requests whose path contains ``path``."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    path: str = ""
    times: int = 1
    method: str = ""
    """Only requests with this HTTP method (any when empty)."""
    repo: str = ""
    """Only GraphQL requests for this ``owner/name`` (any when empty)."""
    after: int = 0
    """Let this many matching requests through first (to fail a run mid-way)."""


@dataclass
class Served:
    """One request the fake answered."""

    method: str
    path: str
    status: int
    operation: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    query: str | None = None
    cost: int = 0
    """GraphQL points charged (:func:`query_cost`); 0 for REST."""

    @property
    def reads(self) -> set[str]:
        """What a GraphQL query reads of the repository (its response keys: the streams)."""
        if not self.query:
            return set()
        ops = [d for d in parse(self.query).definitions if isinstance(d, OperationDefinitionNode)]
        for sel in ops[0].selection_set.selections:
            if isinstance(sel, FieldNode) and sel.name.value == "repository" and sel.selection_set:
                fields = [f for f in sel.selection_set.selections if isinstance(f, FieldNode)]
                return {(f.alias or f.name).value for f in fields}
        return set()


# -- the server --------------------------------------------------------------------------


class FakeGitHub(LocalServer):
    """The fake server; a context manager that starts and stops it."""

    def __init__(
        self,
        repos: Iterable[FakeRepo] = (),
        *,
        users: dict[str, tuple[str | None, str | None]] | None = None,
        teams: dict[str, list[str] | None] | None = None,
        token: str | None = None,
        latency: float = 0.0,
        owners: dict[str, str] | None = None,
        viewer: str | None = "leadkit-bot",
        app: str | None = None,
    ) -> None:
        self.repos = {r.full_name: r for r in repos}
        self.viewer = None if app else viewer
        """The token's login (``GET /user``); None answers 403, as for an app token."""
        self.app = app
        """The app whose installation token this is (its bot posts as ``app[bot]``)."""
        self.edits: dict[int, list[dict[str, Any]]] = {}
        """Each comment's ``userContentEdits`` (GraphQL shape, newest first)."""
        self._posted: dict[int, str] = {}
        self.comments: dict[tuple[str, int], list[dict[str, Any]]] = {}
        """Issue/PR comments by ``(repo, number)``; tests may seed them."""
        self.writes: list[tuple[str, str, Any]] = []
        """Every write served: ``(method, path, JSON body)``."""
        self.now: Time | None = None
        """Time stamped on writes (default: the real time)."""
        self._next_id = 1000
        self.users = users or {}
        self.teams = teams or {}
        """``"org/slug"`` to member logins; None answers 403 (token cannot read it)."""
        self.owners = owners or {}
        """Owner login to ``"Organization"`` or ``"User"`` (default Organization)."""
        self.token = token
        self.latency = latency
        self.requests: list[Served] = []
        self.budget = 5000
        """GraphQL points per hour; ``rateLimit.remaining`` counts down from it."""
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._nodes: dict[str, Any] = {}
        self._repo_cache: dict[str, dict[str, Any]] = {}
        self._docs: dict[str, tuple[OperationDefinitionNode, dict[str, Any]]] = {}
        self.public_url: str | None = None
        """Base URL to print in ``Link`` headers when served through ``responses``."""

    # -- lifecycle (start, stop, context manager: leadkit.testing.server.LocalServer) ----------

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    @property
    def url(self) -> str:
        return self.public_url or self.server_url

    # -- test helpers --------------------------------------------------------------------

    def fail(
        self,
        status: int,
        body: Any = None,
        *,
        path: str = "",
        times: int = 1,
        method: str = "",
        repo: str = "",
        after: int = 0,
        **headers: str,
    ) -> None:
        """Answer the next ``times`` requests whose path has ``path`` (and ``method``) with ``status``.

        Header names use ``_`` for ``-`` (``retry_after="3"``)."""
        hdrs = {k.replace("_", "-"): v for k, v in headers.items()}
        with self._lock:
            self.faults.append(Fault(status, body, hdrs, path, times, method, repo, after))

    def add_comment(self, repo: str, number: int, body: str, author: str) -> dict[str, Any]:
        """Seed a comment on an issue or PR (as someone else posted it)."""
        with self._lock:
            return self._new_comment(repo, number, body, author)

    @property
    def poster(self) -> str:
        """Who the token posts as: its user, the app's bot, or Actions' bot."""
        if self.viewer:
            return self.viewer
        return f"{self.app}[bot]" if self.app else "github-actions[bot]"

    def edit_comment(
        self, comment: dict[str, Any], body: str, editor: str | None, *, recorded: bool = True
    ) -> None:
        """Edit a comment as ``editor`` would in the browser (None: a deleted account).

        ``recorded=False`` changes the body without a new entry in the history
        (an edit GitHub folded into another, so the history does not show it).
        """
        with self._lock:
            comment["body"] = body
            comment["updated_at"] = self._stamp()
            if recorded:
                self._record_edit(comment, body, editor)

    def _record_edit(self, comment: dict[str, Any], body: str, editor: str | None) -> None:
        edits = self.edits.setdefault(comment["id"], [])
        if not edits:  # the first edit also keeps the body as posted
            posted = self._posted.get(comment["id"])
            edits.insert(
                0, self._edit_node(comment["user"]["login"], comment["created_at"], posted)
            )
        edits.insert(0, self._edit_node(editor, self._stamp(), body))

    def _edit_node(self, editor: str | None, at: str, body: str | None) -> dict[str, Any]:
        return {
            "__typename": "UserContentEdit",
            "editedAt": at,
            "createdAt": at,
            "deletedAt": None,
            "editor": self.actor(editor),
            "diff": body,
        }

    def count(self, *, graphql: bool | None = None, operation: str | None = None) -> int:
        """Requests served (optionally only GraphQL / REST / one operation)."""
        with self._lock:
            served = list(self.requests)
        if graphql is not None:
            served = [s for s in served if s.path.endswith("graphql") == graphql]
        if operation is not None:
            served = [s for s in served if s.operation == operation]
        return len(served)

    def points(self) -> int:
        """GraphQL points charged so far (what ``rateLimit.cost`` reported, summed)."""
        with self._lock:
            return sum(s.cost for s in self.requests)

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()

    def invalidate(self) -> None:
        """Forget converted repo data after editing specs."""
        with self._lock:
            self._repo_cache.clear()

    # -- request handling ----------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes):
        """``(status, headers, body)`` for one request."""
        if self.latency:
            time.sleep(self.latency)
        parsed = urlparse(raw_path)
        path = parsed.path
        operation, variables, query = None, {}, None
        if path.endswith("/graphql") and method == "POST":
            try:
                payload = json.loads(body or b"{}")
                variables = payload.get("variables") or {}
                query = payload.get("query")
                operation = _operation_name(query or "")
            except ValueError:
                payload = None
        repo = f"{variables.get('owner')}/{variables.get('name')}" if variables else ""
        fault = self._take_fault(path, method, repo)
        if fault is not None:
            self._record(method, path, fault.status, operation, variables, query)
            return fault.status, fault.headers, fault.body
        if self.token is not None and headers.get("authorization", "").split(" ")[-1] != self.token:
            self._record(method, path, 401, operation, variables, query)
            return 401, {}, {"message": "Bad credentials"}
        if path.endswith("/graphql"):
            cost = 0
            if payload is None:
                status, reply = 400, {"message": "Problems parsing JSON"}
            else:
                cost = self.cost(query or "", variables)
                status, reply = 200, self.graphql(query or "", variables, cost=cost)
            self._record(method, path, status, operation, variables, query, cost)
            return status, _rate_headers("graphql"), reply
        rest_path, query_args = path.removeprefix("/api/v3"), parse_qs(parsed.query)
        if method == "GET":
            status, extra, reply = self._rest(rest_path, query_args)
            self._record(method, path, status)
        else:
            try:
                sent = json.loads(body) if body else None
            except ValueError:
                sent = None
            status, extra, reply = self._write(method, rest_path, sent)
            self._record(method, path, status, var=sent if isinstance(sent, dict) else None)
            if status < 300:
                with self._lock:
                    self.writes.append((method, rest_path, sent))
        return status, {**_rate_headers("core"), **extra}, reply

    def _take_fault(self, path: str, method: str = "GET", repo: str = "") -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method and fault.method != method:
                    continue
                if fault.repo and fault.repo != repo:
                    continue
                if fault.path in path and fault.after > 0:
                    fault.after -= 1
                    continue
                if fault.path in path and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def _record(
        self, method: str, path: str, status: int, op=None, var=None, query=None, cost=0
    ) -> None:
        with self._lock:
            self.requests.append(Served(method, path, status, op, dict(var or {}), query, cost))

    # -- REST ----------------------------------------------------------------------------

    def _rest(self, path: str, query: dict[str, list[str]]):
        per_page = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        parts = path.strip("/").split("/")
        items: list[Any] | None = None
        if parts == ["user"]:
            if self.viewer is None:
                return 403, {}, {"message": "Resource not accessible by integration"}
            return 200, {}, {"login": self.viewer, "type": "User"}
        if parts == ["installation", "repositories"]:
            if self.app is None:
                return 403, {}, {"message": "Resource not accessible by personal access token"}
            names = sorted(self.repos)
            return (
                200,
                {},
                {"total_count": len(names), "repositories": [{"full_name": n} for n in names]},
            )
        if len(parts) == 4 and parts[0] == "repos" and parts[3] == "issues":
            spec = self.repos.get(f"{parts[1]}/{parts[2]}")
            if spec is None:
                return 404, {}, {"message": "Not Found"}
            state = query.get("state", ["open"])[0]
            items = [
                self._issue_json(f"{parts[1]}/{parts[2]}", i)
                for i in sorted(spec.issues, key=lambda i: -i.number)
                if state == "all" or i.state.lower() == state
            ]
        elif len(parts) == 5 and parts[0] == "repos" and parts[3] == "pulls":
            pull = self._find(f"{parts[1]}/{parts[2]}", parts[4], pulls=True)
            if pull is None:
                return 404, {}, {"message": "Not Found"}
            return 200, {}, {"number": pull.number, "title": pull.title, "state": "open"}
        elif len(parts) == 6 and parts[0] == "repos" and parts[5] == "comments":
            repo = f"{parts[1]}/{parts[2]}"
            if self._find(repo, parts[4]) is None:
                return 404, {}, {"message": "Not Found"}
            with self._lock:
                items = list(self.comments.get((repo, int(parts[4])), []))
        elif len(parts) == 3 and parts[0] in ("orgs", "users") and parts[2] == "repos":
            kind = "Organization" if parts[0] == "orgs" else "User"
            known = parts[1] in self.owners or any(
                name.split("/")[0] == parts[1] for name in self.repos
            )
            if not known or self.owners.get(parts[1], "Organization") != kind:
                return 404, {}, {"message": "Not Found"}
            items = [
                {"full_name": name, "name": name.split("/")[1], "archived": repo.archived}
                for name, repo in sorted(self.repos.items())
                if name.split("/")[0] == parts[1]
            ]
        elif (
            len(parts) == 5 and parts[0] == "orgs" and parts[2] == "teams" and parts[4] == "members"
        ):
            team = f"{parts[1]}/{parts[3]}"
            if team not in self.teams:
                return 404, {}, {"message": "Not Found"}
            members = self.teams[team]
            if members is None:
                return 403, {}, {"message": "Must have admin rights to Repository."}
            items = [{"login": login, "type": "User"} for login in members]
        if items is None:
            return 404, {}, {"message": "Not Found"}
        chunk = items[(page - 1) * per_page : page * per_page]
        extra = {}
        if page * per_page < len(items):
            nxt = f"{self.url}{path}?per_page={per_page}&page={page + 1}"
            extra["Link"] = f'<{nxt}>; rel="next"'
        return 200, extra, chunk

    def _find(self, repo: str, number: str, *, pulls: bool = False) -> Any:
        """The FakePull (or, unless ``pulls``, FakeIssue) ``number`` of ``repo``."""
        spec = self.repos.get(repo)
        if spec is None or not number.isdigit():
            return None
        for item in [*spec.pulls, *([] if pulls else spec.issues)]:
            if item.number == int(number):
                return item
        return None

    def _stamp(self) -> str:
        return iso(self.now or datetime.now(UTC).replace(microsecond=0)) or ""

    def _new_comment(self, repo: str, number: int, body: str, author: str) -> dict[str, Any]:
        self._next_id += 1
        at = self._stamp()
        node_id = f"IC_fake{self._next_id}"
        comment = {
            "id": self._next_id,
            "node_id": node_id,
            "body": body,
            "user": {"login": author, "type": "Bot" if author.endswith("[bot]") else "User"},
            "created_at": at,
            "updated_at": at,
            "html_url": f"https://github.com/{repo}/pull/{number}#issuecomment-{self._next_id}",
        }
        self.comments.setdefault((repo, number), []).append(comment)
        self._nodes[node_id] = {
            "__typename": "IssueComment",
            "id": node_id,
            "author": self.actor(author),
            "userContentEdits": self.edits.setdefault(comment["id"], []),
        }
        self._posted[comment["id"]] = body
        return comment

    def _issue_json(self, repo: str, i: FakeIssue) -> dict[str, Any]:
        """An issue as REST lists it (``user.login`` is who opened it)."""
        return {
            "number": i.number,
            "title": i.title,
            "body": i.body,
            "state": i.state.lower(),
            "user": {"login": i.author, "type": "Bot" if i.author.endswith("[bot]") else "User"},
            "labels": [{"name": name} for name in i.labels],
            "html_url": f"https://github.com/{repo}/issues/{i.number}",
            "created_at": iso(i.created),
            "updated_at": iso(i.updated),
        }

    def add_issue(self, repo: str, title: str, body: str, author: str) -> FakeIssue:
        """Seed an open issue (as someone else opened it)."""
        with self._lock:
            return self._new_issue(repo, title, body, author, [])

    def _new_issue(
        self, repo: str, title: str, body: str, author: str, labels: list[str]
    ) -> FakeIssue:
        spec = self.repos[repo]
        number = max((x.number for x in [*spec.pulls, *spec.issues]), default=0) + 1
        at = self._stamp()
        issue = FakeIssue(number, title, author, at, at, body=body, labels=labels)
        spec.issues.append(issue)
        self._repo_cache.pop(repo, None)
        return issue

    def _write(self, method: str, path: str, sent: Any):
        """POST/PATCH/PUT/DELETE: issues, comments, review requests and assignees."""
        parts = path.strip("/").split("/")
        sent = sent if isinstance(sent, dict) else {}
        if len(parts) in (4, 5) and parts[0] == "repos" and parts[3] == "issues":
            repo = f"{parts[1]}/{parts[2]}"
            if repo not in self.repos:
                return 404, {}, {"message": "Not Found"}
            if len(str(sent.get("title", ""))) > 256:  # GitHub's own limit on an issue title
                return 422, {}, {"message": "Validation Failed", "errors": [TITLE_TOO_LONG]}
            if len(parts) == 4 and method == "POST":
                if not sent.get("title"):
                    return 422, {}, {"message": "Validation Failed"}
                with self._lock:
                    issue = self._new_issue(
                        repo,
                        str(sent["title"]),
                        str(sent.get("body") or ""),
                        self.poster,
                        [str(x) for x in sent.get("labels") or []],
                    )
                return 201, {}, self._issue_json(repo, issue)
            if len(parts) == 5 and method == "PATCH":
                issue = self._find(repo, parts[4])
                if not isinstance(issue, FakeIssue):
                    return 404, {}, {"message": "Not Found"}
                with self._lock:
                    issue.title = str(sent.get("title", issue.title))
                    issue.body = str(sent.get("body", issue.body))
                    issue.updated = self._stamp()
                    self._repo_cache.pop(repo, None)
                return 200, {}, self._issue_json(repo, issue)
        if len(parts) < 5 or parts[0] != "repos":
            return 404, {}, {"message": "Not Found"}
        repo = f"{parts[1]}/{parts[2]}"
        if parts[3:5] == ["issues", "comments"] and len(parts) == 6 and method == "PATCH":
            with self._lock:
                for comment in (c for cs in self.comments.values() for c in cs):
                    if str(comment["id"]) == parts[5]:
                        comment["body"] = str(sent.get("body", ""))
                        comment["updated_at"] = self._stamp()
                        self._record_edit(comment, comment["body"], self.poster)
                        return 200, {}, dict(comment)
            return 404, {}, {"message": "Not Found"}
        if len(parts) != 6:
            return 404, {}, {"message": "Not Found"}
        target = self._find(repo, parts[4], pulls=parts[3] == "pulls")
        if target is None:
            return 404, {}, {"message": "Not Found"}
        if parts[5] == "comments" and method == "POST":
            if not sent.get("body"):
                return 422, {}, {"message": "Validation Failed"}
            with self._lock:
                return (
                    201,
                    {},
                    self._new_comment(repo, target.number, sent["body"], self.poster),
                )
        if (
            parts[3] == "pulls"
            and parts[5] == "requested_reviewers"
            and method in ("POST", "DELETE")
        ):
            kind = "requested" if method == "POST" else "removed"
            with self._lock:
                for login in sent.get("reviewers") or []:
                    target.requests.append((kind, login, self._stamp(), self.poster))
                self._repo_cache.pop(repo, None)
            return (201 if method == "POST" else 200), {}, {"number": target.number}
        if parts[3] == "issues" and parts[5] == "assignees" and method in ("POST", "DELETE"):
            with self._lock:
                for login in sent.get("assignees") or []:
                    if method == "POST" and login not in target.assignees:
                        target.assignees.append(login)
                    elif method == "DELETE" and login in target.assignees:
                        target.assignees.remove(login)
                self._repo_cache.pop(repo, None)
            return (
                (201 if method == "POST" else 200),
                {},
                {"number": target.number, "assignees": [{"login": a} for a in target.assignees]},
            )
        return 404, {}, {"message": "Not Found"}

    # -- GraphQL -------------------------------------------------------------------------

    def cost(self, query: str, variables: dict[str, Any]) -> int:
        """The points GitHub's documented rule charges for ``query`` (see :func:`query_cost`)."""
        op, fragments = self._document(query)
        return query_cost(op.selection_set, fragments, variables)

    def graphql(self, query: str, variables: dict[str, Any], *, cost: int = 1) -> dict[str, Any]:
        """Execute ``query`` over the specs (errors shaped like GitHub's)."""
        op, fragments = self._document(query)
        ctx = _Context(self, variables, fragments)
        ctx.cost = cost
        data = ctx.select({"__typename": "Query"}, op.selection_set)
        if ctx.errors:
            return {"data": data, "errors": ctx.errors}
        return {"data": data}

    def _document(self, query: str) -> tuple[OperationDefinitionNode, dict[str, Any]]:
        with self._lock:
            cached = self._docs.get(query)
        if cached is None:
            doc: DocumentNode = parse(query)
            ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
            frags = {
                d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)
            }
            cached = (ops[0], frags)
            with self._lock:
                self._docs[query] = cached
        return cached

    def repo_node(self, owner: str, name: str) -> dict[str, Any] | None:
        full = f"{owner}/{name}"
        with self._lock:
            cached = self._repo_cache.get(full)
        if cached is not None:
            return cached
        repo = self.repos.get(full)
        if repo is None:
            return None
        node = {
            "__typename": "Repository",
            "nameWithOwner": full,
            "name": name,
            "_pulls": [self._pull_node(full, p) for p in repo.pulls],
            "_issues": [self._issue_node(full, i) for i in repo.issues],
        }
        node["_pull_by_number"] = {p["number"]: p for p in node["_pulls"]}
        node["_issue_by_number"] = {i["number"]: i for i in node["_issues"]}
        with self._lock:
            self._repo_cache[full] = node
        return node

    def actor(self, login: str | None) -> dict[str, Any] | None:
        if login is None:
            return None
        if login.endswith("[bot]"):
            return {"__typename": "Bot", "login": login.removesuffix("[bot]")}
        name, email = self.users.get(login, (None, None))
        return {"__typename": "User", "login": login, "name": name, "email": email or ""}

    def _reviewer(self, who: str) -> dict[str, Any]:
        if "/" in who:
            org, slug = who.split("/", 1)
            return {
                "__typename": "Team",
                "slug": slug,
                "organization": {"__typename": "Organization", "login": org},
            }
        return self.actor(who) or {}

    def _comment(self, spec: tuple[str, Time, str]) -> dict[str, Any]:
        login, at, body = spec
        return {
            "__typename": "IssueComment",
            "author": self.actor(login),
            "createdAt": iso(at),
            "body": body,
        }

    def _pull_node(self, repo: str, p: FakePull) -> dict[str, Any]:
        threads = []
        for i, thread in enumerate(p.threads):
            tid = f"PRRT_{repo}_{p.number}_{i}"
            node = {
                "__typename": "PullRequestReviewThread",
                "id": tid,
                "comments": [self._comment(c) for c in thread],
            }
            self._nodes[tid] = node
            threads.append(node)
        events = []
        for kind, who, at, actor in p.requests:
            typename = (
                "ReviewRequestedEvent" if kind == "requested" else "ReviewRequestRemovedEvent"
            )
            events.append(
                {
                    "__typename": typename,
                    "createdAt": iso(at),
                    "actor": self.actor(actor),
                    "requestedReviewer": self._reviewer(who),
                }
            )
        last = p.last_commit or p.updated
        reviews = [
            {
                "__typename": "PullRequestReview",
                "author": self.actor(login),
                "state": state,
                "submittedAt": None if state == "PENDING" else iso(at),
                "createdAt": iso(at),
            }
            for login, state, at in p.reviews
        ]
        comments = [self._comment(c) for c in p.comments]
        return {
            "__typename": "PullRequest",
            "number": p.number,
            "title": p.title,
            "url": f"https://github.com/{repo}/pull/{p.number}",
            "body": p.body,
            "createdAt": iso(p.created),
            "updatedAt": iso(p.updated),
            "mergedAt": iso(p.merged),
            "closedAt": iso(p.closed),
            "isDraft": p.draft,
            "headRefName": p.branch,
            "state": p.state,
            "author": self.actor(p.author),
            "milestone": p.milestone.node() if p.milestone else None,
            "commits": [
                {"__typename": "PullRequestCommit", "commit": {"committedDate": iso(last)}}
            ],
            "closingIssuesReferences": [
                {"__typename": "Issue", "number": n, "repository": {"nameWithOwner": r}}
                for r, n in p.closes
            ],
            "files": [{"__typename": "PullRequestChangedFile", "path": f} for f in p.files],
            "reviews": reviews,
            "comments": comments,
            "reviewThreads": threads,
            "timelineItems": _timeline(events, reviews, comments),
        }

    def _issue_node(self, repo: str, i: FakeIssue) -> dict[str, Any]:
        names = {
            "closed": "ClosedEvent",
            "reopened": "ReopenedEvent",
            "assigned": "AssignedEvent",
            "unassigned": "UnassignedEvent",
        }
        events = [
            {
                "__typename": names[kind],
                "createdAt": iso(at),
                "actor": self.actor(actor),
                "assignee": self.actor(assignee),
            }
            for kind, at, actor, assignee in i.events
        ]
        comments = [self._comment(c) for c in i.comments]
        return {
            "__typename": "Issue",
            "number": i.number,
            "title": i.title,
            "url": f"https://github.com/{repo}/issues/{i.number}",
            "body": i.body,
            "createdAt": iso(i.created),
            "updatedAt": iso(i.updated),
            "closedAt": iso(i.closed),
            "state": i.state,
            "author": self.actor(i.author),
            "milestone": i.milestone.node() if i.milestone else None,
            "labels": [{"__typename": "Label", "name": n} for n in i.labels],
            "assignees": [self.actor(a) for a in i.assignees],
            "comments": comments,
            "timelineItems": _timeline(events, comments),
        }


class _Context:
    """One query execution: variables, fragments and collected errors."""

    def __init__(self, fake: FakeGitHub, variables: dict[str, Any], fragments: dict[str, Any]):
        self.fake = fake
        self.variables = variables
        self.fragments = fragments
        self.errors: list[dict[str, Any]] = []
        self.cost = 1
        """What this query is charged (``rateLimit.cost``)."""

    def select(self, obj: dict[str, Any], selection_set: SelectionSetNode, path=()) -> dict:
        out: dict[str, Any] = {}
        for sel in selection_set.selections:
            if not self._included(sel):
                continue
            if isinstance(sel, FieldNode):
                key = sel.alias.value if sel.alias else sel.name.value
                args = self._arguments(sel.arguments)
                value = self.resolve(obj, sel.name.value, args, (*path, key))
                out[key] = self.complete(value, sel, (*path, key))
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition.name.value if sel.type_condition else None
                if cond is None or _matches(obj, cond):
                    out.update(self.select(obj, sel.selection_set, path))
            elif isinstance(sel, FragmentSpreadNode):
                frag = self.fragments[sel.name.value]
                if _matches(obj, frag.type_condition.name.value):
                    out.update(self.select(obj, frag.selection_set, path))
        return out

    def complete(self, value: Any, sel: FieldNode, path: tuple) -> Any:
        if sel.selection_set is None or value is None:
            return value
        if isinstance(value, list):
            return [None if v is None else self.select(v, sel.selection_set, path) for v in value]
        return self.select(value, sel.selection_set, path)

    def _arguments(self, arguments: Any) -> dict[str, Any]:
        out = {}
        for arg in arguments or ():
            value = value_from_ast_untyped(arg.value, self.variables)
            out[arg.name.value] = None if value is Undefined else value
        return out

    def _included(self, sel: Any) -> bool:
        for directive in sel.directives or ():
            args = self._arguments(directive.arguments)
            if directive.name.value == "include" and not args.get("if"):
                return False
            if directive.name.value == "skip" and args.get("if"):
                return False
        return True

    def resolve(self, obj: dict[str, Any], name: str, args: dict[str, Any], path: tuple) -> Any:
        kind = obj.get("__typename")
        if name == "__typename":
            return kind
        if kind == "Query":
            if name == "repository":
                node = self.fake.repo_node(args["owner"], args["name"])
                if node is None:
                    self.errors.append(
                        {
                            "type": "NOT_FOUND",
                            "path": list(path),
                            "message": "Could not resolve to a Repository with the name "
                            f"'{args['owner']}/{args['name']}'.",
                        }
                    )
                return node
            if name == "repositoryOwner":
                login = args["login"]
                count = sum(1 for full in self.fake.repos if full.split("/")[0] == login)
                if not count and login not in self.fake.owners:
                    self.errors.append(
                        {
                            "type": "NOT_FOUND",
                            "path": list(path),
                            "message": f"Could not resolve to a RepositoryOwner with the login of '{login}'.",
                        }
                    )
                    return None
                kind = self.fake.owners.get(login, "Organization")
                return {"__typename": kind, "login": login, "repositories": {"totalCount": count}}
            if name == "node":
                return self.fake._nodes.get(args["id"])
            if name == "viewer":
                return self.fake.actor(self.fake.poster)
            if name == "rateLimit":
                reset = datetime.now(UTC) + timedelta(hours=1)
                with self.fake._lock:
                    used = sum(s.cost for s in self.fake.requests) + self.cost
                remaining = max(self.fake.budget - used, 0)
                return {
                    "cost": self.cost,
                    "remaining": remaining,
                    "resetAt": iso(reset),
                    "limit": self.fake.budget,
                }
            return None
        if kind == "Repository":
            if name == "pullRequests":
                return _connection(obj["_pulls"], args)
            if name == "issues":
                return _connection(obj["_issues"], args)
            if name == "pullRequest":
                return obj["_pull_by_number"].get(args["number"])
            if name == "issue":
                return obj["_issue_by_number"].get(args["number"])
            if name == "object":
                ref, _, file = str(args["expression"]).partition(":")
                files = self.fake.repos[obj["nameWithOwner"]].files
                if file in files and files[file] is None:
                    self.errors.append(
                        {
                            "type": "FORBIDDEN",
                            "path": list(path),
                            "message": "Resource not accessible by integration",
                        }
                    )
                text = files.get(file)
                return (
                    None if ref != "HEAD" or text is None else {"__typename": "Blob", "text": text}
                )
        value = obj.get(name)
        if isinstance(value, list) and ("first" in args or "last" in args):
            size = args.get("first") if args.get("first") is not None else args.get("last")
            if isinstance(size, int) and size > 100:
                self.errors.append(
                    {
                        "type": "EXCESSIVE_PAGINATION",
                        "path": list(path),
                        "message": f"Requesting {size} records on the `{name}` connection "
                        "exceeds the `first` limit of 100 records.",
                    }
                )
                return None
            return _connection(value, args)
        return value


def _timeline(*kinds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A PR's or issue's timeline: its events, reviews and comments in time order."""
    return sorted((n for nodes in kinds for n in nodes), key=lambda n: n["createdAt"] or "")


def query_cost(
    selection_set: SelectionSetNode, fragments: dict[str, Any], variables: dict[str, Any]
) -> int:
    """GraphQL points by GitHub's documented rule ("Calculating a rate limit score").

    Add up the requests needed to fulfil each connection in the call, assuming
    every ``first``/``last`` is reached: a connection nested in others needs as
    many requests as the product of its parents' ``first``/``last``. Divide by
    100, round to the nearest whole number; never less than 1. Every connection
    in the query text counts, fragments expanded where they are used, and
    ``@include``/``@skip`` do not exempt a part (GitHub documents no exception).
    """
    requests = _connection_requests(selection_set, fragments, variables, 1)
    return max(1, math.floor(requests / 100 + 0.5))


def _connection_requests(
    selection_set: SelectionSetNode, fragments: dict[str, Any], variables: dict[str, Any], of: int
) -> int:
    """Requests needed for the connections under ``selection_set``, reached ``of`` times."""
    total = 0
    for sel in selection_set.selections:
        if isinstance(sel, FragmentSpreadNode):
            frag = fragments[sel.name.value]
            total += _connection_requests(frag.selection_set, fragments, variables, of)
        elif isinstance(sel, InlineFragmentNode):
            total += _connection_requests(sel.selection_set, fragments, variables, of)
        elif isinstance(sel, FieldNode) and sel.selection_set is not None:
            size = None
            for arg in sel.arguments or ():
                if arg.name.value in ("first", "last"):
                    value = value_from_ast_untyped(arg.value, variables)
                    size = value if isinstance(value, int) else size
            if size is None:  # an object, not a connection: its fields are reached as often
                total += _connection_requests(sel.selection_set, fragments, variables, of)
            else:
                total += of
                total += _connection_requests(sel.selection_set, fragments, variables, of * size)
    return total


def _matches(obj: dict[str, Any], cond: str) -> bool:
    kind = obj.get("__typename")
    return cond == kind or cond == "Node" or (cond == "Actor" and kind in ACTOR_TYPES)


def _snake(typename: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", typename).upper()


def _connection(items: list[Any], args: dict[str, Any]) -> dict[str, Any]:
    if args.get("states"):
        states = set(args["states"])
        items = [i for i in items if i.get("state") in states]
    if args.get("itemTypes"):
        wanted = set(args["itemTypes"])
        items = [i for i in items if _snake(i["__typename"]) in wanted]
    since = (args.get("filterBy") or {}).get("since")
    if since:
        items = [i for i in items if i["updatedAt"] >= since]
    order = args.get("orderBy")
    if order and order.get("field") == "UPDATED_AT":
        items = sorted(
            items,
            key=lambda i: (i["updatedAt"], i.get("number", 0)),
            reverse=order.get("direction") == "DESC",
        )
    start = _offset(args.get("after"))
    if args.get("last") is not None:
        page = items[max(len(items) - int(args["last"]), 0) :]
        start = len(items) - len(page)
    else:
        page = items[start : start + int(args.get("first") or 0)]
    end = start + len(page)
    return {
        "__typename": "Connection",
        "nodes": page,
        "totalCount": len(items),
        "pageInfo": {
            "hasNextPage": end < len(items),
            "endCursor": _cursor(end) if page else args.get("after"),
            "hasPreviousPage": start > 0,
            "startCursor": _cursor(start + 1) if page else None,
        },
    }


def _cursor(offset: int) -> str:
    return base64.b64encode(f"cursor:v2:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.b64decode(cursor).decode().rsplit(":", 1)[1])


def _operation_name(query: str) -> str | None:
    match = re.search(r"\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)", query)
    return match.group(1) if match else None


def _rate_headers(resource: str) -> dict[str, str]:
    reset = int(time.time()) + 3600
    return {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-reset": str(reset),
        "x-ratelimit-resource": resource,
    }


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(FastHandler):
        def _serve(self, method: str) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                status, extra, reply = fake.handle(method, self.path, headers, body)
            except Exception as exc:  # a bug in the fake: say so instead of hanging up
                status, extra, reply = 500, {}, {"message": f"fake GitHub failed: {exc!r}"}
            if isinstance(reply, bytes | str):
                data = reply.encode() if isinstance(reply, str) else reply
                ctype = "text/html"
            else:
                data = json.dumps(reply).encode()
                ctype = "application/json; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PATCH(self) -> None:
            self._serve("PATCH")

        def do_PUT(self) -> None:
            self._serve("PUT")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

    return Handler


# -- generated data ----------------------------------------------------------------------


def generate_pulls(
    n: int,
    *,
    now: datetime,
    authors: list[str],
    reviewers: list[str] | None = None,
    seed: int = 1,
    days: int = 60,
    open_share: float = 0.2,
    start_number: int = 1,
) -> list[FakePull]:
    """``n`` realistic PRs updated over the last ``days``, a few files, reviews, comments each."""
    rng = random.Random(seed)
    reviewers = reviewers or authors
    areas = ["api", "web", "pipeline", "ingest", "docs", "infra"]
    pulls = []
    for k in range(n):
        number = start_number + k
        author = rng.choice(authors)
        created = now - timedelta(days=rng.uniform(1, days), hours=rng.uniform(0, 23))
        updated = min(now, created + timedelta(hours=rng.uniform(1, 96)))
        is_open = rng.random() < open_share
        reviewer = rng.choice([r for r in reviewers if r != author] or reviewers)
        requested = created + timedelta(minutes=5)
        reviewed = requested + timedelta(hours=rng.uniform(1, 48))
        area = rng.choice(areas)
        pull = FakePull(
            number=number,
            title=f"Change {number} in {area}",
            author=author,
            created=created,
            updated=updated,
            branch=f"{area}/change-{number}",
            files=[f"{area}/module_{rng.randint(1, 30)}.py" for _ in range(rng.randint(1, 8))],
            requests=[("requested", reviewer, requested, author)],
            comments=[
                (rng.choice(reviewers), created + timedelta(hours=2), "Looks good, one question?")
            ]
            * rng.randint(0, 3),
            threads=[[(reviewer, reviewed, f"Nit in {area}. @{author} can you check?")]]
            * rng.randint(0, 2),
        )
        if not is_open or rng.random() < 0.5:
            pull.reviews = [(reviewer, "APPROVED", min(reviewed, now))]
        if not is_open:
            pull.state = "MERGED"
            pull.merged = pull.closed = updated
        pulls.append(pull)
    return pulls


def github_users(members: list[Member]) -> dict[str, tuple[str | None, str | None]]:
    """``FakeGitHub(users=...)``: login to (name, email)."""
    return {m.github: (m.name, m.email) for m in members}


def github_repos(
    n: int,
    *,
    now: datetime,
    members: list[Member] | None = None,
    repos: int = 2,
    owner: str = "acme",
    project: str = "PIPE",
    seed: int = 1,
    days: int = 60,
) -> list[FakeRepo]:
    """``n`` PRs spread evenly over ``repos`` repositories (``acme/repo0``...)."""
    rng = random.Random(seed)
    members = members or org()
    logins = [m.github for m in members]
    out = [FakeRepo(f"{owner}/repo{r}") for r in range(repos)]
    for k in range(n):
        repo = out[k % repos]
        number = len(repo.pulls) + 1
        repo.pulls.append(_pull(rng, number, logins, now, days, project))
    return out


def _pull(
    rng: random.Random, number: int, logins: list[str], now: datetime, days: int, project: str
) -> FakePull:
    author = rng.choice(logins)
    others = [x for x in logins if x != author]
    created = random_ago(rng, now, days, min_hours=6)
    area = rng.choice(AREAS)
    key = f"{project}-{rng.randint(1, 2000)}"
    roll = rng.random()
    state = "OPEN" if roll < 0.25 else ("MERGED" if roll < 0.95 else "CLOSED")
    t = created + timedelta(minutes=rng.randint(1, 30))
    requests: list[tuple[str, str, datetime, str]] = []
    reviews: list[tuple[str, str, datetime]] = []
    first = rng.choice(others)
    requests.append(("requested", first, t, author))
    if rng.random() < 0.4:
        requests.append(("requested", rng.choice(others), t, author))
    if rng.random() < 0.1:  # withdrawn, then someone else asked
        t += timedelta(hours=rng.uniform(1, 30))
        requests.append(("removed", first, t, author))
        first = rng.choice(others)
        requests.append(("requested", first, t, author))
    comments, threads = [], []
    for _ in range(rng.randint(0, 4)):
        t += timedelta(hours=rng.uniform(0.2, 20))
        who = rng.choice(logins)
        text = f"@{author} why is this needed?" if rng.random() < 0.3 else "Thanks, looks fine."
        comments.append((who, t, text))
    for _ in range(rng.choice((0, 0, 1, 2, 3))):
        t += timedelta(hours=rng.uniform(0.5, 20))
        thread = [(first, t, f"Nit in {area}: can you rename this?")]
        if rng.random() < 0.6:
            thread.append((author, t + timedelta(minutes=30), "Done."))
        threads.append(thread)
    if state != "OPEN" or rng.random() < 0.5:
        for verdict in rng.choice(
            (("APPROVED",), ("COMMENTED", "APPROVED"), ("CHANGES_REQUESTED", "APPROVED"))
        ):
            t += timedelta(hours=rng.uniform(1, 40))
            reviews.append((first, verdict, t))
    if rng.random() < 0.15:  # a re-request after changes
        t += timedelta(hours=rng.uniform(1, 10))
        requests.append(("requested", first, t, author))
    updated = min(now - timedelta(hours=1), t + timedelta(minutes=rng.randint(5, 600)))
    pull = FakePull(
        number=number,
        title=f"{key}: change {number} in {area}",
        author=author,
        created=created,
        updated=max(updated, created),
        state=state,
        draft=state == "OPEN" and rng.random() < 0.1,
        branch=f"{key.lower()}-{area}-{number}",
        body=f"Part of {key}. Touches {area}/.",
        files=[f"{area}/mod_{rng.randint(1, 40)}.py" for _ in range(rng.randint(1, 12))],
        reviews=reviews,
        comments=comments,
        threads=threads,
        requests=requests,
    )
    if state != "OPEN":
        pull.closed = pull.updated
        if state == "MERGED":
            pull.merged = pull.updated
    return pull
