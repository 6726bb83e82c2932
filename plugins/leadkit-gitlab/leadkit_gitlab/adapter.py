"""The ``gitlab`` source: merge requests and issues of GitLab projects over REST API v4.

Requests, per project (see README.md, "What it costs"):

- merge requests: one list request per 100 (``/projects/:id/merge_requests``,
  ``updated_after`` the selection's mark, oldest change first; on a full fetch also
  the open ones not updated since, ``state=opened&updated_before``), then per
  MR its notes (review requests and removals, approvals and changes
  requested from system notes, comments; one request per 100 notes) and its
  changed paths (``/diffs``, one request per 100 files);
- issues: likewise one list request per 100, then per issue its notes
  (comments, assignee changes), its links (``blocks`` / ``is_blocked_by`` /
  ``relates_to``), and its state events only when the list says it is closed
  (an open issue's list entry already says everything about its state);
- ``group/*``: one request per 100 projects of the group (subgroups included,
  archived ones skipped).

Everything the list carries (author, reviewers, draft, created, merged and
closed times, assignees, labels, epic) costs nothing more. Per-item requests
of one list page run on ``concurrency`` threads; each list page is yielded as
one :class:`Page` as soon as its items are complete, tagged with where the
project's lists got to, so a stopped ``leadkit sync`` carries on from there.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from leadkit.api import (
    CodeOwners,
    CollectContext,
    DataError,
    Dataset,
    Option,
    Page,
    Review,
    Selection,
    SourceAdapter,
    SourceConfig,
    SourceError,
    Window,
    WorkItem,
    select,
)
from leadkit_gitlab.client import Forbidden, GitLabClient, NotFound, project_id
from leadkit_gitlab.normalize import (
    IssueDetails,
    MergeRequestDetails,
    Normalizer,
    People,
    parse_time,
)

PUBLIC_URL = "https://gitlab.com"
OWNER_FILES = ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
"""Where GitLab looks for a project's CODEOWNERS, in its order (the first found is used)."""
DECLARED = (
    Option(
        "projects",
        list,
        doc='projects to read: "group/name", or "group/*" for a group\'s own',
        required=True,
    ),
    Option("url", str, PUBLIC_URL, "the GitLab instance, without /api/v4"),
    Option("token_env", str, "GITLAB_TOKEN", "the environment variable holding the token"),
    Option("include_issues", bool, True, "read GitLab issues as work items"),
    Option("concurrency", int, 4, "per-item requests at once (1-16)"),
    Option("max_wait", float, 900.0, "seconds to wait out rate limits in all, then give up"),
    Option("timeout", int, 30, "seconds per request"),
    Option("max_retries", int, 4, "retries of a 5xx or a failed connection (0-10)"),
)
"""The ``[[sources]]`` keys of a gitlab source; the core checks types and unknown keys."""
_SEGMENT = r"[A-Za-z0-9_.][A-Za-z0-9_.-]*"
_PROJECT_RE = re.compile(rf"^{_SEGMENT}(?:/{_SEGMENT})*/(?:\*|{_SEGMENT})$")


@dataclass(frozen=True)
class GitLabOptions:
    """A validated ``[[sources]]`` table of type ``gitlab``."""

    projects: tuple[str, ...]
    url: str
    token_env: str
    include_issues: bool = True
    concurrency: int = 4
    max_wait: float = 900.0
    timeout: int = 30
    max_retries: int = 4


