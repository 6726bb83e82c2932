"""Identity merging: many tracker accounts, one person.

Accounts the config maps are settled (confidence 1.0). The rest are matched
by exact email (0.95), then across trackers by login (0.7) or display name
(0.6), then on one tracker by a full display name on two accounts that each
have their own email (``alias``, 0.5: a work and an alias address, as git and
Gerrit histories show); an account nothing matches becomes its own person.
Names are compared case- and accent-folded and in any order ("Doe, Jane" is
"Jane Doe", "José" is "Jose"). Every match keeps its method and confidence, so
``leadkit people`` can show the uncertain ones and propose the config lines
that confirm or split them. :func:`automation` is the one rule for accounts
that are not people (bots, service accounts, ``[analysis] ignore_users``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import cast

from leadkit.config import PersonConfig
from leadkit.model.data import (
    Account,
    Assignment,
    Comment,
    Dataset,
    IdentityMatch,
    MatchMethod,
    Person,
    Review,
    ReviewRequest,
    ReviewSubmission,
    Transition,
    WorkItem,
    fold,
    split_account_key,
)

CONFIDENCE = {
    "config": 1.0,
    "source": 1.0,
    "email": 0.95,
    "login": 0.7,
    "name": 0.6,
    "alias": 0.5,
}
UNCERTAIN_BELOW = 0.9


def _norm(text: str | None) -> str:
    """A login or id compared: folded (case, accents) and without punctuation."""
    return re.sub(r"[^a-z0-9]", "", fold(text or ""))


def name_words(name: str | None) -> tuple[str, ...]:
    """A display name's words, folded and in first-last order: "Doe, Jane" and "jane DOE" are
    both ``("jane", "doe")``; "José" is "jose"; a bracketed note ("(ext)") is dropped."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", fold(name or ""))
    last, comma, first = text.partition(",")
    if comma and first.strip() and last.strip() and "," not in first:
        text = f"{first} {last}"
    return tuple(w for w in re.split(r"[^a-z0-9]+", text) if w)


def first_last(name: str) -> str:
    """A "Last, First" display name (Jira Data Center's, Active Directory's) written "First
    Last", a bracketed note kept at the end: "Lee, Kim (Contractor)" is "Kim Lee (Contractor)"."""
    note = re.search(r"\s*(\([^)]*\)|\[[^\]]*\])\s*$", name)
    core = name[: note.start()] if note else name
    last, comma, first = core.partition(",")
    if not comma or not first.strip() or not last.strip() or "," in first:
        return name
    return f"{first.strip()} {last.strip()}" + (f" {note.group(1)}" if note else "")


def _name_key(name: str | None) -> str:
    """A display name compared, word order aside ("Doe Jane" is "Jane Doe" too)."""
    return " ".join(sorted(name_words(name)))


def _slug(text: str) -> str:
    return "-".join(name_words(text)) or re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class _Group:
    """Accounts found to be one person while resolving."""

    id: str
    name: str | None
    emails: dict[str, None]
    accounts: dict[str, Account]
    matches: dict[str, IdentityMatch]
    configured: bool

    def add(self, cluster: Person, method: str) -> None:
        for account in cluster.accounts:
            self.accounts.setdefault(account.key, account)
            self.matches.setdefault(
                account.key,
                # The methods are this module's own names (CONFIDENCE's keys).
                IdentityMatch(account.key, cast(MatchMethod, method), CONFIDENCE.get(method, 1.0)),
            )
        self.emails.update(dict.fromkeys(e.lower() for e in cluster.emails))
        if not self.name:
            self.name = cluster.name

    def trackers(self) -> set[str]:
        return {a.tracker for a in self.accounts.values()}


def _cluster_accounts(person: Person) -> tuple[Account, ...]:
    if person.accounts:
        return person.accounts
    tracker, account_id = split_account_key(person.id)
    if not account_id:
        tracker, account_id = "unknown", person.id
    return (Account(tracker, account_id, person.name, person.emails[0] if person.emails else None),)


