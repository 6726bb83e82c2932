"""``team-flow``: how the team delivers as a whole, week by week and against the previous window.

"Your performance is measured by your team's performance as a whole": the PRs
the team merged, the median time from opening one to merging it (in the team's
working days), the items it finished, the median work in progress per member
(the same loads ``lead-wip`` compares with) and the median review wait (request
to first review, as ``review-queue`` measures pickups). Team aggregates only:
no number about one person, in any format, so it is shared with the team. A
median over fewer than ``[thresholds] min_samples`` cases (PRs, waits, members)
is null, never a number about one or two people.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext, median, week_start
from leadkit.analyze.kinds import FindingKind, TrendMetric, number, plural
from leadkit.builtins.kinds.interrupt_load import week_label
from leadkit.builtins.kinds.review_queue import pickup_hours
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.data import Review, WorkItem
from leadkit.model.findings import WHOLE, Finding
from leadkit.model.report import Chart
from leadkit.timeutil import wait_text

KIND = "team-flow"


@dataclass
class FlowWeek:
    week: str
    """The Monday it starts on (``2026-11-16``)."""
    prs_merged: int
    items_finished: int
    median_merge_days: float | None
    """Open to merge, working days, over the week's merged PRs (null under ``min_samples``)."""


@dataclass
class Flow:
    """One window's numbers."""

    prs_merged: int
    prs_merged_per_week: float
    median_merge_days: float | None
    items_finished: int
    items_finished_per_week: float
    median_wip: float | None
    median_review_wait_hours: float | None


@dataclass
class TeamFlowMetrics:
    prs_merged: int
    """PRs by the team (the lead and the members) merged in the window."""
    prs_merged_per_week: float
    median_merge_days: float | None
    """Working days from opening to merging, the median over the merged PRs."""
    items_finished: int
    """Items held by the team and finished (resolved, or moved to done) in the window."""
    items_finished_per_week: float
    median_wip: float | None
    """Open things per member (in-progress items, open PRs, pending review requests): the
    median, as ``lead-wip`` compares with; null under ``min_samples`` members."""
    median_review_wait_hours: float | None
    """Working hours from a review request to its review, the median over the team's reviews."""
    members: int
    weeks: list[FlowWeek] = field(metadata=WHOLE)
    """Every week of the window."""
    previous: Flow | None
    """The same numbers in the previous window; null when the data does not reach it."""


def merged(ctx: AnalysisContext) -> list[Review]:
    """The team's PRs merged in the window (bots' PRs are not the team's delivery)."""
    return [
        r
        for r in ctx.dataset.reviews
        if r.merged is not None
        and ctx.start <= r.merged <= ctx.now
        and r.author in ctx.team_ids
        and ctx.is_person(r.author)
    ]


def finished_at(item: WorkItem) -> datetime | None:
    """When a done item was finished: its resolution, else its last move to done."""
    if item.status_category != "done":
        return None
    if item.resolved is not None:
        return item.resolved
    done = [t.at for t in item.transitions if t.to_category == "done"]
    return done[-1] if done else None


def finished(ctx: AnalysisContext) -> list[tuple[WorkItem, datetime]]:
    """The team's items finished in the window, with when."""
    out = []
    for item in ctx.dataset.work_items:
        at = finished_at(item)
        if at is not None and ctx.start <= at <= ctx.now and item.assignee in ctx.team_ids:
            out.append((item, at))
    return out


def sampled(ctx: AnalysisContext, values: list[float]) -> float | None:
    """The median, or None under ``min_samples`` values."""
    if len(values) < ctx.thresholds["min_samples"]:
        return None
    found = median(values)
    return None if found is None else round(found, 1)


def merge_days(ctx: AnalysisContext, reviews: Iterable[Review]) -> list[float]:
    return [ctx.working_days(r.created, r.merged) or 0.0 for r in reviews]


def flow(ctx: AnalysisContext) -> Flow:
    """The team's numbers over one window."""
    prs = merged(ctx)
    items = finished(ctx)
    weeks = max((ctx.now - ctx.start).total_seconds() / (7 * 86400), 1 / 7)
    lead_waits, other_waits = pickup_hours(ctx)
    loads = [float(ctx.load_count(m)) for m in ctx.members]
    return Flow(
        prs_merged=len(prs),
        prs_merged_per_week=round(len(prs) / weeks, 1),
        median_merge_days=sampled(ctx, merge_days(ctx, prs)),
        items_finished=len(items),
        items_finished_per_week=round(len(items) / weeks, 1),
        median_wip=sampled(ctx, loads),
        median_review_wait_hours=sampled(ctx, lead_waits + other_waits),
    )


