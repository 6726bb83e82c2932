"""``stalled-own-work``: the lead's own tickets and PRs with no progress for days."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import (
    TIER_OWN_DONE,
    TIER_REST,
    ActionCandidate,
    FindingKind,
    Gate,
    Setting,
    plural,
)
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.data import Review, WorkItem
from leadkit.model.findings import OMIT_IF_NONE, Action, Finding, ItemRef, Severity
from leadkit.timeutil import iso

KIND = "stalled-own-work"
STALLED_DAYS = Setting("stalled_days", 7, "days without progress before work counts as stalled")


@dataclass
class StalledItem:
    """One of the lead's items or PRs with no progress."""

    item: str
    title: str
    status: str
    last_progress: str | None
    days_idle: float
    in_testing: bool
    no_reviewer: bool
    """A PR nobody was asked to review."""


@dataclass
class StalledOwnWorkMetrics:
    stalled: list[StalledItem]
    threshold_days: float
    severity_reason: str | None = field(default=None, metadata=OMIT_IF_NONE)


def last_item_progress(ctx: AnalysisContext, item: WorkItem) -> datetime:
    """Status changes, the lead's comments and pushes to linked PRs; not others' chatter."""
    times = [item.created]
    times.extend(t.at for t in item.transitions if t.at <= ctx.now)
    times.extend(c.at for c in item.comments if c.by == ctx.lead and c.at <= ctx.now)
    for review in ctx.reviews_by_key.get(item.key, []):
        if review.author == ctx.lead and review.last_pushed and review.last_pushed <= ctx.now:
            times.append(review.last_pushed)
    return max(times)


def last_pr_progress(ctx: AnalysisContext, review: Review) -> datetime:
    times = [review.created]
    if review.last_pushed:
        times.append(review.last_pushed)
    else:
        times.append(review.updated)
    times.extend(c.at for c in review.comments if c.by == ctx.lead)
    return min(max(times), ctx.now)


def analyze(ctx: AnalysisContext) -> Iterator[Finding[StalledOwnWorkMetrics]]:
    limit = ctx.thresholds["stalled_days"]
    lead = ctx.name(ctx.lead)
    stalled: list[StalledItem] = []
    refs = []
    for item in ctx.iter_lead_items():
        if not ctx.in_progress(item):
            continue
        last = last_item_progress(ctx, item)
        idle = ctx.days_since(last) or 0.0
        if idle < limit:
            continue
        testing = ctx.in_testing(item)
        stalled.append(
            StalledItem(
                item.key, item.title, item.status, iso(last), round(idle, 1), testing, False
            )
        )
        note = f"in '{item.status}' for {idle:.0f} days" if testing else f"idle {idle:.0f} days"
        refs.append(ItemRef.of(item, note=note))
    for review in sorted(ctx.dataset.reviews, key=lambda r: r.ref):
        if review.author != ctx.lead or not review.is_open:
            continue
        last = last_pr_progress(ctx, review)
        idle = ctx.days_since(last) or 0.0
        if idle < limit:
            continue
        nobody = not review.draft and not review.review_requests and not review.reviews
        status = "draft" if review.draft else "open"
        stalled.append(
            StalledItem(review.ref, review.title, status, iso(last), round(idle, 1), False, nobody)
        )
        refs.append(
            ItemRef.of(
                review,
                note=("nobody was asked to review; " if nobody else "")
                + f"no push for {idle:.0f} days",
            )
        )
    if not stalled:
        return
    worst = max(s.days_idle for s in stalled)
    severity: Severity = "high" if worst >= 2 * limit else "warn"
    reason = None
    if severity == "high":
        longest = max(stalled, key=lambda s: (s.days_idle, s.item))
        reason = (
            f"{longest.item} has had no progress for {longest.days_idle:.0f} days, "
            f"past twice the {limit:.0f}-day threshold"
        )
    parked = [s for s in stalled if s.in_testing]
    unreviewed = [s for s in stalled if s.no_reviewer]
    message = f"{len(stalled)} of {lead}'s own items have had no progress for {limit:.0f}+ days"
    extras = []
    if parked:
        extras.append(
            f"{parked[0].item} has sat in '{parked[0].status}' for {parked[0].days_idle:.0f} days"
        )
    if unreviewed:
        extras.append(f"nobody was asked to review {', '.join(s.item for s in unreviewed)}")
    message += (": " + "; ".join(extras) + ".") if extras else "."
    if reason:
        message += f" High: {reason}."
    metrics = StalledOwnWorkMetrics(stalled, limit, reason)
    yield Finding(KIND, severity, message, people=[ctx.lead], items=refs, metrics=metrics)