def resolve_identities(dataset: Dataset, people_config: dict[str, PersonConfig]) -> Dataset:
    """A dataset whose people are merged across trackers and whose references use their ids.

    1. Accounts the config names join their person (``config``).
    2. The other accounts are merged among themselves: by exact email (also a
       renamed account on one tracker), then across trackers by login, then by
       display name, then on one tracker by a full display name when both
       sides have their own email (``alias``); a bot never merges with a human
       by login or name.
    3. Each merged set joins a configured person by email, then by login (or
       the person's id as a login), then by name; across trackers only for the
       last two. What joins no one is a person of its own.
    """
    clusters = _clusters(dataset)
    groups: dict[str, _Group] = {}
    for pid, pc in sorted(people_config.items()):
        groups[pid] = _Group(pid, pc.name, dict.fromkeys(pc.emails), {}, {}, True)
    owner: dict[str, str] = {}  # cluster id -> group id
    pending = sorted(clusters.values(), key=lambda p: p.id)

    # 1. config mappings
    lookup: dict[tuple[str, str], str] = {}
    for pid, pc in people_config.items():
        for tracker, values in pc.accounts.items():
            for value in values:
                lookup[(tracker.lower(), value.lower())] = pid
    rest = []
    for cluster in pending:
        target: str | None = None
        for account in cluster.accounts:
            for name in (account.id, account.login, account.email):
                if name and (account.tracker.lower(), name.lower()) in lookup:
                    target = lookup[(account.tracker.lower(), name.lower())]
                    break
            if target:
                break
        if target is not None:
            groups[target].add(cluster, "config")
            owner[cluster.id] = target
        else:
            rest.append(cluster)

    # 2. the unconfigured accounts, merged among themselves
    protos = [_Proto([(cluster, None)]) for cluster in rest]
    protos = _merge_protos(protos, "email", _Proto.emails, across=False)
    protos = _merge_protos(protos, "login", _Proto.logins, across=True)
    protos = _merge_protos(protos, "name", _Proto.names, across=True)
    protos = _merge_protos(protos, "alias", _Proto.alias_names, across=False, aliases=True)

    # 3. each merged set joins a configured person, or is a person of its own
    configured = [g for g in groups.values() if g.configured]
    for proto in protos:
        group, method = _configured_match(proto, configured)
        if group is not None:
            for cluster, how in proto.members:
                group.add(cluster, _weaker(how, method))
                owner[cluster.id] = group.id
            continue
        anchor = proto.members[0][0]
        name = proto.display_name()
        base = _slug(name) if name else ""
        gid = base if base and base not in groups else anchor.id
        n = 2
        while gid in groups:
            gid = f"{anchor.id}-{n}"
            n += 1
        group = _Group(gid, name, {}, {}, {}, False)
        if len(proto.members) == 1 and len(anchor.accounts) == 1:
            group.add(anchor, "unmatched")
            group.matches = {k: IdentityMatch(k, "unmatched", 1.0) for k in group.matches}
        else:
            for cluster, how in proto.members:
                group.add(cluster, how or "source")
        groups[gid] = group
        for cluster, _ in proto.members:
            owner[cluster.id] = gid

    people = [
        Person(
            id=g.id,
            name=g.name or g.id,
            emails=tuple(sorted(g.emails)),
            accounts=tuple(sorted(g.accounts.values(), key=lambda a: a.key)),
            matches=tuple(sorted(g.matches.values(), key=lambda m: m.account)),
        )
        for g in sorted(groups.values(), key=lambda g: g.id)
    ]
    mapping: dict[str, str] = {}
    for cluster in clusters.values():
        gid = owner[cluster.id]
        mapping[cluster.id] = gid
        for account in cluster.accounts:
            mapping[account.key] = gid
    return _rewrite(dataset, people, mapping)


@dataclass
class _Proto:
    """Unconfigured accounts found to be one person, each with how it joined (None: the first)."""

    members: list[tuple[Person, str | None]]

    def accounts(self) -> list[Account]:
        return [a for cluster, _ in self.members for a in cluster.accounts]

    def trackers(self) -> set[str]:
        return {a.tracker for a in self.accounts()}

    def is_automation(self) -> bool:
        return any(_is_bot(a) for a in self.accounts())

    def emails(self) -> list[str]:
        return [e for cluster, _ in self.members for e in _emails(cluster)]

    def logins(self) -> list[str]:
        return [_norm(a.login) for a in self.accounts() if a.login]

    def names(self) -> list[str]:
        out = [_name_key(cluster.name) for cluster, _ in self.members if cluster.name]
        out.extend(_name_key(a.name) for a in self.accounts() if a.name)
        return out

    def alias_names(self) -> list[str]:
        """Full names (two words or more), when these accounts have an email (their own: a
        shared one merged them already)."""
        if not self.emails():
            return []
        return [n for n in self.names() if " " in n]

    def display_name(self) -> str | None:
        """The first name that is a real name, not just an account id, a capitalised one
        before an all-lower-case one, written first-last ("Doe, Jane" reads "Jane Doe")."""
        names = [
            first_last(cluster.name)
            for cluster, _ in self.members
            if cluster.name and cluster.name not in {a.id for a in cluster.accounts}
        ]
        return min(names, key=str.islower, default=None)

    def absorb(self, other: _Proto, method: str) -> None:
        self.members.extend((cluster, _weaker(how, method)) for cluster, how in other.members)