def weekly(ctx: AnalysisContext) -> list[FlowWeek]:
    prs: dict[datetime, list[Review]] = {w: [] for w in ctx.weeks}
    items: dict[datetime, int] = dict.fromkeys(ctx.weeks, 0)
    for review in merged(ctx):
        assert review.merged is not None
        prs.setdefault(week_start(review.merged), []).append(review)
    for _, at in finished(ctx):
        key = week_start(at)
        items[key] = items.get(key, 0) + 1
    return [
        FlowWeek(f"{w:%Y-%m-%d}", len(prs[w]), items[w], sampled(ctx, merge_days(ctx, prs[w])))
        for w in ctx.weeks
    ]


def moved(now: float | None, was: float | None, show: str, unit: str = "") -> str:
    """``14 PRs a week, up from 11``; ``(was: too little data)`` without a previous value."""
    if was is None:
        return f"{show}{unit}"
    if round(now or 0.0, 1) == round(was, 1):
        return f"{show}{unit}, as before"
    return f"{show}{unit}, {'up' if (now or 0.0) > was else 'down'} from {number(was)}"


def analyze(ctx: AnalysisContext) -> Iterator[Finding[TeamFlowMetrics]]:
    if not ctx.dataset.reviews and not ctx.dataset.work_items:
        yield Finding.not_computed(
            KIND, "No items or PRs in the data, so the team's flow is unknown."
        )
        return
    now = flow(ctx)
    before = flow(ctx.previous) if ctx.previous is not None else None
    day = ctx.clock.day_hours
    parts = [
        "merged "
        + moved(
            now.prs_merged_per_week,
            before.prs_merged_per_week if before else None,
            number(now.prs_merged_per_week),
            plural(now.prs_merged_per_week, " PR", " PRs") + " a week",
        ),
        "finished "
        + moved(
            now.items_finished_per_week,
            before.items_finished_per_week if before else None,
            number(now.items_finished_per_week),
            plural(now.items_finished_per_week, " item", " items") + " a week",
        ),
    ]
    if now.median_merge_days is not None:
        was = before.median_merge_days if before else None
        parts.append(
            "median open-to-merge "
            + moved(now.median_merge_days, was, number(now.median_merge_days), " working days")
        )
    if now.median_review_wait_hours is not None:
        hours = now.median_review_wait_hours
        was = before.median_review_wait_hours if before else None
        text = f"median review wait {wait_text(hours, hours / day)}"
        if was is not None and round(was, 1) != round(hours, 1):
            text += f", {'up' if hours > was else 'down'} from {wait_text(was, was / day)}"
        parts.append(text)
    if now.median_wip is not None:
        was = before.median_wip if before else None
        parts.append(
            "median work in progress per member "
            + moved(now.median_wip, was, number(now.median_wip))
        )
    message = "The team " + "; ".join(parts) + "."
    if before is None:
        message += " The data does not reach the previous window, so there is nothing to compare."
    yield Finding(
        KIND,
        "info",
        message,
        metrics=TeamFlowMetrics(
            prs_merged=now.prs_merged,
            prs_merged_per_week=now.prs_merged_per_week,
            median_merge_days=now.median_merge_days,
            items_finished=now.items_finished,
            items_finished_per_week=now.items_finished_per_week,
            median_wip=now.median_wip,
            median_review_wait_hours=now.median_review_wait_hours,
            members=len(ctx.members),
            weeks=weekly(ctx),
            previous=before,
        ),
    )


class TeamFlow(FindingKind[TeamFlowMetrics]):
    kind = KIND
    description = (
        "the team's delivery as a whole, week by week and against the previous window: PRs "
        "merged, open-to-merge time, items finished, work in progress per member, review wait"
    )
    order = 8
    trends = (
        TrendMetric(
            "team_prs_merged_per_week",
            "PRs the team merged a week",
            lambda m: m.prs_merged_per_week,
            absent=None,
        ),
        TrendMetric(
            "team_median_merge_days",
            "the team's median open-to-merge",
            lambda m: m.median_merge_days,
            show=lambda days: f"{number(days)} working days",
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[TeamFlowMetrics]]:
        return analyze(ctx)

    def charts(self, finding: Finding[TeamFlowMetrics] | None, lead: str) -> Iterable[Chart]:
        """The team's PRs merged and items finished, week by week."""
        out = []
        for key, title, part, attr, order in (
            ("team-merged", "PRs the team merged per week", "PRs merged", "prs_merged", 5),
            (
                "team-finished",
                "Items the team finished per week",
                "items finished",
                "items_finished",
                6,
            ),
        ):
            chart = Chart(
                key,
                title,
                shape="stacked",
                label_header="week",
                order=order,
                caption="Weeks start on Monday; the first and last weeks may be partial.",
                in_words=True,
            )
            if not chart.not_drawn(finding, KIND) and finding is not None:
                weeks = finding.metrics.weeks
                chart.labels = [week_label(w.week) for w in weeks]
                chart.series = [(part, [getattr(w, attr) for w in weeks])]
            out.append(chart)
        return out


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(TeamFlow())
