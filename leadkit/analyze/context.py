"""What an analysis receives: one team's view of the dataset, with shared indexes.

The indexes (events per person, review-request intervals, familiarity
touches) are built once per team in O(n log n) and shared by every analysis,
so adding an analysis does not add another pass over a large dataset.
"""

from __future__ import annotations

import math
import re
import statistics
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import compress
from operator import attrgetter, eq
from typing import Any, Literal, NamedTuple, TypeGuard

from leadkit.analyze.areas import (
    MARKERS,
    AreaMap,
    AreaNode,
    Folding,
    UnitPattern,
    codeowners_units,
    leaf,
    parent_dir,
    path_dirs,
)
from leadkit.analyze.kinds import Setting
from leadkit.analyze.membership import Membership, find_membership
from leadkit.collect.identity import automation
from leadkit.config import Config, PersonConfig, TeamConfig
from leadkit.model.data import Dataset, Person, Review, WorkItem
from leadkit.model.report import WorkingTime
from leadkit.timeutil import zone

EventKind = Literal["comment", "review", "transition", "authored", "assigned"]

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "and", "for", "with", "from", "into", "code", "work", "team", "learn", "more"}
FAMILIARITY_HALF_LIFE_DAYS = 45.0


def tokens(*texts: str | None) -> set[str]:
    """Lower-case words of four letters or more, for topic and growth matching."""
    out: set[str] = set()
    for text in texts:
        if text:
            out.update(w for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in _STOP)
    return out


GOAL_STOP = frozenset(
    {"a", "an", "the", "and", "or", "for", "with", "from", "into", "to", "of", "in", "on", "at"}
    | {"by", "my", "our", "how", "get", "better", "about", "code", "work", "team", "learn", "more"}
)
"""Words a growth goal is made of that say nothing about the work (``learn more about``)."""


def words(*texts: str | None) -> set[str]:
    """Every whole word of the texts, lower-case, of any length (``ops``, ``qa``, ``k8s``)."""
    out: set[str] = set()
    for text in texts:
        if text:
            out.update(_WORD.findall(text.lower()))
    return out


def goal_words(goal: str) -> set[str]:
    """The words of a growth goal that name the work: ``"learn k8s ops"`` gives k8s, ops."""
    return words(goal) - GOAL_STOP


def area_words(areas: Iterable[str]) -> set[str]:
    """The words of familiarity areas: a code area's folder names, a component, label or topic."""
    out: set[str] = set()
    for area in areas:
        kind, _, rest = area.partition(":")
        if kind == "path":
            out |= words(rest.partition(":")[2].replace("/", " "))
        elif kind in ("component", "label", "topic"):
            out |= words(rest)
    return out


def data_words(dataset: Dataset) -> set[str]:
    """Every word a growth goal could match in the data: items' titles, labels and
    components, PRs' titles and the folders their files live in."""
    out: set[str] = set()
    for item in dataset.work_items:
        out |= words(item.title, *item.labels, *item.components)
    folders: set[str] = set()
    for review in dataset.reviews:
        out |= words(review.title)
        for path in review.paths:
            folders.update(path_dirs(path))
    out |= words(*(f.replace("/", " ") for f in folders))
    return out


def area_label(area: str) -> str:
    """``org/app:pipeline/`` as readers see it: ``pipeline/ in org/app``."""
    repo, _, prefix = area.partition(":")
    return f"{prefix} in {repo}" if prefix != "/" else f"the root of {repo}"


def describe_area(area: str) -> str:
    """A familiarity area (``path:``, ``topic:``, ``component:``...) in a few words."""
    kind, _, rest = area.partition(":")
    if kind == "path":
        return area_label(rest).split(" in ")[0] if " in " in area_label(rest) else area_label(rest)
    if kind == "topic":
        return rest
    if kind == "component":
        return f"the {rest} component"
    if kind == "label":
        return f"'{rest}' items"
    if kind == "project":
        return f"the {rest} project"
    return rest


MIN_SAMPLES = Setting(
    "min_samples", 3, "fewest observations before a median or a 'nobody else' is reported"
)
"""Read by several kinds; each lists it in its settings."""


def median(values: Iterable[float]) -> float | None:
    data = sorted(values)
    return statistics.median(data) if data else None


