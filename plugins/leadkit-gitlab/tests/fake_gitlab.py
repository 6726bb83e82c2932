"""A small fake GitLab (REST API v4) on 127.0.0.1, answering in GitLab's documented shapes.

Specs (:class:`FakeMR`, :class:`FakeIssue`, :class:`FakeProject`) say what
happened; the fake renders them as the API documents its responses
(docs.gitlab.com/api: merge_requests, notes, merge_requests/:iid/diffs,
issues, issue_links, resource_state_events, groups/:id/projects, users):

- review requests and removals, approvals and assignee changes become
  *system notes* in GitLab's wording (``requested review from @a``,
  ``removed review request for @a``, ``approved this merge request``,
  ``assigned to @a``), because that is where the REST API keeps them;
- lists honour ``updated_after``, ``updated_before``, ``state``, ``order_by=updated_at``
  and ``sort``, and paginate by ``page``/``per_page`` with ``x-page``,
  ``x-next-page``, ``x-total`` and a ``Link`` header (``link_only=True`` sends
  only ``Link``, as keyset pagination does);
- ``PRIVATE-TOKEN`` must match ``token`` (else 401 ``{"message": "401 Unauthorized"}``);
  an unknown project or group is 404 ``{"message": "404 Project Not Found"}``;
- discussions: each note created through the API opens one, :meth:`FakeGitLab.reply`
  adds a note to it as another user (``GET .../merge_requests/:iid/discussions``);
- writes: MR notes (create, edit), ``PUT`` an MR's ``reviewer_ids`` (recorded
  as a system note, as GitLab does) and an issue's ``assignee_ids``;
  ``GET /user`` and ``GET /users?username=``.

:meth:`FakeGitLab.fail` (from :class:`leadkit.testing.FakeServer`) scripts
faults (429 with ``Retry-After``, 5xx, ...) on the next requests under a path
(:meth:`FakeGitLab.path` spells one); :attr:`FakeGitLab.requests` lists every
request received, paths decoded.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlparse

from leadkit.testing import Answer, FakeServer, Received

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def stamp(value: datetime | None) -> str | None:
    """A time as GitLab prints it: ``2026-03-02T12:00:00.000Z``."""
    if value is None:
        return None
    return (
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    )


@dataclass(frozen=True)
class FakeMilestone:
    """A project milestone; ``due_date`` a ``YYYY-MM-DD`` day or None, as GitLab sends it."""

    title: str
    due_date: str | None = None
    iid: int = 1

    def render(self, project_id: int) -> dict[str, Any]:
        return {
            "id": 500 + self.iid,
            "iid": self.iid,
            "project_id": project_id,
            "title": self.title,
            "description": "",
            "state": "active",
            "created_at": "2026-01-05T10:00:00.000Z",
            "updated_at": "2026-01-05T10:00:00.000Z",
            "due_date": self.due_date,
            "start_date": None,
            "expired": False,
            "web_url": f"https://gitlab.example.com/milestones/{self.iid}",
        }


@dataclass
class FakeMR:
    """A merge request and what happened on it."""

    iid: int
    title: str
    author: str
    created: datetime
    updated: datetime
    state: str = "opened"  # opened, merged, closed
    merged: datetime | None = None
    closed: datetime | None = None
    draft: bool = False
    description: str = ""
    source_branch: str = "feature"
    files: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, datetime, str]] = field(default_factory=list)
    """``("requested" | "removed", reviewer, at, by)``."""
    reviewers_at_open: list[str] = field(default_factory=list)
    """Reviewers set when the MR was opened: listed on it, with no system note."""
    approvals: list[tuple[str, datetime]] = field(default_factory=list)
    unapprovals: list[tuple[str, datetime]] = field(default_factory=list)
    comments: list[tuple[str, datetime, str]] = field(default_factory=list)
    diff_comments: list[tuple[str, datetime, str]] = field(default_factory=list)
    pushes: list[tuple[datetime, int]] = field(default_factory=list)
    """``(at, commits)``: pushes after the MR was opened (system notes ``added N commits``)."""
    milestone: FakeMilestone | None = None


@dataclass
class FakeIssue:
    """An issue and what happened on it."""

    iid: int
    title: str
    author: str
    created: datetime
    updated: datetime
    state: str = "opened"
    closed: datetime | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    comments: list[tuple[str, datetime, str]] = field(default_factory=list)
    assigned: list[tuple[str, datetime, str]] = field(default_factory=list)
    """``(assignee, at, by)`` system notes ``assigned to @assignee``."""
    state_events: list[tuple[str, datetime, str]] = field(default_factory=list)
    """``("closed" | "reopened", at, by)``."""
    links: list[tuple[str, str, int]] = field(default_factory=list)
    """``(link_type, project path, iid)`` from this issue's side."""
    epic: tuple[str, int] | None = None
    """``(group path, epic iid)`` (Premium)."""
    due_date: str | None = None
    """The issue's own due date, ``YYYY-MM-DD``."""
    milestone: FakeMilestone | None = None