@lru_cache(maxsize=8192)
def _is_bot(account: Account) -> bool:
    """:attr:`Account.is_automation`, once per account (merging asks it for every pair)."""
    return account.is_automation


def automation(people: Iterable[Person], ignore_users: Iterable[str] = ()) -> dict[str, str]:
    """Person ids that are not people, each with why: the one rule for bots and service accounts.

    A person is a bot when one of their accounts is
    (:meth:`leadkit.model.data.Account.automation_reason`: the tracker says so,
    a well-known automation account, a service account's login such as
    ``svc-deploy`` or ``project_12_bot``), or when ``[analysis] ignore_users``
    names them by login, account key or person id. Analyses
    (:attr:`leadkit.analyze.context.AnalysisContext.not_people`) and
    ``leadkit people`` both ask this.
    """
    people = list(people)
    out: dict[str, str] = {}
    for person in people:
        reason = person.automation_reason()
        if reason is not None:
            out[person.id] = reason
    ignore = list(ignore_users)
    if ignore:
        index = reference_index(people)
        for entry in ignore:
            out.setdefault(index.get(entry.lower(), entry), "listed in [analysis] ignore_users")
    return out


def _weaker(how: str | None, method: str) -> str:
    """Of two links in a chain of matches, the less certain one."""
    if how is None:
        return method
    return how if CONFIDENCE.get(how, 1.0) <= CONFIDENCE.get(method, 1.0) else method


def _merge_protos(
    protos: list[_Proto],
    method: str,
    keys_of: Callable[[_Proto], list[str]],
    *,
    across: bool,
    aliases: bool = False,
) -> list[_Proto]:
    """Merge sets sharing a key, in order.

    ``across``: only sets on different trackers; ``aliases``: only sets on the
    same tracker; either way a bot only with a bot.
    """
    index: dict[str, _Proto] = {}
    out: list[_Proto] = []
    for proto in protos:
        target = None
        for key in keys_of(proto):
            other = index.get(key) if key else None
            if other is None:
                continue
            if (across or aliases) and other.is_automation() != proto.is_automation():
                continue
            if across and other.trackers() & proto.trackers():
                continue
            if aliases and not other.trackers() & proto.trackers():
                continue
            target = other
            break
        if target is None:
            target = proto
            out.append(proto)
        else:
            target.absorb(proto, method)
        for key in keys_of(proto):
            if key:
                index.setdefault(key, target)
    return out


def _configured_match(proto: _Proto, groups: list[_Group]) -> tuple[_Group | None, str]:
    """The configured person a merged set belongs to, and by which method."""
    emails = set(proto.emails())
    for group in groups:
        if emails & set(group.emails) or emails & {
            a.email.lower() for a in group.accounts.values() if a.email
        }:
            return group, "email"
    if proto.is_automation():
        return None, ""
    trackers = proto.trackers()
    logins = set(proto.logins())
    names = set(proto.names())
    checks: tuple[tuple[str, set[str], Callable[[_Group], set[str]]], ...] = (
        (
            "login",
            logins,
            lambda g: {_norm(g.id)} | {_norm(a.login) for a in g.accounts.values() if a.login},
        ),
        ("name", names, lambda g: {_name_key(g.id), _name_key(g.name)} - {""}),
    )
    for method, wanted, known in checks:
        for group in groups:
            if group.trackers() & trackers:
                continue
            if wanted & known(group):
                return group, method
    return None, ""


def _emails(cluster: Person) -> list[str]:
    emails = [e.lower() for e in cluster.emails]
    emails.extend(a.email.lower() for a in cluster.accounts if a.email)
    return emails


