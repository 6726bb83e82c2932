"""``blocking-work``: open items the lead holds that others' open work waits on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import (
    TIER_REST,
    TIER_UNBLOCK,
    ActionCandidate,
    FindingKind,
    Gate,
    PullRequestView,
    TrendMetric,
    plural,
)
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.data import WorkItem
from leadkit.model.findings import Action, Finding, ItemRef, Severity
from leadkit.timeutil import iso

KIND = "blocking-work"


@dataclass
class BlockedItem:
    """Someone's open item that waits on one the lead holds."""

    item: str
    assignee: str | None
    how: str
    """``blocks`` (an issue link) or ``parent of``."""
    since: str | None
    days: float


@dataclass
class Blocking:
    """One item the lead holds, and what waits on it."""

    item: str
    title: str
    blocked: list[BlockedItem] = field(default_factory=list)
    blocked_people: list[str | None] = field(default_factory=list)


@dataclass
class BlockingWorkMetrics:
    blocked_people: int
    blocked_items: int
    longest_days: float
    blocking: list[Blocking]
    severity_reason: str


@dataclass(frozen=True)
class Blocked:
    holder: WorkItem
    waiting: WorkItem
    how: str
    since: datetime


def blocked_by_lead(ctx: AnalysisContext) -> list[Blocked]:
    """Others' open items waiting on an open item the lead holds (links or parenthood)."""
    out: dict[tuple[str, str], Blocked] = {}
    lead_items = {item.key: item for item in ctx.iter_lead_items()}
    for holder in lead_items.values():
        for link in holder.links:
            if link.kind == "blocks":
                _add(ctx, out, holder, ctx.items_by_key.get(link.key), "blocks")
        for child in ctx.children.get(holder.key, []):
            if ctx.in_progress(child):
                _add(ctx, out, holder, child, "parent of")
    for item in ctx.dataset.work_items:
        for link in item.links:
            if link.kind == "is-blocked-by" and link.key in lead_items:
                _add(ctx, out, lead_items[link.key], item, "blocks")
    return sorted(out.values(), key=lambda b: (b.holder.key, b.waiting.key))


def _add(
    ctx: AnalysisContext,
    out: dict[tuple[str, str], Blocked],
    holder: WorkItem,
    waiting: WorkItem | None,
    how: str,
) -> None:
    if waiting is None or not waiting.is_open or waiting.assignee in (None, ctx.lead):
        return
    moves = [t.at for t in waiting.transitions if t.at <= ctx.now]
    since = max([waiting.created, *moves]) if how == "parent of" else waiting.created
    key = (holder.key, waiting.key)
    if key not in out:
        out[key] = Blocked(holder, waiting, how, since)


def analyze(ctx: AnalysisContext) -> Iterator[Finding[BlockingWorkMetrics]]:
    blocked = blocked_by_lead(ctx)
    if not blocked:
        return
    lead = ctx.name(ctx.lead)
    people = sorted({b.waiting.assignee for b in blocked if b.waiting.assignee})
    entries: dict[str, Blocking] = {}
    for b in blocked:
        entry = entries.setdefault(b.holder.key, Blocking(b.holder.key, b.holder.title))
        entry.blocked.append(
            BlockedItem(
                b.waiting.key,
                b.waiting.assignee,
                b.how,
                iso(b.since),
                round(ctx.days_since(b.since) or 0.0, 1),
            )
        )
        if b.waiting.assignee not in entry.blocked_people:
            entry.blocked_people.append(b.waiting.assignee)
    longest = max(ctx.days_since(b.since) or 0.0 for b in blocked)
    # A person blocked by the lead is the first thing to act on this week.
    severity: Severity = "high"
    worst = max(blocked, key=lambda b: (ctx.days_since(b.since) or 0.0, b.waiting.key))
    reason = f"{ctx.name(worst.waiting.assignee)} is blocked by {worst.holder.key} for {longest:.0f} days"
    parts = []
    for b in blocked[:3]:
        parts.append(
            f"{b.holder.key} {b.how} {ctx.name(b.waiting.assignee)}'s {b.waiting.key} "
            f"(since {b.since:%b} {b.since.day})"
        )
    more = f" and {len(blocked) - 3} more" if len(blocked) > 3 else ""
    message = f"Work {lead} holds is holding up {len(people)} "
    message += f"{'person' if len(people) == 1 else 'people'}: {'; '.join(parts)}{more}."
    message += f" High: {reason}."
    items: list[ItemRef] = []
    seen: set[str] = set()
    for b in blocked:
        for item, note in (
            (b.holder, f"held by {lead}"),
            (b.waiting, f"{ctx.name(b.waiting.assignee)} waits"),
        ):
            if item.key not in seen:
                seen.add(item.key)
                items.append(ItemRef.of(item, note=note))
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead, *people],
        items=items,
        metrics=BlockingWorkMetrics(
            blocked_people=len(people),
            blocked_items=len(blocked),
            longest_days=round(longest, 1),
            blocking=list(entries.values()),
            severity_reason=reason,
        ),
    )


class BlockingWork(FindingKind[BlockingWorkMetrics]):
    kind = KIND
    description = "the lead's open items that block others' open items"
    order = 2
    trends = (
        TrendMetric(
            "blocked_people",
            "people blocked by work the lead holds",
            lambda m: m.blocked_people,
            absent=0,
        ),
    )
    gates = (
        Gate(
            "max_blocked_people",
            "people blocked by work the lead holds",
            lambda m: m.blocked_people,
            lambda v, m: (
                f"{v:g} {plural(v, 'person is', 'people are')} blocked by work the lead holds"
            ),
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[BlockingWorkMetrics]]:
        return analyze(ctx)

    def actions(
        self, finding: Finding[BlockingWorkMetrics], ctx: AnalysisContext
    ) -> Iterable[ActionCandidate]:
        for entry in finding.metrics.blocking:
            names = ", ".join(ctx.name(p) for p in entry.blocked_people)
            text = f"Unblock {names} by finishing or handing off {entry.item} '{entry.title}'"
            # Nobody away counts as waiting: only those at work make it the first thing to do.
            waiting = [b for b in entry.blocked if b.assignee and not ctx.is_away(b.assignee)]
            unblocks = len({b.assignee for b in waiting})
            action = Action(0, "unblock", text, findings=[finding.id], people_unblocked=unblocks)
            yield ActionCandidate(
                action,
                entry.item,
                max((b.days for b in waiting), default=0.0),
                order=1,
                tier=TIER_UNBLOCK if waiting else TIER_REST,
            )

    def holds_up(self, finding: Finding[BlockingWorkMetrics]) -> Iterable[str]:
        # The held items and the waiting ones: acting on either is about the blockage.
        return [item.label for item in finding.items]

    def pr_notes(self, finding: Finding[BlockingWorkMetrics], pr: PullRequestView) -> Iterable[str]:
        for entry in finding.metrics.blocking:
            if entry.item in pr.linked:
                who = ", ".join(f"{b.item} of {pr.name(b.assignee)}" for b in entry.blocked)
                yield (
                    f"{entry.item} \u2018{entry.title}\u2019, linked to this "
                    f"pull request and held by {pr.lead}, blocks {who}."
                )
            for b in entry.blocked:
                if b.item in pr.linked:
                    yield f"{b.item} waits on {entry.item}, which {pr.lead} holds."


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(BlockingWork())
