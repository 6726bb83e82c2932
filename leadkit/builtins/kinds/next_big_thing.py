"""``next-big-thing``: the lead's strategic work, what it got of the lead's time, and its dates.

Strategic work is what the delegation rules keep with the lead (epics,
architecture and design items, anything ``[delegation] keep_*`` or an override
keeps: :meth:`AnalysisContext.kept_with_lead`). For each such item the finding
gives its last progress (:func:`last_item_progress`, its own and that of the
parts the lead holds), the share of the lead's actions in the window it got
(on it, its parts and their PRs, as interrupt-load counts them), and its due date (``WorkItem.due``: a due
date, a fix version's release, a milestone).

It warns when such work is idle (no progress for ``stalled_days``) while its
date is under ``due_soon_days`` away, or when all of it together got under
``strategic_share_low`` of the lead's actions; the top actions then say "Block
time for NGX-1: no progress for 16 days, due 1 Dec". An item due within a week
(:data:`DUE_THIS_WEEK_DAYS`) ranks with unblocking a person: a deadline missed
is the team's, not the lead's alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import (
    TIER_CHECK_IN,
    TIER_REST,
    TIER_UNBLOCK,
    ActionCandidate,
    FindingKind,
    Setting,
    pct,
    whole_pct,
)
from leadkit.builtins.kinds.interrupt_load import MIN_ACTIVITY, lead_actions
from leadkit.builtins.kinds.stalled_own_work import STALLED_DAYS, last_item_progress
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.data import WorkItem
from leadkit.model.findings import OMIT_IF_NONE, Action, Finding, ItemRef, Severity
from leadkit.timeutil import iso, parse_datetime

KIND = "next-big-thing"
DUE_THIS_WEEK_DAYS = 7.0
"""An item of the lead's due this close ranks with unblocking a person."""
STRATEGIC_SHARE_LOW = Setting(
    "strategic_share_low",
    0.15,
    "share of the lead's actions in the window their strategic work (what the delegation "
    "rules keep with the lead) should get at least",
)
DUE_SOON_DAYS = Setting(
    "due_soon_days", 14, "days before its due date that the lead's idle strategic work warns"
)


def due_day(due: datetime) -> str:
    """The day a tracker shows for a due date (``1 Dec``): ``due`` is the end of that day, UTC."""
    day = due.date()
    return f"{day.day} {day:%b}"


@dataclass
class StrategicItem:
    """One item the rules keep with the lead, with its progress, time and date."""

    item: str
    title: str
    status: str
    kept_because: str
    last_progress: str
    days_idle: float
    idle: bool
    """No progress for ``stalled_days`` or more."""
    lead_actions: int
    """The lead's actions in the window on it, its parts and their PRs."""
    share: float
    """``lead_actions`` over all the lead's actions in the window."""
    due: str | None = field(default=None, metadata=OMIT_IF_NONE)
    due_source: str | None = field(default=None, metadata=OMIT_IF_NONE)
    due_name: str | None = field(default=None, metadata=OMIT_IF_NONE)
    days_to_due: float | None = field(default=None, metadata=OMIT_IF_NONE)
    """Days from now to the end of the due day (negative: overdue)."""
    at_risk: bool = False
    """Idle while its due date is under ``due_soon_days`` away (or past)."""


@dataclass
class NextBigThingMetrics:
    items: list[StrategicItem]
    lead_actions: int
    """All the lead's actions in the window."""
    strategic_actions: int
    strategic_share: float
    share_low: float
    due_soon_days: float
    share_too_low: bool


def _parts(ctx: AnalysisContext, item: WorkItem) -> list[WorkItem]:
    """The item and its parts the lead holds (an epic's stories, a story's sub-tasks)."""
    out, todo = [item], [item.key]
    while todo:
        for child in ctx.children.get(todo.pop(), []):
            if child.assignee == ctx.lead and child not in out:
                out.append(child)
                todo.append(child.key)
    return out