def _clusters(dataset: Dataset) -> dict[str, Person]:
    """Every input person, plus a bare one for each account referenced but not listed."""
    clusters: dict[str, Person] = {}
    for person in dataset.people:
        accounts = _cluster_accounts(person)
        clusters[person.id] = replace(person, accounts=accounts)
    known = set(clusters)
    known.update(a.key for p in clusters.values() for a in p.accounts)
    for ref in sorted(person_references(dataset)):
        if ref not in known:
            tracker, account_id = split_account_key(ref)
            if not account_id:
                tracker, account_id = "unknown", ref
            clusters[ref] = Person(
                id=ref, name=account_id, accounts=(Account(tracker, account_id),)
            )
            known.add(ref)
    return clusters


def person_references(dataset: Dataset) -> set[str]:
    """Every person reference in items and reviews (read only: nothing is rebuilt)."""
    refs: set[str | None] = set()
    add, update = refs.add, refs.update
    for item in dataset.work_items:
        add(item.assignee)
        add(item.reporter)
        update(t.by for t in item.transitions)
        for a in item.assignments:
            add(a.to)
            add(a.from_)
            add(a.by)
        for c in item.comments:
            add(c.by)
            update(c.mentions)
    for review in dataset.reviews:
        add(review.author)
        for r in review.review_requests:
            add(r.reviewer)
            add(r.by)
        update(s.by for s in review.reviews)
        for c in review.comments:
            add(c.by)
            update(c.mentions)
    return {ref for ref in refs if ref}


class _Rewriter:
    """Applies a function to every person reference in items and reviews.

    Objects whose references do not change are kept as they are, and changed
    ones are built with their constructors, positionally (``dataclasses.replace``
    costs about twice as much, and a large dataset has a million of them); the
    field lists below guard the positions.
    """

    def __init__(self, fn: Callable[[str], str | None]):
        self._fn = fn
        self._cache: dict[str, str | None] = {}

    def ref(self, value: str | None) -> str | None:
        if not value:
            return value
        try:
            return self._cache[value]
        except KeyError:
            out = self._cache[value] = self._fn(value)
            return out

    def refs(self, values: tuple[str, ...]) -> tuple[str, ...]:
        if not values:
            return values
        out = tuple(dict.fromkeys(v for v in map(self.ref, values) if v))
        return values if out == values else out

    def comment(self, c: Comment) -> Comment:
        by, cache = c.by, self._cache
        by = cache[by] if by in cache else self.ref(by)  # inlined: a million calls
        mentions = self.refs(c.mentions) if c.mentions else c.mentions
        if by == c.by and mentions is c.mentions:
            return c
        return Comment(by, c.at, c.question, mentions, c.reply_to)

    def transition(self, t: Transition) -> Transition:
        by = self.ref(t.by)
        if by == t.by:
            return t
        return Transition(t.at, t.to_status, t.from_status, by, t.to_category)

    def assignment(self, a: Assignment) -> Assignment:
        to, from_, by = self.ref(a.to), self.ref(a.from_), self.ref(a.by)
        if to == a.to and from_ == a.from_ and by == a.by:
            return a
        return Assignment(a.at, to, from_, by)

    def request(self, r: ReviewRequest) -> ReviewRequest:
        reviewer, by = self.ref(r.reviewer), self.ref(r.by)
        if reviewer == r.reviewer and by == r.by:
            return r
        return ReviewRequest(reviewer, r.requested, r.removed, r.team, by)

    def submission(self, s: ReviewSubmission) -> ReviewSubmission:
        by = self.ref(s.by)
        return s if by == s.by else ReviewSubmission(by, s.state, s.at)

    def item(self, i: WorkItem) -> WorkItem:
        return WorkItem(
            i.source, i.key, i.title, i.type, i.status, i.status_category, i.created,
            i.updated, i.url, i.raw_type, self.ref(i.assignee), self.ref(i.reporter),
            i.resolved, i.labels, i.components, i.parent, i.links,
            tuple(map(self.transition, i.transitions)),
            tuple(map(self.assignment, i.assignments)),
            tuple(map(self.comment, i.comments)),
            i.fields, i.due, i.due_source, i.due_name,
        )  # fmt: skip

    def review(self, r: Review) -> Review:
        return Review(
            r.source, r.repo, r.number, r.title, r.created, r.updated, r.url,
            self.ref(r.author), r.merged, r.closed, r.draft, r.branch, r.last_pushed,
            tuple(map(self.request, r.review_requests)),
            tuple(map(self.submission, r.reviews)),
            tuple(map(self.comment, r.comments)),
            r.paths, r.linked_keys, r.ref_sep, r.due, r.due_source, r.due_name,
        )  # fmt: skip