class StalledOwnWork(FindingKind[StalledOwnWorkMetrics]):
    kind = KIND
    description = "the lead's own work with no progress; parked in testing; unreviewed PRs"
    order = 3
    settings = (STALLED_DAYS,)
    gates = (
        Gate(
            "max_stalled_items",
            "the lead's stalled items",
            lambda m: len(m.stalled),
            lambda v, m: f"{v:g} of the lead's own {plural(v, 'item has', 'items have')} stalled",
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[StalledOwnWorkMetrics]]:
        return analyze(ctx)

    def actions(
        self, finding: Finding[StalledOwnWorkMetrics], ctx: AnalysisContext
    ) -> Iterable[ActionCandidate]:
        """The lead's own work done but untested or unreviewed is offered as its remaining
        part: someone to write the tests for an item parked in testing (ranking names the
        best candidate of its delegation suggestions, or of its open sub-tasks'), a review
        for a PR nobody was asked to review; other stalled work, finished or handed off."""
        unreviewed = {s.item: s for s in finding.metrics.stalled if s.no_reviewer}
        folded: set[str] = set()
        candidates: list[ActionCandidate] = []
        for s in finding.metrics.stalled:
            if s.in_testing:
                # Its PRs nobody was asked to review are the same work: one action asks both.
                prs = [r.ref for r in ctx.reviews_by_key.get(s.item, []) if r.ref in unreviewed]
                folded.update(prs)
                parts = [
                    i.key
                    for i in ctx.dataset.work_items
                    if i.parent == s.item and i.assignee == ctx.lead and i.is_open
                ]
                ask = (
                    f"write the tests for {s.item} '{s.title}' "
                    f"(parked in {s.status} for {s.days_idle:.0f} days)"
                )
                then = f"; and ask for a review of {', '.join(prs)}" if prs else ""
                candidates.append(
                    _own(finding, s.item, f"Ask someone to {ask}{then}", TIER_OWN_DONE)
                )
                candidates[-1].covers = (*sorted(parts), *prs)
                candidates[-1].ask, candidates[-1].then = ask, then
            elif not s.no_reviewer:
                text = f"Finish or hand off {s.item} '{s.title}'"
                candidates.append(_own(finding, s.item, f"{text}{_idle(s)}", TIER_REST))
        for s in unreviewed.values():
            if s.item not in folded:
                text = f"Ask for a review of {s.item} '{s.title}' (nobody was asked{_idle(s, ';')})"
                candidates.append(_own(finding, s.item, text, TIER_OWN_DONE))
        return candidates


def _idle(s: StalledItem, sep: str = "") -> str:
    """`` (no progress for 11 days)``, or after ``sep`` inside a parenthesis already open."""
    said = f"no progress for {s.days_idle:.0f} days"
    return f"{sep} {said}" if sep else f" ({said})"


def _own(
    finding: Finding[StalledOwnWorkMetrics], item: str, text: str, tier: int
) -> ActionCandidate:
    """An action on the lead's own stalled work: nobody waits on it, so it frees an estimated
    hour of the lead's, which never outranks a person."""
    action = Action(
        0, "finish", text, findings=[finding.id], lead_hours_freed=1.0, lead_hours_estimated=True
    )
    return ActionCandidate(action, item, order=6, tier=tier)


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(StalledOwnWork())
