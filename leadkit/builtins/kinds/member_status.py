"""``member-status``: one line per member, the first thing a lead reads on Monday.

What each member is on (their in-progress items and open PRs, oldest first),
what they wait on and whom (the lead, a reviewer, a blocker), and a plain
state. Never a score, never a ranking: members in the team's configured
order. The lead's alone (``lead_only``): a team's report leaves it out, and
``teams[].members_status`` is marked per person.

It computes nothing of its own: the loads, what waits on the lead, who is
quiet or away, and who is new are the facts the delegation and quiet-work
analyses use (:class:`leadkit.builtins.kinds.delegation.People`,
:func:`leadkit.builtins.kinds.quiet_work.new_member_days`), so a member gets
the same facts here as there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import FindingKind
from leadkit.builtins.kinds.delegation import People
from leadkit.builtins.kinds.quiet_work import new_member_days
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.data import Review, WorkItem
from leadkit.model.findings import PER_PERSON, WHOLE, Finding
from leadkit.timeutil import iso

KIND = "member-status"
State = Literal[
    "away",
    "new",
    "waiting on you",
    "quiet",
    "overloaded",
    "waiting on others",
    "busy",
    "has room",
]
WaitOn = Literal["lead", "reviewer", "blocker"]


@dataclass
class OnItem:
    item: str
    """The item's key or the PR's ref."""
    title: str
    since: str
    """When it was created (ISO 8601 UTC): the list is oldest first."""


@dataclass
class Wait:
    item: str
    """Theirs that waits: an item key or a PR ref."""
    on: WaitOn
    """``lead`` (a review or a blocking item of the lead's), ``reviewer`` or ``blocker``."""
    who: str | None
    """The person waited on (the reviewer, the blocking item's holder); null when nobody holds it."""
    what: str | None = None
    """The blocking item, for a blocker."""


@dataclass
class MemberStatus:
    person: str
    state: State
    on: list[OnItem]
    """Bounded like every evidence list (``on_total`` beside it)."""
    waits_on: list[Wait]


@dataclass
class MemberStatusMetrics:
    members: list[MemberStatus] = field(metadata={**WHOLE, **PER_PERSON})
    """One per member, in the team's configured order: the lead's audience only."""


def on(ctx: AnalysisContext, member: str) -> list[OnItem]:
    """Their in-progress items and open PRs (not drafts), oldest first."""
    things: list[WorkItem | Review] = list(ctx.work_in_progress.get(member, ()))
    things += [r for r in ctx.dataset.reviews if r.author == member and r.is_open and not r.draft]
    things.sort(key=lambda t: (t.created, t.ref))
    return [OnItem(_label(t), t.title, iso(t.created) or "") for t in things]


def _label(thing: WorkItem | Review) -> str:
    return thing.key if isinstance(thing, WorkItem) else thing.ref


def waits(ctx: AnalysisContext, people: People, member: str) -> list[Wait]:
    """What of theirs waits, and on whom: the lead (as delegation says), a reviewer, a blocker."""
    out = [Wait(ref, "lead", ctx.lead) for ref in people.waiting_on_lead.get(member, ())]
    for reviewer, intervals in sorted(ctx.pending_for.items()):
        if reviewer == ctx.lead:
            continue
        for interval in intervals:
            if interval.review.author == member:
                out.append(Wait(interval.review.ref, "reviewer", reviewer))
    held = {w.item for w in out}
    for item in ctx.work_in_progress.get(member, ()):
        for blocker in _blockers(ctx, item):
            if item.key not in held and blocker.assignee != ctx.lead:
                out.append(Wait(item.key, "blocker", blocker.assignee, blocker.key))
    return out


def _blockers(ctx: AnalysisContext, item: WorkItem) -> Iterator[WorkItem]:
    """Open items that block ``item`` (its ``is-blocked-by`` links, or their ``blocks``)."""
    seen: set[str] = set()
    for link in item.links:
        other = ctx.items_by_key.get(link.key)
        if link.kind == "is-blocked-by" and other is not None and other.is_open:
            seen.add(other.key)
            yield other
    for other in ctx.dataset.work_items:
        if other.key in seen or not other.is_open:
            continue
        if any(link.kind == "blocks" and link.key == item.key for link in other.links):
            yield other


def state(ctx: AnalysisContext, people: People, member: str, waits_on: list[Wait]) -> State:
    """The plain state, the first that holds in the order a lead would act on it."""
    left_out = people.unavailable.get(member)
    if ctx.is_away(member):
        return "away"
    if new_member_days(ctx, member) is not None:
        return "new"
    if any(w.on == "lead" for w in waits_on):
        return "waiting on you"
    if left_out is not None and left_out.reason == "quiet":
        return "quiet"
    load = people.load(member)
    if load >= 2.0 * people.median:
        return "overloaded"
    if waits_on:
        return "waiting on others"
    # Room as delegation says it: at the team's median load or under.
    return "has room" if people.capacity(member, planned=False) >= 0.5 else "busy"


def sentence(ctx: AnalysisContext, s: MemberStatus) -> str:
    """``Owen Hart: waiting on you for acme/app#141; on PIPE-201, acme/app#141``."""
    bits = [f"{ctx.name(s.person)}: {s.state}"]
    lead = [w.item for w in s.waits_on if w.on == "lead"]
    others = [
        f"{w.item} on {ctx.name(w.who)}" + (f"'s {w.what}" if w.what else "'s review")
        for w in s.waits_on
        if w.on != "lead"
    ]
    if lead and s.state == "waiting on you":
        bits[0] += " for " + _first(lead)
    elif lead:
        bits.append(f"{', '.join(lead)} {'waits' if len(lead) == 1 else 'wait'} on you")
    if others:
        bits.append("waits: " + _first(others))
    bits.append("on " + _first(o.item for o in s.on) if s.on else "nothing in progress")
    return "; ".join(bits)


SHOWN = 3
"""How many things per member the line names (the oldest first); the metrics have them all."""


def _first(labels: Iterable[str]) -> str:
    """The first :data:`SHOWN` labels, then ``and K more``: a line stays a line."""
    listed = list(labels)
    more = f" and {len(listed) - SHOWN} more" if len(listed) > SHOWN else ""
    return ", ".join(listed[:SHOWN]) + more


def analyze(ctx: AnalysisContext) -> Iterator[Finding[MemberStatusMetrics]]:
    if not ctx.members:
        return
    people = People(ctx)
    statuses = []
    for member in ctx.members:
        waits_on = waits(ctx, people, member)
        statuses.append(
            MemberStatus(member, state(ctx, people, member, waits_on), on(ctx, member), waits_on)
        )
    message = ". ".join(sentence(ctx, s) for s in statuses) + "."
    yield Finding(
        KIND,
        "info",
        message,
        people=list(ctx.members),
        metrics=MemberStatusMetrics(statuses),
    )


class MemberStatusKind(FindingKind[MemberStatusMetrics]):
    kind = KIND
    description = (
        "one line per member: what they are on, what they wait on and whom, and a plain state"
    )
    order = 9
    lead_only = True

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[MemberStatusMetrics]]:
        return analyze(ctx)

    def team_fields(self, finding: Finding[MemberStatusMetrics]) -> Mapping[str, Any]:
        return {"members_status": finding.metrics.members}


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(MemberStatusKind())
