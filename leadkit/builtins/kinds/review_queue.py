"""``review-queue``: PRs waiting on the lead's review, and how fast the lead picks them up."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from leadkit import hookimpl
from leadkit.analyze.context import MIN_SAMPLES, AnalysisContext, median
from leadkit.analyze.kinds import (
    TIER_OVERDUE_REVIEW,
    TIER_REST,
    ActionCandidate,
    FindingKind,
    Gate,
    PullRequestView,
    Setting,
    TrendMetric,
    plural,
)
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import OMIT_IF_NONE, Action, Finding, ItemRef, Severity
from leadkit.timeutil import iso, wait_text

KIND = "review-queue"


@dataclass
class WaitingPR:
    """A PR waiting on the lead's review."""

    pr: str
    author: str | None
    requested: str | None
    waiting_hours: float | None
    """Working hours since the request; None when the data records no request time."""
    waiting_days: float | None = None
    """The same wait in working days (a day is the team's working hours)."""

    def waited(self) -> str:
        """``has waited 4.8 working days``, or ``is waiting`` when the request time is unknown."""
        if self.waiting_hours is None or self.waiting_days is None:
            return "is waiting"
        return f"has waited {wait_text(self.waiting_hours, self.waiting_days)}"


@dataclass
class ReviewQueueMetrics:
    pending: int
    oldest_waiting_hours: float
    oldest_waiting_days: float
    waiting: list[WaitingPR]
    lead_median_pickup_hours: float | None
    lead_pickups: int
    team_median_pickup_hours: float | None
    team_pickups: int
    bot_prs_waiting: int
    team_requests_waiting: int
    severity_reason: str | None = field(default=None, metadata=OMIT_IF_NONE)


def pickup_hours(ctx: AnalysisContext) -> tuple[list[float], list[float]]:
    """Working hours from request to first review in the window: the lead's, and other team reviewers'.

    Only requests by name on humans' PRs count: a team's request or a bot's PR
    says nothing about how fast a person picks up a colleague's review.
    """
    lead: list[float] = []
    others: list[float] = []
    for intervals in ctx.intervals.values():
        for interval in intervals:
            if interval.outcome != "reviewed" or interval.requested is None:
                continue
            if not ctx.counts_as_request(interval):
                continue
            if interval.closed is None or interval.closed < ctx.start:
                continue
            hours = ctx.working_hours(interval.requested, interval.closed, whose=interval.reviewer)
            assert hours is not None  # the request time is known
            if interval.reviewer == ctx.lead:
                lead.append(hours)
            elif interval.reviewer in ctx.team_ids:
                others.append(hours)
    return lead, others


def analyze(ctx: AnalysisContext) -> Iterator[Finding[ReviewQueueMetrics]]:
    if not ctx.dataset.reviews:
        yield Finding.not_computed(
            KIND, "No pull requests in the data, so the lead's review queue could not be measured."
        )
        return
    lead_name = ctx.name(ctx.lead)
    waiting = []
    items = []
    for interval in ctx.pending_for.get(ctx.lead, []):
        review = interval.review
        # The wait is on the lead: the lead's time away does not count.
        hours = ctx.working_hours(interval.requested, whose=ctx.lead)
        pr = WaitingPR(
            review.ref,
            review.author,
            iso(interval.requested),
            None if hours is None else round(hours, 1),
            None if hours is None else round(hours / ctx.clock.day_hours, 2),
        )
        waiting.append(pr)
        waited = "waits (request time unknown)" if hours is None else pr.waited()
        items.append(ItemRef.of(review, note=f"{ctx.name(review.author)} {waited}"))
    apart = ctx.pending_apart.get(ctx.lead, [])
    bot_prs = sorted({i.review.ref for i in apart if not ctx.is_person(i.review.author)})
    team_requests = sorted({i.review.ref for i in apart if ctx.is_person(i.review.author)})
    apart_text = _apart_sentence(lead_name, len(bot_prs), len(team_requests))
    lead_pickups, other_pickups = pickup_hours(ctx)
    min_samples = int(ctx.thresholds["min_samples"])
    lead_median = median(lead_pickups) if len(lead_pickups) >= min_samples else None
    team_median = median(other_pickups) if len(other_pickups) >= min_samples else None
    t = ctx.thresholds
    count = len(waiting)
    known = [w.waiting_hours for w in waiting if w.waiting_hours is not None]
    unknown = count - len(known)
    oldest = max(known, default=0.0)
    oldest_days = round(oldest / ctx.clock.day_hours, 2)
    in_words = ctx.clock.describe
    metrics = ReviewQueueMetrics(
        pending=count,
        oldest_waiting_hours=oldest,
        oldest_waiting_days=oldest_days,
        waiting=waiting,
        lead_median_pickup_hours=_round(lead_median),
        lead_pickups=len(lead_pickups),
        team_median_pickup_hours=_round(team_median),
        team_pickups=len(other_pickups),
        bot_prs_waiting=len(bot_prs),
        team_requests_waiting=len(team_requests),
    )
    slow = (
        lead_median is not None
        and team_median is not None
        and lead_median > 2 * max(team_median, 1.0)
    )
    pickup_text = _pickup_sentence(
        lead_name, lead_median, team_median, len(lead_pickups), min_samples, in_words
    )
    if count == 0:
        if slow or apart_text:
            text = f"Nothing waits on {lead_name}'s review now. {pickup_text if slow else ''}"
            yield Finding(
                KIND,
                "info",
                f"{text.strip()} {apart_text}".strip(),
                people=[ctx.lead],
                metrics=metrics,
            )
        return
    reason = None
    severity: Severity
    if oldest_days >= t["review_wait_high_days"]:
        severity = "high"
        reason = (
            f"a PR has waited {in_words(oldest)}, past the high mark of "
            f"{in_words(t['review_wait_high_days'] * ctx.clock.day_hours)}"
        )
    elif count >= t["review_queue_high"]:
        severity = "high"
        reason = f"{count} PRs wait, at or past the high mark of {t['review_queue_high']:g}"
    elif count >= t["review_queue_warn"] or oldest_days >= t["review_wait_warn_days"] or slow:
        severity = "warn"
    else:
        severity = "info"
    authors = sorted({w.author for w in waiting if w.author})
    noun = "PR waits" if count == 1 else "PRs wait"
    if not known:
        since = " for an unknown time (the data records no request time)"
    elif unknown:
        since = f", the oldest known for {in_words(oldest)} ({unknown} with no request time)"
    else:
        since = f", the oldest for {in_words(oldest)}"
    message = f"{count} {noun} for {lead_name}'s review{since}. {pickup_text}"
    if reason:
        metrics.severity_reason = reason
        message += f" High: {reason}."
    if apart_text:
        message += f" {apart_text}"
    yield Finding(
        KIND,
        severity,
        message.strip(),
        people=[ctx.lead, *authors],
        items=items,
        metrics=metrics,
    )


