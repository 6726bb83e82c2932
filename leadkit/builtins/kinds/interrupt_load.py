"""``interrupt-load``: where the lead's actions went, and how much of it interrupted them.

The lead's actions in the window (comments, reviews, status changes, and their own
PRs opened, pushed, merged and reviewed by others) fall in five parts: the lead's
``own`` work, ``reviewing`` others' PRs, ``others``' items, ``reactive`` work and
``answering`` questions. The interrupt share is the last three over all of it; the
review share is apart: reviewing a teammate's PR is part of a lead's job, not an
interruption.

The message names what pulls the lead in (topics, then items), never who: it
lands in job summaries and PR comments the whole team reads. The counts per
person (``pulled_in_by``, ``askers``) are marked ``PER_PERSON``: only the lead's
report has them (see :mod:`leadkit.present.audience`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadkit import hookimpl
from leadkit.analyze.context import MIN_SAMPLES, AnalysisContext, Event, median, week_start
from leadkit.analyze.kinds import FindingKind, Gate, Setting, TrendMetric, pct, whole_pct
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import PER_PERSON, WHOLE, Finding, ItemRef, Severity
from leadkit.model.report import Chart
from leadkit.timeutil import parse_datetime

MIN_ACTIVITY = Setting(
    "min_activity", 5, "fewest actions by the lead before interrupt load is judged"
)
"""Read by interrupt-load and next-big-thing: a share of fewer actions is noise."""

KIND = "interrupt-load"
CATEGORIES = ("own", "reviewing", "others", "reactive", "answering")
"""Where each of the lead's actions went (:func:`category`)."""
INTERRUPTIONS = ("others", "reactive", "answering")
"""The categories that pull the lead away from their own work and reviewing."""
WEEKLY_PARTS = (
    (("own",), "own work"),
    (("reviewing",), "reviewing"),
    (INTERRUPTIONS, "others' items and questions"),
)
"""The weekly chart's three parts, bottom to top, and the categories each adds up."""
MIN_ACTIVITY = Setting(
    "min_activity", 5, "fewest actions by the lead before interrupt load is judged"
)
"""Also read by ``lead-time``, which counts the same actions."""
ASKING = frozenset({"changes_requested", "commented"})
"""Review states on the lead's own PR that ask the lead for something."""


@dataclass
class Week:
    week: str
    """The Monday it starts on (``2026-11-16``)."""
    own: int
    reviewing: int
    others: int
    reactive: int
    answering: int


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
    """Every action counted: ``own + reviewing + others + reactive + answering``."""
    own: int
    """On the lead's own work: comments, reviews and status changes on their own items and
    PRs, and their own PRs opened, pushed, merged and reviewed by others in the window."""
    reviewing: int
    """Reviews and comments on others' PRs (a review of a teammate's PR is not an interruption)."""
    others: int
    """On others' items (not reactive, not answering a question)."""
    reactive: int
    """On bugs, incidents, support and ops items (and PRs linked to them), not the lead's PRs."""
    answering: int
    """Comments answering a question on someone else's item or PR."""
    interrupt_share: float
    """``(others + reactive + answering) / activity``."""
    review_share: float
    """``reviewing / activity``: apart from the interrupt share."""
    weekly: list[Week] = field(metadata=WHOLE)
    """Every week of the window (the window bounds it, not the org)."""
    pulled_in_by: list[Puller] = field(metadata={**WHOLE, **PER_PERSON})
    """Who pulls the lead in most (the top three), with counts: the lead's audience only."""
    topics: list[Topic] = field(metadata=WHOLE)
    """The top three."""
    interrupted_on: list[Target]
    questions_to_lead: int
    answered_by_lead: int
    lead_median_answer_hours: float | None
    questions_answered_by_others: int
    askers: list[Asker] = field(metadata=PER_PERSON)
    """Who asked the lead how many questions: the lead's audience only."""


@dataclass(frozen=True)
class LeadAction:
    """One of the lead's actions in the window, as interrupt-load counts it."""

    at: datetime
    category: str
    target: str
    owner: str | None


def category(ctx: AnalysisContext, event: Event, answers: set[tuple[str, datetime]]) -> str:
    """Where one of the lead's comments, reviews or status changes went.

    On the lead's own PR: ``own``. On someone else's PR: ``answering`` for a
    comment that answers a question, else ``reviewing``. On an item:
    ``answering``, then ``reactive`` (bugs, incidents, support, ops), then
    ``own`` (the lead's) or ``others``.
    """
    if (event.target, event.at) in answers and event.owner != ctx.lead:
        return "answering"
    if event.target in ctx.reviews_by_ref:
        return "own" if event.owner == ctx.lead else "reviewing"
    if event.reactive:
        return "reactive"
    return "own" if event.owner == ctx.lead else "others"


def own_pr_steps(ctx: AnalysisContext) -> Iterator[LeadAction]:
    """The lead's own PRs at work in the window: opened, pushed (after opening), merged, and
    each review by someone else that asks for something (changes requested or comments: the
    lead reads and answers it; an approval asks nothing): own work no comment shows."""
    lead = ctx.lead
    for review in ctx.dataset.reviews:
        if review.author != lead:
            continue
        ref = review.ref
        times = [review.created, review.merged]
        if review.last_pushed is not None and review.last_pushed > review.created:
            times.append(review.last_pushed)
        times += [
            s.at
            for s in review.reviews
            if s.by != lead and ctx.is_person(s.by) and s.state in ASKING
        ]
        for at in times:
            if at is not None and ctx.start <= at <= ctx.now:
                yield LeadAction(at, "own", ref, lead)


