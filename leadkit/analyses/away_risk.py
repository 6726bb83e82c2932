"""``away-risk``: what would stall if the lead were away for the next N days.

Precise on purpose: a PR stalls only when nobody but the lead (and its
author) has reviewed or authored in its code areas (at the depth where
ownership differs, as delegation measures familiarity), and that person is
not away themselves; an item stays blocked only when the lead holds its blocker.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from leadkit import hookimpl
from leadkit.analyses.blocking_work import blocked_by_lead
from leadkit.analyses.review_concentration import sole_reviewer_areas
from leadkit.analysis import AnalysisContext
from leadkit.findings import Finding, ItemRef

KIND = "away-risk"


def qualified_reviewers(ctx: AnalysisContext, area: str) -> set[str]:
    """Everyone who authored (and landed) or reviewed a PR in a code area in the history."""
    repo, _, path = area.partition(":")
    node = ctx.code_tree.get((repo, "" if path == "/" else path))
    return set(node.people) if node is not None else set()


def analyze(ctx: AnalysisContext) -> Iterator[Finding]:
    days = ctx.thresholds["away_days"]
    lead = ctx.name(ctx.lead)
    available = {m for m in ctx.members if not ctx.is_away(m, days)}
    stalled_prs = []
    for review in sorted(ctx.dataset.reviews, key=lambda r: r.ref):
        if not review.is_open or review.draft or review.author == ctx.lead or not review.paths:
            continue
        if any(s.state == "approved" for s in review.reviews):
            continue
        areas = {ctx.code_area(review.repo, p) for p in review.paths}
        qualified = {a: qualified_reviewers(ctx, a) for a in areas}
        needs_lead = any(i.review is review for i in ctx.pending_for.get(ctx.lead, []))
        lead_knows = any(ctx.lead in people for people in qualified.values())
        if not (needs_lead or lead_knows):
            continue
        others = set().union(*qualified.values()) & available
        others.discard(review.author)
        if not others:
            stalled_prs.append((review, sorted(areas)))
    blocked = blocked_by_lead(ctx)
    review_areas = sole_reviewer_areas(ctx)
    answer_people: dict[str, set[str]] = defaultdict(set)
    answered: Counter[str] = Counter()
    for q in ctx.questions:
        if q.answered_by:
            for topic in q.topics:
                answer_people[topic].add(q.answered_by)
                answered[topic] += 1
    # "Nobody else answers" needs a few answered questions, not one.
    min_samples = int(ctx.thresholds["min_samples"])
    answer_areas = sorted(
        t
        for t, people in answer_people.items()
        if people == {ctx.lead} and answered[t] >= min_samples
    )
    total = len(stalled_prs) + len(blocked) + len(review_areas) + len(answer_areas)
    if not ctx.dataset.reviews and not ctx.dataset.work_items:
        yield Finding.not_computed(
            KIND, "No items or PRs in the data to simulate the lead's absence."
        )
        return
    if total == 0:
        yield Finding(
            KIND,
            "info",
            f"If {lead} were away for the next {days:.0f} days, nothing in the data would "
            "wait on them alone.",
            people=[ctx.lead],
            metrics={
                "days": days,
                "stalled_prs": [],
                "blocked_items": [],
                "sole_reviewer_areas": [],
                "sole_answerer_topics": [],
            },
        )
        return
    parts = []
    if stalled_prs:
        parts.append(
            f"{len(stalled_prs)} open PR{'s' if len(stalled_prs) != 1 else ''} "
            "with no other qualified reviewer"
        )
    if blocked:
        people = {b.waiting.assignee for b in blocked}
        parts.append(
            f"{len(blocked)} item{'s' if len(blocked) != 1 else ''} of "
            f"{len(people)} {'person' if len(people) == 1 else 'people'} would stay blocked"
        )
    if review_areas:
        parts.append("nobody else has reviewed " + ", ".join(a.label for a in review_areas))
    if answer_areas:
        parts.append("nobody else answers questions on " + ", ".join(answer_areas))
    message = f"If {lead} were away for the next {days:.0f} days: " + "; ".join(parts) + "."
    severity = "warn"  # an absence to plan for, not something to act on this week
    items = [ItemRef.of(r, note="no other qualified reviewer") for r, _ in stalled_prs]
    items.extend(ItemRef.of(b.waiting, note=f"blocked by {b.holder.key}") for b in blocked)
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead, *sorted({b.waiting.assignee for b in blocked if b.waiting.assignee})],
        items=items,
        metrics={
            "days": days,
            "stalled_prs": [{"pr": r.ref, "areas": areas} for r, areas in stalled_prs],
            "blocked_items": [
                {"item": b.waiting.key, "by": b.holder.key, "assignee": b.waiting.assignee}
                for b in blocked
            ],
            "sole_reviewer_areas": [_area_entry(a.as_dict()) for a in review_areas],
            "sole_answerer_topics": answer_areas,
        },
        unblocks=len({b.waiting.assignee for b in blocked}),
    )


def _area_entry(area: dict[str, Any]) -> dict[str, Any]:
    """A lead-only area as away-risk lists it: where, and how many PRs show it."""
    return {k: area[k] for k in ("repo", "path", "area", "label", "pr_count")}


@hookimpl
def register_analyses(register) -> None:  # type: ignore[no-untyped-def]
    register(KIND, analyze, description="what would stall if the lead were away for N days")
