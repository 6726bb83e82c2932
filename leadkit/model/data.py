"""The one normalized model every adapter produces and every analysis reads.

Tracker payloads never leave an adapter: Jira, GitHub or a file all become the
dataclasses below. People are referred to everywhere by a person id. Inside
an adapter's output that id is an *account key* (``"github:octocat"``,
``"jira:5b10ac8d"``); identity resolution later rewrites every reference to
the id of the merged :class:`Person`.

All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time
from typing import Literal, NamedTuple, cast, get_args

WorkType = Literal[
    "feature", "bug", "task", "test", "ops", "incident", "support", "chore", "epic", "docs"
]
"""Normalized work-item types; anything else maps to ``task`` (the interchange schema's enum)."""
WORK_TYPES: tuple[str, ...] = get_args(WorkType)

StatusCategory = Literal["todo", "in_progress", "done"]
STATUS_CATEGORIES: tuple[str, ...] = ("todo", "in_progress", "done")

LinkKind = Literal["blocks", "is-blocked-by", "relates"]
LINK_KINDS: tuple[str, ...] = ("blocks", "is-blocked-by", "relates")

DueSource = Literal["duedate", "fix_version", "milestone"]
DUE_SOURCES: tuple[str, ...] = ("duedate", "fix_version", "milestone")
"""Where an item's due date came from: its own due date (Jira ``duedate``, a GitLab
issue's ``due_date``), the release it is planned for (the earliest unreleased Jira fix
version's ``releaseDate``) or its milestone (GitHub ``dueOn``, GitLab ``due_date``)."""

ReviewState = Literal["approved", "changes_requested", "commented", "dismissed"]
REVIEW_STATES: tuple[str, ...] = ("approved", "changes_requested", "commented", "dismissed")

_KEY_RE = re.compile(r"(?<![A-Za-z0-9_-])([A-Z][A-Z0-9_]{1,9}-[1-9][0-9]{0,6})(?![A-Za-z0-9])")


def utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime; naive values are taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def account_key(tracker: str, account_id: str) -> str:
    """The person id an adapter uses for one tracker account."""
    return f"{tracker}:{account_id}"


def split_account_key(key: str) -> tuple[str, str]:
    """Split ``"github:octocat"`` into ``("github", "octocat")``."""
    tracker, _, account_id = key.partition(":")
    return tracker, account_id


def find_work_item_keys(*texts: str | None) -> tuple[str, ...]:
    """Jira-style keys (``PIPE-12``) mentioned in titles, branch names or bodies, in order."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for match in _KEY_RE.finditer(text.upper() if text.islower() else text):
            seen.setdefault(match.group(1), None)
    return tuple(seen)


DUE_TIME = time(23, 59, 59, tzinfo=UTC)
"""The time of day a due date is held at: the end of the day (see :func:`due_at`)."""


def due_at(value: datetime) -> datetime:
    """The moment a tracker's due date means: the end of its day, ``23:59:59`` UTC.

    Trackers keep a due date as a day: Jira and GitLab send ``2026-12-01`` (read
    by :func:`leadkit.timeutil.parse_datetime` as that day's midnight), GitHub
    sends the day's start in US Pacific time (``2026-12-01T08:00:00Z``), which
    is the same day in UTC. Either way the item is on time for all of that day,
    so the model holds the day's last second: ``now > due`` is "overdue", and
    ``due.date()`` is the day the tracker shows. A team far east of UTC sees
    the day end a few hours after its own midnight; the day itself is right.
    """
    return datetime.combine(utc(value).date(), DUE_TIME)


class Due(NamedTuple):
    """One candidate due date of an item, with where it came from (see :func:`earliest_due`)."""

    at: datetime | None = None
    source: DueSource | None = None
    name: str | None = None
    """The fix version's or milestone's name (``2.4``); None for the item's own due date."""


def earliest_due(*candidates: Due) -> Due:
    """The earliest of an item's due dates (the first given wins a tie); ``Due()`` when none.

    An item's own due date and the date of the release it is planned for can
    differ: whichever comes first is when the item is needed.
    """
    dated = [(c.at, i) for i, c in enumerate(candidates) if c.at is not None]
    return candidates[min(dated)[1]] if dated else Due()


AUTOMATION_LOGINS: frozenset[str] = frozenset(
    {
        "dependabot",
        "dependabot-preview",
        "renovate",
        "renovatebot",
        "github-actions",
        "github-advanced-security",
        "copilot",
        "copilot-pull-request-reviewer",
        "codecov",
        "codecov-commenter",
        "sonarcloud",
        "sonarqube",
        "mergify",
        "pre-commit-ci",
        "allcontributors",
        "imgbot",
        "greenkeeper",
        "snyk-bot",
        "jenkins",
        "bamboo",
        "teamcity",
        "buildkite",
        "circleci",
        "travis",
        "buildbot",
        "automation",
        "automation-for-jira",
        "jira-automation",
        "alert-bot",
        "support-bot",
        "gitlab-bot",
        "ghost",
    }
)
"""Well-known automation accounts, by login (compared lower-case, without ``[bot]``)."""

AUTOMATION_NAMES: frozenset[str] = frozenset(
    {
        "automation for jira",
        "jira automation",
        "automation",
        "jenkins",
        "bamboo",
        "teamcity",
        "buildkite",
        "gitlab bot",
        "gitlab support bot",
        "gitlab alert bot",
        "ghost user",
        "deleted user",
        "service account",
    }
)
"""Well-known automation accounts, by display name (compared case- and accent-folded, whole:
"Jenkins" is the CI server, "Jenkins, Mary" a person)."""

_SERVICE_LOGIN = re.compile(
    r"""^(?:
        (?:svc|srv|svc-acct|ci|bot|jenkins|bamboo|teamcity)[-_.].*   # svc-deploy, ci-runner, jenkins-prod
      | .*[-_.](?:bot|ci|svc|automation|service|robot)               # deploy-bot, acme-ci, build_svc
      | .*\[bot\]                                                  # a GitHub app, as REST names it
      | (?:project|group)_\d+_bot(?:_[0-9a-f]+)?                    # GitLab project and group tokens
      | (?:jenkins|bamboo)\d*                                       # jenkins2
    )$""",
    re.VERBOSE,
)
"""Logins service accounts use: ``svc-*``, ``ci-*``, ``*-bot``, ``*-ci``, ``*[bot]``, GitLab's
``project_123_bot`` (and ``group_...``) users, CI servers' own accounts."""


def fold(text: str) -> str:
    """``text`` case- and accent-folded: "José" and "JOSE" are both "jose"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_UNFOLDED)


_UNFOLDED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)


@dataclass(frozen=True, slots=True)
class Account:
    """One account on one tracker, as an adapter saw it.

    ``bot`` is set when the tracker itself says the account is automation
    (a GitHub ``Bot`` actor, a Jira ``app`` account, a GitLab ``bot`` user).
    """

    tracker: str
    id: str
    name: str | None = None
    email: str | None = None
    login: str | None = None
    bot: bool = False

    @property
    def key(self) -> str:
        return account_key(self.tracker, self.id)

    @property
    def is_automation(self) -> bool:
        """The one rule for "this account is not a person" (see :meth:`automation_reason`)."""
        return self.automation_reason() is not None

    def automation_reason(self) -> str | None:
        """Why this account is a bot or a service account, not a person; None for a person.

        The tracker said so (``bot``); or the login or id is a well-known
        automation account (:data:`AUTOMATION_LOGINS`) or a service account's
        (``svc-*``, ``ci-*``, ``*-bot``, ``*-ci``, ``*[bot]``, GitLab's
        ``project_123_bot``); or the display name is a well-known automation
        account's, whole (:data:`AUTOMATION_NAMES`). ``[analysis] ignore_users``
        adds to this (:func:`leadkit.collect.identity.automation`).
        """
        if self.bot:
            return "the tracker marks it as a bot or app"
        for value in dict.fromkeys(v.lower() for v in (self.login, self.id) if v):
            if value.removesuffix("[bot]") in AUTOMATION_LOGINS:
                return f"{value!r} is a known automation account"
            if "@" not in value and _SERVICE_LOGIN.match(value):
                return f"{value!r} is named like a service account"
        if self.name:
            name = " ".join(fold(self.name).replace(",", " ").split())
            if name in AUTOMATION_NAMES:
                return f"{self.name!r} is a known automation account"
            if " " not in name and _SERVICE_LOGIN.match(name):
                return f"{self.name!r} is named like a service account"
        return None


MatchMethod = Literal["config", "source", "email", "login", "name", "alias", "unmatched"]
"""How an account was attached to a person."""


@dataclass(frozen=True, slots=True)
class IdentityMatch:
    """How one account was attached to a person, and how sure leadkit is."""

    account: str
    method: MatchMethod
    confidence: float


@dataclass(frozen=True, slots=True)
class Person:
    """One human across trackers."""

    id: str
    name: str
    emails: tuple[str, ...] = ()
    accounts: tuple[Account, ...] = ()
    matches: tuple[IdentityMatch, ...] = ()

    @property
    def is_automation(self) -> bool:
        """A bot, not a human: one of its accounts is automation (see :attr:`Account.is_automation`)."""
        return self.automation_reason() is not None

    def automation_reason(self) -> str | None:
        """Why this person is a bot or service account (their first such account's reason), or None."""
        for account in self.accounts:
            reason = account.automation_reason()
            if reason is not None:
                return reason
        return None

    def account_ids(self) -> dict[str, list[str]]:
        """Account ids per tracker, for display and JSON."""
        out: dict[str, list[str]] = {}
        for account in self.accounts:
            out.setdefault(account.tracker, []).append(account.login or account.id)
        return out


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment: who, when, whether it asks something and whom it mentions."""

    by: str | None
    at: datetime
    question: bool = False
    mentions: tuple[str, ...] = ()
    reply_to: int | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    """A status change of a work item."""

    at: datetime
    to_status: str
    from_status: str | None = None
    by: str | None = None
    to_category: StatusCategory | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """A change of a work item's assignee."""

    at: datetime
    to: str | None
    from_: str | None = None
    by: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A link from a work item to another item, read from the item's side."""

    kind: LinkKind
    key: str


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A ticket or issue on any tracker.

    ``key`` is the tracker's own name for the item (``PIPE-12``); a tracker
    with numeric keys per project writes them whole (``group/name#12``), so
    an item's key never collides with a review's ref.

    ``due`` is when the item is due, None when no date is known: the end of
    the due day, ``23:59:59`` UTC (:func:`due_at`), so ``due.date()`` is the day
    the tracker shows. ``due_source`` says which date it is
    (:data:`DUE_SOURCES`) and ``due_name`` names the release or milestone
    (``"2.4"``), so a report can say "due 1 Dec (release 2.4)".
    """

    source: str
    key: str
    title: str
    type: WorkType
    status: str
    status_category: StatusCategory
    created: datetime
    updated: datetime
    url: str | None = None
    raw_type: str | None = None
    assignee: str | None = None
    reporter: str | None = None
    resolved: datetime | None = None
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    parent: str | None = None
    links: tuple[Link, ...] = ()
    transitions: tuple[Transition, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    comments: tuple[Comment, ...] = ()
    fields: dict[str, str | float | int | None] = field(default_factory=dict)
    due: datetime | None = None
    due_source: DueSource | None = None
    due_name: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.source}:{self.key}"

    @property
    def is_open(self) -> bool:
        return self.status_category != "done"


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """A request for someone's review; ``removed`` is set when it was withdrawn."""

    reviewer: str | None
    requested: datetime | None
    removed: datetime | None = None
    team: str | None = None
    by: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewSubmission:
    """A submitted review."""

    by: str | None
    state: ReviewState
    at: datetime


@dataclass(frozen=True, slots=True)
class Review:
    """A pull or merge request.

    ``ref_sep`` is how the source writes a request's number after the repo:
    ``#`` on GitHub (pull requests and issues share numbers), ``!`` on GitLab
    (merge requests are numbered apart from issues, which keep ``#``). So a
    merge request and an issue with the same number never share a ref.

    ``due``, ``due_source`` and ``due_name``: its milestone's due date, as
    :class:`WorkItem` holds one.
    """

    source: str
    repo: str
    number: int
    title: str
    created: datetime
    updated: datetime
    url: str | None = None
    author: str | None = None
    merged: datetime | None = None
    closed: datetime | None = None
    draft: bool = False
    branch: str | None = None
    last_pushed: datetime | None = None
    review_requests: tuple[ReviewRequest, ...] = ()
    reviews: tuple[ReviewSubmission, ...] = ()
    comments: tuple[Comment, ...] = ()
    paths: tuple[str, ...] = ()
    linked_keys: tuple[str, ...] = ()
    ref_sep: str = "#"
    due: datetime | None = None
    due_source: DueSource | None = None
    due_name: str | None = None

    @property
    def ref(self) -> str:
        """``org/repo#42`` (GitHub) or ``group/name!42`` (a GitLab merge request)."""
        return f"{self.repo}{self.ref_sep}{self.number}"

    @property
    def is_open(self) -> bool:
        return self.merged is None and self.closed is None


@dataclass(frozen=True, slots=True)
class OwnerRule:
    """One CODEOWNERS line: a path pattern (gitignore-like) and its owners, as written."""

    pattern: str
    owners: tuple[str, ...] = ()


CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where a repository keeps its CODEOWNERS file, in the order GitHub looks (GitLab also
reads ``.gitlab/CODEOWNERS``)."""


@dataclass(frozen=True, slots=True)
class CodeOwners:
    """A repository's CODEOWNERS file: its rules in file order (the last match wins).

    Code areas start from the folders it names (see :mod:`leadkit.analyze.areas`).
    """

    source: str
    repo: str
    path: str
    """Where the file is (``.github/CODEOWNERS``)."""
    rules: tuple[OwnerRule, ...] = ()

    @classmethod
    def parse(cls, source: str, repo: str, path: str, text: str) -> CodeOwners:
        """Read a CODEOWNERS file's text: one rule per line with a pattern; comments,
        blank lines and GitLab's ``[Section]`` headers are skipped."""
        rules = []
        for line in text.splitlines():
            body = line.split(" #", 1)[0].strip()
            if not body or body.startswith(("#", "[", "^[")):
                continue
            pattern, *owners = body.replace("\\ ", "\0").split()
            rules.append(OwnerRule(pattern.replace("\0", " "), tuple(owners)))
        return cls(source, repo, path, tuple(rules))


@dataclass(frozen=True, slots=True)
class Window:
    """The report window ``[start, end]`` plus how far back history reaches."""

    start: datetime
    end: datetime
    history_start: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end", "history_start"):
            value = getattr(self, name)
            if value.tzinfo is None:
                raise ValueError(f"Window.{name} must be timezone-aware")
        if not self.history_start <= self.start <= self.end:
            raise ValueError("Window needs history_start <= start <= end")

    @property
    def now(self) -> datetime:
        return self.end


@dataclass(slots=True)
class Dataset:
    """People, work items and reviews for one window."""

    window: Window
    people: list[Person] = field(default_factory=list)
    work_items: list[WorkItem] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    code_owners: list[CodeOwners] = field(default_factory=list)
    """Each repository's CODEOWNERS, where a source read one."""

    @property
    def now(self) -> datetime:
        return self.window.end

    def person(self, person_id: str | None) -> Person | None:
        if person_id is None:
            return None
        return self._people_by_id().get(person_id)

    def _people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    def merged_with(self, other: Dataset) -> Dataset:
        """A new dataset with both datasets' contents; later items replace earlier ones."""
        return merge_datasets(self.window, [self, other])


TEXT_LIMIT = 256
"""The most characters of one tracker text (a title, a person's name, a status, a label, a
component) any output shows: GitHub's and Jira's own title limit, so a real title is never
cut. Longer text (from a file, or a hostile tracker) is cut with an ellipsis, so one title can
neither push everything else out of a PR comment or an issue nor grow a report past what a
reader opens (docs/report-json.md)."""
ELLIPSIS = "\u2026"


def cut(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` at most ``limit`` characters, its end replaced by an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _cut_all(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(cut(t) for t in texts) if any(len(t) > TEXT_LIMIT for t in texts) else texts


def _cut_or_none(text: str | None) -> str | None:
    return None if text is None else cut(text)


def bounded(dataset: Dataset) -> Dataset:
    """The dataset with every tracker text an output shows cut to :data:`TEXT_LIMIT`.

    Keys, ids and URLs are left whole (they name things; a report links them).
    Only what is too long is rebuilt, so a dataset within the limit comes back
    as it is, at the cost of one length check per text.
    """

    def long(*texts: str | None) -> bool:
        return any(t is not None and len(t) > TEXT_LIMIT for t in texts)

    def item(i: WorkItem) -> WorkItem:
        texts = (i.title, i.status, i.raw_type, i.due_name, *i.labels, *i.components)
        moves = (t.to_status for t in i.transitions)
        if not long(*texts, *moves, *(t.from_status for t in i.transitions)):
            return i
        return replace(
            i,
            title=cut(i.title),
            status=cut(i.status),
            raw_type=_cut_or_none(i.raw_type),
            due_name=_cut_or_none(i.due_name),
            labels=_cut_all(i.labels),
            components=_cut_all(i.components),
            transitions=tuple(
                replace(t, to_status=cut(t.to_status), from_status=_cut_or_none(t.from_status))
                for t in i.transitions
            ),
        )

    def review(r: Review) -> Review:
        if not long(r.title, r.branch, r.due_name):
            return r
        return replace(
            r, title=cut(r.title), branch=_cut_or_none(r.branch), due_name=_cut_or_none(r.due_name)
        )

    def person(p: Person) -> Person:
        if not long(p.name, *(a.name for a in p.accounts)):
            return p
        accounts = tuple(replace(a, name=_cut_or_none(a.name)) for a in p.accounts)
        return replace(p, name=cut(p.name), accounts=accounts)

    return replace(
        dataset,
        people=[person(p) for p in dataset.people],
        work_items=[item(i) for i in dataset.work_items],
        reviews=[review(r) for r in dataset.reviews],
    )


def merge_datasets(window: Window, datasets: Iterable[Dataset]) -> Dataset:
    """One dataset from many (pages or sources), in one pass; later items win."""
    people: dict[str, Person] = {}
    items: dict[str, WorkItem] = {}
    reviews: dict[tuple[str, str], Review] = {}
    notes: dict[str, None] = {}
    sources: dict[str, None] = {}
    owners: dict[tuple[str, str], CodeOwners] = {}
    for data in datasets:
        owners.update(((o.source, o.repo), o) for o in data.code_owners)
        for p in data.people:
            people[p.id] = merge_people(people[p.id], p) if p.id in people else p
        items.update((i.ref, i) for i in data.work_items)
        reviews.update(((r.source, r.ref), r) for r in data.reviews)
        notes.update(dict.fromkeys(data.notes))
        sources.update(dict.fromkeys(data.sources))
    return Dataset(
        window=window,
        people=list(people.values()),
        work_items=list(items.values()),
        reviews=list(reviews.values()),
        notes=list(notes),
        sources=list(sources),
        code_owners=list(owners.values()),
    )


def merge_people(a: Person, b: Person) -> Person:
    """One person holding both records' emails and accounts (``a`` wins on the name)."""
    accounts = {acc.key: acc for acc in a.accounts}
    for acc in b.accounts:
        accounts.setdefault(acc.key, acc)
    matches = {m.account: m for m in a.matches}
    for m in b.matches:
        matches.setdefault(m.account, m)
    emails = dict.fromkeys([*a.emails, *b.emails])
    return replace(
        a,
        name=a.name or b.name,
        emails=tuple(emails),
        accounts=tuple(accounts.values()),
        matches=tuple(matches.values()),
    )


IN_PROGRESS_WORDS: frozenset[str] = frozenset(
    {"in progress", "doing", "wip", "work in progress", "in development", "started", "in review"}
)
"""What a label or a project's status column says for work someone has started."""


def says_in_progress(*names: str | None) -> bool:
    """A label or project status says the work has started: ``in progress``, ``doing``,
    ``WIP``, ``status: in-progress``, GitLab's scoped ``workflow::doing``...

    On a tracker whose issues are only open or closed (GitHub, GitLab), an
    assignee alone is not work in progress: adapters call an open issue
    ``in_progress`` only when one of these says so, and leave the rest ``todo``
    (the analysis still sees a linked open PR or the assignee's activity as work).
    """
    for name in names:
        if not name:
            continue
        tail = re.split(r"::|:|/", name.lower())[-1]
        if " ".join(re.sub(r"[-_]", " ", tail).split()) in IN_PROGRESS_WORDS:
            return True
    return False


def normalize_type(raw: str | None, type_map: dict[str, str] | None = None) -> WorkType:
    """Map a tracker's type name to one of :data:`WORK_TYPES` (explicit map first)."""
    if not raw:
        return "task"
    if type_map:
        for name, target in type_map.items():
            if name.lower() == raw.lower():
                return cast(WorkType, target) if target in WORK_TYPES else "task"
    lowered = raw.lower()
    if lowered in WORK_TYPES:
        return cast(WorkType, lowered)
    rules: tuple[tuple[tuple[str, ...], WorkType], ...] = (
        (("epic", "initiative"), "epic"),
        (("incident", "outage", "postmortem"), "incident"),
        (("bug", "defect"), "bug"),
        (("support", "question", "service request"), "support"),
        (("test", "qa"), "test"),
        (("ops", "operation", "infra", "devops"), "ops"),
        (("chore", "maintenance", "tech debt"), "chore"),
        (("doc",), "docs"),
        (("story", "feature", "improvement", "enhancement", "requirement"), "feature"),
    )
    for needles, target in rules:
        if any(needle in lowered for needle in needles):
            return target
    return "task"