def _apart_sentence(lead: str, bots: int, teams: int) -> str:
    """The one line on what waits but is not the lead's own queue: bots' PRs, team requests."""
    parts = []
    if bots:
        parts.append(f"{bots} bot PR{'s' if bots != 1 else ''}")
    if teams:
        parts.append(
            f"{teams} PR{'s' if teams != 1 else ''} asking a team {lead} is in, not {lead} by name"
        )
    if not parts:
        return ""
    return f"Not counted above: {' and '.join(parts)}."


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _pickup_sentence(
    lead: str,
    lead_median: float | None,
    team_median: float | None,
    lead_n: int,
    min_samples: int,
    in_words: Callable[[float], str],
) -> str:
    if lead_median is None:
        return f"Too few reviews by {lead} in the window ({lead_n}) to judge pickup time."
    if team_median is None:
        return (
            f"{lead}'s median pickup is {in_words(lead_median)} "
            "(too few reviews by others to compare)."
        )
    return (
        f"{lead}'s median pickup is {in_words(lead_median)}, "
        f"against {in_words(team_median)} for the team's other reviewers."
    )


class ReviewQueue(FindingKind[ReviewQueueMetrics]):
    kind = KIND
    description = "PRs waiting on the lead's review; pickup time against the team"
    order = 0
    trends = (
        TrendMetric(
            "lead_median_pickup_hours",
            "the lead's median pickup",
            lambda m: m.lead_median_pickup_hours,
            working_hours=True,
            samples=lambda m: m.lead_pickups,
        ),
        TrendMetric(
            "review_queue", "PRs waiting on the lead's review", lambda m: m.pending, absent=0
        ),
    )
    settings = (
        Setting(
            "review_wait_warn_days",
            1.0,
            "working days a PR may wait before a warning",
            hours_key="review_wait_warn_hours",
        ),
        Setting(
            "review_wait_high_days",
            3.0,
            "working days of waiting that make it HIGH",
            hours_key="review_wait_high_hours",
        ),
        Setting("review_queue_warn", 3, "PRs waiting on the lead that warn"),
        Setting("review_queue_high", 6, "PRs waiting on the lead that make it HIGH"),
        MIN_SAMPLES,
    )
    gates = (
        Gate(
            "max_review_queue",
            "PRs waiting on the lead's review",
            lambda m: m.pending,
            lambda v, m: f"{v:g} {plural(v, 'PR waits', 'PRs wait')} on the lead's review",
        ),
        Gate(
            "max_review_wait_days",
            "longest wait for the lead's review, in working days",
            lambda m: m.oldest_waiting_days,
            lambda v, m: (
                f"the oldest PR has waited {v:g} working {plural(v, 'day', 'days')} "
                "for the lead's review"
            ),
            hours_key="max_review_wait_hours",
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[ReviewQueueMetrics]]:
        return analyze(ctx)

    def actions(
        self, finding: Finding[ReviewQueueMetrics], ctx: AnalysisContext
    ) -> Iterable[ActionCandidate]:
        high = ctx.thresholds["review_wait_high_days"]
        for w in finding.metrics.waiting:
            # Nobody away counts as waiting: a PR whose author is on leave is no hurry.
            at_work = bool(w.author) and not ctx.is_away(w.author or "")
            who = f"{ctx.name(w.author)} {w.waited()}" if at_work else "its author is away"
            text = f"Review {w.pr} yourself: nobody else has worked on its code, and {who}"
            action = Action(0, "review", text, findings=[finding.id], people_unblocked=int(at_work))
            overdue = at_work and (w.waiting_days or 0.0) >= high
            yield ActionCandidate(
                action,
                w.pr,
                (w.waiting_days or 0.0) if at_work else 0.0,
                order=3,
                tier=TIER_OVERDUE_REVIEW if overdue else TIER_REST,
            )

    def pr_notes(self, finding: Finding[ReviewQueueMetrics], pr: PullRequestView) -> Iterable[str]:
        for w in finding.metrics.waiting:
            if w.pr == pr.ref:
                yield f"{pr.name(w.author)} {w.waited()} for {pr.lead}'s review."


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(ReviewQueue())
