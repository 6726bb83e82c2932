"""``lead-time``: where the lead's time went, in estimated working hours, and what their own
work got against the previous window.

It counts the lead's actions as ``interrupt-load`` classifies them (one
classification: :func:`leadkit.builtins.kinds.interrupt_load.lead_actions`) and turns
them into hours as the delegation estimates do: each day the lead was active on an
item or one of their own PRs is :data:`HOURS_PER_ACTIVE_DAY`, each question answered
:data:`HOURS_PER_ANSWER`, and each PR reviewed the lead's own review time per PR
(:func:`leadkit.builtins.kinds.delegation.review_hours`: from the lead's history where
there is enough, else a labelled default). How the hours were estimated is said once,
in the finding. The opportunity cost is one sentence: "your own work got 15% of your
time, down from 30%".

Everything here is about the lead, never a colleague: the team's report keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import FindingKind, Gate, Setting, TrendMetric, pct, whole_pct
from leadkit.builtins.kinds.delegation import HOURS_PER_ACTIVE_DAY, HOURS_PER_ANSWER, review_hours
from leadkit.builtins.kinds.interrupt_load import (
    CATEGORIES,
    MIN_ACTIVITY,
    LeadAction,
    lead_actions,
    whole_shares,
)
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import WHOLE, Finding, Severity

KIND = "lead-time"
WORDS = {
    "own": "your own work",
    "reviewing": "reviewing",
    "others": "others' items",
    "reactive": "reactive work",
    "answering": "answering questions",
}
"""Each category of :data:`~leadkit.builtins.kinds.interrupt_load.CATEGORIES` in words."""


@dataclass
class TimePart:
    category: str
    """One of ``own``, ``reviewing``, ``others``, ``reactive``, ``answering``."""
    hours: float
    """Estimated working hours in the window."""
    share: float
    """``hours`` over every category's hours."""
    previous_share: float | None
    """The share in the previous window; None when that window has too little data."""


@dataclass
class LeadTimeMetrics:
    hours: float
    """Every category's estimated working hours added up."""
    own_share: float
    """The lead's own work over all of it: what ``min_own_work_share`` bounds."""
    previous_own_share: float | None
    parts: list[TimePart] = field(metadata=WHOLE)
    """The five categories, in :data:`CATEGORIES` order."""
    basis: str
    """How the hours were estimated, in words."""
    estimated: bool
    """True when the review hours are a default, not the lead's own history."""
    activity: int
    """The lead's actions counted (as ``interrupt-load`` counts them)."""


@dataclass(frozen=True)
class Split:
    """Estimated hours per category from one window's actions."""

    hours: dict[str, float]
    activity: int

    @property
    def total(self) -> float:
        return sum(self.hours.values())

    def share(self, category: str) -> float:
        return self.hours[category] / self.total if self.total else 0.0


def split(ctx: AnalysisContext, actions: list[LeadAction], per_review: float) -> Split:
    """Hours per category: active days on items and own PRs, questions answered, PRs reviewed."""
    days: dict[str, set[tuple[str, object]]] = {c: set() for c in CATEGORIES}
    answers = 0
    for a in actions:
        if a.category == "answering":
            answers += 1
        elif a.category == "reviewing":
            days[a.category].add((a.target, None))  # one PR reviewed, however many rounds
        else:
            days[a.category].add((a.target, a.at.astimezone(ctx.tz).date()))
    hours = {c: len(days[c]) * HOURS_PER_ACTIVE_DAY for c in ("own", "others", "reactive")}
    hours["reviewing"] = len(days["reviewing"]) * per_review
    hours["answering"] = answers * HOURS_PER_ANSWER
    return Split({c: hours[c] for c in CATEGORIES}, len(actions))


def previous_split(ctx: AnalysisContext, per_review: float) -> Split | None:
    """The same split for the previous window, None when it has too little data."""
    before = ctx.previous
    if before is None:
        return None
    actions = lead_actions(before)
    if len(actions) < ctx.thresholds["min_activity"]:
        return None
    return split(before, actions, per_review)


def analyze(ctx: AnalysisContext) -> Iterator[Finding[LeadTimeMetrics]]:
    lead = ctx.name(ctx.lead)
    actions = lead_actions(ctx)
    minimum = int(ctx.thresholds["min_activity"])
    if len(actions) < minimum:
        yield Finding.not_computed(
            KIND,
            f"{lead} has {len(actions)} recorded actions in the window; too few (under "
            f"{minimum}) to say where {lead}'s time went.",
        )
        return
    review = review_hours(ctx)
    now = split(ctx, actions, review.value)
    before = previous_split(ctx, review.value)
    own = now.share("own")
    was = before.share("own") if before else None
    severity: Severity = "warn" if own < ctx.thresholds["own_work_share_warn"] else "info"
    order = sorted(CATEGORIES, key=lambda c: (-now.hours[c], CATEGORIES.index(c)))
    tenths = [round(now.hours[c] * 10) for c in CATEGORIES]
    shown = dict(zip(CATEGORIES, whole_shares(tenths, sum(tenths)), strict=True))
    parts = ", ".join(f"{WORDS[c]} {_h(now.hours[c])} ({shown[c]}%)" for c in order if now.hours[c])
    basis = (
        f"{HOURS_PER_ACTIVE_DAY:g} h per day active on an item or own PR, "
        f"{HOURS_PER_ANSWER:g} h per answer, {review.value:g} h per PR reviewed ({review.basis})"
    )
    message = (
        f"{lead}'s time in the window, about {_h(now.total)} of working time: {parts}. "
        f"{opportunity(own, was)}. Hours are estimated: {basis}."
    )
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead],
        metrics=LeadTimeMetrics(
            hours=round(now.total, 1),
            own_share=round(own, 3),
            previous_own_share=None if was is None else round(was, 3),
            parts=[
                TimePart(
                    c,
                    round(now.hours[c], 1),
                    round(now.share(c), 3),
                    None if before is None else round(before.share(c), 3),
                )
                for c in CATEGORIES
            ],
            basis=basis,
            estimated=review.estimated,
            activity=now.activity,
        ),
    )


def opportunity(own: float, was: float | None) -> str:
    """``Your own work got 15% of your time, down from 30%``: the opportunity cost."""
    text = f"Your own work got {whole_pct(own)} of your time"
    if was is None:
        return text + " (the previous window has too little data to compare)"
    if whole_pct(own) == whole_pct(was):
        return text + ", as in the previous window"
    return text + f", {'down' if own < was else 'up'} from {whole_pct(was)}"


def _h(hours: float) -> str:
    return f"{hours:.1f}".removesuffix(".0") + " h"


class LeadTime(FindingKind[LeadTimeMetrics]):
    kind = KIND
    description = (
        "where the lead's time went, in estimated working hours, and what their own work got "
        "against the previous window"
    )
    order = 5
    trends = (
        TrendMetric(
            "own_work_share",
            "the lead's own-work share of their time",
            lambda m: m.own_share,
            show=whole_pct,
            samples=lambda m: m.activity,
        ),
    )
    settings = (
        Setting(
            "own_work_share_warn",
            0.2,
            "share of the lead's estimated time on their own work under which lead-time warns",
        ),
        MIN_ACTIVITY,
    )
    gates = (
        Gate(
            "min_own_work_share",
            "share of the lead's estimated time on their own work (a lower bound)",
            lambda m: m.own_share,
            lambda v, m: f"the lead's own work got {pct(v)} of their estimated time",
            share=True,
            absent=None,
            minimum=True,
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[LeadTimeMetrics]]:
        return analyze(ctx)


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(LeadTime())
