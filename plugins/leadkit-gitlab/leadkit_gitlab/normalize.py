"""GitLab REST v4 JSON to leadkit's model: Review, WorkItem and Person.

GitLab JSON never leaves this module. What the REST API keeps only in system
notes is read from their text, in the wording GitLab writes them
(``app/services/system_notes/``):

- ``requested review from @a, @b, and @c``, ``removed review request for @a``
  (both in one note when one edit does both) give review requests with their
  times;
- ``approved this merge request`` and ``requested changes`` give reviews with
  their times, and ``unapproved this merge request`` dismisses the approver's
  last approval, as GitHub shows a dismissed review (the approvals endpoint
  lists approvers without times, so it is not read);
- ``assigned to @a``, ``unassigned @b``, ``reassigned to @c`` give assignee
  changes of issues;
- ``added 3 commits`` gives the last push (an MR without one was last pushed
  when it was opened: its first commits come with it).

A reviewer's diff comments (``DiffNote``) count as one "commented" review per
sitting, as GitHub counts a batch of review comments. An issue is due on its
own ``due_date`` or, when that is absent or later, its milestone's; a merge
request on its milestone's. Any shape this module
does not expect becomes a :class:`DataError` naming the source and the item.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from leadkit.api import (
    Account,
    Assignment,
    Comment,
    DataError,
    Due,
    LeadkitError,
    Link,
    LinkKind,
    Person,
    Review,
    ReviewRequest,
    ReviewState,
    ReviewSubmission,
    StatusCategory,
    Touched,
    Transition,
    WorkItem,
    WorkType,
    account_key,
    due_at,
    earliest_due,
    find_work_item_keys,
    normalize_type,
    parse_datetime,
    redact,
    says_in_progress,
)

T = TypeVar("T")
TRACKER = "gitlab"
SITTING = timedelta(hours=1)
"""Diff comments by one reviewer closer together than this are one review."""
LINK_KINDS: dict[str, LinkKind] = {
    "blocks": "blocks",
    "is_blocked_by": "is-blocked-by",
    "relates_to": "relates",
}
_USERNAME = r"[A-Za-z0-9_.][A-Za-z0-9_.-]*"
_MENTION_RE = re.compile(rf"(?<![\w@/.`-])@({_USERNAME}[A-Za-z0-9_])(?![\w/-])")
# The longest separator first: with ", " tried first, "@a, @b, and @c" would stop at "and".
_NOTE_PART_RE = re.compile(
    r"(requested review from|removed review request for|reassigned to|assigned to|unassigned)\s+"
    rf"((?:@{_USERNAME}(?:,\s*and\s+|\s+and\s+|,\s*)?)+)"
)
_HANDLE_RE = re.compile(rf"@({_USERNAME}[A-Za-z0-9_]|[A-Za-z0-9_])")
_PUSH_RE = re.compile(r"^added \d+ (?:new )?commits?\b")
_REVIEW_NOTES: dict[str, ReviewState] = {
    "approved this merge request": "approved",
    "unapproved this merge request": "dismissed",
    "requested changes": "changes_requested",
}
_CLOSING_RE = re.compile(
    r"(?i)\b(?:clos(?:e|es|ed|ing)|fix(?:|es|ed|ing)|resolv(?:e|es|ed|ing)|implement(?:s|ed|ing)?)"
    r":?\s+(?:issues?\s+)?((?:(?:[\w.-]+/)*[\w.-]+)?#\d+(?:(?:\s*,\s*|\s*,?\s+and\s+)"
    r"(?:(?:[\w.-]+/)*[\w.-]+)?#\d+)*)"
)
_ISSUE_REF_RE = re.compile(r"((?:[\w.-]+/)*[\w.-]+)?#(\d+)")
_ISSUE_URL_RE = re.compile(r"https?://[^\s/]+/((?:[\w.-]+/)+[\w.-]+)/-/issues/(\d+)")


def parse_time(value: Any) -> datetime:
    """A GitLab timestamp (``2026-11-20T10:00:00.000Z``, or with an offset) as aware UTC."""
    if not isinstance(value, str):
        raise TypeError(f"expected a timestamp, got {value!r}"[:120])
    try:
        return parse_datetime(value, what="timestamp")
    except LeadkitError as exc:
        raise ValueError(str(exc)) from None


def parse_optional_time(value: Any) -> datetime | None:
    return None if value is None else parse_time(value)


def due_day(value: Any) -> datetime | None:
    """A GitLab date (``2026-12-01``, or null) as the model holds a due date (:func:`due_at`)."""
    return None if value is None else due_at(parse_time(value))


def milestone_due(node: dict[str, Any]) -> Due:
    """An issue's or MR's milestone due date (``Due()`` without a dated milestone)."""
    milestone = node.get("milestone")
    if milestone is None or milestone.get("due_date") is None:
        return Due()
    title = milestone.get("title")
    return Due(
        due_day(milestone["due_date"]), "milestone", title if isinstance(title, str) else None
    )


def mentioned(body: str | None) -> tuple[str, ...]:
    """Each distinct ``@username`` in ``body``, in order."""
    if not body:
        return ()
    return tuple(dict.fromkeys(m.group(1) for m in _MENTION_RE.finditer(body)))


def system_changes(body: str) -> list[tuple[str, list[str]]]:
    """``(action, usernames)`` for each reviewer or assignee change a system note states."""
    return [
        (m.group(1), [h.group(1) for h in _HANDLE_RE.finditer(m.group(2))])
        for m in _NOTE_PART_RE.finditer(body)
    ]


def closing_issue_keys(project: str, text: str | None) -> tuple[str, ...]:
    """Issue keys (``group/name#12``) an MR description closes, in GitLab's closing pattern."""
    if not text:
        return ()
    keys: dict[str, None] = {}
    for match in _CLOSING_RE.finditer(text):
        for ref in _ISSUE_REF_RE.finditer(match.group(1)):
            keys[f"{ref.group(1) or project}#{ref.group(2)}"] = None
    for url in _ISSUE_URL_RE.finditer(text):
        before = text[: url.start()].rstrip().rsplit(None, 1)[-1:] or [""]
        if re.match(r"(?i)(clos|fix|resolv|implement)", before[0]):
            keys[f"{url.group(1)}#{url.group(2)}"] = None
    return tuple(keys)


class People:
    """Every GitLab account seen, as one :class:`Person` each (thread-safe)."""

    def __init__(self) -> None:
        self._people: dict[str, Person] = {}
        self._lock = threading.Lock()

    def see(self, user: Any) -> str | None:
        """The account key of a GitLab user object (None for none or a user without a name)."""
        if user is None:
            return None
        if not isinstance(user, dict):
            raise TypeError(f"expected a user object, got {user!r}"[:120])
        username = user.get("username")
        if not isinstance(username, str) or not username:
            return None
        name = user.get("name") if isinstance(user.get("name"), str) else None
        return self.see_username(username, name or None, bool(user.get("bot")))

    def see_username(self, username: str, name: str | None = None, bot: bool = False) -> str:
        """The account key of a username (``gitlab:<username>``, as ``[people]`` maps it)."""
        key = account_key(TRACKER, username)
        with self._lock:
            old = self._people.get(key)
            if (
                old is None
                or (name and not old.accounts[0].name)
                or (bot and not old.accounts[0].bot)
            ):
                name = name or (old.accounts[0].name if old else None)
                bot = bot or (old.accounts[0].bot if old else False)
                self._people[key] = Person(
                    id=key,
                    name=name or username,
                    accounts=(
                        Account(tracker=TRACKER, id=username, login=username, name=name, bot=bot),
                    ),
                )
        return key

    def get(self, keys: set[str]) -> list[Person]:
        with self._lock:
            return [self._people[k] for k in sorted(keys) if k in self._people]


@dataclass
class MergeRequestDetails:
    """What one MR needs besides its list entry: its notes and changed paths."""

    notes: list[Any] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


@dataclass
class IssueDetails:
    """What one issue needs besides its list entry: notes, links, state events."""

    notes: list[Any] = field(default_factory=list)
    links: list[Any] = field(default_factory=list)
    state_events: list[Any] = field(default_factory=list)


class Normalizer:
    """Builds model objects for one source and project."""

    def __init__(self, source: str, project: str, people: People) -> None:
        self.source = source
        self.project = project
        self.people = people
        self.touched = Touched(people.get)
        """Account keys referenced since the last :meth:`take_people`."""

    def _see(self, user: Any) -> str | None:
        return self.touched.add(self.people.see(user))

    def _username(self, username: str) -> str:
        return self.touched.add(self.people.see_username(username))

    def take_people(self) -> list[Person]:
        """The people referenced by what was normalized since the last call."""
        return self.touched.take()

    # -- entry points ----------------------------------------------------------------

    def review(self, mr: Any, details: MergeRequestDetails) -> Review:
        """A merge request from its list entry and details."""
        return self._guard(mr, "merge request", "!", lambda m: self._review(m, details))

    def work_item(self, issue: Any, details: IssueDetails) -> WorkItem:
        """An issue from its list entry and details."""
        return self._guard(issue, "issue", "#", lambda i: self._work_item(i, details))

    def _guard(self, node: Any, kind: str, sign: str, build: Callable[[dict[str, Any]], T]) -> T:
        iid = node.get("iid") if isinstance(node, dict) else None
        try:
            if not isinstance(node, dict):
                raise TypeError(f"expected an object, got {type(node).__name__}")
            return build(node)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            label = (
                f"{self.project}{sign}{iid}"
                if isinstance(iid, int)
                else f"a {kind} in {self.project}"
            )
            problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            message = (
                f"source '{self.source}': unexpected GitLab data for {kind} {label}: {problem}"
            )
            raise DataError(redact(message[:400])) from None

    # -- merge requests --------------------------------------------------------------

    def _review(self, mr: dict[str, Any], details: MergeRequestDetails) -> Review:
        iid = mr["iid"]
        if not isinstance(iid, int):
            raise TypeError(f"iid is {iid!r}")
        title = mr["title"] or ""
        branch = mr.get("source_branch")
        author = self._see(mr.get("author"))
        notes = _sorted_notes(details.notes)
        created = parse_time(mr["created_at"])
        last_pushed = created
        requests: list[ReviewRequest] = []
        reviews: list[ReviewSubmission] = []
        comments: list[Comment] = []
        for note in notes:
            at = parse_time(note["created_at"])
            by = self._see(note.get("author"))
            body = str(note.get("body") or "")
            if note.get("system"):
                if _PUSH_RE.match(body):
                    last_pushed = at
                state = _REVIEW_NOTES.get(body.strip().lower())
                if state == "dismissed":
                    _withdraw_approval(reviews, by)
                elif state is not None:
                    reviews.append(ReviewSubmission(by=by, state=state, at=at))
                for action, usernames in system_changes(body):
                    for username in usernames:
                        self._review_change(requests, action, self._username(username), at, by)
                continue
            comments.append(self._comment(note, at, by, body))
            if note.get("type") == "DiffNote" and by is not None and by != author:
                last = next((r for r in reversed(reviews) if r.by == by), None)
                if last is None or last.state != "commented" or at - last.at > SITTING:
                    reviews.append(ReviewSubmission(by=by, state="commented", at=at))
        self._current_reviewers(mr, requests)
        draft = bool(mr.get("draft", mr.get("work_in_progress")))
        due = milestone_due(mr)
        return Review(
            source=self.source,
            repo=self.project,
            number=iid,
            title=title,
            url=mr.get("web_url"),
            author=author,
            created=created,
            updated=parse_time(mr["updated_at"]),
            merged=parse_optional_time(mr.get("merged_at")),
            closed=parse_optional_time(mr.get("closed_at")),
            draft=draft,
            branch=branch,
            last_pushed=last_pushed,
            review_requests=tuple(requests),
            reviews=tuple(reviews),
            comments=tuple(comments),
            paths=tuple(dict.fromkeys(details.paths)),
            ref_sep="!",
            linked_keys=tuple(
                dict.fromkeys(
                    (
                        *find_work_item_keys(title, branch, mr.get("description")),
                        *closing_issue_keys(self.project, mr.get("description")),
                    )
                )
            ),
            due=due.at,
            due_source=due.source,
            due_name=due.name,
        )

    @staticmethod
    def _review_change(
        requests: list[ReviewRequest], action: str, reviewer: str, at: datetime, by: str | None
    ) -> None:
        """Add a request, or close the open request of ``reviewer`` it removes."""
        if action == "requested review from":
            requests.append(ReviewRequest(reviewer=reviewer, requested=at, by=by))
        elif action == "removed review request for":
            for i, request in enumerate(requests):
                if request.reviewer == reviewer and request.removed is None:
                    requests[i] = ReviewRequest(
                        reviewer=reviewer, requested=request.requested, removed=at, by=request.by
                    )

    def _current_reviewers(self, mr: dict[str, Any], requests: list[ReviewRequest]) -> None:
        """A reviewer the MR lists without a request note was asked when the MR was opened
        (GitLab writes no note for reviewers set at creation), by its author."""
        pending = {r.reviewer for r in requests if r.removed is None}
        for user in mr.get("reviewers") or []:
            key = self._see(user)
            if key and key not in pending:
                requests.append(
                    ReviewRequest(
                        reviewer=key,
                        requested=parse_time(mr["created_at"]),
                        by=self._see(mr.get("author")),
                    )
                )

    def _comment(self, note: dict[str, Any], at: datetime, by: str | None, body: str) -> Comment:
        return Comment(
            by=by,
            at=at,
            question="?" in body,
            mentions=tuple(self._username(u) for u in mentioned(body)),
        )

    # -- issues ----------------------------------------------------------------------

    def _work_item(self, issue: dict[str, Any], details: IssueDetails) -> WorkItem:
        iid = issue["iid"]
        if not isinstance(iid, int):
            raise TypeError(f"iid is {iid!r}")
        labels = tuple(str(label) for label in issue.get("labels") or ())
        work_type: WorkType = "task"
        raw_type: str | None = None
        issue_type = issue.get("issue_type") or issue.get("type")
        if isinstance(issue_type, str) and issue_type.lower() not in ("issue", ""):
            work_type, raw_type = normalize_type(issue_type), issue_type
        else:
            for label in labels:
                mapped = normalize_type(label.rpartition("::")[2])
                if mapped != "task" or label.lower() == "task":
                    work_type, raw_type = mapped, label
                    break
        assignees = [self._see(a) for a in issue.get("assignees") or ()]
        assignee = next((a for a in assignees if a), None) or self._see(issue.get("assignee"))
        closed = str(issue["state"]).lower() == "closed"
        # An assignee alone is not work in progress: a label must say the work started.
        started = says_in_progress(*labels)
        category: StatusCategory = "done" if closed else ("in_progress" if started else "todo")
        transitions = tuple(self._transition(e) for e in _by_time(details.state_events))
        assignments: list[Assignment] = []
        comments: list[Comment] = []
        for note in _sorted_notes(details.notes):
            at = parse_time(note["created_at"])
            by = self._see(note.get("author"))
            body = str(note.get("body") or "")
            if not note.get("system"):
                comments.append(self._comment(note, at, by, body))
                continue
            for action, usernames in system_changes(body):
                for username in usernames:
                    key = self._username(username)
                    if action in ("assigned to", "reassigned to"):
                        assignments.append(Assignment(at=at, to=key, by=by))
                    elif action == "unassigned":
                        assignments.append(Assignment(at=at, to=None, from_=key, by=by))
        due = earliest_due(Due(due_day(issue.get("due_date")), "duedate"), milestone_due(issue))
        return WorkItem(
            source=self.source,
            key=f"{self.project}#{iid}",
            url=issue.get("web_url"),
            title=issue["title"] or "",
            type=work_type,
            raw_type=raw_type,
            status="closed" if closed else "open",
            status_category=category,
            assignee=assignee,
            reporter=self._see(issue.get("author")),
            created=parse_time(issue["created_at"]),
            updated=parse_time(issue["updated_at"]),
            resolved=parse_optional_time(issue.get("closed_at")) if closed else None,
            labels=labels,
            components=(self.project,),
            parent=_epic(issue.get("epic")),
            links=tuple(link for link in map(self._link, details.links) if link is not None),
            transitions=transitions,
            assignments=tuple(assignments),
            comments=tuple(comments),
            due=due.at,
            due_source=due.source,
            due_name=due.name,
        )

    def _transition(self, event: dict[str, Any]) -> Transition:
        state = str(event["state"]).lower()
        at = parse_time(event["created_at"])
        by = self._see(event.get("user"))
        if state == "reopened":
            return Transition(
                at=at, to_status="open", from_status="closed", by=by, to_category="todo"
            )
        return Transition(at=at, to_status="closed", from_status="open", by=by, to_category="done")

    def _link(self, linked: Any) -> Link | None:
        """A linked issue from ``/issues/:iid/links`` (``link_type`` from this issue's side)."""
        if not isinstance(linked, dict):
            raise TypeError(f"expected a linked issue, got {linked!r}"[:120])
        kind = LINK_KINDS.get(str(linked.get("link_type") or "relates_to"))
        if kind is None:
            return None
        references = linked.get("references") if isinstance(linked.get("references"), dict) else {}
        full = references.get("full") if isinstance(references, dict) else None
        if isinstance(full, str) and "#" in full:
            return Link(kind=kind, key=full)
        url = _ISSUE_URL_RE.search(str(linked.get("web_url") or ""))
        if url is None:
            raise KeyError("references.full")
        return Link(kind=kind, key=f"{url.group(1)}#{url.group(2)}")


def _withdraw_approval(reviews: list[ReviewSubmission], by: str | None) -> None:
    """``unapproved this merge request``: the approver's last approval is dismissed, as
    GitHub shows a dismissed review (its time kept)."""
    for i in range(len(reviews) - 1, -1, -1):
        if reviews[i].by == by and reviews[i].state == "approved":
            reviews[i] = ReviewSubmission(by=by, state="dismissed", at=reviews[i].at)
            return


def _sorted_notes(notes: list[Any]) -> list[dict[str, Any]]:
    for note in notes:
        if not isinstance(note, dict):
            raise TypeError(f"expected a note, got {note!r}"[:120])
    return sorted(notes, key=lambda n: (parse_time(n["created_at"]), n.get("id") or 0))


def _by_time(events: list[Any]) -> list[dict[str, Any]]:
    for event in events:
        if not isinstance(event, dict):
            raise TypeError(f"expected an event, got {event!r}"[:120])
    return sorted(events, key=lambda e: (parse_time(e["created_at"]), e.get("id") or 0))


def _epic(epic: Any) -> str | None:
    """An issue's epic as ``group&iid`` (Premium and Ultimate; absent on Free)."""
    if not isinstance(epic, dict) or not isinstance(epic.get("iid"), int):
        return None
    url = str(epic.get("url") or epic.get("web_url") or "")
    match = re.search(r"groups/((?:[\w.-]+/)*[\w.-]+)/-/epics/\d+", url)
    group = match.group(1) if match else str(epic.get("group_id") or "")
    return f"{group}&{epic['iid']}"
