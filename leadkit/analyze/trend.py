"""Trends: a team's key numbers against the previous window, and week by week.

Each finding kind declares the numbers it tracks (:class:`TrendMetric`); here
they are read from the report's findings, and from the same kinds run again
on the data as it stood at the end of an earlier window (:func:`as_of`): the
previous window of the same length, and, for the HTML sparklines, a window of
the same length ending at each of the last :data:`WEEKS` weeks. Nothing here
names a kind.

A value that rests on too few samples (under ``[thresholds] min_samples``, or
a finding the kind could not compute) is None, never a number; so is any
window that starts before the data's look-back, which does not cover it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import FindingKind, Kinds, TrendMetric, run_kind
from leadkit.config import Config, TeamConfig
from leadkit.errors import PLUGIN_ERRORS, LeadkitError
from leadkit.model.data import Dataset, Review, StatusCategory, Window, WorkItem
from leadkit.model.findings import Finding
from leadkit.model.report import Trend
from leadkit.timeutil import wait_text

WEEKS = 12
"""How many weekly points a sparkline has (the last one is the report's own window)."""
MIN_WEEKS = 6
"""Fewest weekly points with data before a sparkline is drawn."""
NOT_KNOWN = "too little data"

T = TypeVar("T")


def previous_window(window: Window) -> Window:
    """The window of the same length that ends where ``window`` starts (same look-back).

    Its trend values are None when the look-back does not reach its start.
    """
    start = window.start - (window.end - window.start)
    return Window(start=start, end=window.start, history_start=min(window.history_start, start))


def _before(times: Iterable[T], when: datetime, at: Callable[[T], datetime]) -> tuple[T, ...]:
    return tuple(t for t in times if at(t) <= when)


def _item_as_of(item: WorkItem, when: datetime) -> WorkItem:
    """``item`` as it stood at ``when``: status, assignee, comments and resolution then."""
    done = _before(item.transitions, when, lambda t: t.at)
    later = [t for t in item.transitions if t.at > when]
    status, category = item.status, item.status_category
    if done:
        status = done[-1].to_status
        category = done[-1].to_category or _category_of(item, status)
    elif later:
        status = later[0].from_status or status
        category = _category_of(item, status, default="todo")
    assignee = item.assignee
    given = _before(item.assignments, when, lambda a: a.at)
    if given:
        assignee = given[-1].to
    elif item.assignments:
        assignee = item.assignments[0].from_
    resolved = item.resolved if item.resolved is not None and item.resolved <= when else None
    return replace(
        item,
        status=status,
        status_category=category,
        assignee=assignee,
        resolved=resolved if category == "done" else None,
        updated=min(item.updated, when),
        transitions=done,
        assignments=given,
        comments=_before(item.comments, when, lambda c: c.at),
    )


def _category_of(
    item: WorkItem, status: str, default: StatusCategory = "in_progress"
) -> StatusCategory:
    """The category a status name had in the item's own history, else ``default``."""
    if status == item.status:
        return item.status_category
    for t in item.transitions:
        if t.to_status == status and t.to_category is not None:
            return t.to_category
    return default


def _review_as_of(review: Review, when: datetime) -> Review:
    """``review`` as it stood at ``when``: open or not, the requests and reviews made by then."""
    requests = tuple(
        r if r.removed is None or r.removed <= when else replace(r, removed=None)
        for r in review.review_requests
        if r.requested is None or r.requested <= when
    )
    return replace(
        review,
        updated=min(review.updated, when),
        merged=review.merged if review.merged is not None and review.merged <= when else None,
        closed=review.closed if review.closed is not None and review.closed <= when else None,
        last_pushed=(
            review.last_pushed
            if review.last_pushed is not None and review.last_pushed <= when
            else None
        ),
        review_requests=requests,
        reviews=_before(review.reviews, when, lambda s: s.at),
        comments=_before(review.comments, when, lambda c: c.at),
    )


def as_of(dataset: Dataset, window: Window) -> Dataset:
    """The dataset as it stood at ``window.end``, over ``window``.

    Items and PRs created later are left out; the others are rewound (status
    from the transitions, assignee from the assignments, a PR open until it
    was merged or closed, only the requests, reviews and comments made by
    then). Anything not updated since is kept as it is. Links carry no time,
    so they are kept.
    """
    when = window.end
    items = [
        item if item.updated <= when else _item_as_of(item, when)
        for item in dataset.work_items
        if item.created <= when
    ]
    reviews = [
        review if review.updated <= when else _review_as_of(review, when)
        for review in dataset.reviews
        if review.created <= when
    ]
    return replace(dataset, window=window, work_items=items, reviews=reviews)


@dataclass
class WindowRun:
    """Kinds' findings in one window for one team (``ran``: the kinds that did not fail)."""

    findings: list[Finding[Any]]
    ran: set[str]


def _run(
    dataset: Dataset,
    config: Config,
    team: TeamConfig,
    thresholds: dict[str, float],
    kinds: Sequence[FindingKind[Any]],
    strict: bool,
) -> WindowRun:
    context = AnalysisContext(dataset, config, team, thresholds)
    findings: list[Finding[Any]] = []
    ran: set[str] = set()
    for kind in kinds:
        try:
            results = run_kind(kind, context)
        except LeadkitError:
            raise
        except PLUGIN_ERRORS:
            if strict:
                raise
            continue  # the report's own run says why this kind failed
        ran.add(kind.kind)
        findings.extend(r for r in results if isinstance(r, Finding))
    return WindowRun(findings, ran)


def value_of(
    kind: FindingKind[Any], metric: TrendMetric[Any], run: WindowRun, min_samples: float
) -> float | None:
    """The metric in one window's run, or None when that run cannot say."""
    if kind.kind not in run.ran:
        return None
    finding = next((f for f in run.findings if f.kind == kind.kind), None)
    if finding is None:
        return None if metric.absent is None else _plain(metric.absent)
    if not finding.computed:
        return None
    if metric.samples is not None and metric.samples(finding.metrics) < min_samples:
        return None
    value = metric.value(finding.metrics)
    return None if value is None else _plain(value)


def _plain(value: float) -> float:
    """Rounded for a stable JSON; a whole number as an int (``3``, not ``3.0``)."""
    rounded = round(float(value), 4)
    return int(rounded) if rounded.is_integer() else rounded


def _shown(show: Callable[[float], str], value: float | None) -> str:
    return NOT_KNOWN if value is None else show(value)


def _show(metric: TrendMetric[Any], team: TeamConfig) -> Callable[[float], str]:
    """How the trend line prints the metric's values; a wait in the team's working days."""
    if metric.working_hours:
        return lambda hours: wait_text(hours, hours / team.day_hours)
    return metric.show


def team_trends(
    dataset: Dataset,
    config: Config,
    team: TeamConfig,
    thresholds: dict[str, float],
    kinds: Kinds,
    now: WindowRun,
    *,
    weeks: int = 0,
    strict: bool = False,
) -> tuple[list[Trend], str]:
    """The team's trend metrics, now and in the previous window; with ``weeks``, week by week.

    ``now`` is the report's own run for this team. Returns the trends and, when
    weekly points were asked for but too few weeks have data, why no
    sparkline is drawn.
    """
    declared = kinds.trends()
    if not declared:
        return [], ""
    trend_kinds = list(dict.fromkeys(kind for kind, _ in declared))
    min_samples = thresholds.get("min_samples", 0.0)
    window = dataset.window

    length = window.end - window.start

    def run_to(end: datetime) -> WindowRun | None:
        """The kinds over the window of the report's length that ends at ``end``."""
        if end - length < window.history_start:
            return None  # the data does not reach back that far
        w = Window(end - length, end, window.history_start)
        return _run(as_of(dataset, w), config, team, thresholds, trend_kinds, strict)

    previous = run_to(window.start)
    weekly = [run_to(window.end - timedelta(weeks=back)) for back in range(weeks - 1, 0, -1)]
    if weeks:
        weekly.append(now)
    trends: list[Trend] = []
    for kind, metric in declared:
        current = value_of(kind, metric, now, min_samples)
        before = value_of(kind, metric, previous, min_samples) if previous else None
        points = [value_of(kind, metric, r, min_samples) if r else None for r in weekly]
        show = _show(metric, team)
        trends.append(
            Trend(
                metric.metric,
                kind.kind,
                metric.label,
                current,
                before,
                shown_now=_shown(show, current),
                shown_previous=_shown(show, before),
                weekly=points,
                weekly_shown=["n/a" if p is None else show(p) for p in points],
            )
        )
    note = ""
    if weeks:
        covered = sum(1 for r in weekly if r is not None)
        if covered < MIN_WEEKS:
            note = (
                f"No weekly trend lines: the data covers {covered} of the last {weeks} weeks "
                f"(each a {length.days}-day window; {MIN_WEEKS} needed). A longer "
                "[analysis] history_days, or a store synced for longer, gives them."
            )
            for trend in trends:
                trend.weekly, trend.weekly_shown = [], []
    return trends, note
