"""``lead-wip``: the lead's open load against the team median."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import FindingKind, Gate, Setting, TrendMetric, number
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import Finding, ItemRef, Severity

KIND = "lead-wip"


@dataclass
class LeadWipMetrics:
    lead_open: int
    in_progress: int
    open_prs: int
    pending_reviews: int
    team_median: float
    ratio: float | None
    """The lead's open load over the team median; None when the rest hold nothing."""
    members_compared: int


def analyze(ctx: AnalysisContext) -> Iterator[Finding[LeadWipMetrics]]:
    lead = ctx.name(ctx.lead)
    if not ctx.members:
        yield Finding.not_computed(
            KIND,
            f"{lead} is the only person on the team, so there is no team load to compare with.",
        )
        return
    load = ctx.open_load(ctx.lead)
    total = ctx.load_count(ctx.lead)
    team_median = ctx.team_median_load or 0.0
    if total == 0:
        return
    ratio = total / team_median if team_median else None
    t = ctx.thresholds
    severity: Severity
    if ratio is None:
        # Nobody else holds anything: more likely their work is not in the data than
        # a real imbalance, so it is worth saying but not worth an alarm.
        severity = "info"
    elif ratio >= t["wip_ratio_warn"]:
        # A load held against the team is a pattern to work down: it warns, never HIGH.
        severity = "warn"
    else:
        severity = "info"
    parts = (
        f"{_count(len(load['items']), 'item')} in progress, {_count(len(load['prs']), 'open PR')}, "
        f"{_count(len(load['reviews']), 'pending review request')}"
    )
    if ratio is None:
        compare = "while the rest of the team holds none"
    else:
        compare = f"against a team median of {team_median:g} ({ratio:.1f}x)"
    message = f"{lead} holds {_count(total, 'open thing')} ({parts}), {compare}."
    items = []
    for ref in load["items"]:
        item = ctx.items_by_key.get(ref)
        if item:
            items.append(ItemRef.of(item, note="in progress"))
    for ref in load["prs"]:
        items.append(ItemRef.of(ctx.reviews_by_ref[ref], note=f"{lead}'s open PR"))
    for ref in load["reviews"]:
        items.append(ItemRef.of(ctx.reviews_by_ref[ref], note="waiting on " + lead + "'s review"))
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead],
        items=items,
        metrics=LeadWipMetrics(
            lead_open=total,
            in_progress=len(load["items"]),
            open_prs=len(load["prs"]),
            pending_reviews=len(load["reviews"]),
            team_median=team_median,
            ratio=None if ratio is None else round(ratio, 2),
            members_compared=len(ctx.members),
        ),
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


class LeadWip(FindingKind[LeadWipMetrics]):
    kind = KIND
    description = "the lead's open load against the team median"
    order = 6
    trends = (
        TrendMetric(
            "lead_wip_ratio",
            "the lead's WIP against the team median",
            lambda m: m.ratio,
            show=lambda ratio: f"{number(ratio)}x",
        ),
    )
    settings = (Setting("wip_ratio_warn", 2.0, "the lead's load over the team median that warns"),)
    gates = (
        Gate(
            "max_lead_wip_ratio",
            "the lead's open load against the team median",
            lambda m: m.ratio,
            lambda v, m: (
                f"the lead holds {m.lead_open} open things, {v:g}x the team median "
                f"of {m.team_median:g}"
                if m
                else "the lead holds no open work"
            ),
            why_none="the rest of the team holds no open work, so there is no ratio to compare",
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[LeadWipMetrics]]:
        return analyze(ctx)


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(LeadWip())