@dataclass
class FakeProject:
    path: str
    merge_requests: list[FakeMR] = field(default_factory=list)
    issues: list[FakeIssue] = field(default_factory=list)
    archived: bool = False
    files: dict[str, str | None] = field(default_factory=dict)
    """Text files on the default branch by path (``CODEOWNERS``), for the repository files API;
    None: the token may not read it (HTTP 403)."""


class FakeGitLab(FakeServer):
    """The fake; use as a context manager, ``url`` is the instance URL (without ``/api/v4``)."""

    def __init__(
        self,
        projects: list[FakeProject],
        *,
        token: str,
        viewer: str = "leadkit-bot",
        link_only: bool = False,
        before_15_7: bool = False,
        now: datetime = NOW,
    ) -> None:
        super().__init__()
        self.projects = {p.path: p for p in projects}
        self.token = token
        self.viewer = viewer
        self.link_only = link_only
        self.before_15_7 = before_15_7
        """No ``.../merge_requests/:iid/diffs`` (added in 15.7), only ``/changes``."""
        self.now = now
        self.writes: list[tuple[str, str, Any]] = []
        self.user_ids: dict[str, int] = {}
        self.notes: dict[tuple[str, int], list[dict[str, Any]]] = {}
        """Notes created or edited through the API, per (project, MR iid)."""
        self.discussion_of: dict[int, str] = {}
        """The discussion each of those notes is in, by note id."""
        self.reviewer_ids: dict[tuple[str, int], list[int]] = {}
        self.assignee_ids: dict[tuple[str, int], list[int]] = {}
        self._next_id = 5000

    @property
    def url(self) -> str:
        return self.server_url

    @staticmethod
    def path(project: str, *rest: str | int) -> str:
        """The request path of a project's endpoint, as sent (``acme%2Fapi``), for :meth:`fail`."""
        tail = "".join(f"/{part}" for part in rest)
        return f"/api/v4/projects/{quote(project, safe='')}{tail}"

    @property
    def requests(self) -> list[Received]:
        """Every request received, its path decoded (``/api/v4/projects/acme/api/...``)."""
        with self._lock:
            return [replace(r, path=unquote(r.path)) for r in self.received]

    def count(self, part: str = "") -> int:
        """Requests served whose path contains ``part``."""
        return sum(1 for r in self.requests if part in r.path)

    # -- rendering -------------------------------------------------------------------

    def user(self, username: str) -> dict[str, Any]:
        with self._lock:
            uid = self.user_ids.setdefault(username, 100 + len(self.user_ids))
        return {
            "id": uid,
            "username": username,
            "name": username.replace(".", " ").title(),
            "state": "active",
            "locked": False,
            "avatar_url": f"https://secure.gravatar.com/avatar/{uid}",
            "web_url": f"https://gitlab.example.com/{username}",
        }

    def _note(
        self, project: FakeProject, iid: int, kind: str, number: int, who: str, at: datetime, body: str,
        system: bool = False, note_type: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return {
            "id": 10_000 * number + iid * 100 + len(body) % 97,
            "type": note_type,
            "body": body,
            "attachment": None,
            "author": self.user(who),
            "created_at": stamp(at),
            "updated_at": stamp(at),
            "system": system,
            "noteable_id": 1000 + iid,
            "noteable_type": kind,
            "project_id": self._project_number(project),
            "resolvable": note_type == "DiffNote",
            "confidential": False,
            "internal": False,
            "noteable_iid": iid,
            "commands_changes": {},
        }

    def _project_number(self, project: FakeProject) -> int:
        return 1 + sorted(self.projects).index(project.path)

    def _references(self, project: FakeProject, sign: str, iid: int) -> dict[str, str]:
        return {
            "short": f"{sign}{iid}",
            "relative": f"{sign}{iid}",
            "full": f"{project.path}{sign}{iid}",
        }

    def render_mr(self, project: FakeProject, mr: FakeMR) -> dict[str, Any]:
        pending: dict[str, None] = dict.fromkeys(mr.reviewers_at_open)
        for action, reviewer, _, _ in sorted(mr.requests, key=lambda r: r[2]):
            if action == "requested":
                pending[reviewer] = None
            else:
                pending.pop(reviewer, None)
        reviewers = [self.user(r) for r in pending]
        key = (project.path, mr.iid)
        if key in self.reviewer_ids:
            by_id = {u["id"]: u["username"] for u in map(self.user, self.user_ids)}
            reviewers = [self.user(by_id[i]) for i in self.reviewer_ids[key]]
        return {
            "id": 1000 + mr.iid,
            "iid": mr.iid,
            "project_id": self._project_number(project),
            "title": mr.title,
            "description": mr.description,
            "state": mr.state,
            "created_at": stamp(mr.created),
            "updated_at": stamp(mr.updated),
            "merged_by": self.user(mr.author) if mr.merged else None,
            "merge_user": self.user(mr.author) if mr.merged else None,
            "merged_at": stamp(mr.merged),
            "closed_by": self.user(mr.author) if mr.closed else None,
            "closed_at": stamp(mr.closed),
            "target_branch": "main",
            "source_branch": mr.source_branch,
            "user_notes_count": len(mr.comments) + len(mr.diff_comments),
            "upvotes": 0,
            "downvotes": 0,
            "author": self.user(mr.author),
            "assignees": [self.user(mr.author)],
            "assignee": self.user(mr.author),
            "reviewers": reviewers,
            "source_project_id": self._project_number(project),
            "target_project_id": self._project_number(project),
            "labels": [],
            "draft": mr.draft,
            "work_in_progress": mr.draft,
            "milestone": mr.milestone.render(self._project_number(project))
            if mr.milestone
            else None,
            "merge_when_pipeline_succeeds": False,
            "merge_status": "can_be_merged",
            "detailed_merge_status": "mergeable",
            "sha": f"{mr.iid:040x}",
            "merge_commit_sha": None,
            "squash_commit_sha": None,
            "discussion_locked": None,
            "should_remove_source_branch": None,
            "force_remove_source_branch": True,
            "reference": f"!{mr.iid}",
            "references": self._references(project, "!", mr.iid),
            "web_url": f"https://gitlab.example.com/{project.path}/-/merge_requests/{mr.iid}",
            "time_stats": {"time_estimate": 0, "total_time_spent": 0},
            "squash": False,
            "task_completion_status": {"count": 0, "completed_count": 0},
            "has_conflicts": False,
            "blocking_discussions_resolved": True,
        }

    def mr_notes(self, project: FakeProject, mr: FakeMR) -> list[dict[str, Any]]:
        notes = []
        kind = "MergeRequest"
        for n, (action, reviewer, at, by) in enumerate(mr.requests):
            text = (
                "requested review from" if action == "requested" else "removed review request for"
            )
            notes.append(
                self._note(project, mr.iid, kind, n + 1, by, at, f"{text} @{reviewer}", True)
            )
        for n, (at, commits) in enumerate(mr.pushes):
            text = f"added {commits} commit{'s' if commits > 1 else ''}\n\n<ul><li>{n:08x} - Change</li></ul>"
            notes.append(self._note(project, mr.iid, kind, 20 + n, mr.author, at, text, True))
        for n, (who, at) in enumerate(mr.approvals):
            notes.append(
                self._note(
                    project, mr.iid, kind, 30 + n, who, at, "approved this merge request", True
                )
            )
        for n, (who, at) in enumerate(mr.unapprovals):
            text = "unapproved this merge request"
            notes.append(self._note(project, mr.iid, kind, 45 + n, who, at, text, True))
        for n, (who, at, body) in enumerate(mr.comments):
            notes.append(
                self._note(project, mr.iid, kind, 60 + n, who, at, body, False, "DiscussionNote")
            )
        for n, (who, at, body) in enumerate(mr.diff_comments):
            notes.append(
                self._note(project, mr.iid, kind, 90 + n, who, at, body, False, "DiffNote")
            )
        notes.extend(self.notes.get((project.path, mr.iid), []))
        return notes

    def render_issue(self, project: FakeProject, issue: FakeIssue) -> dict[str, Any]:
        key = (project.path, issue.iid)
        assignees = [self.user(a) for a in issue.assignees]
        if key in self.assignee_ids:
            by_id = {u["id"]: u["username"] for u in map(self.user, self.user_ids)}
            assignees = [self.user(by_id[i]) for i in self.assignee_ids[key]]
        epic = None
        if issue.epic is not None:
            group, epic_iid = issue.epic
            epic = {"id": 9000 + epic_iid, "iid": epic_iid, "title": f"Epic {epic_iid}",
                    "url": f"/groups/{group}/-/epics/{epic_iid}", "group_id": 7}  # fmt: skip
        return {
            "id": 2000 + issue.iid,
            "iid": issue.iid,
            "project_id": self._project_number(project),
            "title": issue.title,
            "description": "",
            "state": issue.state,
            "created_at": stamp(issue.created),
            "updated_at": stamp(issue.updated),
            "closed_at": stamp(issue.closed),
            "closed_by": self.user(issue.author) if issue.closed else None,
            "labels": issue.labels,
            "milestone": (
                issue.milestone.render(self._project_number(project)) if issue.milestone else None
            ),
            "assignees": assignees,
            "assignee": assignees[0] if assignees else None,
            "author": self.user(issue.author),
            "type": "ISSUE",
            "issue_type": "issue",
            "user_notes_count": len(issue.comments),
            "merge_requests_count": 0,
            "upvotes": 0,
            "downvotes": 0,
            "due_date": issue.due_date,
            "confidential": False,
            "discussion_locked": None,
            "web_url": f"https://gitlab.example.com/{project.path}/-/issues/{issue.iid}",
            "time_stats": {"time_estimate": 0, "total_time_spent": 0},
            "task_completion_status": {"count": 0, "completed_count": 0},
            "references": self._references(project, "#", issue.iid),
            "epic_iid": issue.epic[1] if issue.epic else None,
            "epic": epic,
        }

    def issue_notes(self, project: FakeProject, issue: FakeIssue) -> list[dict[str, Any]]:
        notes = []
        for n, (who, at, by) in enumerate(issue.assigned):
            notes.append(
                self._note(project, issue.iid, "Issue", 1 + n, by, at, f"assigned to @{who}", True)
            )
        for n, (who, at, body) in enumerate(issue.comments):
            notes.append(self._note(project, issue.iid, "Issue", 50 + n, who, at, body))
        return notes

    def issue_links(self, project: FakeProject, issue: FakeIssue) -> list[dict[str, Any]]:
        out = []
        for n, (link_type, path, iid) in enumerate(issue.links):
            other = self.projects.get(path)
            target = next((i for i in other.issues if i.iid == iid), None) if other else None
            if other is None or target is None:
                continue
            out.append(
                {
                    **self.render_issue(other, target),
                    "issue_link_id": 300 + n,
                    "link_type": link_type,
                    "link_created_at": stamp(issue.created),
                    "link_updated_at": stamp(issue.created),
                }
            )
        return out

    def state_events(self, project: FakeProject, issue: FakeIssue) -> list[dict[str, Any]]:
        return [
            {
                "id": 400 + n,
                "user": self.user(by),
                "created_at": stamp(at),
                "resource_type": "Issue",
                "resource_id": 2000 + issue.iid,
                "state": state,
            }
            for n, (state, at, by) in enumerate(issue.state_events)
        ]

    # -- serving ---------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Answer:
        parsed = urlparse(raw_path)
        path = parsed.path
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        if headers.get("private-token") != self.token:
            return 401, {}, {"message": "401 Unauthorized"}
        if not path.startswith("/api/v4/"):
            return 404, {}, {"error": "404 Not Found"}
        parts = [unquote(p) for p in path[len("/api/v4/") :].split("/")]
        data = json.loads(body) if body else {}
        if parts == ["user"]:
            return 200, {}, self.user(self.viewer)
        if parts == ["users"]:
            return 200, {}, [self.user(query["username"])] if query.get("username") else []
        if parts[0] == "groups" and len(parts) == 3 and parts[2] == "projects":
            group = parts[1]
            listed = [
                {
                    "id": self._project_number(p),
                    "path_with_namespace": p.path,
                    "archived": p.archived,
                }
                for path_, p in sorted(self.projects.items())
                if path_.startswith(group + "/")
                and (query.get("archived") != "false" or not p.archived)
            ]
            if not listed:
                return 404, {}, {"message": "404 Group Not Found"}
            return self._paged(path, query, listed)
        if parts[0] != "projects" or len(parts) < 3 or parts[1] not in self.projects:
            return 404, {}, {"message": "404 Project Not Found"}
        project = self.projects[parts[1]]
        kind, rest = parts[2], parts[3:]
        if kind == "merge_requests":
            return self._merge_requests(method, path, project, rest, query, data)
        if kind == "issues":
            return self._issues(method, path, project, rest, query, data)
        if kind == "repository" and len(rest) == 2 and rest[0] == "files" and "ref" in query:
            if rest[1] in project.files and project.files[rest[1]] is None:
                return 403, {}, {"message": "403 Forbidden"}
            text = project.files.get(rest[1])
            if text is None or query["ref"] != "HEAD":
                return 404, {}, {"message": "404 File Not Found"}
            content = base64.b64encode(text.encode()).decode()
            return 200, {}, {"file_path": rest[1], "encoding": "base64", "content": content}
        return 404, {}, {"error": "404 Not Found"}

    def _merge_requests(
        self, method: str, path: str, project: FakeProject, rest: list[str], query: dict[str, str],
        data: dict[str, Any],
    ) -> tuple[int, dict[str, str], Any]:  # fmt: skip
        if not rest:
            rendered = [self.render_mr(project, mr) for mr in project.merge_requests]
            return self._paged(path, query, self._filtered(rendered, query))
        mr = next((m for m in project.merge_requests if str(m.iid) == rest[0]), None)
        if mr is None:
            return 404, {}, {"message": "404 Not found"}
        key = (project.path, mr.iid)
        if len(rest) == 1 and method == "GET":
            return 200, {}, self.render_mr(project, mr)
        if len(rest) == 1 and method == "PUT":
            self.writes.append((method, path, data))
            by_id = {u["id"]: u["username"] for u in map(self.user, self.user_ids)}
            before = [u["id"] for u in self.render_mr(project, mr)["reviewers"]]
            after = list(data.get("reviewer_ids", before))
            self.reviewer_ids[key] = after
            added = [f"@{by_id[i]}" for i in after if i not in before]
            removed = [f"@{by_id[i]}" for i in before if i not in after]
            parts = []
            if added:
                parts.append("requested review from " + ", ".join(added))
            if removed:
                parts.append("removed review request for " + ", ".join(removed))
            if parts:
                self._add_note(project, mr, " and ".join(parts), system=True)
            return 200, {}, self.render_mr(project, mr)
        if rest[1:] == ["notes"] and method == "GET":
            return self._paged(
                path, query, sorted(self.mr_notes(project, mr), key=lambda n: n["created_at"])
            )
        if rest[1:] == ["discussions"] and method == "GET":
            return self._paged(path, query, self.discussions(project, mr))
        if rest[1:] == ["notes"] and method == "POST":
            self.writes.append((method, path, data))
            return 201, {}, self._add_note(project, mr, str(data["body"]), system=False)
        if len(rest) == 3 and rest[1] == "notes" and method == "PUT":
            self.writes.append((method, path, data))
            for note in self.notes.get(key, []):
                if str(note["id"]) == rest[2]:
                    note["body"] = data["body"]
                    note["updated_at"] = stamp(self.now)
                    return 200, {}, note
            return 404, {}, {"message": "404 Note Not Found"}
        if rest[1:] in (["diffs"], ["changes"]):
            diffs = [
                {"old_path": f, "new_path": f, "a_mode": "100644", "b_mode": "100644",
                 "diff": "@@ -1 +1 @@\n-a\n+b\n", "new_file": False, "renamed_file": False,
                 "deleted_file": False, "generated_file": False}
                for f in mr.files
            ]  # fmt: skip
            if rest[1] == "changes":
                return 200, {}, {**self.render_mr(project, mr), "changes": diffs}
            if self.before_15_7:
                return 404, {}, {"error": "404 Not Found"}
            return self._paged(path, query, diffs)
        return 404, {}, {"error": "404 Not Found"}

    def _add_note(
        self, project: FakeProject, mr: FakeMR, body: str, *, system: bool,
        who: str | None = None, discussion: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        with self._lock:
            self._next_id += 1
            note_id = self._next_id
        author = who or self.viewer
        note = self._note(project, mr.iid, "MergeRequest", 0, author, self.now, body, system)
        note["id"] = note_id
        if discussion is not None:
            note["type"] = "DiscussionNote"
        self.discussion_of[note_id] = discussion or f"{note_id:040x}"
        self.notes.setdefault((project.path, mr.iid), []).append(note)
        return note

    def reply(self, project: str, iid: int, note_id: int, who: str, body: str) -> dict[str, Any]:
        """``who`` replies in the discussion of note ``note_id`` on ``project!iid``."""
        fake_project = self.projects[project]
        mr = next(m for m in fake_project.merge_requests if m.iid == iid)
        discussion = self.discussion_of[note_id]
        return self._add_note(fake_project, mr, body, system=False, who=who, discussion=discussion)

    def edit(self, project: str, iid: int, note_id: int, body: str, *, at: datetime) -> None:
        """Someone (a Maintainer may edit anyone's note) changes note ``note_id`` at ``at``:
        GitLab keeps its author and moves ``updated_at``."""
        for note in self.notes.get((project, iid), []):
            if note["id"] == note_id:
                note["body"], note["updated_at"] = body, stamp(at)

    def discussions(self, project: FakeProject, mr: FakeMR) -> list[dict[str, Any]]:
        """The MR's discussions as GitLab lists them: each note not in a thread is its own."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for note in sorted(self.mr_notes(project, mr), key=lambda n: n["created_at"]):
            key = self.discussion_of.get(note["id"], f"{note['id']:040x}")
            grouped.setdefault(key, []).append(note)
        return [
            {"id": key, "individual_note": len(notes) == 1 and notes[0]["type"] is None,
             "notes": notes}
            for key, notes in grouped.items()
        ]  # fmt: skip

    def _issues(
        self, method: str, path: str, project: FakeProject, rest: list[str], query: dict[str, str],
        data: dict[str, Any],
    ) -> tuple[int, dict[str, str], Any]:  # fmt: skip
        if not rest:
            rendered = [self.render_issue(project, i) for i in project.issues]
            return self._paged(path, query, self._filtered(rendered, query))
        issue = next((i for i in project.issues if str(i.iid) == rest[0]), None)
        if issue is None:
            return 404, {}, {"message": "404 Not found"}
        if len(rest) == 1 and method == "GET":
            return 200, {}, self.render_issue(project, issue)
        if len(rest) == 1 and method == "PUT":
            self.writes.append((method, path, data))
            self.assignee_ids[(project.path, issue.iid)] = list(data.get("assignee_ids", []))
            return 200, {}, self.render_issue(project, issue)
        if rest[1:] == ["notes"]:
            return self._paged(path, query, self.issue_notes(project, issue))
        if rest[1:] == ["links"]:
            return 200, {}, self.issue_links(project, issue)  # not paginated in GitLab
        if rest[1:] == ["resource_state_events"]:
            return self._paged(path, query, self.state_events(project, issue))
        return 404, {}, {"error": "404 Not Found"}

    @staticmethod
    def _filtered(items: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
        def at(value: str) -> datetime:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))

        out = items
        if "updated_after" in query:
            out = [i for i in out if at(i["updated_at"]) >= at(query["updated_after"])]
        if "updated_before" in query:
            out = [i for i in out if at(i["updated_at"]) <= at(query["updated_before"])]
        if query.get("state") in ("opened", "closed", "merged"):
            out = [i for i in out if i["state"] == query["state"]]
        reverse = query.get("sort", "desc") == "desc"
        return sorted(out, key=lambda i: (i["updated_at"], i["iid"]), reverse=reverse)

    def _paged(
        self, path: str, query: dict[str, str], items: list[Any]
    ) -> tuple[int, dict[str, str], Any]:
        per_page = min(int(query.get("per_page", 20)), 100)
        page = int(query.get("page", 1))
        total_pages = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        if page < total_pages:
            nxt = {**query, "page": str(page + 1)}
            headers["Link"] = f'<{self.url}{quote(path, safe="/%")}?{urlencode(nxt)}>; rel="next"'
        if not self.link_only:
            headers.update(
                {
                    "x-page": str(page),
                    "x-per-page": str(per_page),
                    "x-total": str(len(items)),
                    "x-total-pages": str(total_pages),
                    "x-next-page": str(page + 1) if page < total_pages else "",
                    "x-prev-page": str(page - 1) if page > 1 else "",
                }
            )
        return 200, headers, chunk


def days(n: float) -> timedelta:
    return timedelta(days=n)
