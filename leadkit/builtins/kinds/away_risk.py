"""``away-risk``: what would stall if the lead were away for the next N days.

Precise on purpose: a PR stalls only when nobody but the lead (and its
author) has reviewed or authored in its code areas (at the depth where
ownership differs, as delegation measures familiarity), and that person is
not away themselves; an item stays blocked only when the lead holds its blocker.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from leadkit import hookimpl
from leadkit.analyze.context import MIN_SAMPLES, AnalysisContext
from leadkit.analyze.kinds import FindingKind, PullRequestView, Setting
from leadkit.builtins.kinds.blocking_work import blocked_by_lead
from leadkit.builtins.kinds.review_concentration import AreaSummary, sole_reviewer_areas
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import Finding, ItemRef, Severity

KIND = "away-risk"
AWAY_DAYS = Setting("away_days", 7, "how many days the lead would be away (--away-days)")


@dataclass
class StalledPR:
    pr: str
    areas: list[str]


@dataclass
class StaysBlocked:
    item: str
    by: str
    assignee: str | None


@dataclass
class AwayRiskMetrics:
    days: float
    stalled_prs: list[StalledPR] = field(default_factory=list)
    blocked_items: list[StaysBlocked] = field(default_factory=list)
    sole_reviewer_areas: list[AreaSummary] = field(default_factory=list)
    sole_answerer_topics: list[str] = field(default_factory=list)


def qualified_reviewers(ctx: AnalysisContext, area: str) -> set[str]:
    """Everyone who authored (and landed) or reviewed a PR in a code area in the history."""
    repo, _, path = area.partition(":")
    node = ctx.code_tree.get((repo, "" if path == "/" else path))
    return set(node.people) if node is not None else set()


def analyze(ctx: AnalysisContext) -> Iterator[Finding[Any]]:
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
            metrics=AwayRiskMetrics(days),
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
    severity: Severity = "warn"  # an absence to plan for, not something to act on this week
    items = [ItemRef.of(r, note="no other qualified reviewer") for r, _ in stalled_prs]
    items.extend(ItemRef.of(b.waiting, note=f"blocked by {b.holder.key}") for b in blocked)
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead, *sorted({b.waiting.assignee for b in blocked if b.waiting.assignee})],
        items=items,
        metrics=AwayRiskMetrics(
            days=days,
            stalled_prs=[StalledPR(r.ref, areas) for r, areas in stalled_prs],
            blocked_items=[
                StaysBlocked(b.waiting.key, b.holder.key, b.waiting.assignee) for b in blocked
            ],
            sole_reviewer_areas=[a.summary() for a in review_areas],
            sole_answerer_topics=answer_areas,
        ),
    )


class AwayRisk(FindingKind[AwayRiskMetrics]):
    kind = KIND
    description = "what would stall if the lead were away for N days"
    order = 7
    settings = (AWAY_DAYS, MIN_SAMPLES)

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[Any]]:
        return analyze(ctx)

    def pr_notes(self, finding: Finding[AwayRiskMetrics], pr: PullRequestView) -> Iterable[str]:
        m = finding.metrics
        away = f"If {pr.lead} were away for the next {m.days:.0f} days"
        for stalled in m.stalled_prs:
            if stalled.pr == pr.ref:
                yield (
                    f"{away}, this pull request would wait: nobody else has reviewed or "
                    "written code in its areas."
                )
        for b in m.blocked_items:
            if b.item in pr.linked or b.by in pr.linked:
                yield f"{away}, {b.item} would stay blocked by {b.by}."


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(AwayRisk())
