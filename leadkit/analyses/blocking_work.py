"""``blocking-work``: open items the lead holds that others' open work waits on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from leadkit import hookimpl
from leadkit.analysis import AnalysisContext
from leadkit.findings import Finding, ItemRef
from leadkit.model import WorkItem
from leadkit.timeutil import iso

KIND = "blocking-work"


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
            if child.status_category == "in_progress":
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


def analyze(ctx: AnalysisContext) -> Iterator[Finding]:
    blocked = blocked_by_lead(ctx)
    if not blocked:
        return
    lead = ctx.name(ctx.lead)
    people = sorted({b.waiting.assignee for b in blocked if b.waiting.assignee})
    entries: dict[str, dict] = {}
    for b in blocked:
        entry = entries.setdefault(
            b.holder.key,
            {"item": b.holder.key, "title": b.holder.title, "blocked": [], "blocked_people": []},
        )
        entry["blocked"].append(
            {
                "item": b.waiting.key,
                "assignee": b.waiting.assignee,
                "how": b.how,
                "since": iso(b.since),
                "days": round(ctx.days_since(b.since) or 0.0, 1),
            }
        )
        if b.waiting.assignee not in entry["blocked_people"]:
            entry["blocked_people"].append(b.waiting.assignee)
    longest = max(ctx.days_since(b.since) or 0.0 for b in blocked)
    # A person blocked by the lead is the first thing to act on this week.
    severity = "high"
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
        metrics={
            "blocked_people": len(people),
            "blocked_items": len(blocked),
            "longest_days": round(longest, 1),
            "blocking": list(entries.values()),
            "severity_reason": reason,
        },
        unblocks=len(people),
    )


@hookimpl
def register_analyses(register) -> None:  # type: ignore[no-untyped-def]
    register(KIND, analyze, description="the lead's open items that block others' open items")
