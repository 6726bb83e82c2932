"""``stalled-own-work``: the lead's own tickets and PRs with no progress for days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from leadkit import hookimpl
from leadkit.analysis import AnalysisContext
from leadkit.findings import Finding, ItemRef
from leadkit.model import Review, WorkItem
from leadkit.timeutil import iso

KIND = "stalled-own-work"


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


def analyze(ctx: AnalysisContext) -> Iterator[Finding]:
    limit = ctx.thresholds["stalled_days"]
    lead = ctx.name(ctx.lead)
    stalled = []
    refs = []
    for item in ctx.iter_lead_items():
        if item.status_category != "in_progress" or item.type == "epic":
            continue
        last = last_item_progress(ctx, item)
        idle = ctx.days_since(last) or 0.0
        if idle < limit:
            continue
        testing = ctx.in_testing(item)
        stalled.append(
            {
                "item": item.key,
                "title": item.title,
                "status": item.status,
                "last_progress": iso(last),
                "days_idle": round(idle, 1),
                "in_testing": testing,
                "no_reviewer": False,
            }
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
        stalled.append(
            {
                "item": review.ref,
                "title": review.title,
                "status": "draft" if review.draft else "open",
                "last_progress": iso(last),
                "days_idle": round(idle, 1),
                "in_testing": False,
                "no_reviewer": nobody,
            }
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
    worst = max(s["days_idle"] for s in stalled)
    severity = "high" if worst >= 2 * limit else "warn"
    reason = None
    if severity == "high":
        longest = max(stalled, key=lambda s: (s["days_idle"], s["item"]))
        reason = (
            f"{longest['item']} has had no progress for {longest['days_idle']:.0f} days, "
            f"past twice the {limit:.0f}-day threshold"
        )
    testing = [s for s in stalled if s["in_testing"]]
    unreviewed = [s for s in stalled if s["no_reviewer"]]
    message = f"{len(stalled)} of {lead}'s own items have had no progress for {limit:.0f}+ days"
    extras = []
    if testing:
        extras.append(
            f"{testing[0]['item']} has sat in '{testing[0]['status']}' for {testing[0]['days_idle']:.0f} days"
        )
    if unreviewed:
        extras.append(f"nobody was asked to review {', '.join(s['item'] for s in unreviewed)}")
    message += (": " + "; ".join(extras) + ".") if extras else "."
    metrics: dict[str, object] = {"stalled": stalled, "threshold_days": limit}
    if reason:
        message += f" High: {reason}."
        metrics["severity_reason"] = reason
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead],
        items=refs,
        metrics=metrics,
        lead_hours=0.0,
    )


@hookimpl
def register_analyses(register) -> None:  # type: ignore[no-untyped-def]
    register(
        KIND,
        analyze,
        description="the lead's own work with no progress; parked in testing; unreviewed PRs",
    )
