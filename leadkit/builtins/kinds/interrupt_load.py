"""``interrupt-load``: how much of the lead's activity is reactive or on others' items.

The message names what pulls the lead in (topics, then items), never who: it
lands in job summaries and PR comments the whole team reads. The counts per
person are in ``metrics.pulled_in_by``, and only the lead's own text report
prints them (see :mod:`leadkit.present.outline`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from leadkit import hookimpl
from leadkit.analyze.context import MIN_SAMPLES, AnalysisContext, Event, median
from leadkit.analyze.kinds import FindingKind, Gate, Setting, TrendMetric, pct, whole_pct
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import WHOLE, Finding, ItemRef, Severity
from leadkit.model.report import Chart
from leadkit.timeutil import parse_datetime

KIND = "interrupt-load"
CATEGORIES = ("own", "others", "reactive")
WEEKLY_PARTS = (("own", "own work"), ("others", "others' items"), ("reactive", "reactive work"))


@dataclass
class Week:
    week: str
    """The Monday it starts on (``2026-11-16``)."""
    own: int
    others: int
    reactive: int


@dataclass
class Puller:
    person: str
    actions: int


@dataclass
class Topic:
    topic: str
    actions: int


@dataclass
class Target:
    item: str
    actions: int


@dataclass
class Asker:
    person: str
    questions: int


@dataclass
class InterruptLoadMetrics:
    activity: int
    own: int
    others: int
    reactive: int
    interrupt_share: float
    weekly: list[Week] = field(metadata=WHOLE)
    """Every week of the window (the window bounds it, not the org)."""
    pulled_in_by: list[Puller] = field(metadata=WHOLE)
    """Who pulls the lead in most (the top three), with counts: only the lead's own report
    shows them."""
    topics: list[Topic] = field(metadata=WHOLE)
    """The top three."""
    interrupted_on: list[Target]
    questions_to_lead: int
    answered_by_lead: int
    lead_median_answer_hours: float | None
    questions_answered_by_others: int
    askers: list[Asker]


def category(ctx: AnalysisContext, event: Event) -> str:
    """``reactive`` (bugs, incidents, support, ops), ``own`` (the lead's planned work) or ``others``."""
    if event.reactive:
        return "reactive"
    if event.owner == ctx.lead:
        return "own"
    return "others"


def weekly_series(ctx: AnalysisContext, events: list[Event]) -> list[Week]:
    """Counts per category per week (weeks start on Monday, UTC), covering the whole window."""
    first = (ctx.start - timedelta(days=ctx.start.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    weeks: list[datetime] = []
    week = first
    while week <= ctx.now:
        weeks.append(week)
        week += timedelta(days=7)
    counts: dict[datetime, Counter[str]] = {w: Counter() for w in weeks}
    for event in events:
        start = (event.at - timedelta(days=event.at.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        if start in counts:
            counts[start][category(ctx, event)] += 1
    return [
        Week(f"{w:%Y-%m-%d}", counts[w]["own"], counts[w]["others"], counts[w]["reactive"])
        for w in weeks
    ]


def analyze(ctx: AnalysisContext) -> Iterator[Finding[Any]]:
    lead = ctx.name(ctx.lead)
    events = [
        e for e in ctx.window_events(ctx.lead) if e.kind in ("comment", "review", "transition")
    ]
    minimum = int(ctx.thresholds["min_activity"])
    if len(events) < minimum:
        recorded = (
            "1 recorded comment, review or status change"
            if len(events) == 1
            else f"{len(events)} recorded comments, reviews and status changes"
        )
        yield Finding.not_computed(
            KIND,
            f"{lead} has {recorded} in the window; "
            f"too few (under {minimum}) to judge interrupt load.",
        )
        return
    counts = Counter(category(ctx, e) for e in events)
    share = (counts["others"] + counts["reactive"]) / len(events)
    pullers: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for e in events:
        if category(ctx, e) != "own":
            targets[e.target] += 1
            # A Jira component and a PR's folder of the same name are one topic.
            topics.update({t.rstrip("/") for t in ctx.topics_of(e.target)})
            if ctx.is_person(e.owner) and e.owner != ctx.lead:
                pullers[e.owner] += 1
    questions = [q for q in ctx.questions if q.to_lead]
    for q in questions:
        pullers[q.asker] += 0  # askers appear even when the item is nobody's
    answered = [q for q in questions if q.answered_by == ctx.lead and q.answered_at]
    answer_hours = [
        ctx.working_hours(q.at, q.answered_at, whose=ctx.lead) or 0.0
        for q in answered
        if q.answered_at
    ]
    by_others = [q for q in ctx.questions if q.answered_by not in (None, ctx.lead)]
    askers = Counter(q.asker for q in questions)
    top = [p for p, n in sorted(pullers.items(), key=lambda kv: (-kv[1], kv[0])) if n > 0][:3]
    # A share over the window is a pattern, not an emergency: it warns, never HIGH.
    severity: Severity = "warn" if share >= ctx.thresholds["interrupt_share_warn"] else "info"
    message = (
        f"{share:.0%} of {lead}'s {len(events)} comments, reviews and status changes in the window "
        f"were on reactive work ({counts['reactive']}) or on other people's items ({counts['others']}), "
        f"against {counts['own']} on {lead}'s own planned work."
    )
    items: list[ItemRef] = []
    interrupted_on: list[Target] = []
    answer_median = median(answer_hours)
    for ref, n in sorted(targets.items(), key=lambda kv: (-kv[1], kv[0])):
        thing = ctx.items_by_key.get(ref) or ctx.reviews_by_ref.get(ref)
        if thing is None:
            continue
        item = ItemRef.of(thing, note=f"{n} of {lead}'s actions")
        # The five busiest are listed; the metric traces every interrupting action.
        interrupted_on.append(Target(item.label, n))
        if len(items) < 5:
            items.append(item)
    ranked_topics = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    if ranked_topics:
        message += " Most of it went to " + _and([f"{topic} ({n})" for topic, n in ranked_topics])
        if items:
            message += ", above all " + _and([i.label for i in items[:3]])
        message += "."
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead, *top],
        items=items,
        metrics=InterruptLoadMetrics(
            activity=len(events),
            own=counts["own"],
            others=counts["others"],
            reactive=counts["reactive"],
            interrupt_share=round(share, 3),
            weekly=weekly_series(ctx, events),
            pulled_in_by=[Puller(p, pullers[p]) for p in top],
            topics=[Topic(t, n) for t, n in ranked_topics],
            interrupted_on=interrupted_on,
            questions_to_lead=len(questions),
            answered_by_lead=len(answered),
            # A median of one or two answers says nothing: null under min_samples.
            lead_median_answer_hours=(
                round(answer_median, 1)
                if answer_median is not None and len(answer_hours) >= ctx.thresholds["min_samples"]
                else None
            ),
            questions_answered_by_others=len(by_others),
            askers=[Asker(p, n) for p, n in sorted(askers.items(), key=lambda kv: (-kv[1], kv[0]))],
        ),
    )


def _and(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


class InterruptLoad(FindingKind[InterruptLoadMetrics]):
    kind = KIND
    description = "share of the lead's activity that is reactive or on others' items"
    order = 4
    trends = (
        TrendMetric(
            "interrupt_share",
            "the lead's interrupt share",
            lambda m: m.interrupt_share,
            show=whole_pct,
            samples=lambda m: m.activity,
        ),
    )
    settings = (
        Setting(
            "interrupt_share_warn",
            0.5,
            "share of the lead's actions that are reactive or on others' items that warns",
        ),
        Setting("min_activity", 5, "fewest actions by the lead before interrupt load is judged"),
        MIN_SAMPLES,
    )
    gates = (
        Gate(
            "max_interrupt_share",
            "share of the lead's activity that is reactive or on others' items",
            lambda m: m.interrupt_share,
            lambda v, m: (
                f"{pct(v)} of the lead's {m.activity if m else 0} actions were reactive "
                "or on others' items"
            ),
            share=True,
            absent=None,
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[Any]]:
        return analyze(ctx)

    def lead_details(
        self, finding: Finding[InterruptLoadMetrics], name: Callable[[str | None], str]
    ) -> Iterable[str]:
        pulled = finding.metrics.pulled_in_by
        if pulled:
            names = ", ".join(f"{name(p.person)} ({p.actions})" for p in pulled)
            yield f"Pulled in most by {names} (for you only: not in shared formats)."

    def charts(self, finding: Finding[InterruptLoadMetrics] | None, lead: str) -> Iterable[Chart]:
        """The lead's weekly actions split into own work, others' items and reactive work."""
        chart = Chart(
            "weekly-activity",
            f"{lead}'s comments, reviews and status changes per week",
            shape="stacked",
            label_header="week",
            order=0,
            caption="Weeks start on Monday; the first and last weeks may be partial.",
        )
        if chart.not_drawn(finding, KIND) or finding is None:
            return [chart]
        weekly = finding.metrics.weekly
        if not weekly:
            chart.missing = "Not drawn: no weekly activity was recorded."
            return [chart]
        chart.labels = [_week_label(w.week) for w in weekly]
        chart.series = [(part, [getattr(w, key) for w in weekly]) for key, part in WEEKLY_PARTS]
        return [chart]


def _week_label(week: str) -> str:
    day = parse_datetime(week, what="week")
    return f"{day:%b} {day.day}"


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(InterruptLoad())
