"""Writes to GitHub for ``leadkit comment`` / ``leadkit apply``: comments, review requests, assignees.

Every call goes through :class:`leadkit_github.transport.Transport`, so writes
get the same timeouts, rate-limit waits, counting and secret redaction as
reads. Creating a comment is the one request that must not run twice: it is
sent without transient retries, and when it gets no clear answer the PR's
comments are read again before trying once more.
"""

from __future__ import annotations

from typing import Any

from leadkit.errors import DataError
from leadkit.hosts import HostComment, NoSuchPullRequest, WriteRefused
from leadkit_github.transport import Forbidden, MaybeDone, NotFound, Transport

TRACKER = "github"


class GitHubWrites:
    """A :class:`leadkit.hosts.ReviewHost` and :class:`leadkit.hosts.TicketWriter` for GitHub."""

    tracker = TRACKER

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def __repr__(self) -> str:
        return f"GitHubWrites({self.transport!r})"

    def close(self) -> None:
        self.transport.close()

    # -- plumbing -------------------------------------------------------------------

    def _call(
        self, verb: str, path: str, *, what: str, body: Any = None, once: bool = False
    ) -> Any:
        try:
            reply = self.transport.rest(verb, path, what=what, body=body, retry_transient=not once)
        except Forbidden as exc:
            raise WriteRefused(str(exc)) from None
        except NotFound as exc:
            raise NoSuchPullRequest(exc.message) from None
        return reply.data

    # -- ReviewHost -----------------------------------------------------------------

    def check_pull(self, repo: str, number: int) -> None:
        """Raise :class:`NoSuchPullRequest` naming ``repo#number`` unless it is a visible PR."""
        try:
            self.transport.rest("GET", f"/repos/{repo}/pulls/{number}", what=f"{repo}#{number}")
        except NotFound:
            raise NoSuchPullRequest(
                self.transport._msg(
                    f"pull request {repo}#{number} was not found, or the token in "
                    f"{self.transport.token_env} cannot see it (404)"
                )
            ) from None

    def whoami(self) -> str | None:
        """The token's login (``GET /user``); None for app tokens, which may not ask."""
        try:
            data = self.transport.rest("GET", "/user", what="the token's user").data
        except (Forbidden, NotFound):
            return None
        login = data.get("login") if isinstance(data, dict) else None
        return str(login) if login else None

    def find_comment(
        self, repo: str, number: int, marker: str, author: str | None
    ) -> HostComment | None:
        """The first comment holding ``marker`` (by ``author`` when given), reading every page."""
        what = f"the comments of {repo}#{number}"
        try:
            for page in self.transport.rest_pages(
                f"/repos/{repo}/issues/{number}/comments", what=what
            ):
                for raw in page:
                    comment = _comment(raw)
                    if marker in comment.body and (author is None or comment.author == author):
                        return comment
        except NotFound as exc:
            raise NoSuchPullRequest(exc.message) from None
        except Forbidden as exc:
            raise WriteRefused(str(exc)) from None
        return None

    def create_comment(self, repo: str, number: int, body: str, marker: str) -> HostComment:
        """Post a comment; after an unclear failure, look for it before posting again."""
        path = f"/repos/{repo}/issues/{number}/comments"
        what = f"a comment on {repo}#{number}"
        try:
            return _comment(self._call("POST", path, what=what, body={"body": body}, once=True))
        except MaybeDone:
            me = self.whoami()
            found = self.find_comment(repo, number, marker, me)
            if found is not None:
                return found
        return _comment(self._call("POST", path, what=what, body={"body": body}, once=True))

    def edit_comment(self, repo: str, number: int, comment_id: int, body: str) -> HostComment:
        data = self._call(
            "PATCH",
            f"/repos/{repo}/issues/comments/{comment_id}",
            what=f"leadkit's comment on {repo}#{number}",
            body={"body": body},
        )
        return _comment(data)

    def request_review(self, repo: str, number: int, logins: list[str]) -> None:
        self._call(
            "POST",
            f"/repos/{repo}/pulls/{number}/requested_reviewers",
            what=f"a review request on {repo}#{number}",
            body={"reviewers": logins},
        )

    def remove_review_request(self, repo: str, number: int, logins: list[str]) -> None:
        self._call(
            "DELETE",
            f"/repos/{repo}/pulls/{number}/requested_reviewers",
            what=f"removing a review request on {repo}#{number}",
            body={"reviewers": logins},
        )

    # -- TicketWriter ---------------------------------------------------------------

    def reassign(self, key: str, to_account: str, from_account: str | None) -> str:
        """Assign the issue ``owner/name#n`` to ``to_account`` and unassign ``from_account``."""
        repo, _, number = key.rpartition("#")
        if not repo or not number.isdigit():
            raise DataError(f"'{key}' is not a GitHub issue (owner/name#number)")
        path = f"/repos/{repo}/issues/{number}/assignees"
        self._call("POST", path, what=f"assigning {key}", body={"assignees": [to_account]})
        if from_account and from_account != to_account:
            self._call(
                "DELETE", path, what=f"unassigning {key}", body={"assignees": [from_account]}
            )
            return f"assigned {key} to {to_account} and unassigned {from_account}"
        return f"assigned {key} to {to_account}"


def _comment(raw: Any) -> HostComment:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
        raise DataError("GitHub sent a comment without an id")
    user = raw.get("user") if isinstance(raw.get("user"), dict) else {}
    return HostComment(id=raw["id"], body=str(raw.get("body") or ""), author=user.get("login"))
