"""Identity merging: many tracker accounts, one person.

Accounts the config maps are settled (confidence 1.0). The rest are matched
by exact email (0.95), then across trackers by login (0.7) or display name
(0.6); an account nothing matches becomes its own person. Every match keeps
its method and confidence, so ``leadkit people`` can show the uncertain ones
and propose the config lines that settle them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace

from leadkit.config import PersonConfig
from leadkit.model import (
    Account,
    Assignment,
    Comment,
    Dataset,
    IdentityMatch,
    Person,
    Review,
    ReviewRequest,
    ReviewSubmission,
    Transition,
    WorkItem,
    split_account_key,
)

CONFIDENCE = {"config": 1.0, "source": 1.0, "email": 0.95, "login": 0.7, "name": 0.6}
UNCERTAIN_BELOW = 0.9


def _norm(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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
                IdentityMatch(account.key, method, CONFIDENCE.get(method, 1.0)),  # type: ignore[arg-type]
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
    """A dataset whose people are merged across trackers and whose references use their ids."""
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
        target = None
        for account in cluster.accounts:
            for value in (account.id, account.login, account.email):
                if value and (account.tracker.lower(), value.lower()) in lookup:
                    target = lookup[(account.tracker.lower(), value.lower())]
                    break
            if target:
                break
        if target is not None:
            groups[target].add(cluster, "config")
            owner[cluster.id] = target
        else:
            rest.append(cluster)

    # 2. exact email, against configured and already-resolved people
    def by_email() -> dict[str, str]:
        index: dict[str, str] = {}
        for gid, group in groups.items():
            for email in group.emails:
                index.setdefault(email, gid)
        return index

    rest = _match_pass(rest, groups, owner, "email", lambda c: _emails(c), by_email)

    # 3. login, then display name, across trackers only
    def by_login() -> dict[str, str]:
        index: dict[str, str] = {}
        for gid, group in groups.items():
            if group.configured:
                index.setdefault(_norm(gid), gid)
            for account in group.accounts.values():
                if account.login:
                    index.setdefault(_norm(account.login), gid)
        return index

    def by_name() -> dict[str, str]:
        index: dict[str, str] = {}
        for gid, group in groups.items():
            if group.name:
                index.setdefault(_norm(group.name), gid)
        return index

    rest = _match_pass(
        rest,
        groups,
        owner,
        "login",
        lambda c: [_norm(a.login) for a in c.accounts if a.login],
        by_login,
    )
    rest = _match_pass(
        rest, groups, owner, "name", lambda c: [_norm(c.name)] if c.name else [], by_name
    )

    # 4. whatever is left is its own person
    for cluster in rest:
        named = cluster.name and cluster.name not in {a.id for a in cluster.accounts}
        base = _slug(cluster.name) if named else ""
        gid = base if base and base not in groups else cluster.id
        n = 2
        while gid in groups:
            gid = f"{cluster.id}-{n}"
            n += 1
        method = "source" if len(cluster.accounts) > 1 else "unmatched"
        group = _Group(gid, None, {}, {}, {}, False)
        group.add(cluster, method)
        if method == "unmatched":
            group.matches = {k: IdentityMatch(k, "unmatched", 1.0) for k in group.matches}
        groups[gid] = group
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


def _emails(cluster: Person) -> list[str]:
    emails = [e.lower() for e in cluster.emails]
    emails.extend(a.email.lower() for a in cluster.accounts if a.email)
    return emails


def _match_pass(
    clusters: list[Person],
    groups: dict[str, _Group],
    owner: dict[str, str],
    method: str,
    keys_of: Callable[[Person], list[str]],
    index_of: Callable[[], dict[str, str]],
) -> list[Person]:
    """Attach each cluster to the first group one of its keys points at; return the rest."""
    rest = []
    for cluster in clusters:
        index = index_of()
        target = None
        for key in keys_of(cluster):
            gid = index.get(key) if key else None
            if gid is None:
                continue
            group = groups[gid]
            trackers = {a.tracker for a in cluster.accounts}
            # A login or name match only joins accounts from different trackers.
            if method in ("login", "name") and group.trackers() & trackers:
                continue
            target = gid
            break
        if target is None:
            rest.append(cluster)
            continue
        groups[target].add(cluster, method)
        owner[cluster.id] = target
    return rest


def _clusters(dataset: Dataset) -> dict[str, Person]:
    """Every input person, plus a bare one for each account referenced but not listed."""
    clusters: dict[str, Person] = {}
    for person in dataset.people:
        accounts = _cluster_accounts(person)
        clusters[person.id] = replace(person, accounts=accounts)
    known = set(clusters)
    known.update(a.key for p in clusters.values() for a in p.accounts)
    for ref in sorted(_references(dataset)):
        if ref not in known:
            tracker, account_id = split_account_key(ref)
            if not account_id:
                tracker, account_id = "unknown", ref
            clusters[ref] = Person(
                id=ref, name=account_id, accounts=(Account(tracker, account_id),)
            )
            known.add(ref)
    return clusters


def _references(dataset: Dataset) -> set[str]:
    """Every person reference in items and reviews (read only: nothing is rebuilt)."""
    refs: set[str] = set()
    add, update = refs.add, refs.update
    for item in dataset.work_items:
        add(item.assignee)  # type: ignore[arg-type]
        add(item.reporter)  # type: ignore[arg-type]
        update(t.by for t in item.transitions)
        for a in item.assignments:
            add(a.to)  # type: ignore[arg-type]
            add(a.from_)  # type: ignore[arg-type]
            add(a.by)  # type: ignore[arg-type]
        for c in item.comments:
            add(c.by)  # type: ignore[arg-type]
            update(c.mentions)
    for review in dataset.reviews:
        add(review.author)  # type: ignore[arg-type]
        for r in review.review_requests:
            add(r.reviewer)  # type: ignore[arg-type]
            add(r.by)  # type: ignore[arg-type]
        update(s.by for s in review.reviews)
        for c in review.comments:
            add(c.by)  # type: ignore[arg-type]
            update(c.mentions)
    refs.discard(None)  # type: ignore[arg-type]
    refs.discard("")
    return refs


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
            i.fields,
        )  # fmt: skip

    def review(self, r: Review) -> Review:
        return Review(
            r.source, r.repo, r.number, r.title, r.created, r.updated, r.url,
            self.ref(r.author), r.merged, r.closed, r.draft, r.branch, r.last_pushed,
            tuple(map(self.request, r.review_requests)),
            tuple(map(self.submission, r.reviews)),
            tuple(map(self.comment, r.comments)),
            r.paths, r.linked_keys,
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
        "links", "transitions", "assignments", "comments", "fields",
    ),
    Review: (
        "source", "repo", "number", "title", "created", "updated", "url", "author", "merged",
        "closed", "draft", "branch", "last_pushed", "review_requests", "reviews", "comments",
        "paths", "linked_keys",
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
    )


def uncertain_matches(people: Iterable[Person]) -> list[tuple[Person, IdentityMatch]]:
    """Matches a lead should confirm in config (login or name guesses)."""
    return [
        (person, match)
        for person in people
        for match in person.matches
        if match.confidence < UNCERTAIN_BELOW
    ]


def proposed_config(people: Iterable[Person]) -> str:
    """TOML lines that settle every uncertain match as it was guessed."""
    blocks = []
    for person in people:
        uncertain = [m for m in person.matches if m.confidence < UNCERTAIN_BELOW]
        if not uncertain:
            continue
        by_tracker: dict[str, list[str]] = {}
        for account in person.accounts:
            by_tracker.setdefault(account.tracker, []).append(account.login or account.id)
        lines = [f"[people.{_toml_key(person.id)}]", f"name = {_toml_str(person.name)}"]
        for tracker, values in sorted(by_tracker.items()):
            rendered = ", ".join(_toml_str(v) for v in values)
            lines.append(
                f"{_toml_key(tracker)} = {_toml_str(values[0]) if len(values) == 1 else f'[{rendered}]'}"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_str(key)


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'
