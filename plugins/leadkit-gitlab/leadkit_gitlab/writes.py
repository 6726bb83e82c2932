"""Writes to GitLab for ``leadkit comment`` / ``leadkit apply``: one MR note, reviewers, assignees.

Every call goes through :class:`leadkit_gitlab.client.GitLabClient`, so writes
get the same timeouts, rate-limit waits, counting and redaction as reads.
Creating the note is the one request that must not run twice: it is sent
without transient retries, and when it gets no clear answer the MR's notes are
read again before trying once more.

Reviewers and assignees are set whole (``PUT .../merge_requests/:iid`` with
``reviewer_ids``, ``PUT .../issues/:iid`` with ``assignee_ids``), so each
change reads the current list first and changes only the people asked for.

GitLab's REST API keeps no edit history of a note, so :meth:`comment_history`
says so (None): a box ticked in the note cannot be attributed and is never
acted on. Instead the lead approves by replying in the note's discussion
(``apply <id>``): :meth:`comment_replies` gives those replies with their
authors, which GitLab records, and ``leadkit.pr.trust.vet_replies`` decides
which count. GitLab lets a Maintainer edit anyone's note and keeps the first
author on it, so a reply changed after it was posted (``updated_at`` later than
``created_at``, or edit metadata such as ``last_edited_at``) is marked
``edited``: it counts as nobody's.
"""

from __future__ import annotations

from typing import Any

from leadkit.api import (
    DataError,
    HostComment,
    LeadkitError,
    NoSuchPullRequest,
    Revision,
    ThreadReply,
    WriteRefused,
    create_once,
    parse_datetime,
)
from leadkit_gitlab.client import Forbidden, GitLabClient, NotFound, project_id

TRACKER = "gitlab"


