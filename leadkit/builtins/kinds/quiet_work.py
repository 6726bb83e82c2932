"""``quiet-work``: members' in-progress work gone quiet, with no contact with the lead.

A prompt to check in, not an accusation: it says only that nobody has heard.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import TIER_CHECK_IN, ActionCandidate, FindingKind, Setting
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.data import WorkItem
from leadkit.model.findings import Action, Finding, ItemRef
from leadkit.timeutil import iso

KIND = "quiet-work"
QUIET_DAYS = Setting("quiet_days", 5, "days without an update before a member's work is quiet")


@dataclass
class QuietItem:
    person: str
    item: str
    title: str
    last_update: str | None
    days_idle: float


@dataclass
class QuietWorkMetrics:
    threshold_days: float
    quiet: list[QuietItem]


NEW_MEMBER_DAYS = 14
"""A member first seen in the data less than this many days ago is never "quiet"."""


def last_update(ctx: AnalysisContext, item: WorkItem) -> datetime:
    times = [item.updated, item.created]
    times.extend(t.at for t in item.transitions)
    times.extend(c.at for c in item.comments)
    for review in ctx.reviews_by_key.get(item.key, []):
        times.append(review.last_pushed or review.updated)
    return min(max(times), ctx.now)


Idle = tuple[WorkItem, datetime, float]
"""An in-progress item, its last update, and the days since."""


def idle_work(ctx: AnalysisContext, days: float) -> dict[str, list[Idle]]:
    """Per member not away, their work in progress (:meth:`AnalysisContext.in_progress`)
    with no update for ``days``: work that had activity and stopped."""
    out: dict[str, list[Idle]] = {}
    for member in ctx.members:
        if ctx.is_away(member):
            continue
        for item in ctx.work_in_progress.get(member, ()):
            last = last_update(ctx, item)
            idle = ctx.days_since(last) or 0.0
            if idle >= days:
                out.setdefault(member, []).append((item, last, idle))
    return out


def new_member_days(ctx: AnalysisContext, member: str) -> float | None:
    """Days since a member first appears in the data, when that is under :data:`NEW_MEMBER_DAYS`."""
    seen = ctx.days_since(ctx.first_seen.get(member))
    return seen if seen is not None and seen < NEW_MEMBER_DAYS else None


def _unheard(ctx: AnalysisContext) -> dict[str, list[Idle]]:
    """Members with work idle for ``quiet_days`` and no contact with the lead in the window."""
    idle = idle_work(ctx, ctx.thresholds["quiet_days"])
    return {m: idle[m] for m in ctx.members if m in idle and m not in ctx.lead_interactions}


def quiet_members(ctx: AnalysisContext) -> dict[str, list[Idle]]:
    """The members this analysis flags: unheard from, and not new to the data.

    Shared with the delegation analysis, which suggests no more work to them.
    """
    return {m: q for m, q in _unheard(ctx).items() if new_member_days(ctx, m) is None}


def analyze(ctx: AnalysisContext) -> Iterator[Finding[Any]]:
    limit = ctx.thresholds["quiet_days"]
    lead = ctx.name(ctx.lead)
    for member, quiet in _unheard(ctx).items():
        name = ctx.name(member)
        seen = new_member_days(ctx, member)
        if seen is not None:
            # Someone new has no rhythm to fall quiet from yet: say so, raise nothing.
            yield Finding.not_computed(
                KIND,
                f"{name} first appears in the data {seen:.0f} days ago (under "
                f"{NEW_MEMBER_DAYS}): too new to call their work quiet.",
            )
            continue
        worst = max(idle for _, _, idle in quiet)
        first, _, first_idle = quiet[0]
        more = f" and {len(quiet) - 1} more" if len(quiet) > 1 else ""
        message = (
            f"{name}'s {first.key} '{first.title}'{more} has had no update for "
            f"{first_idle:.0f} days, and {name} and {lead} have not interacted in the window: "
            "a good moment to check in."
        )
        yield Finding(
            KIND,
            "warn" if worst >= 2 * limit else "info",
            message,
            people=[member],
            items=[ItemRef.of(i, note=f"no update for {idle:.0f} days") for i, _, idle in quiet],
            metrics=QuietWorkMetrics(
                threshold_days=limit,
                quiet=[
                    QuietItem(member, i.key, i.title, iso(last), round(idle, 1))
                    for i, last, idle in quiet
                ],
            ),
        )


class QuietWork(FindingKind[QuietWorkMetrics]):
    kind = KIND
    description = "members' quiet in-progress work with no contact with the lead"
    order = 5
    settings = (QUIET_DAYS,)
    acts_on_info = True  # a check-in is worth it even when the quiet is not long yet
    lead_only = True  # "check in with Tommy" is for the lead, never for the whole team

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[Any]]:
        return analyze(ctx)

    def actions(
        self, finding: Finding[QuietWorkMetrics], ctx: AnalysisContext
    ) -> Iterable[ActionCandidate]:
        for q in finding.metrics.quiet:
            text = (
                f"Check in with {ctx.name(q.person)} about {q.item} '{q.title}' "
                f"(no update for {q.days_idle:.0f} days)"
            )
            action = Action(0, "check-in", text, findings=[finding.id], people_unblocked=1)
            yield ActionCandidate(action, q.item, q.days_idle, order=4, tier=TIER_CHECK_IN)


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(QuietWork())
