"""What ``leadkit comment`` and ``leadkit apply`` need from a code host and a tracker.

The core never speaks GitHub or Jira: it asks the configured source adapters
for these small objects. A source adapter offers them by defining methods:

- ``review_host(repo) -> ReviewHost`` and ``covers(repo) -> bool`` on a code
  host's adapter (GitHub today; a GitLab adapter can offer the same);
- ``ticket_writer() -> TicketWriter`` on a tracker's adapter (Jira, GitHub issues);
- ``issue_host(repo) -> IssueHost`` on a code host's adapter, for ``--publish
  github-issue`` (the report kept as one issue per team).

A review host whose comments keep no edit history (GitLab) can offer
``comment_replies(repo, number, comment) -> list[ThreadReply]``: the replies in the
comment's thread, each with its author. ``leadkit apply`` then takes approvals
from those replies (``apply <id>`` lines, :mod:`leadkit.pr.trust`) instead of ticks.

Both are looked up with :func:`getattr`, so adapters without them are simply
not used for writes. A review host whose requests are not spelled
``repo#number`` says so with a ``ref_sep`` attribute (GitLab: ``"!"``, as
:attr:`leadkit.model.data.Review.ref_sep`); the default is ``"#"``. Methods raise :class:`leadkit.errors.LeadkitError`
subclasses with one-line messages; :class:`WriteRefused` marks a write the
token may not make (403), :class:`NoSuchPullRequest` a PR that is not there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

from leadkit.errors import LeadkitError, SourceError
from leadkit.http import MaybeDone

Created = TypeVar("Created")


class WriteRefused(SourceError):
    """The host refused a write with this token (HTTP 403 that is not a rate limit)."""


class NoSuchPullRequest(SourceError):
    """The pull request does not exist, or the token cannot see it."""


@dataclass(frozen=True)
class HostComment:
    """One comment on a pull request."""

    id: int
    body: str
    author: str | None = None
    node_id: str | None = None
    """The host's global id of the comment (GitHub's ``node_id``), to read its edit history."""


@dataclass(frozen=True)
class Revision:
    """One version of a comment's body in the host's edit history."""

    editor: str | None
    """Who saved this version (a login as the host's REST API spells it, bots with
    ``[bot]``); None when the host does not say (a deleted account)."""
    body: str | None
    """The whole body as saved; None when the version was deleted from the history."""


class History(list[Revision]):
    """A comment's versions, oldest first, as far back as the host read them.

    ``cut`` says why the host read no further back when it stopped before leadkit's
    own last version (too many edits to read); empty when the history is whole or
    reaches back to that version.
    """

    def __init__(self, versions: Sequence[Revision] = (), *, cut: str = "") -> None:
        super().__init__(versions)
        self.cut = cut


@dataclass(frozen=True)
class ThreadReply:
    """One reply in the thread of leadkit's comment (GitLab: a note in its discussion)."""

    id: int
    """The host's id of the reply; a later reply has a higher id (GitLab's note ids do)."""
    author: str | None
    """Who wrote it, as the host spells logins; None when the host does not say."""
    body: str
    edited: bool = False
    """Changed after it was posted: the host keeps the original author, but the words may
    be someone else's (on GitLab a Maintainer may edit anyone's note), so it is nobody's."""


@runtime_checkable
class ReviewHost(Protocol):
    """Pull-request comments and review requests on one code host."""

    tracker: str
    """The tracker name of the host's accounts (``"github"``), to find people's logins."""

    def check_pull(self, repo: str, number: int) -> None:
        """Raise :class:`NoSuchPullRequest` unless ``repo#number`` is a visible pull request."""

    def whoami(self) -> str | None:
        """The token's own login, or None when the host will not say (an app token)."""

    def app_login(self) -> str | None:
        """The login an app's installation token posts as (``name[bot]``), or None when unknown."""

    def find_comment(self, repo: str, number: int, marker: str, author: str) -> HostComment | None:
        """The first comment on the PR containing ``marker`` and posted by ``author``, all pages read."""

    def create_comment(
        self, repo: str, number: int, body: str, marker: str, author: str
    ) -> HostComment:
        """Post a new comment as ``author`` (never twice, even when the first attempt got no answer)."""

    def comment_history(self, comment: HostComment) -> list[Revision] | None:
        """Every saved version of ``comment``, oldest first (the first as posted); ``[]`` when
        it was never edited; None when the host keeps no history or will not give it.

        A host whose history comes in pages may stop once it has read back to leadkit's
        own last version (saved by ``comment.author`` and
        :func:`leadkit.pr.comment.written_by_leadkit`); when it stops short of that for
        another reason it returns a :class:`History` saying why."""

    def edit_comment(self, repo: str, number: int, comment_id: int, body: str) -> HostComment:
        """Replace a comment's body."""

    def request_review(self, repo: str, number: int, logins: list[str]) -> None:
        """Ask these people to review the PR."""

    def remove_review_request(self, repo: str, number: int, logins: list[str]) -> None:
        """Withdraw these people's pending review requests."""