def parse_options(source: SourceConfig) -> GitLabOptions:
    """The source's keys, their values checked (a :class:`ConfigError` names the bad one)."""
    fail = source.fail  # types and unknown keys: the core, from DECLARED
    projects = source.get_list("projects")
    if not projects:
        raise fail("projects", 'is required, e.g. projects = ["group/name", "group/*"]')
    for project in projects:
        if not _PROJECT_RE.match(project):
            raise fail("projects", f'entry {project!r} is not "group/name" or "group/*"')
    url = (source.get_str("url", PUBLIC_URL) or PUBLIC_URL).rstrip("/")
    if not re.match(r"^https?://[^/\s]+", url):
        raise fail("url", f"must be an http(s) URL like https://gitlab.example.com, got {url!r}")
    if url.endswith("/api/v4"):
        raise fail("url", f"is the GitLab instance, without /api/v4 (got {url!r})")
    concurrency = source.get_int("concurrency", 4)
    if not 1 <= concurrency <= 16:
        raise fail("concurrency", f"must be between 1 and 16, got {concurrency}")
    timeout = source.get_int("timeout", 30)
    if timeout < 1:
        raise fail("timeout", f"must be at least 1 second, got {timeout}")
    max_retries = source.get_int("max_retries", 4)
    if not 0 <= max_retries <= 10:
        raise fail("max_retries", f"must be between 0 and 10, got {max_retries}")
    return GitLabOptions(
        projects=tuple(dict.fromkeys(projects)),
        url=url,
        token_env=source.variable("token_env", "GITLAB_TOKEN") or "GITLAB_TOKEN",
        include_issues=source.get_bool("include_issues", True),
        concurrency=concurrency,
        max_wait=source.get_number("max_wait", 900.0),
        timeout=timeout,
        max_retries=max_retries,
    )


class GitLabSource(SourceAdapter):
    """Reads gitlab.com or a self-managed GitLab through REST API v4."""

    type = "gitlab"
    description = "GitLab merge requests, review requests, approvals and issues (REST v4)"
    resumable = True
    declared_options = DECLARED

    def __init__(self, source: SourceConfig, context: CollectContext) -> None:
        super().__init__(source, context)
        self.options = parse_options(source)
        self._token = source.secret("token_env", "GITLAB_TOKEN", context.environ)
        self.people = People()
        self.without_diffs = False
        """Set when this GitLab has no ``/diffs`` (before 15.7): ``/changes`` is read instead."""

    def __repr__(self) -> str:
        return f"GitLabSource(name={self.source.name!r}, projects={list(self.options.projects)!r})"

    def client(self) -> GitLabClient:
        """A client for this source (waits and counts through its collect context)."""
        return GitLabClient(
            source_name=self.source.name,
            url=self.options.url,
            token=self._token,
            token_env=self.options.token_env,
            context=self.context,
            timeout=self.options.timeout,
            max_retries=self.options.max_retries,
            max_wait=self.options.max_wait,
        )

    # -- writes (leadkit comment / apply; see leadkit.pr.code_hosts) ------------------------------

    def covers(self, repo: str) -> bool:
        """Whether ``group/name`` is one of this source's projects (``group/*`` included)."""
        return repo in self.options.projects or any(
            spec.endswith("/*") and repo.startswith(spec[:-1]) for spec in self.options.projects
        )

    def review_host(self, repo: str) -> Any:
        """Notes and reviewers on this source's merge requests (a ``ReviewHost``)."""
        from leadkit_gitlab.writes import GitLabWrites

        return GitLabWrites(self.client())

    def ticket_writer(self) -> Any:
        """Reassigning this source's issues (a ``TicketWriter``)."""
        from leadkit_gitlab.writes import GitLabWrites

        return GitLabWrites(self.client())

    # -- the SourceAdapter API -----------------------------------------------------------

    def pages(
        self,
        window: Window,
        *,
        updated_since: datetime | None = None,
        resume: dict[str, Any] | None = None,
    ) -> Iterator[Dataset]:
        """One :class:`Page` per list page of each project, its items complete.

        ``resume`` maps each project to the state its last stored page carried
        (the stream it was in and the last update time read, lists being read
        oldest change first): finished projects are not read again, the others
        carry on from there instead of from page 1.
        """
        client = self.client()
        selection = select(window, updated_since)
        resume = resume or {}
        pool = ThreadPoolExecutor(
            max_workers=self.options.concurrency,
            thread_name_prefix=f"leadkit-gitlab-{self.source.name}",
        )
        try:
            for project in self.expand_projects(client):
                state = resume.get(project) or {}
                if state.get("done"):
                    continue
                reader = ProjectReader(self, client, pool, project, window, selection)
                yield from reader.pages(state)
        finally:
            # Wait for the item reads in flight: none may send a request once this
            # generator has ended (after a failure, or when the consumer stops early).
            pool.shutdown(wait=True, cancel_futures=True)
            client.close()

    def expand_projects(self, client: GitLabClient) -> list[str]:
        """The configured projects with ``group/*`` listed (subgroups in, archived ones out)."""
        out: dict[str, None] = {}
        for spec in self.options.projects:
            group, _, name = spec.rpartition("/")
            if name != "*":
                out[spec] = None
                continue
            try:
                listed = client.items(
                    f"/groups/{project_id(group)}/projects",
                    {
                        "include_subgroups": "true",
                        "with_shared": "false",  # the group's own, not those shared with it
                        "archived": "false",
                        "order_by": "path",
                        "sort": "asc",
                    },
                    what=f"the projects of group {group}",
                )
            except NotFound:
                raise SourceError(
                    client.http.message(
                        f"projects entry '{spec}': no group '{group}' at {self.options.url} "
                        f"visible to the token in {self.options.token_env}"
                    )
                ) from None
            for project in listed:
                path = project.get("path_with_namespace") if isinstance(project, dict) else None
                if not isinstance(path, str):
                    raise DataError(
                        client.http.message(f"unexpected project listing for group {group}")
                    )
                if not project.get("archived"):
                    out[path] = None
        return list(out)