def lead_actions(ctx: AnalysisContext) -> list[LeadAction]:
    """Every action of the lead's in the window, each in its category, oldest first."""
    answers = {
        (q.target, q.answered_at)
        for q in ctx.questions
        if q.answered_by == ctx.lead and q.answered_at is not None
    }
    out = [
        LeadAction(e.at, category(ctx, e, answers), e.target, e.owner)
        for e in ctx.window_events(ctx.lead)
        if e.kind in ("comment", "review", "transition")
    ]
    out.extend(own_pr_steps(ctx))
    out.sort(key=lambda a: (a.at, a.target, a.category))
    return out


def weekly_series(ctx: AnalysisContext, actions: list[LeadAction]) -> list[Week]:
    """Counts per category per week (weeks start on Monday, UTC), covering the whole window."""
    counts: dict[datetime, Counter[str]] = {w: Counter() for w in ctx.weeks}
    for action in actions:
        start = week_start(action.at)
        if start in counts:
            counts[start][action.category] += 1
    return [Week(f"{w:%Y-%m-%d}", *(counts[w][c] for c in CATEGORIES)) for w in ctx.weeks]


def shares_sentence(counts: Counter[str], total: int) -> str:
    """``62% reviewing, 23% others' items and questions, 15% your own work``: whole
    percentages that add up to 100."""
    parts = {
        "reviewing": counts["reviewing"],
        "others' items and questions": sum(counts[c] for c in INTERRUPTIONS),
        "your own work": counts["own"],
    }
    shown = whole_shares(list(parts.values()), total)
    return ", ".join(f"{pct_}% {what}" for what, pct_ in zip(parts, shown, strict=True))


def whole_shares(values: list[int], total: int) -> list[int]:
    """Each value's share of ``total`` in whole percent, rounded so they add up to 100
    (largest remainders first)."""
    if total <= 0:
        return [0 for _ in values]
    exact = [v * 100 / total for v in values]
    floors = [int(e) for e in exact]
    short = 100 - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:short]:
        floors[i] += 1
    return floors


def analyze(ctx: AnalysisContext) -> Iterator[Finding[Any]]:
    lead = ctx.name(ctx.lead)
    actions = lead_actions(ctx)
    minimum = int(ctx.thresholds["min_activity"])
    if len(actions) < minimum:
        recorded = "1 recorded action" if len(actions) == 1 else f"{len(actions)} recorded actions"
        yield Finding.not_computed(
            KIND,
            f"{lead} has {recorded} in the window (comments, reviews, status changes, own PRs "
            f"opened, pushed or merged); too few (under {minimum}) to judge interrupt load.",
        )
        return
    counts = Counter(a.category for a in actions)
    interrupting = [a for a in actions if a.category in INTERRUPTIONS]
    share = len(interrupting) / len(actions)
    review_share = counts["reviewing"] / len(actions)
    pullers: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for a in interrupting:
        targets[a.target] += 1
        # A Jira component and a PR's folder of the same name are one topic.
        topics.update({t.rstrip("/") for t in ctx.topics_of(a.target)})
        if ctx.is_person(a.owner) and a.owner != ctx.lead:
            pullers[a.owner] += 1
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
    said = [
        f"{counts[key]} {what}"
        for key, what in (
            ("reviewing", "on others' PRs"),
            ("reactive", "on reactive work"),
            ("others", "on others' items"),
            ("answering", "answering questions"),
            ("own", f"on {lead}'s own items and PRs"),
        )
        if counts[key]
    ]
    message = (
        f"Of {lead}'s {len(actions)} actions in the window: "
        f"{shares_sentence(counts, len(actions))} ({', '.join(said)})."
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
        message += " The interruptions went most to " + _and(
            [f"{topic} ({n})" for topic, n in ranked_topics]
        )
        if items:
            message += ", above all " + _and([i.label for i in items[:3]])
        message += "."
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead],
        items=items,
        metrics=InterruptLoadMetrics(
            activity=len(actions),
            own=counts["own"],
            reviewing=counts["reviewing"],
            others=counts["others"],
            reactive=counts["reactive"],
            answering=counts["answering"],
            interrupt_share=round(share, 3),
            review_share=round(review_share, 3),
            weekly=weekly_series(ctx, actions),
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
    description = (
        "where the lead's actions went: own work, reviewing, others' items, reactive work, "
        "answering questions"
    )
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
            0.4,
            "share of the lead's actions on others' items, reactive work or answering "
            "questions that warns (reviewing is apart)",
        ),
        MIN_ACTIVITY,
        MIN_SAMPLES,
    )
    gates = (
        Gate(
            "max_interrupt_share",
            "share of the lead's actions on others' items, reactive work or answering "
            "questions (reviewing is apart)",
            lambda m: m.interrupt_share,
            lambda v, m: (
                f"{pct(v)} of the lead's {m.activity if m else 0} actions were on others' "
                "items, reactive work or answering questions"
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
            yield f"Pulled in most by {names} (for you only: not in the team's report)."

    def charts(self, finding: Finding[InterruptLoadMetrics] | None, lead: str) -> Iterable[Chart]:
        """The lead's weekly actions split into own work, reviewing, and others' items and
        questions (reactive work and answers included)."""
        chart = Chart(
            "weekly-activity",
            f"{lead}'s actions per week",
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
        chart.labels = [week_label(w.week) for w in weekly]
        chart.series = [
            (part, [sum(getattr(w, key) for key in keys) for w in weekly])
            for keys, part in WEEKLY_PARTS
        ]
        return [chart]


def week_label(week: str) -> str:
    """``Nov 16`` for the week starting ``2026-11-16``: how a weekly chart labels its bars."""
    day = parse_datetime(week, what="week")
    return f"{day:%b} {day.day}"


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(InterruptLoad())