@dataclass(frozen=True)
class HostIssue:
    """One issue on a code host, as ``--publish github-issue`` keeps it."""

    number: int
    body: str
    author: str | None = None
    url: str | None = None


@runtime_checkable
class IssueHost(Protocol):
    """Issues on one code host: the report kept in one issue per team, edited in place."""

    def whoami(self) -> str | None:
        """The token's own login, or None when the host will not say (an app token)."""

    def app_login(self) -> str | None:
        """The login an app's installation token posts as (``name[bot]``), or None when unknown."""

    def find_issue(self, repo: str, marker: str, author: str) -> HostIssue | None:
        """The first open issue of ``repo`` whose body holds ``marker`` and that ``author`` opened."""

    def create_issue(
        self, repo: str, title: str, body: str, labels: Sequence[str] = ()
    ) -> HostIssue:
        """Open a new issue."""

    def edit_issue(self, repo: str, number: int, title: str, body: str) -> HostIssue:
        """Replace an issue's title and body."""


@runtime_checkable
class TicketWriter(Protocol):
    """Reassigning a ticket on one tracker."""

    tracker: str
    """The tracker name of the accounts it takes (``"jira"``, ``"github"``)."""

    def reassign(self, key: str, to_account: str, from_account: str | None) -> str:
        """Assign ``key`` to ``to_account`` (an account id on this tracker); a one-line account of what was done."""


def create_once(post: Callable[[], Created], find: Callable[[], Created | None]) -> Created:
    """What ``post`` creates, created once even when the first try's outcome is unclear.

    ``post`` makes one request that is not repeated on its own
    (``HttpClient.request(..., retry_transient=False)``); when it fails in a way that may have
    taken effect (:class:`~leadkit.http.MaybeDone`), ``find`` looks for what it
    would have made (a comment holding our marker, by our account) and that is
    returned; only when nothing is found is ``post`` tried a second time.
    """
    try:
        return post()
    except MaybeDone:
        found = find()
        if found is not None:
            return found
    return post()


def review_host_for(adapters: Sequence[object], repo: str) -> ReviewHost | None:
    """The review host of the first adapter that covers ``repo``, else of the first that offers one."""
    offering = [a for a in adapters if callable(getattr(a, "review_host", None))]
    for adapter in offering:
        covers = getattr(adapter, "covers", None)
        if callable(covers) and covers(repo):
            return _review_host(adapter, repo)
    return _review_host(offering[0], repo) if offering else None


def issue_host_for(adapters: Sequence[object], repo: str) -> IssueHost | None:
    """The issue host of the first adapter that covers ``repo``, else of the first that offers one."""
    offering = [a for a in adapters if callable(getattr(a, "issue_host", None))]
    covering = [a for a in offering if callable(getattr(a, "covers", None)) and a.covers(repo)]  # type: ignore[attr-defined]
    chosen = (covering or offering or [None])[0]
    if chosen is None:
        return None
    host = chosen.issue_host(repo)  # type: ignore[attr-defined]
    if not isinstance(host, IssueHost):
        raise LeadkitError(f"{chosen!r}.issue_host() returned {host!r}, not an IssueHost")
    return host


def _review_host(adapter: object, repo: str) -> ReviewHost:
    make = getattr(adapter, "review_host", None)
    host = make(repo) if callable(make) else None
    if not isinstance(host, ReviewHost):
        raise LeadkitError(f"{adapter!r}.review_host() returned {host!r}, not a ReviewHost")
    return host


def ticket_writer_for(adapter: object) -> TicketWriter | None:
    """The adapter's ticket writer, or None when it cannot reassign."""
    make = getattr(adapter, "ticket_writer", None)
    if not callable(make):
        return None
    writer = make()
    if writer is None:
        return None
    if not isinstance(writer, TicketWriter):
        raise LeadkitError(f"{adapter!r}.ticket_writer() returned {writer!r}, not a TicketWriter")
    return writer