class ProjectReader:
    """Reads one project: list pages of merge requests and issues, then each item's details."""

    def __init__(
        self,
        adapter: GitLabSource,
        client: GitLabClient,
        pool: ThreadPoolExecutor,
        project: str,
        window: Window,
        selection: Selection,
    ) -> None:
        self.adapter = adapter
        self.client = client
        self.pool = pool
        self.project = project
        self.id = project_id(project)
        self.window = window
        self.selection = selection
        self.normalizer = Normalizer(adapter.source.name, project, adapter.people)
        self.count = 0
        self.notes: list[str] = []
        self.lock = threading.Lock()

    def streams(self) -> list[tuple[str, dict[str, Any]]]:
        """The lists to read: what changed since the mark, and on a full fetch the open rest."""
        since = _iso(self.selection.since)
        kinds = ["merge_requests", *(["issues"] if self.adapter.options.include_issues else [])]
        out: list[tuple[str, dict[str, Any]]] = []
        for kind in kinds:
            out.append((kind, {"updated_after": since}))
            if self.selection.takes_open:
                out.append((kind, {"state": "opened", "updated_before": since}))
        return out

    def pages(self, resume: dict[str, Any]) -> Iterator[Page]:
        """Every list page as a :class:`Page`; ``resume`` is where a stopped sync got to."""
        first = int(resume.get("stream") or 0)
        for index, (kind, params) in enumerate(self.streams()):
            if index < first:
                continue
            query = {"order_by": "updated_at", "sort": "asc", **params}
            after = resume.get("after") if index == first else None
            if isinstance(after, str) and after:
                query["updated_after"] = after  # on or after: the last item is read again
            what = f"the {kind.replace('_', ' ')} of {self.project}"
            try:
                for entries in self.client.pages(f"/projects/{self.id}/{kind}", query, what=what):
                    taken = [e for e in entries if self._takes(e)]
                    state: dict[str, Any] = {"stream": index, "after": after}
                    if entries:
                        after = state["after"] = str(entries[-1].get("updated_at") or after)
                    if kind == "merge_requests":
                        reviews = [r for r in self.pool.map(self._review, taken) if r]
                        yield self._page(state, reviews=reviews)
                    else:
                        items = [i for i in self.pool.map(self._work_item, taken) if i]
                        yield self._page(state, items=items)
            except NotFound:
                raise SourceError(
                    self.client.http.message(
                        f"project {self.project} was not found at {self.adapter.options.url}, or "
                        f"the token in {self.adapter.options.token_env} cannot see it (HTTP 404)"
                    )
                ) from None
        yield self._page({"done": True}, owners=[self._code_owners()])

    def _code_owners(self) -> CodeOwners:
        """The project's CODEOWNERS on its default branch: the first of the places GitLab
        looks that holds one (no rules when none does, or the token may not read files)."""
        for path in OWNER_FILES:
            what = f"{path} of {self.project}"
            try:
                data = self.client.get(
                    f"/projects/{self.id}/repository/files/{project_id(path)}",
                    {"ref": "HEAD"},
                    what=what,
                )
            except NotFound:
                continue
            except Forbidden:
                with self.lock:
                    self.notes.append(f"the token may not read {what}: code areas leave it out")
                break
            content = data.get("content") if isinstance(data, dict) else None
            if not isinstance(content, str):
                raise DataError(self.client.http.message(f"GitLab sent {what} without content"))
            try:
                text = base64.b64decode(content, validate=True).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                raise DataError(
                    self.client.http.message(f"GitLab sent {what} in no base64")
                ) from None
            return CodeOwners.parse(self.adapter.source.name, self.project, path, text)
        return CodeOwners(self.adapter.source.name, self.project, "")

    def _takes(self, entry: Any) -> bool:
        """The selection's rule (``updated_before`` is inclusive on some versions)."""
        if not isinstance(entry, dict):
            raise DataError(self.client.http.message(f"unexpected list entry in {self.project}"))
        try:
            updated = parse_time(entry["updated_at"])
        except (KeyError, TypeError, ValueError):
            return True  # the normalizer names the item and what is wrong
        return self.selection.takes(updated, entry.get("state") == "opened")

    # -- one item ------------------------------------------------------------------------

    def _review(self, mr: dict[str, Any]) -> Review | None:
        """The MR with its notes and paths; None (and a note) when it is gone meanwhile."""
        base = f"/projects/{self.id}/merge_requests/{mr.get('iid')}"
        label = f"{self.project}!{mr.get('iid')}"
        try:
            details = MergeRequestDetails(
                notes=self._notes(base, label), paths=self._paths(base, label)
            )
        except NotFound:
            self._gone(label)
            return None
        return self.normalizer.review(mr, details)

    def _paths(self, base: str, label: str) -> list[str]:
        """Changed paths from ``/diffs`` (GitLab 15.7+), else from the older ``/changes``."""
        if not self.adapter.without_diffs:
            try:
                diffs = self.client.items(f"{base}/diffs", what=f"the changes of {label}")
            except NotFound:
                self.adapter.without_diffs = True  # an older GitLab; /changes says if it is gone
            else:
                return [_path(d) for d in diffs if isinstance(d, dict)]
        data = self.client.get(f"{base}/changes", what=f"the changes of {label}")
        changes = data.get("changes") if isinstance(data, dict) else None
        return [_path(c) for c in changes or [] if isinstance(c, dict)]

    def _notes(self, base: str, label: str) -> list[Any]:
        query = {"sort": "asc", "order_by": "created_at"}
        return self.client.items(f"{base}/notes", query, what=f"the notes of {label}")

    def _work_item(self, issue: dict[str, Any]) -> WorkItem | None:
        """The issue with its notes, links and state events; None when it is gone meanwhile."""
        base = f"/projects/{self.id}/issues/{issue.get('iid')}"
        label = f"{self.project}#{issue.get('iid')}"
        try:
            details = IssueDetails(
                notes=self._notes(base, label),
                links=self.client.items(f"{base}/links", what=f"the links of {label}"),
            )
            if issue.get("state") == "closed":
                details.state_events = self.client.items(
                    f"{base}/resource_state_events", what=f"the state changes of {label}"
                )
        except NotFound:
            self._gone(label)
            return None
        return self.normalizer.work_item(issue, details)

    def _gone(self, label: str) -> None:
        """An item deleted (or hidden from the token) between the list and its details."""
        with self.lock:
            self.notes.append(f"{label} was deleted or hidden while being read: it was left out")

    def _page(
        self,
        resume: dict[str, Any],
        reviews: list[Review] | None = None,
        items: list[WorkItem] | None = None,
        owners: list[CodeOwners] | None = None,
    ) -> Page:
        reviews, items = reviews or [], items or []
        self.count += len(reviews) + len(items)
        self.adapter.context.stats.add(items=len(reviews) + len(items))
        self.adapter.context.progress(f"gitlab {self.project}: {self.count} items")
        return Page(
            window=self.window,
            people=self.normalizer.take_people(),
            reviews=reviews,
            work_items=items,
            sources=[self.adapter.source.name],
            resume={self.project: resume},
            notes=self._take_notes(),
            code_owners=owners or [],
        )

    def _take_notes(self) -> list[str]:
        with self.lock:
            notes, self.notes = self.notes, []
        return notes


def _path(diff: dict[str, Any]) -> str:
    return str(diff.get("new_path") or diff.get("old_path"))


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
