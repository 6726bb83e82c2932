"""Writes to GitHub for ``leadkit comment`` / ``leadkit apply``: comments, review requests, assignees.

Every call goes through :class:`leadkit_github.transport.Transport`, so writes
get the same timeouts, rate-limit waits, counting and secret redaction as
reads. Creating a comment is the one request that must not run twice: it is
sent without transient retries, and when it gets no clear answer the PR's
comments are read again before trying once more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from leadkit.api import (
    DataError,
    History,
    HostComment,
    HostIssue,
    LeadkitError,
    NoSuchPullRequest,
    Revision,
    WriteRefused,
    create_once,
    parse_datetime,
    written_by_leadkit,
)
from leadkit_github.transport import Forbidden, NotFound, Transport

TRACKER = "github"
VIEWER_QUERY = "query LeadkitViewer { viewer { __typename login } }"
HISTORY_QUERY = """
query LeadkitCommentHistory($id: ID!, $after: String) {
  node(id: $id) {
    ... on IssueComment {
      userContentEdits(first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { editedAt deletedAt diff editor { __typename login } }
      }
    }
  }
}
"""
"""A comment's saved versions, 100 a page (GitHub's most). GitHub lists them newest
first; the oldest is the body as posted (recorded when the comment is first edited);
``diff`` holds the whole body of that version, ``editor`` who saved it."""
HISTORY_PAGES = 20
"""Pages of edits read at most (2,000 edits, one GraphQL point each) looking for
leadkit's own last version."""


class GitHubWrites:
    """A :class:`leadkit.pr.code_hosts.ReviewHost`, :class:`~leadkit.pr.code_hosts.IssueHost` and
    :class:`~leadkit.pr.code_hosts.TicketWriter` for GitHub."""

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

    def app_login(self) -> str | None:
        """GraphQL's ``viewer`` as REST spells it: an installation token's bot is ``name[bot]``.

        (``GET /user`` answers 403 to such a token, and ``GET /app`` wants the
        app's JWT, which leadkit never holds.)
        """
        try:
            data = self.transport.graphql(VIEWER_QUERY, {}, what="the token's account")
        except (LeadkitError, NotFound):
            return None
        return _login(data.get("viewer"))

    def comment_history(self, comment: HostComment) -> list[Revision] | None:
        """The comment's versions, oldest first, from ``IssueComment.userContentEdits``.

        GitHub gives 100 edits a page, newest first: pages are read until one holds
        leadkit's own last version (saved by the comment's author, as leadkit wrote it),
        so any number of later edits cannot hide it; past :data:`HISTORY_PAGES` pages
        the :class:`History` says why leadkit read no further.
        """
        if not comment.node_id:
            return None
        newest_first: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                data = self.transport.graphql(
                    HISTORY_QUERY,
                    {"id": comment.node_id, "after": after},
                    what="the edit history of leadkit's comment",
                )
            except (LeadkitError, NotFound):
                return None
            edits = (data.get("node") or {}).get("userContentEdits")
            if not isinstance(edits, dict) or not isinstance(edits.get("nodes"), list):
                return None
            page = [n for n in edits["nodes"] if isinstance(n, dict)]
            newest_first += page
            raw_info = edits.get("pageInfo")
            info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
            after = info.get("endCursor")
            if (
                any(_leadkits(node, comment.author) for node in page)
                or not info.get("hasNextPage")
                or not isinstance(after, str)
            ):
                return History(_revisions(newest_first))
        read = len(newest_first)
        return History(
            _revisions(newest_first),
            cut=f"its edit history has more than {read:,} edits and leadkit's own last version "
            f"is not among the newest {read:,} it reads (run leadkit comment to write it afresh)",
        )

    def find_comment(self, repo: str, number: int, marker: str, author: str) -> HostComment | None:
        """The first comment holding ``marker`` and posted by ``author``, reading every page."""
        what = f"the comments of {repo}#{number}"
        try:
            for page in self.transport.rest_pages(
                f"/repos/{repo}/issues/{number}/comments", what=what
            ):
                for raw in page:
                    comment = _comment(raw)
                    if marker in comment.body and _same(comment.author, author):
                        return comment
        except NotFound as exc:
            raise NoSuchPullRequest(exc.message) from None
        except Forbidden as exc:
            raise WriteRefused(str(exc)) from None
        return None

    def create_comment(
        self, repo: str, number: int, body: str, marker: str, author: str
    ) -> HostComment:
        """Post a comment; after an unclear failure, look for ``author``'s before posting again."""
        path = f"/repos/{repo}/issues/{number}/comments"
        what = f"a comment on {repo}#{number}"
        return create_once(
            lambda: _comment(self._call("POST", path, what=what, body={"body": body}, once=True)),
            lambda: self.find_comment(repo, number, marker, author),
        )

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

    # -- IssueHost ------------------------------------------------------------------

    def _issues_call(
        self, verb: str, path: str, *, what: str, body: Any = None, once: bool = False
    ) -> Any:
        """An issues request; a refusal names the permission the workflow needs."""
        try:
            return self.transport.rest(
                verb, path, what=what, body=body, retry_transient=not once
            ).data
        except Forbidden as exc:
            raise WriteRefused(
                f"{exc} (a workflow needs `permissions: issues: write` to keep the report issue)"
            ) from None
        except NotFound:
            raise LeadkitError(
                self.transport._msg(
                    f"{what}: the repository was not found, or the token in "
                    f"{self.transport.token_env} cannot see it (404)"
                )
            ) from None

    def find_issue(self, repo: str, marker: str, author: str) -> HostIssue | None:
        """The first open issue holding ``marker`` and opened by ``author``, every page read
        (pull requests, which GitHub lists among issues, are skipped)."""
        what = f"the open issues of {repo}"
        try:
            for page in self.transport.rest_pages(
                f"/repos/{repo}/issues", what=what, params={"state": "open"}
            ):
                for raw in page:
                    if not isinstance(raw, dict) or "pull_request" in raw:
                        continue
                    issue = _issue(raw)
                    if marker in issue.body and _same(issue.author, author):
                        return issue
        except Forbidden as exc:
            raise WriteRefused(str(exc)) from None
        except NotFound:
            raise LeadkitError(
                self.transport._msg(
                    f"repository {repo} was not found, or the token in "
                    f"{self.transport.token_env} cannot see it (404)"
                )
            ) from None
        return None

    def create_issue(
        self, repo: str, title: str, body: str, labels: Sequence[str] = ()
    ) -> HostIssue:
        """Open an issue (sent once: after an unclear failure nothing is retried, so no twin)."""
        sent: dict[str, Any] = {"title": title, "body": body}
        if labels:
            sent["labels"] = list(labels)
        what = f"a new issue in {repo}"
        return _issue(
            self._issues_call("POST", f"/repos/{repo}/issues", what=what, body=sent, once=True)
        )

    def edit_issue(self, repo: str, number: int, title: str, body: str) -> HostIssue:
        data = self._issues_call(
            "PATCH",
            f"/repos/{repo}/issues/{number}",
            what=f"the report issue {repo}#{number}",
            body={"title": title, "body": body},
        )
        return _issue(data)

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
    user: dict[str, Any] = raw["user"] if isinstance(raw.get("user"), dict) else {}
    node_id = raw.get("node_id")
    return HostComment(
        id=raw["id"],
        body=str(raw.get("body") or ""),
        author=user.get("login"),
        node_id=node_id if isinstance(node_id, str) else None,
    )