def week_start(at: datetime) -> datetime:
    """The Monday 00:00 (UTC) that starts ``at``'s week: how every weekly series counts."""
    return (at - timedelta(days=at.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


class Event(NamedTuple):
    """One thing a person did, on an item or a PR, at a time.

    A named tuple, not a frozen dataclass: a large history makes a million of
    them, and a tuple is built about six times faster.
    """

    at: datetime
    person: str
    kind: EventKind
    target: str
    """The item's ref (``source:KEY``) or the PR's ref (``org/repo#N``)."""
    owner: str | None
    """Whose the target is: the item's assignee or the PR's author."""
    reactive: bool
    question: bool = False
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestInterval:
    """A review request from when it was made until answered, withdrawn, or still open."""

    review: Review
    reviewer: str
    requested: datetime | None
    closed: datetime | None
    outcome: Literal["reviewed", "removed", "pending"]
    team: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """A comment that asks something on someone else's item, and who answered it."""

    asker: str
    at: datetime
    target: str
    topics: tuple[str, ...]
    to_lead: bool
    """It mentions the lead, or the lead answered it."""
    answered_by: str | None
    answered_at: datetime | None


@dataclass
class Touches:
    """Where a person has worked: counts and recency weights per area."""

    counts: Counter[str] = field(default_factory=Counter)
    weights: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    latest: dict[str, datetime] = field(default_factory=dict)
    """Per area, the person's most recent touch (how recent the evidence is)."""

    def add(self, area: str, weight: float, at: datetime | None = None) -> None:
        self.counts[area] += 1
        self.weights[area] += weight
        if at is not None and (area not in self.latest or at > self.latest[area]):
            self.latest[area] = at


def request_intervals(review: Review) -> list[RequestInterval]:
    """Pair a PR's review requests with reviews and removals, per reviewer.

    A request opens an interval; that reviewer's next review closes it; a
    removal cancels it; a later request opens a new one. A request with no
    time is paired as if made when the PR was created, but its interval keeps
    ``requested=None``: a wait measured from a guessed time would be a false
    alarm. A request by name replaces one through a team (``team`` is then
    None), and withdrawing the team's request leaves the one by name.
    """
    events: list[tuple[datetime, int, str, str, str | None, datetime | None]] = []
    for req in review.review_requests:
        if req.reviewer is None:
            continue
        at = req.requested or review.created
        events.append((at, 0, "request", req.reviewer, req.team, req.requested))
        if req.removed is not None:
            events.append((req.removed, 1, "remove", req.reviewer, req.team, None))
    for sub in review.reviews:
        if sub.by is not None:
            events.append((sub.at, 2, "review", sub.by, None, None))
    events.sort(key=lambda e: (e[0], e[1], e[3]))
    open_: dict[str, tuple[datetime | None, str | None]] = {}
    out: list[RequestInterval] = []
    for at, _, what, who, team, requested in events:
        if what == "request":
            if who not in open_:
                open_[who] = (requested, team)
            elif team is None and open_[who][1] is not None:
                open_[who] = (requested, None)  # now asked by name, not only through a team
        elif what == "remove" and team is not None and open_.get(who, (None, None))[1] is None:
            continue  # withdrawing the team's request leaves a request by name
        elif who in open_:
            started, team0 = open_.pop(who)
            outcome: Literal["reviewed", "removed"] = "reviewed" if what == "review" else "removed"
            out.append(RequestInterval(review, who, started, at, outcome, team0))
    for who, (started, team0) in sorted(open_.items()):
        out.append(RequestInterval(review, who, started, None, "pending", team0))
    return out


class AnalysisContext:
    """One team's view: the lead, the members, thresholds, and shared indexes."""

    def __init__(
        self,
        dataset: Dataset,
        config: Config,
        team: TeamConfig,
        thresholds: Mapping[str, float] | None = None,
    ) -> None:
        self.dataset = dataset
        self.config = config
        self.team = team
        self.lead = team.lead
        self.now = dataset.window.end
        self.start = dataset.window.start
        self.history_start = dataset.window.history_start
        self.thresholds: dict[str, float] = dict(
            config.thresholds if thresholds is None else thresholds
        )
        """Every ``[thresholds]`` key: the kinds' defaults with the config's values over them."""
        self.delegation = config.delegation
        self.analysis = config.analysis
        self.tz = zone(team.timezone)
        # Holidays from a calendar reach a year before the history: old requests still wait.
        self.clock = team.clock(
            date(self.history_start.year - 1, 1, 1), self.now.astimezone(self.tz).date()
        )
        """The team's working time: its hours, days, time zone and holidays."""
        self.people: dict[str, Person] = {p.id: p for p in dataset.people}

    # -- people -----------------------------------------------------------------

    @cached_property
    def bots(self) -> dict[str, str]:
        """Person ids that are automation, not people, each with why (never the lead).

        The one rule (:func:`leadkit.collect.identity.automation`): a bot or
        service account (the tracker says so, a well-known automation account,
        a login like ``svc-deploy``, ``ci-runner``, ``deploy-bot``,
        ``project_12_bot``), or an account ``[analysis] ignore_users`` names.
        They are never members or candidates, and no share, pickup or queue
        counts them.
        """
        out = automation(self.dataset.people, self.analysis.ignore_users)
        out.pop(self.lead, None)
        return out

    @cached_property
    def not_people(self) -> frozenset[str]:
        """Person ids that are automation, not people (:attr:`bots`, without the reasons)."""
        return frozenset(self.bots)

    def bot_reason(self, person_id: str | None) -> str | None:
        """Why ``person_id`` is a bot or service account, not a person; None for a person."""
        return self.bots.get(person_id) if person_id else None

    def is_person(self, person_id: str | None) -> TypeGuard[str]:
        """A human (not nobody, not a bot or an ignored account)."""
        return bool(person_id) and person_id not in self.not_people

    @cached_property
    def membership(self) -> Membership:
        """The team's members and everyone else its data names, each with why
        (:mod:`leadkit.analyze.membership`: ``[team] members``, else the people the
        team's items are assigned to, else the authors of its PRs)."""
        return find_membership(self)

    @cached_property
    def members(self) -> tuple[str, ...]:
        """Team members other than the lead (see :attr:`membership`); never bots."""
        return self.membership.member_ids

    def why_not_member(self, person_id: str) -> str | None:
        """Why ``person_id`` is not on the team, in a sentence (None for the lead or a member)."""
        why = self.membership.why(person_id)
        return why.detail if why is not None and why.reason in ("bot", "not_member") else None

    @cached_property
    def first_seen(self) -> dict[str, datetime]:
        """Each person's first activity anywhere in the data (reported, assigned, commented...).

        Holding an item counts from its creation only for someone the data shows
        doing nothing else: an old backlog ticket handed to a newcomer does not
        make them a veteran.
        """
        out: dict[str, datetime] = {}
        held: dict[str, datetime] = {}

        def note(person: str | None, at: datetime, into: dict[str, datetime] = out) -> None:
            if person and (person not in into or at < into[person]):
                into[person] = at

        for item in self.dataset.work_items:
            note(item.reporter, item.created)
            for c in item.comments:
                note(c.by, c.at)
            for t in item.transitions:
                note(t.by, t.at)
            for a in item.assignments:
                note(a.to, a.at)
            if item.assignee and not item.assignments:
                note(item.assignee, item.created, held)
        for review in self.dataset.reviews:
            note(review.author, review.created)
            for sub in review.reviews:
                note(sub.by, sub.at)
            for c in review.comments:
                note(c.by, c.at)
        for person, at in held.items():
            out.setdefault(person, at)
        return out

    @cached_property
    def team_ids(self) -> frozenset[str]:
        return frozenset((self.lead, *self.members))

    def name(self, person_id: str | None) -> str:
        """A person's display name (their id when unknown)."""
        if person_id is None:
            return "nobody"
        person = self.people.get(person_id)
        return person.name if person else person_id

    def person_config(self, person_id: str) -> PersonConfig | None:
        return self.config.people.get(person_id)

    def plugin_options(self, name: str) -> dict[str, Any]:
        """The ``[plugins.<name>]`` options of a kind, checked against what it declares
        (``FindingKind.options``), with the declared defaults filled in."""
        return dict(self.config.plugin_options.get(name, {}))

    def is_away(self, person_id: str, days: float | None = None) -> bool:
        """Away now or within the next ``days`` (default: now only)."""
        pc = self.person_config(person_id)
        if pc is None:
            return False
        end = self.now + timedelta(days=days or 0) + timedelta(seconds=1)
        return pc.is_away(self.now, end)

    # -- items and reviews --------------------------------------------------------

    @cached_property
    def items_by_key(self) -> dict[str, WorkItem]:
        out: dict[str, WorkItem] = {}
        for item in self.dataset.work_items:
            out.setdefault(item.key, item)
            out[item.ref] = item
        return out

    @cached_property
    def reviews_by_ref(self) -> dict[str, Review]:
        return {r.ref: r for r in self.dataset.reviews}

    @cached_property
    def children(self) -> dict[str, list[WorkItem]]:
        out: dict[str, list[WorkItem]] = defaultdict(list)
        for item in self.dataset.work_items:
            if item.parent:
                out[item.parent].append(item)
        return out

    @cached_property
    def reviews_by_key(self) -> dict[str, list[Review]]:
        """PRs per linked work-item key."""
        out: dict[str, list[Review]] = defaultdict(list)
        for review in self.dataset.reviews:
            for key in review.linked_keys:
                out[key].append(review)
        return out

    def is_reactive(self, item: WorkItem) -> bool:
        if item.type in self.analysis.reactive_types:
            return True
        return any(label.lower() in self._reactive_labels for label in item.labels)

    @cached_property
    def _reactive_labels(self) -> frozenset[str]:
        return frozenset(self.analysis.reactive_labels)

    @cached_property
    def reactive_keys(self) -> frozenset[str]:
        """Keys (and refs) of reactive items: bugs, ops, support... (one pass, for PR lookups)."""
        return frozenset(k for k, item in self.items_by_key.items() if self.is_reactive(item))

    def in_testing(self, item: WorkItem) -> bool:
        """Parked in a testing or review status (by the status name)."""
        status = item.status.lower()
        return item.status_category == "in_progress" and any(
            word in status for word in self.analysis.testing_statuses
        )

    @cached_property
    def intervals(self) -> dict[str, list[RequestInterval]]:
        """Review-request intervals per PR ref."""
        return {r.ref: request_intervals(r) for r in self.dataset.reviews}

    def counts_as_request(self, interval: RequestInterval) -> bool:
        """A request made to the person themself, on a PR a human wrote.

        A request to a GitHub team the person belongs to is the team's, not
        theirs; a bot's PR (dependency bumps and the like) is counted apart.
        """
        return interval.team is None and self.is_person(interval.review.author)

    @cached_property
    def pending_for(self) -> dict[str, list[RequestInterval]]:
        """Open, non-draft human PRs' pending direct requests per reviewer, oldest first."""
        return self._pending[0]

    @cached_property
    def pending_apart(self) -> dict[str, list[RequestInterval]]:
        """Pending requests that are nobody's own queue: to a team, or on a bot's PR."""
        return self._pending[1]

    @cached_property
    def _pending(self) -> tuple[dict[str, list[RequestInterval]], dict[str, list[RequestInterval]]]:
        own: dict[str, list[RequestInterval]] = defaultdict(list)
        apart: dict[str, list[RequestInterval]] = defaultdict(list)
        for review in self.dataset.reviews:
            if not review.is_open or review.draft:
                continue
            for interval in self.intervals[review.ref]:
                if interval.outcome == "pending" and interval.reviewer != review.author:
                    which = own if self.counts_as_request(interval) else apart
                    which[interval.reviewer].append(interval)
        for out in (own, apart):
            for values in out.values():
                values.sort(key=lambda i: (i.requested or self.now, i.review.ref))
        return own, apart

    # -- activity -----------------------------------------------------------------

    @cached_property
    def events(self) -> list[Event]:
        """Every comment, review and transition in the window, plus the lead's over the
        whole history (for estimates from the lead's past work), oldest first.

        Everyone else's history is not needed by any finding, and on a large org it
        is most of the events: leaving it out keeps the index small.
        """
        out: list[Event] = []
        lo, start, now, lead = self.history_start, self.start, self.now, self.lead
        bots = self.not_people  # automation's comments and reviews are nobody's activity

        def counts(by: str | None, at: datetime) -> TypeGuard[str]:
            """In the window (or the lead's, in the whole look-back), by a person."""
            return (
                bool(by)
                and at <= now
                and (at >= start or (by == lead and at >= lo))
                and by not in bots
            )

        add = out.append
        for item in self.dataset.work_items:
            reactive = None
            owner, ref = item.assignee, item.ref
            for c in item.comments:
                if counts(c.by, c.at):
                    if reactive is None:
                        reactive = self.is_reactive(item)
                    add(Event(c.at, c.by, "comment", ref, owner, reactive, c.question, c.mentions))
            for t in item.transitions:
                if counts(t.by, t.at):
                    if reactive is None:
                        reactive = self.is_reactive(item)
                    add(Event(t.at, t.by, "transition", ref, owner, reactive))
        reactive_keys = self.reactive_keys
        for review in self.dataset.reviews:
            owner, ref = review.author, review.ref
            reactive = any(k in reactive_keys for k in review.linked_keys)
            for c in review.comments:
                if counts(c.by, c.at):
                    add(Event(c.at, c.by, "comment", ref, owner, reactive, c.question, c.mentions))
            for sub in review.reviews:
                if counts(sub.by, sub.at):
                    add(Event(sub.at, sub.by, "review", ref, owner, reactive))
        _sort_events(out)
        return out

    @cached_property
    def events_by_person(self) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            out[event.person].append(event)
        return out

    @cached_property
    def recent_events(self) -> list[Event]:
        """The events from the window's start on (found by bisection: events are in time order)."""
        return self.events[bisect_left(self.events, self.start, key=attrgetter("at")) :]

    def window_events(self, person: str) -> list[Event]:
        return [e for e in self.events_by_person.get(person, []) if e.at >= self.start]

    @cached_property
    def lead_interactions(self) -> dict[str, datetime]:
        """For each person, the last time they and the lead interacted in the window."""
        last: dict[str, datetime] = {}

        def note(person: str | None, at: datetime) -> None:
            if person and person != self.lead and (person not in last or at > last[person]):
                last[person] = at

        for event in self.recent_events:
            if event.person == self.lead:
                note(event.owner, event.at)
            elif event.owner == self.lead or self.lead in event.mentions:
                note(event.person, event.at)
        for review in self.dataset.reviews:
            for interval in self.intervals[review.ref]:
                at = interval.requested
                if (
                    interval.reviewer == self.lead
                    and at
                    and at >= self.start
                    and self.counts_as_request(interval)
                ):
                    note(review.author, at)
        # Talking on the same item or PR in the window counts for everyone who spoke there.
        speakers: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        for event in self.recent_events:
            if event.kind == "comment":
                speakers[event.target].append((event.at, event.person))
        for spoken in speakers.values():
            if any(person == self.lead for _, person in spoken):
                for at, person in spoken:
                    note(person, at)
        return last

    def topics_of(self, target: str) -> tuple[str, ...]:
        """Components of an item, or the names of the code areas a PR touches (``orders/``)."""
        item = self.items_by_key.get(target)
        if item is not None:
            if item.components:
                return tuple(sorted(item.components))
            return (item.key.split("-")[0],) if "-" in item.key else ()
        review = self.reviews_by_ref.get(target)
        if review is None:
            return ()
        return tuple(sorted({self.area_topic(review.repo, p) + "/" for p in review.paths} - {"/"}))

    @cached_property
    def questions(self) -> list[Question]:
        """Questions asked in the window on items and PRs not the lead's, with their answers."""
        # An answer comes after its question, so comments before the window never matter;
        # only targets with a question to look at are paired.
        lead = self.lead
        by_target: dict[str, list[Event]] = defaultdict(list)
        asked: set[str] = set()
        for event in self.recent_events:
            if event.kind == "comment":
                by_target[event.target].append(event)
                if (
                    (event.question or lead in event.mentions)
                    and event.person != lead
                    and event.owner != lead
                ):
                    asked.add(event.target)
        out: list[Question] = []
        for target in sorted(asked):
            comments = by_target[target]
            answers = _next_reply(comments)
            topics = self.topics_of(target)
            for i, c in enumerate(comments):
                if c.person == lead or c.owner == lead:
                    continue
                if not (c.question or lead in c.mentions):
                    continue
                answer = answers[i]
                out.append(
                    Question(
                        asker=c.person,
                        at=c.at,
                        target=target,
                        topics=topics,
                        to_lead=self.lead in c.mentions
                        or (answer is not None and answer.person == self.lead),
                        answered_by=answer.person if answer else None,
                        answered_at=answer.at if answer else None,
                    )
                )
        return out

    # -- load and familiarity -------------------------------------------------------

    def in_progress(self, item: WorkItem) -> bool:
        """Someone's work in progress: an open, assigned item (not an epic) that is started.

        Started: the tracker says so (an in-progress status, or on GitHub and
        GitLab a label such as ``in progress``), or the item shows a sign of
        work: an open PR linked to it, or its assignee's comment or status
        change in the window. Anything else assigned is backlog: in nobody's
        load, never quiet or stalled. The one definition loads, quiet work and
        stalled work share.
        """
        if not item.assignee or not item.is_open or item.type == "epic":
            return False
        return item.status_category == "in_progress" or self._shows_work(item)

    def _shows_work(self, item: WorkItem) -> bool:
        if any(r.is_open for r in self.reviews_by_key.get(item.key, ())):
            return True
        start, now, who = self.start, self.now, item.assignee
        return any(c.by == who and start <= c.at <= now for c in item.comments) or any(
            t.by == who and start <= t.at <= now for t in item.transitions
        )

    @cached_property
    def work_in_progress(self) -> dict[str, list[WorkItem]]:
        """Per person, their work in progress (:meth:`in_progress`), in ref order."""
        out: dict[str, list[WorkItem]] = defaultdict(list)
        for item in sorted(self.dataset.work_items, key=lambda i: i.ref):
            if item.assignee and self.in_progress(item):
                out[item.assignee].append(item)
        return dict(out)

    def open_load(self, person: str) -> dict[str, list[str]]:
        """A person's open work: in-progress items, open authored PRs, pending review requests."""
        return self.loads.get(person, {"items": [], "prs": [], "reviews": []})

    @cached_property
    def loads(self) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = defaultdict(
            lambda: {"items": [], "prs": [], "reviews": []}
        )
        # Sorted, so that the same data read in another order gives the same report.
        for person, items in self.work_in_progress.items():
            out[person]["items"].extend(item.ref for item in items)
        reviews = [r for r in self.dataset.reviews if r.author and r.is_open and not r.draft]
        for review in sorted(reviews, key=lambda r: (r.repo, r.number, r.source)):
            if review.author:
                out[review.author]["prs"].append(review.ref)
        for reviewer, intervals in self.pending_for.items():
            out[reviewer]["reviews"].extend(i.review.ref for i in intervals)
        return dict(out)

    def load_count(self, person: str) -> int:
        load = self.open_load(person)
        return len(load["items"]) + len(load["prs"]) + len(load["reviews"])

    @cached_property
    def team_median_load(self) -> float | None:
        values = [self.load_count(m) for m in self.members]
        return median(values)

    def recency(self, at: datetime) -> float:
        age_days = max((self.now - at).total_seconds() / 86400, 0.0)
        return math.pow(0.5, age_days / FAMILIARITY_HALF_LIFE_DAYS)

    @cached_property
    def touches(self) -> dict[str, Touches]:
        """Per team member, the areas they authored, reviewed, held or commented on in the history.

        Only the team's members are ever delegation candidates, so only their touches are kept.
        """
        # Count and weight per (person, set of areas), spread over the areas at the end:
        # items share area sets, so this avoids one update per item and area.
        pending: dict[str, dict[frozenset[str], list[Any]]] = defaultdict(dict)
        now, pow_, half_life = self.now, math.pow, FAMILIARITY_HALF_LIFE_DAYS
        since = self.history_start

        def note(person: str, areas: frozenset[str], at: datetime) -> None:
            # self.recency(at), inlined (half a million calls on a large history)
            weight = pow_(0.5, max((now - at).total_seconds() / 86400, 0.0) / half_life)
            sets = pending[person]
            slot = sets.get(areas)
            if slot is None:
                sets[areas] = [1, weight, at]
            else:
                slot[0] += 1
                slot[1] += weight
                if at > slot[2]:
                    slot[2] = at

        team = self.team_ids
        for review in self.dataset.reviews:
            # Only the team's members are ever candidates: skip PRs none of them touched.
            reviewers: dict[str, datetime] = {}
            for sub in review.reviews:
                by = sub.by
                if by in team and by != review.author and sub.at >= since:
                    reviewers[by] = max(sub.at, reviewers.get(by, sub.at))
            # A PR opened before the history and merged in it counts, at its merge.
            counted = self.history_time(review) if review.author in team else None
            author = review.author if counted is not None else None
            if not (author or reviewers):
                continue
            areas = frozenset(self.review_areas(review))
            if not areas:
                continue
            if author and counted is not None:
                note(author, areas, counted)
            for person, at in reviewers.items():
                note(person, areas, at)
        linked = self.reviews_by_key
        shared: dict[tuple[object, ...], frozenset[str]] = {}
        for item in self.dataset.work_items:
            people: dict[str, datetime] = {}
            if item.assignee in team and item.updated >= since:
                people[item.assignee] = item.updated
            for c in item.comments:
                by, at = c.by, c.at
                if by in team and at >= since:
                    last = people.get(by)
                    if last is None or at > last:
                        people[by] = at
            if not people:
                continue
            if item.key in linked:
                areas = frozenset(self.item_areas(item))
            else:  # no linked PR: the areas depend on components, labels and project only
                signature = (item.components, item.labels, item.key.partition("-")[0])
                known = shared.get(signature)
                if known is None:
                    known = shared[signature] = frozenset(self.item_areas(item))
                areas = known
            if not areas:
                continue
            for person, at in people.items():
                note(person, areas, at)
        out: dict[str, Touches] = {}
        for person, sets in pending.items():
            touches = out[person] = Touches()
            for areas, (count, weight, latest) in sets.items():
                for area in areas:
                    touches.counts[area] += int(count)
                    touches.weights[area] += weight
                    if area not in touches.latest or latest > touches.latest[area]:
                        touches.latest[area] = latest
        return out

    def review_areas(self, review: Review) -> set[str]:
        """Code areas (:meth:`code_area`), repo and topics of a PR (plus its linked items' components)."""
        areas = {f"repo:{review.repo}"}
        for path in review.paths:
            areas.add(f"path:{self.code_area(review.repo, path)}")
            topic = self.area_topic(review.repo, path)
            if topic:
                areas.add(f"topic:{topic.lower()}")
        for key in review.linked_keys:
            item = self.items_by_key.get(key)
            if item:
                areas.update(f"topic:{c.lower()}" for c in item.components)
        return areas

    def item_areas(self, item: WorkItem) -> set[str]:
        """Components, labels and project of an item (plus its linked PRs' code areas)."""
        areas = {f"topic:{c.lower()}" for c in item.components}
        areas.update(f"component:{c}" for c in item.components)
        areas.update(f"label:{label.lower()}" for label in item.labels)
        project = item.key.split("-")[0] if "-" in item.key else None
        if project:
            areas.add(f"project:{project}")
        for review in self.reviews_by_key.get(item.key, []):
            for path in review.paths:
                areas.add(f"path:{self.code_area(review.repo, path)}")
        return areas

    # -- code areas -------------------------------------------------------------------

    def history_time(self, review: Review) -> datetime | None:
        """When a PR counts in the history: opened in it, else merged or closed in it.

        A PR opened before the history starts and merged inside it counts (at its
        merge), so "the only reviewer ever seen" holds; an open one counts while
        it is still worked on. None: the PR is older than the history.
        """
        since = self.history_start
        if review.created >= since:
            return review.created
        for at in (review.merged, review.closed, review.updated if review.is_open else None):
            if at is not None and at >= since:
                return at
        return None

    @cached_property
    def folding(self) -> Folding:
        """Fixture folders (the defaults and ``[areas] fixtures``) folded into their holder."""
        return Folding(self.config.areas.fixtures)

    @cached_property
    def code_tree(self) -> dict[tuple[str, str], AreaNode]:
        """Per (repo, folder), who worked and reviewed there in the history.

        The repository's root is the folder ``""``; fixture folders are folded
        into the folder that holds them. One pass over the PRs; each PR adds
        itself once to every folder its paths live in, and notes whether it
        stayed inside one child folder (the tree's shape, :mod:`leadkit.analyze.areas`).
        """
        tree: dict[tuple[str, str], AreaNode] = {}
        folding = self.folding
        for review in self.dataset.reviews:
            if not review.paths or self.history_time(review) is None:
                continue
            # Bots are nobody: an auto-approving bot is not a second reviewer.
            reviewers = {
                s.by for s in review.reviews if self.is_person(s.by) and s.by != review.author
            }
            people = set(reviewers)
            if self.is_person(review.author) and not review.is_open:
                people.add(review.author)
            dirs: set[str] = {""}
            direct: set[str] = set()
            marked: set[str] = set()
            for path in review.paths:
                held = folding.dirs(path)
                dirs.update(held)
                home = held[-1] if held else ""
                direct.add(home)
                if home and len(held) == len(path_dirs(path)) and leaf(path) in MARKERS:
                    marked.add(home)
            touched = Counter(parent_dir(d) for d in dirs if d)
            merged = review.merged is not None and bool(reviewers)
            repo = review.repo
            for d in dirs:
                node = tree.get((repo, d))
                if node is None:
                    node = tree[(repo, d)] = AreaNode()
                node.people |= people
                node.reviewers |= reviewers
                node.prs += 1
                if touched[d] == 1 and d not in direct:
                    node.one_child += 1
                if d in marked:
                    node.marked = True
                if merged:
                    node.merged_reviewed.append(review.ref)
        for repo, d in tree:
            if d:
                tree[(repo, parent_dir(d))].children.add(d)
        return tree

    @cached_property
    def area_map(self) -> AreaMap:
        """Where work is owned, per repository (see :mod:`leadkit.analyze.areas`)."""
        return AreaMap(
            self.code_tree,
            self.folding,
            configured=[UnitPattern.parse(p) for p in self.config.areas.units],
            owned={
                o.repo: codeowners_units(rule.pattern for rule in o.rules)
                for o in self.dataset.code_owners
            },
            lead=self.lead,
        )

    def area_topic(self, repo: str, path: str) -> str:
        """The name of a file's area (``orders`` for ``services/orders/``; ``""`` at the root):
        a topic, the same as a Jira component of that name."""
        return leaf(self.code_area(repo, path).partition(":")[2])

    def code_area(self, repo: str, path: str) -> str:
        """The owned area of a file: the unit people work in (``org/app:services/orders/``).

        The one answer to "which area is this file in" for every analysis:
        familiarity, lead-only areas, away-risk. ``org/app:/`` for a file at the
        root (or in a fixture folder at the root).
        """
        return self.area_map.area(repo, path)

    # -- helpers -------------------------------------------------------------------

    def working_hours(
        self, start: datetime | None, end: datetime | None = None, whose: str | None = None
    ) -> float | None:
        """Working hours from ``start`` to ``end`` (default: now), None when ``start`` is.

        ``whose``: the person the wait is on (the reviewer asked, the lead
        asked a question); their time away counts nothing.
        """
        if start is None:
            return None
        return self.clock.hours_between(start, end or self.now, self.away_spans(whose))

    def working_days(
        self, start: datetime | None, end: datetime | None = None, whose: str | None = None
    ) -> float | None:
        """:meth:`working_hours` in working days (a day is the team's working hours)."""
        hours = self.working_hours(start, end, whose)
        return None if hours is None else hours / self.clock.day_hours

    def working_time(self) -> WorkingTime:
        """What a working day is for this team, as the report states it."""
        clock = self.clock
        first = self.history_start.astimezone(self.tz).date()
        return WorkingTime(
            hours=clock.hours_text(),
            day_hours=clock.day_hours,
            timezone=self.team.timezone,
            days=clock.days_text(),
            holidays=[
                d.isoformat() for d in clock.holidays_in(first, self.now.astimezone(self.tz).date())
            ],
            holiday_calendar=self.team.holiday_calendar,
            holidays_set=bool(self.team.holidays or self.team.holiday_calendar),
        )

    def away_spans(self, person_id: str | None) -> list[tuple[datetime, datetime]]:
        """A person's ``[people.x] away`` periods as UTC spans (days in the team's time zone)."""
        pc = self.person_config(person_id) if person_id else None
        if pc is None:
            return []
        return [period.in_zone(self.tz) for period in pc.away]

    @cached_property
    def weeks(self) -> list[datetime]:
        """The Mondays of the weeks the window covers, oldest first (the first and last
        weeks may be partial): every weekly series has one value per week."""
        out: list[datetime] = []
        week = week_start(self.start)
        while week <= self.now:
            out.append(week)
            week += timedelta(days=7)
        return out

    @cached_property
    def previous(self) -> AnalysisContext | None:
        """This team's view of the previous window of the same length, the data as it stood
        then (:func:`leadkit.analyze.trend.as_of`); None when the history does not reach back
        to its start. For a kind that says how a number moved in its own words."""
        from leadkit.analyze.trend import as_of, previous_window

        window = previous_window(self.dataset.window)
        if window.start < self.history_start:
            return None
        return AnalysisContext(as_of(self.dataset, window), self.config, self.team, self.thresholds)

    def days_since(self, at: datetime | None) -> float | None:
        if at is None:
            return None
        return (self.now - at).total_seconds() / 86400

    def delegable(self, item: WorkItem) -> tuple[bool, str]:
        """Whether the lead could hand this item off, and the rule that decided.

        Every open item the lead holds is a candidate unless a rule keeps it:
        a per-item override, ``keep_types`` (the normalized type or the
        tracker's own type name) or ``keep_labels``. What kind of work it is
        only ranks it (see the delegation analysis), it never keeps it.
        """
        rules = self.delegation
        override = rules.overrides.get(item.key)
        if override is not None:
            return override == "delegate", f"config override for {item.key}"
        labels = {label.lower() for label in item.labels}
        raw_type = (item.raw_type or "").lower()
        if item.type in rules.keep_types or raw_type in rules.keep_types:
            kept_type = item.type if item.type in rules.keep_types else item.raw_type
            return False, f"{kept_type} items stay with the lead"
        kept = sorted(labels & set(rules.keep_labels))
        if kept:
            return False, f"label '{kept[0]}' keeps it with the lead"
        return True, "no keep rule applies"

    def kept_with_lead(self) -> list[tuple[WorkItem, str]]:
        """The lead's open items the rules keep with the lead, each with its rule."""
        out = []
        for item in self.iter_lead_items():
            ok, rule = self.delegable(item)
            if not ok:
                out.append((item, rule))
        return out

    def iter_lead_items(self) -> Iterator[WorkItem]:
        """Open items assigned to the lead, in key order."""
        lead = self.lead
        mine = [i for i in self.dataset.work_items if i.assignee == lead and i.is_open]
        yield from sorted(mine, key=lambda i: i.ref)


def _sort_events(events: list[Event]) -> None:
    """Sort by (at, person, target, kind): by time alone (3x faster), then ties by the rest."""
    events.sort(key=attrgetter("at"))
    times = [e.at for e in events]
    full = attrgetter("at", "person", "target", "kind")
    for i in compress(range(len(times) - 1), map(eq, times, times[1:])):
        if i > 0 and times[i - 1] == times[i]:
            continue  # inside a run already sorted
        j = i + 1
        while j + 1 < len(times) and times[j + 1] == times[i]:
            j += 1
        events[i : j + 1] = sorted(events[i : j + 1], key=full)


def _next_reply(comments: list[Event]) -> list[Event | None]:
    """For each comment, the next one by someone else (one backward pass, not a scan each)."""
    out: list[Event | None] = [None] * len(comments)
    for i in range(len(comments) - 2, -1, -1):
        following = comments[i + 1]
        out[i] = following if following.person != comments[i].person else out[i + 1]
    return out