class GitLabWrites:
    """A ``ReviewHost`` and ``TicketWriter`` (see :mod:`leadkit.pr.code_hosts`) for GitLab."""

    tracker = TRACKER
    ref_sep = "!"
    """A merge request is ``group/name!12`` (see ``leadkit.pr.code_hosts``)."""

    def __init__(self, client: GitLabClient) -> None:
        self.client = client
        self._user_ids: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"GitLabWrites({self.client!r})"

    def close(self) -> None:
        self.client.close()

    # -- plumbing -------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        once: bool = False,
    ) -> Any:
        try:
            if method == "GET":
                return self.client.get(path, params, what=what)
            return self.client.send(method, path, body or {}, what=what, once=once)
        except Forbidden as exc:
            raise WriteRefused(str(exc)) from None
        except NotFound as exc:
            raise NoSuchPullRequest(str(exc)) from None

    @staticmethod
    def _mr(repo: str, number: int) -> str:
        return f"/projects/{project_id(repo)}/merge_requests/{number}"

    def _user_id(self, username: str) -> int:
        """The numeric id of ``username`` (``GET /users?username=``), read once per run."""
        if username not in self._user_ids:
            found = self._call(
                "GET", "/users", params={"username": username}, what=f"the user @{username}"
            )
            users = [u for u in found if isinstance(u, dict)] if isinstance(found, list) else []
            if not users or not isinstance(users[0].get("id"), int):
                raise DataError(self.client.http.message(f"GitLab has no user @{username}"))
            self._user_ids[username] = users[0]["id"]
        return self._user_ids[username]

    def _reviewer_ids(self, repo: str, number: int) -> list[int]:
        mr = self._call("GET", self._mr(repo, number), what=f"merge request {repo}!{number}")
        reviewers = mr.get("reviewers") if isinstance(mr, dict) else None
        return [
            r["id"] for r in reviewers or [] if isinstance(r, dict) and isinstance(r.get("id"), int)
        ]

    # -- ReviewHost -----------------------------------------------------------------

    def check_pull(self, repo: str, number: int) -> None:
        """Raise :class:`NoSuchPullRequest` naming ``repo!number`` unless it is a visible MR."""
        try:
            self.client.get(self._mr(repo, number), what=f"merge request {repo}!{number}")
        except NotFound:
            raise NoSuchPullRequest(
                self.client.http.message(
                    f"merge request {repo}!{number} was not found, or the token in "
                    f"{self.client.token_env} cannot see it (404)"
                )
            ) from None

    def whoami(self) -> str | None:
        """The token's username (``GET /user``; project and group tokens have one too)."""
        try:
            data = self.client.get("/user", what="the token's user")
        except (Forbidden, NotFound):
            return None
        username = data.get("username") if isinstance(data, dict) else None
        return str(username) if username else None

    def app_login(self) -> str | None:
        """GitLab has no app installations: the token's user posts (see :meth:`whoami`)."""
        return None

    def comment_history(self, comment: HostComment) -> list[Revision] | None:
        """None: GitLab's REST API keeps no edit history of a note."""
        return None

    def comment_replies(self, repo: str, number: int, comment: HostComment) -> list[ThreadReply]:
        """The notes after ``comment`` in its discussion, oldest first, with their authors
        (``GET .../merge_requests/:iid/discussions``, every page read; system notes left out)."""
        what = f"the discussions of {repo}!{number}"
        try:
            for page in self.client.pages(f"{self._mr(repo, number)}/discussions", what=what):
                for discussion in page:
                    raw = discussion.get("notes") if isinstance(discussion, dict) else None
                    notes = [n for n in raw or [] if isinstance(n, dict)]
                    if not any(n.get("id") == comment.id for n in notes):
                        continue
                    after = notes[[n.get("id") for n in notes].index(comment.id) + 1 :]
                    return [
                        ThreadReply(note.id, note.author, note.body, edited=_edited(raw))
                        for raw, note in ((n, _note(n)) for n in after if not n.get("system"))
                    ]
        except NotFound as exc:
            raise NoSuchPullRequest(str(exc)) from None
        except Forbidden as exc:
            raise WriteRefused(str(exc)) from None
        return []

    def find_comment(self, repo: str, number: int, marker: str, author: str) -> HostComment | None:
        """The first user note holding ``marker`` and written by ``author``, every page read."""
        what = f"the notes of {repo}!{number}"
        try:
            for page in self.client.pages(
                f"{self._mr(repo, number)}/notes",
                {"sort": "asc", "order_by": "created_at"},
                what=what,
            ):
                for raw in page:
                    if isinstance(raw, dict) and raw.get("system"):
                        continue
                    note = _note(raw)
                    if marker in note.body and _same(note.author, author):
                        return note
        except NotFound as exc:
            raise NoSuchPullRequest(str(exc)) from None
        except Forbidden as exc:
            raise WriteRefused(str(exc)) from None
        return None

    def create_comment(
        self, repo: str, number: int, body: str, marker: str, author: str
    ) -> HostComment:
        """Post a note; after an unclear failure, look for ``author``'s before posting again."""
        path = f"{self._mr(repo, number)}/notes"
        what = f"a note on {repo}!{number}"
        return create_once(
            lambda: _note(self._call("POST", path, what=what, body={"body": body}, once=True)),
            lambda: self.find_comment(repo, number, marker, author),
        )

    def edit_comment(self, repo: str, number: int, comment_id: int, body: str) -> HostComment:
        """Replace the note's body in place."""
        data = self._call(
            "PUT",
            f"{self._mr(repo, number)}/notes/{comment_id}",
            what=f"leadkit's note on {repo}!{number}",
            body={"body": body},
        )
        return _note(data)

    def request_review(self, repo: str, number: int, logins: list[str]) -> None:
        """Add these people to the MR's reviewers (keeping the others)."""
        current = self._reviewer_ids(repo, number)
        wanted = current + [i for i in map(self._user_id, logins) if i not in current]
        self._call(
            "PUT",
            self._mr(repo, number),
            what=f"a review request on {repo}!{number}",
            body={"reviewer_ids": wanted},
        )

    def remove_review_request(self, repo: str, number: int, logins: list[str]) -> None:
        """Take these people off the MR's reviewers (keeping the others)."""
        current = self._reviewer_ids(repo, number)
        removed = {self._user_id(login) for login in logins}
        self._call(
            "PUT",
            self._mr(repo, number),
            what=f"removing a review request on {repo}!{number}",
            body={"reviewer_ids": [i for i in current if i not in removed]},
        )

    # -- TicketWriter ---------------------------------------------------------------

    def reassign(self, key: str, to_account: str, from_account: str | None) -> str:
        """Assign the issue ``group/name#iid`` to ``to_account`` in place of ``from_account``."""
        project, _, iid = key.rpartition("#")
        if not project or not iid.isdigit():
            raise DataError(f"'{key}' is not a GitLab issue (group/name#iid)")
        path = f"/projects/{project_id(project)}/issues/{iid}"
        issue = self._call("GET", path, what=f"issue {key}")
        current = [
            a["id"]
            for a in (issue.get("assignees") if isinstance(issue, dict) else None) or []
            if isinstance(a, dict) and isinstance(a.get("id"), int)
        ]
        gone = self._user_id(from_account) if from_account and from_account != to_account else None
        target = self._user_id(to_account)
        wanted = [i for i in current if i not in (gone, target)] + [target]
        self._call("PUT", path, what=f"assigning {key}", body={"assignee_ids": wanted})
        if gone is not None:
            return f"assigned {key} to {to_account} and unassigned {from_account}"
        return f"assigned {key} to {to_account}"


def _note(raw: Any) -> HostComment:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
        raise DataError("GitLab sent a note without an id")
    author: dict[str, Any] = raw["author"] if isinstance(raw.get("author"), dict) else {}
    username = author.get("username")
    return HostComment(
        id=raw["id"],
        body=str(raw.get("body") or ""),
        author=username if isinstance(username, str) else None,
    )


def _edited(raw: dict[str, Any]) -> bool:
    """Whether a note was changed after it was posted; unreadable times count as changed."""
    if raw.get("last_edited_at") or raw.get("last_edited_by"):
        return True
    created, updated = raw.get("created_at"), raw.get("updated_at")
    if updated is None:
        return False
    try:
        return parse_datetime(str(updated), what="updated_at") > parse_datetime(
            str(created), what="created_at"
        )
    except LeadkitError:
        return True


def _same(username: str | None, other: str) -> bool:
    """GitLab usernames are case-insensitive."""
    return username is not None and username.casefold() == other.casefold()
