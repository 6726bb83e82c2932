"""Who is on a team, and why; and why each other person seen in its data is not.

With ``[team] members`` the members are the people it names. Without it, they
are the people the team's work is assigned to: whoever was assigned at least
``min_samples`` of the team's tracker items (its Jira projects, its GitLab or
GitHub issues) in the history window. A team with no work tracker (nobody but
the lead holds ``min_samples`` items) takes instead the authors of at least
``min_samples`` PRs in its repositories. Never the lead, never a bot or service
account (:func:`leadkit.collect.identity.automation`), never someone another
team lists, and never people who only comment, report, request or review (a
product manager, support), nor someone whose PRs land in the team's
repositories while none of its tickets is theirs (an SRE, another team's
engineer). Every decision keeps its reason, for ``leadkit people`` and the
report's ``left_out`` (reasons ``bot`` and ``not_member``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from leadkit.collect.identity import reference_index

if TYPE_CHECKING:
    from leadkit.analyze.context import AnalysisContext

MembershipRule = Literal["configured", "assigned", "authored"]
"""How a team's members were found: ``[team] members``, assigned items, authored PRs."""

MemberReason = Literal["configured", "assigned", "authored", "bot", "not_member"]
"""Why a person is a member (``configured``, ``assigned``, ``authored``) or not
(``bot``: a bot or service account; ``not_member``: everything else)."""


@dataclass(frozen=True, slots=True)
class Why:
    """One person's place on a team: the reason's code and a sentence a lead reads."""

    person: str
    reason: MemberReason
    detail: str


@dataclass(frozen=True)
class Membership:
    """A team's members and the people left out, each with why."""

    rule: MembershipRule
    members: tuple[Why, ...]
    left_out: tuple[Why, ...]
    """Everyone else the team's data names (bots too), other than the lead."""

    @cached_property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(w.person for w in self.members)

    @cached_property
    def _by_person(self) -> dict[str, Why]:
        return {w.person: w for w in (*self.members, *self.left_out)}

    def why(self, person_id: str) -> Why | None:
        """Why ``person_id`` is or is not a member (None: the lead, or nobody the data names)."""
        return self._by_person.get(person_id)


@dataclass
class _Seen:
    """What one person did in the team's data in the history window."""

    assigned: set[str]
    authored: int = 0
    reported: int = 0
    commented: int = 0
    reviewed: int = 0
    requested: int = 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def find_membership(ctx: AnalysisContext) -> Membership:
    """The team's members (see the module's docstring), and why each other person is not."""
    lead = ctx.lead
    bots = ctx.bots
    seen = _activity(ctx)
    people = sorted(p for p in seen if p != lead)
    days = max(1, round((ctx.now - ctx.history_start).total_seconds() / 86400))
    span = f"in the last {days} days"
    least = int(ctx.thresholds.get("min_samples", 3))
    others = _other_teams(ctx)
    members: list[Why] = []
    left: list[Why] = []

    if ctx.team.members:
        configured = [m for m in ctx.team.members if m != lead]
        for pid in configured:
            if pid in bots:
                left.append(Why(pid, "bot", f"a bot or service account: {bots[pid]}"))
            else:
                members.append(Why(pid, "configured", "listed in [team] members"))
        named = set(configured)
        left.extend(
            Why(p, "bot", f"a bot or service account: {bots[p]}")
            if p in bots
            else Why(p, "not_member", "not listed in [team] members")
            for p in people
            if p not in named
        )
        return Membership("configured", tuple(members), tuple(left))

    def holds(pid: str) -> int:
        return len(seen[pid].assigned)

    tracker = any(holds(p) >= least for p in people if p not in bots and p not in others)
    rule: MembershipRule = "assigned" if tracker else "authored"
    for pid in people:
        s = seen[pid]
        if pid in bots:
            left.append(Why(pid, "bot", f"a bot or service account: {bots[pid]}"))
        elif pid in others:
            left.append(Why(pid, "not_member", f"on team {others[pid]}"))
        elif tracker and holds(pid) >= least:
            members.append(
                Why(pid, "assigned", f"assigned {holds(pid)} of the team's items {span}")
            )
        elif not tracker and s.authored >= least:
            detail = (
                f"authored {_plural(s.authored, 'PR')} in the team's repositories {span} "
                "(the team's items are not assigned: no work tracker)"
            )
            members.append(Why(pid, "authored", detail))
        else:
            left.append(Why(pid, "not_member", _why_not(s, tracker, least, span)))
    return Membership(rule, tuple(members), tuple(left))


def _why_not(s: _Seen, tracker: bool, least: int, span: str) -> str:
    """A sentence on why someone active in the team's data is not a member."""
    rule = f"fewer than min_samples ({least})"
    if tracker and s.assigned:
        held = f"assigned only {len(s.assigned)} of the team's items {span}, {rule}"
        return held if not s.authored else f"{held}; authored {_plural(s.authored, 'PR')}"
    if tracker and s.authored:
        return (
            f"authored {_plural(s.authored, 'PR')} in the team's repositories {span} "
            "but holds none of the team's items"
        )
    if not tracker and s.authored:
        return f"authored only {_plural(s.authored, 'PR')} {span}, {rule}"
    did = [
        f"{verb} {_plural(n, what)}"
        for verb, n, what in (
            ("commented", s.commented, "time"),
            ("reported", s.reported, "item"),
            ("reviewed", s.reviewed, "PR"),
            ("requested", s.requested, "review"),
        )
        if n
    ]
    doing = ", ".join(did) if did else "appears"
    holds = "never assigned the team's items" if tracker else "authored no PRs"
    return f"only {doing} {span}: {holds}"


def _other_teams(ctx: AnalysisContext) -> dict[str, str]:
    """People another configured team names as its lead or members, to that team's name."""
    index = reference_index(ctx.dataset.people)
    out: dict[str, str] = {}
    for team in ctx.config.teams:
        if team.name == ctx.team.name:
            continue
        for ref in (team.lead, *team.members):
            out.setdefault(index.get(ref.lower(), ref), team.name)
    return out


def _activity(ctx: AnalysisContext) -> dict[str, _Seen]:
    """Each person's part in the team's items and PRs in the history window."""
    since: datetime = ctx.history_start
    seen: dict[str, _Seen] = {}

    def of(pid: str) -> _Seen:
        s = seen.get(pid)
        if s is None:
            s = seen[pid] = _Seen(set())
        return s

    for item in ctx.dataset.work_items:
        if item.updated < since and not item.is_open:
            continue
        if item.assignee:
            of(item.assignee).assigned.add(item.ref)
        for a in item.assignments:
            if a.to and a.at >= since:
                of(a.to).assigned.add(item.ref)
        if item.reporter and item.created >= since:
            of(item.reporter).reported += 1
        for c in item.comments:
            if c.by and c.at >= since:
                of(c.by).commented += 1
    for review in ctx.dataset.reviews:
        if review.updated < since and not review.is_open:
            continue
        if review.author:
            of(review.author).authored += 1
        for sub in review.reviews:
            if sub.by and (sub.at is None or sub.at >= since):
                of(sub.by).reviewed += 1
        for r in review.review_requests:
            if r.by and r.by != review.author:
                of(r.by).requested += 1
        for c in review.comments:
            if c.by and c.at >= since:
                of(c.by).commented += 1
    return seen