_BUILT_FIELDS = {
    Comment: ("by", "at", "question", "mentions", "reply_to"),
    Transition: ("at", "to_status", "from_status", "by", "to_category"),
    Assignment: ("at", "to", "from_", "by"),
    ReviewRequest: ("reviewer", "requested", "removed", "team", "by"),
    ReviewSubmission: ("by", "state", "at"),
    WorkItem: (
        "source", "key", "title", "type", "status", "status_category", "created", "updated",
        "url", "raw_type", "assignee", "reporter", "resolved", "labels", "components", "parent",
        "links", "transitions", "assignments", "comments", "fields", "due", "due_source",
        "due_name",
    ),
    Review: (
        "source", "repo", "number", "title", "created", "updated", "url", "author", "merged",
        "closed", "draft", "branch", "last_pushed", "review_requests", "reviews", "comments",
        "paths", "linked_keys", "ref_sep", "due", "due_source", "due_name",
    ),
}  # fmt: skip
for _cls, _names in _BUILT_FIELDS.items():  # _Rewriter passes these positionally
    if tuple(f.name for f in fields(_cls)) != _names:
        raise AssertionError(f"identity._Rewriter must be updated for {_cls.__name__}'s fields")


def _rewrite(dataset: Dataset, people: list[Person], mapping: dict[str, str]) -> Dataset:
    rewriter = _Rewriter(lambda ref: mapping.get(ref, ref))
    return Dataset(
        window=dataset.window,
        people=people,
        work_items=[rewriter.item(i) for i in dataset.work_items],
        reviews=[rewriter.review(r) for r in dataset.reviews],
        notes=list(dataset.notes),
        sources=list(dataset.sources),
        code_owners=list(dataset.code_owners),
    )


def reference_index(people: Iterable[Person]) -> dict[str, str]:
    """Lower-cased names a config may use for a person, to that person's id.

    A person id wins over an account key (``github:octocat``), which wins over a
    bare login or account id (``octocat``). Used for ``[team] lead`` and
    ``members`` given as accounts, and for ``[analysis] ignore_users``.
    """
    by_id: dict[str, str] = {}
    by_key: dict[str, str] = {}
    by_login: dict[str, str] = {}
    for person in sorted(people, key=lambda p: p.id):
        by_id.setdefault(person.id.lower(), person.id)
        for account in person.accounts:
            by_key.setdefault(account.key.lower(), person.id)
            for value in (account.login, account.id):
                if value:
                    by_login.setdefault(value.lower(), person.id)
    return {**by_login, **by_key, **by_id}


def uncertain_matches(people: Iterable[Person]) -> list[tuple[Person, IdentityMatch]]:
    """Matches a lead should confirm in config (login or name guesses)."""
    return [
        (person, match)
        for person in people
        for match in person.matches
        if match.confidence < UNCERTAIN_BELOW
    ]


def proposed_config(people: Iterable[Person]) -> str:
    """TOML lines that settle every uncertain match: confirm it as guessed, or split it.

    Each uncertain person gets the ``[people]`` table that confirms the merge,
    then, commented out, the tables that split it into one person per tracker
    account (a guess across trackers) or per account (two accounts of one
    tracker), for the lead to use instead when the guess is wrong.
    """
    blocks = []
    for person in people:
        uncertain = [m for m in person.matches if m.confidence < UNCERTAIN_BELOW]
        if not uncertain:
            continue
        lines = [_person_table(person.id, person.name, person.accounts)]
        if len(person.accounts) > 1:
            split = [
                _person_table(f"{person.id}-{n}" if n > 1 else person.id, a.name or None, (a,))
                for n, a in enumerate(person.accounts, 1)
            ]
            lines.append("# or, if these are different people:")
            lines.extend("\n".join(f"# {line}" for line in table.splitlines()) for table in split)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _person_table(pid: str, name: str | None, accounts: Iterable[Account]) -> str:
    by_tracker: dict[str, list[str]] = {}
    for account in accounts:
        by_tracker.setdefault(account.tracker, []).append(account.login or account.id)
    lines = [f"[people.{_toml_key(pid)}]"]
    if name:
        lines.append(f"name = {_toml_str(name)}")
    for tracker, values in sorted(by_tracker.items()):
        rendered = ", ".join(_toml_str(v) for v in values)
        lines.append(
            f"{_toml_key(tracker)} = {_toml_str(values[0]) if len(values) == 1 else f'[{rendered}]'}"
        )
    return "\n".join(lines)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_str(key)


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'
