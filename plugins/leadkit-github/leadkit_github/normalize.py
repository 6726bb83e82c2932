"""GitHub GraphQL JSON to leadkit's model: Review, WorkItem and Person.

GitHub JSON never leaves this module. Any shape it does not expect (a missing
key, a wrong type, a bad date) becomes a :class:`DataError` naming the source,
repository and PR or issue number, never a ``KeyError``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from leadkit.api import (
    Account,
    Assignment,
    Comment,
    DataError,
    Due,
    LeadkitError,
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
    find_work_item_keys,
    normalize_type,
    parse_datetime,
    redact,
    says_in_progress,
)

T = TypeVar("T")
TRACKER = "github"
REVIEW_STATES: dict[str, ReviewState] = {
    "APPROVED": "approved",
    "CHANGES_REQUESTED": "changes_requested",
    "COMMENTED": "commented",
    "DISMISSED": "dismissed",
}
_MENTION_RE = re.compile(
    r"(?<![\w@/.`-])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![\w/-])"
)

TeamMembers = Callable[[str], "tuple[str, ...] | None"]
"""``"org/slug"`` to member logins, or None when the token cannot read them."""


def parse_time(value: Any) -> datetime:
    """A GitHub timestamp (``2026-11-20T10:00:00Z``) as aware UTC, read by :func:`parse_datetime`.

    Junk raises TypeError/ValueError, which :class:`~leadkit_github.adapter.RepoFetcher`
    turns into a DataError naming the item.
    """
    if not isinstance(value, str):
        raise TypeError(f"expected a timestamp, got {value!r}"[:120])
    try:
        return parse_datetime(value, what="timestamp")
    except LeadkitError as exc:
        raise ValueError(str(exc)) from None


def parse_optional_time(value: Any) -> datetime | None:
    return None if value is None else parse_time(value)


def milestone_due(node: dict[str, Any]) -> Due:
    """A PR's or issue's milestone due date (``Due()`` without one).

    GitHub keeps a milestone's due date as a day and sends that day's start in
    US Pacific time (``2026-12-01T08:00:00Z``): the same day in UTC, held as the
    model holds a due date (:func:`due_at`).
    """
    milestone = node.get("milestone")
    if milestone is None or milestone.get("dueOn") is None:
        return Due()
    title = milestone.get("title")
    return Due(
        due_at(parse_time(milestone["dueOn"])),
        "milestone",
        title if isinstance(title, str) else None,
    )


def mentions(body: str | None) -> tuple[str, ...]:
    """``github:<login>`` for each distinct ``@login`` in ``body``, in order."""
    if not body:
        return ()
    seen = dict.fromkeys(m.group(1) for m in _MENTION_RE.finditer(body))
    return tuple(account_key(TRACKER, login) for login in seen)


def nodes(connection: Any) -> list[Any]:
    """The ``nodes`` of a connection (null nodes dropped); a missing connection is empty."""
    if connection is None:
        return []
    items = connection["nodes"]
    if not isinstance(items, list):
        raise TypeError("nodes is not a list")
    return [n for n in items if n is not None]


class People:
    """Every GitHub account seen, as one :class:`Person` each (thread-safe)."""

    def __init__(self) -> None:
        self._people: dict[str, Person] = {}
        self._lock = threading.Lock()

    def see(self, actor: Any) -> str | None:
        """The account key of an actor object (``None`` for a deleted "ghost" user)."""
        if actor is None:
            return None
        if not isinstance(actor, dict):
            raise TypeError(f"expected an actor object, got {actor!r}"[:120])
        login = actor.get("login")
        if not isinstance(login, str) or not login:
            return None
        bot = actor.get("__typename") == "Bot"
        return self.see_login(login, actor.get("name") or None, actor.get("email") or None, bot)

    def see_login(
        self, login: str, name: str | None = None, email: str | None = None, bot: bool = False
    ) -> str:
        """The account key of a login; ``bot`` when GitHub said the actor is a ``Bot``."""
        key = account_key(TRACKER, login)
        with self._lock:
            old = self._people.get(key)
            if (
                old is None
                or (name and not old.accounts[0].name)
                or (email and not old.emails)
                or (bot and not old.accounts[0].bot)
            ):
                name = name or (old.accounts[0].name if old else None)
                email = email or (old.emails[0] if old and old.emails else None)
                bot = bot or (old.accounts[0].bot if old else False)
                self._people[key] = Person(
                    id=key,
                    name=name or login,
                    emails=(email,) if email else (),
                    accounts=(
                        Account(
                            tracker=TRACKER, id=login, login=login, name=name, email=email, bot=bot
                        ),
                    ),
                )
        return key

    def get(self, keys: set[str]) -> list[Person]:
        with self._lock:
            return [self._people[k] for k in sorted(keys) if k in self._people]

    def all(self) -> list[Person]:
        with self._lock:
            return list(self._people.values())


class Normalizer:
    """Builds model objects for one source and repository."""

    def __init__(
        self,
        source: str,
        repo: str,
        people: People,
        team_members: TeamMembers | None = None,
    ) -> None:
        self.source = source
        self.repo = repo
        self.people = people
        self.team_members = team_members or (lambda team: None)
        self.touched = Touched(people.get)
        """Account keys referenced since the last :meth:`take_people`."""

    def _see(self, actor: Any) -> str | None:
        return self.touched.add(self.people.see(actor))

    def _login(self, login: str) -> str:
        return self.touched.add(self.people.see_login(login))

    def take_people(self) -> list[Person]:
        """The people referenced by what was normalized since the last call."""
        return self.touched.take()

    # -- entry points ----------------------------------------------------------------

    def review(self, node: Any) -> Review:
        """A pull request node (complete: overflowing lists already continued)."""
        return self._guard(node, "PR", self._review)

    def work_item(self, node: Any) -> WorkItem:
        """An issue node."""
        return self._guard(node, "issue", self._work_item)

    def _guard(self, node: Any, kind: str, build: Callable[[dict[str, Any]], T]) -> T:
        number = node.get("number") if isinstance(node, dict) else None
        try:
            if not isinstance(node, dict):
                raise TypeError(f"expected an object, got {type(node).__name__}")
            return build(node)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            label = (
                f"{self.repo}#{number}" if isinstance(number, int) else f"a {kind} in {self.repo}"
            )
            problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            raise DataError(
                redact(
                    f"source '{self.source}': unexpected GitHub data for {kind} {label}: {problem}"[
                        :400
                    ]
                )
            ) from None

    # -- pull requests ---------------------------------------------------------------

    def _review(self, node: dict[str, Any]) -> Review:
        number = node["number"]
        if not isinstance(number, int):
            raise TypeError(f"number is {number!r}")
        title = node["title"] or ""
        branch = node.get("headRefName")
        closing = tuple(
            f"{ref['repository']['nameWithOwner']}#{ref['number']}"
            for ref in nodes(node.get("closingIssuesReferences"))
        )
        timeline = nodes(node["timelineItems"])  # requests, reviews and comments, one list
        comments = [self._comment(c) for c in _of_type(timeline, "IssueComment")]
        for thread in nodes(node.get("reviewThreads")):
            comments.extend(self._comment(c) for c in nodes(thread["comments"]))
        comments.sort(key=lambda c: c.at)
        reviews = []
        for review in _of_type(timeline, "PullRequestReview"):
            state = REVIEW_STATES.get(review["state"])
            if state is None:  # PENDING: not submitted yet
                continue
            at = parse_time(review.get("submittedAt") or review["createdAt"])
            reviews.append(ReviewSubmission(by=self._see(review.get("author")), state=state, at=at))
        reviews.sort(key=lambda r: r.at)
        commits = nodes(node.get("commits"))
        last_pushed = parse_time(commits[-1]["commit"]["committedDate"]) if commits else None
        due = milestone_due(node)
        return Review(
            source=self.source,
            repo=self.repo,
            number=number,
            title=title,
            url=node.get("url"),
            author=self._see(node.get("author")),
            created=parse_time(node["createdAt"]),
            updated=parse_time(node["updatedAt"]),
            merged=parse_optional_time(node.get("mergedAt")),
            closed=parse_optional_time(node.get("closedAt")),
            draft=bool(node.get("isDraft")),
            branch=branch,
            last_pushed=last_pushed,
            review_requests=self._review_requests(timeline),
            reviews=tuple(reviews),
            comments=tuple(comments),
            paths=tuple(dict.fromkeys(f["path"] for f in nodes(node.get("files")))),
            linked_keys=tuple(
                dict.fromkeys((*find_work_item_keys(title, branch, node.get("body")), *closing))
            ),
            due=due.at,
            due_source=due.source,
            due_name=due.name,
        )

    def _review_requests(self, events: list[Any]) -> tuple[ReviewRequest, ...]:
        """Pair each request with the next removal of the same reviewer (never with a review)."""
        parsed = []
        for event in events:
            kind = event.get("__typename")
            if kind not in ("ReviewRequestedEvent", "ReviewRequestRemovedEvent"):
                continue
            parsed.append((parse_time(event["createdAt"]), kind, event))
        parsed.sort(key=lambda e: e[0])
        out: list[ReviewRequest] = []
        for at, kind, event in parsed:
            by = self._see(event.get("actor"))
            targets = self._targets(event.get("requestedReviewer"))
            if kind == "ReviewRequestedEvent":
                for reviewer, team in targets:
                    out.append(ReviewRequest(reviewer=reviewer, requested=at, team=team, by=by))
                continue
            for reviewer, team in targets:
                for i, request in enumerate(out):
                    if (
                        request.removed is None
                        and request.reviewer == reviewer
                        and request.team == team
                    ):
                        out[i] = ReviewRequest(
                            reviewer=request.reviewer,
                            requested=request.requested,
                            removed=at,
                            team=request.team,
                            by=request.by,
                        )
        return tuple(out)

    def _targets(self, reviewer: Any) -> list[tuple[str | None, str | None]]:
        """``(reviewer, team)`` pairs a request names: a user, or a team and its members."""
        if reviewer is None:  # a reviewer the token cannot see
            return []
        if reviewer.get("__typename") == "Team":
            team = f"{reviewer['organization']['login']}/{reviewer['slug']}"
            members = self.team_members(team) or ()
            return [(None, team), *((self._login(login), team) for login in members)]
        key = self._see(reviewer)
        return [(key, None)] if key else []

    def _comment(self, node: Any) -> Comment:
        body = node.get("body") or ""
        found = mentions(body)
        for key in found:
            self._login(key.partition(":")[2])
        return Comment(
            by=self._see(node.get("author")),
            at=parse_time(node["createdAt"]),
            question="?" in body,
            mentions=found,
        )

    # -- issues ----------------------------------------------------------------------

    def _work_item(self, node: dict[str, Any]) -> WorkItem:
        number = node["number"]
        if not isinstance(number, int):
            raise TypeError(f"number is {number!r}")
        labels = tuple(label["name"] for label in nodes(node.get("labels")))
        work_type: WorkType = "task"
        raw_type: str | None = None
        for label in labels:
            mapped = normalize_type(label)
            if mapped != "task" or label.lower() == "task":
                work_type, raw_type = mapped, label
                break
        assignees = [self._see(a) for a in nodes(node.get("assignees"))]
        assignee = next((a for a in assignees if a), None)
        state = str(node["state"]).lower()
        closed = state == "closed"
        # An assignee alone is not work in progress: a label must say the work started.
        started = says_in_progress(*labels)
        category: StatusCategory = "done" if closed else ("in_progress" if started else "todo")
        timeline = nodes(node["timelineItems"])  # events and comments, one list
        transitions, assignments = self._issue_events(timeline)
        comments = sorted(
            (self._comment(c) for c in _of_type(timeline, "IssueComment")), key=lambda c: c.at
        )
        due = milestone_due(node)
        return WorkItem(
            source=self.source,
            key=f"{self.repo}#{number}",
            url=node.get("url"),
            title=node["title"] or "",
            type=work_type,
            raw_type=raw_type,
            status="closed" if closed else "open",
            status_category=category,
            assignee=assignee,
            reporter=self._see(node.get("author")),
            created=parse_time(node["createdAt"]),
            updated=parse_time(node["updatedAt"]),
            resolved=parse_optional_time(node.get("closedAt")) if closed else None,
            labels=labels,
            components=(self.repo,),
            comments=tuple(comments),
            transitions=transitions,
            assignments=assignments,
            due=due.at,
            due_source=due.source,
            due_name=due.name,
        )

    def _issue_events(
        self, events: list[Any]
    ) -> tuple[tuple[Transition, ...], tuple[Assignment, ...]]:
        transitions: list[Transition] = []
        assignments: list[Assignment] = []
        kinds = ("ClosedEvent", "ReopenedEvent", "AssignedEvent", "UnassignedEvent")
        for event in sorted(events, key=lambda e: parse_time(e["createdAt"])):
            kind = event.get("__typename")
            if kind not in kinds:  # a comment: the timeline carries those too
                continue
            at = parse_time(event["createdAt"])
            by = self._see(event.get("actor"))
            if kind == "ClosedEvent":
                transitions.append(
                    Transition(
                        at=at, to_status="closed", from_status="open", by=by, to_category="done"
                    )
                )
            elif kind == "ReopenedEvent":
                transitions.append(
                    Transition(
                        at=at, to_status="open", from_status="closed", by=by, to_category="todo"
                    )
                )
            elif kind == "AssignedEvent":
                assignments.append(Assignment(at=at, to=self._see(event.get("assignee")), by=by))
            elif kind == "UnassignedEvent":
                assignments.append(
                    Assignment(at=at, to=None, from_=self._see(event.get("assignee")), by=by)
                )
        return tuple(transitions), tuple(assignments)


def _of_type(timeline: list[Any], typename: str) -> list[Any]:
    """The nodes of one type in a timeline that mixes several (``__typename`` tells them apart)."""
    return [n for n in timeline if isinstance(n, dict) and n.get("__typename") == typename]