def analyze(ctx: AnalysisContext) -> Iterator[Finding[NextBigThingMetrics]]:
    kept = ctx.kept_with_lead()
    if not kept:
        return
    t = ctx.thresholds
    limit, soon, low = t["stalled_days"], t["due_soon_days"], t["strategic_share_low"]
    events = lead_actions(ctx)  # the lead's actions as interrupt-load counts them
    entries: list[StrategicItem] = []
    refs: list[ItemRef] = []
    counted: set[int] = set()
    for item, rule in sorted(
        kept, key=lambda kr: (kr[0].due is None, kr[0].due or ctx.now, kr[0].ref)
    ):
        parts = _parts(ctx, item)
        targets = {p.ref for p in parts}
        targets.update(r.ref for p in parts for r in ctx.reviews_by_key.get(p.key, []))
        mine = [i for i, e in enumerate(events) if e.target in targets]
        counted.update(mine)
        last = max(last_item_progress(ctx, p) for p in parts)
        idle_days = ctx.days_since(last) or 0.0
        idle = idle_days >= limit
        to_due = (item.due - ctx.now).total_seconds() / 86400 if item.due else None
        at_risk = idle and to_due is not None and to_due < soon
        entries.append(
            StrategicItem(
                item=item.key,
                title=item.title,
                status=item.status,
                kept_because=rule,
                last_progress=iso(last) or "",
                days_idle=round(idle_days, 1),
                idle=idle,
                lead_actions=len(mine),
                share=round(len(mine) / len(events), 3) if events else 0.0,
                due=iso(item.due) if item.due else None,
                due_source=item.due_source if item.due else None,
                due_name=item.due_name if item.due else None,
                days_to_due=round(to_due, 1) if to_due is not None else None,
                at_risk=at_risk,
            )
        )
        refs.append(ItemRef.of(item, note=_note(entries[-1], item)))
    share = len(counted) / len(events) if events else 0.0
    # Too few actions to judge a share: a quiet week is not a neglected project.
    too_low = len(events) >= t["min_activity"] and share < low
    risky = [e for e in entries if e.at_risk]
    severity: Severity = "warn" if risky or too_low else "info"
    lead = ctx.name(ctx.lead)
    n = len(entries)
    message = (
        f"{lead}'s strategic work ({n} item{'s' if n != 1 else ''} kept with the lead) got "
        f"{whole_pct(share)} of {lead}'s {len(events)} actions in the window"
    )
    message += f", under {pct(low)}." if too_low else "."
    for e in risky:
        message += f" {e.item} has had no progress for {e.days_idle:.0f} days and is {_due(e)}."
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead],
        items=refs,
        metrics=NextBigThingMetrics(
            items=entries,
            lead_actions=len(events),
            strategic_actions=len(counted),
            strategic_share=round(share, 3),
            share_low=low,
            due_soon_days=soon,
            share_too_low=too_low,
        ),
    )


def _due(e: StrategicItem) -> str:
    """``due 1 Dec``, ``due 1 Dec (release 2.4)`` or ``overdue since 1 Dec``."""
    if e.due is None or e.days_to_due is None:
        return "not dated"
    day = due_day(parse_datetime(e.due))
    named = f" ({'release' if e.due_source == 'fix_version' else 'milestone'} {e.due_name})"
    said = named if e.due_name else ""
    return f"overdue since {day}{said}" if e.days_to_due < 0 else f"due {day}{said}"


def _note(e: StrategicItem, item: WorkItem) -> str:
    bits = [f"no progress for {e.days_idle:.0f} days" if e.idle else "in progress"]
    if item.due:
        bits.append(_due(e))
    bits.append(f"{whole_pct(e.share)} of the lead's actions")
    return "; ".join(bits)


class NextBigThing(FindingKind[NextBigThingMetrics]):
    kind = KIND
    description = (
        "the lead's strategic work: its last progress, its share of the lead's time, its dates"
    )
    order = 7
    settings = (STRATEGIC_SHARE_LOW, DUE_SOON_DAYS, STALLED_DAYS, MIN_ACTIVITY)

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[NextBigThingMetrics]]:
        return analyze(ctx)

    def actions(
        self, finding: Finding[NextBigThingMetrics], ctx: AnalysisContext
    ) -> Iterable[ActionCandidate]:
        """Block time for each item idle while its date nears (with unblocking a person when
        due within a week); else, when strategic work got too little time, for the most
        pressing item (the nearest date, then the longest idle)."""
        m = finding.metrics
        out = []
        for e in m.items:
            if e.at_risk:
                week = e.days_to_due is not None and e.days_to_due <= DUE_THIS_WEEK_DAYS
                text = f"Block time for {e.item}: no progress for {e.days_idle:.0f} days, {_due(e)}"
                out.append(_block(finding, e, text, TIER_UNBLOCK if week else TIER_CHECK_IN))
        if not out and m.share_too_low and m.items:
            e = min(
                m.items, key=lambda e: (e.days_to_due is None, e.days_to_due or 0.0, -e.days_idle)
            )
            text = (
                f"Block time for {e.item} '{e.title}': your strategic work got "
                f"{whole_pct(m.strategic_share)} of your actions in the window"
            )
            if e.due:
                text += f"; {_due(e)}"
            out.append(_block(finding, e, text, TIER_REST))
        return out


def _block(
    finding: Finding[NextBigThingMetrics], e: StrategicItem, text: str, tier: int
) -> ActionCandidate:
    """Time blocked frees none of the lead's hours (an estimate of 0 never outranks a person
    waiting); the tier says how urgent the date makes it."""
    action = Action(0, "block-time", text, findings=[finding.id], lead_hours_estimated=True)
    return ActionCandidate(
        action, e.item, waited_days=max(-(e.days_to_due or 0.0), 0.0), order=7, tier=tier
    )


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(NextBigThing())