def _issue(raw: Any) -> HostIssue:
    if not isinstance(raw, dict) or not isinstance(raw.get("number"), int):
        raise DataError("GitHub sent an issue without a number")
    user: dict[str, Any] = raw["user"] if isinstance(raw.get("user"), dict) else {}
    url = raw.get("html_url")
    return HostIssue(
        number=raw["number"],
        body=str(raw.get("body") or ""),
        author=user.get("login"),
        url=url if isinstance(url, str) else None,
    )


def _login(actor: Any) -> str | None:
    """A GraphQL actor's login as REST spells it (GraphQL drops a bot's ``[bot]``)."""
    if not isinstance(actor, dict) or not isinstance(actor.get("login"), str):
        return None
    login: str = actor["login"]
    if actor.get("__typename") == "Bot" and not login.endswith("[bot]"):
        return f"{login}[bot]"
    return login


def _revisions(newest_first: list[dict[str, Any]]) -> list[Revision]:
    """Edits as GitHub lists them (newest first), as versions oldest first by time
    (ties kept in that order)."""
    nodes = list(reversed(newest_first))
    nodes.sort(key=lambda n: _when(n.get("editedAt")))
    return [
        Revision(
            editor=_login(node.get("editor")),
            body=None if node.get("deletedAt") or node.get("diff") is None else node["diff"],
        )
        for node in nodes
    ]


def _leadkits(node: dict[str, Any], author: str | None) -> bool:
    """Whether an edit is a version leadkit saved itself: by the comment's author (the
    account leadkit posts as), exactly as leadkit wrote it."""
    diff = node.get("diff")
    return (
        author is not None
        and _same(_login(node.get("editor")), author)
        and isinstance(diff, str)
        and not node.get("deletedAt")
        and written_by_leadkit(diff)
    )


def _same(login: str | None, other: str) -> bool:
    """GitHub logins are case-insensitive."""
    return login is not None and login.casefold() == other.casefold()


def _when(stamp: Any) -> datetime:
    """An ``editedAt`` for sorting (unreadable ones first)."""
    try:
        return parse_datetime(str(stamp), what="editedAt")
    except LeadkitError:
        return datetime.min.replace(tzinfo=UTC)
