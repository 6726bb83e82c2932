"""``review-concentration``: how much of the team's review goes through the lead alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from leadkit import hookimpl
from leadkit.analyze.areas import parent_dir
from leadkit.analyze.context import MIN_SAMPLES, AnalysisContext, area_label
from leadkit.analyze.kinds import FindingKind, Gate, Setting, TrendMetric, pct, whole_pct
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import PER_PERSON, Finding, ItemRef, Severity
from leadkit.model.report import Chart

KIND = "review-concentration"
EVERYONE_ELSE = "everyone else"


@dataclass(frozen=True)
class LeadOnlyArea:
    """A directory where only the lead has ever reviewed, with the merged PRs that show it."""

    repo: str
    path: str
    """``services/orders/``; ``""`` when it is the whole repository."""
    prs: tuple[str, ...]

    @property
    def area(self) -> str:
        return f"{self.repo}:{self.path or '/'}"

    @property
    def label(self) -> str:
        return area_label(self.area) if self.path else f"all of {self.repo}"

    def summary(self) -> AreaSummary:
        """Where it is and how many PRs show it."""
        return AreaSummary(self.repo, self.path, self.area, self.label, len(self.prs))

    def entry(self) -> LeadOnlyAreaEntry:
        """As the review-concentration metrics list it: with its PRs."""
        return LeadOnlyAreaEntry(
            self.repo, self.path, self.area, self.label, len(self.prs), list(self.prs)
        )


@dataclass
class AreaSummary:
    repo: str
    path: str
    area: str
    label: str
    pr_count: int


@dataclass
class LeadOnlyAreaEntry(AreaSummary):
    prs: list[str]


@dataclass
class ReviewConcentrationMetrics:
    merged_by_others: int
    reviewed_by_lead: int
    reviewed_by_others: int
    lead_review_share: float
    sole_approver: int
    sole_approver_share: float
    merged_prs: list[str]
    sole_reviewer_areas: list[LeadOnlyAreaEntry]
    reviews_by_reviewer: dict[str, int] = field(metadata=PER_PERSON)
    """How many of the merged PRs each reviewer reviewed: the lead's audience only."""


def sole_reviewer_areas(ctx: AnalysisContext) -> list[LeadOnlyArea]:
    """Lead-only code areas (:meth:`AnalysisContext.code_area`, where work is owned).

    An area is lead-only when the lead is the only reviewer ever seen in it,
    it has at least ``bus_factor_min_prs`` merged PRs that were reviewed, and
    the area above it has other reviewers (else that one is named). Anyone
    else reviewing anything in it rules it out. A folder of units
    (``services/`` over ``services/orders/``) is never one: each unit is named
    on its own; a fixture folder counts as the folder that holds it; the whole
    repository is named when no one else reviews anything in it.
    """
    minimum = int(ctx.thresholds["bus_factor_min_prs"])
    tree = ctx.code_tree
    areas = ctx.area_map
    out = []
    for (repo, path), node in sorted(tree.items()):
        if node.reviewers != {ctx.lead} or len(node.merged_reviewed) < minimum:
            continue
        if not areas.is_area(repo, path):
            continue
        above = parent_dir(path)
        while above and not areas.is_area(repo, above):
            above = parent_dir(above)
        if path and not (tree[(repo, above)].reviewers - {ctx.lead}):
            continue  # the folder above is the lead's alone too: it is the area, not this one
        out.append(LeadOnlyArea(repo, path, tuple(sorted(node.merged_reviewed))))
    return out


def analyze(ctx: AnalysisContext) -> Iterator[Finding[Any]]:
    merged = [
        r
        for r in ctx.dataset.reviews
        if r.merged is not None
        and ctx.start <= r.merged <= ctx.now
        and r.author != ctx.lead
        and ctx.is_person(r.author)  # a bot's PRs are not "others'" work to share
    ]
    merged.sort(key=lambda r: r.ref)
    min_samples = int(ctx.thresholds["min_samples"])
    lead = ctx.name(ctx.lead)
    if len(merged) < min_samples:
        if not merged:
            counted = "No PRs by others were merged in the window"
        elif len(merged) == 1:
            counted = "Only 1 PR by others was merged in the window"
        else:
            counted = f"Only {len(merged)} PRs by others were merged in the window"
        yield Finding.not_computed(
            KIND,
            f"{counted}; too few (under {min_samples}) to judge how reviews are spread.",
        )
        return
    reviewed = [r for r in merged if any(s.by == ctx.lead for s in r.reviews)]
    by_others = [
        r
        for r in merged
        if any(ctx.is_person(s.by) and s.by not in (ctx.lead, r.author) for s in r.reviews)
    ]
    sole = [
        r
        for r in merged
        if {s.by for s in r.reviews if s.state == "approved" and ctx.is_person(s.by)} == {ctx.lead}
    ]
    per_reviewer: Counter[str] = Counter()
    for r in merged:
        for person in {s.by for s in r.reviews if ctx.is_person(s.by) and s.by != r.author}:
            per_reviewer[person] += 1
    areas = sole_reviewer_areas(ctx)
    share = len(reviewed) / len(merged)
    sole_share = len(sole) / len(merged)
    t = ctx.thresholds
    severity: Severity
    # A share over the window is a pattern to change, not something for this week:
    # it warns, however high (HIGH is kept for a person blocked, a PR or a stall overdue).
    if share >= t["lead_review_share_warn"] or sole_share >= t["sole_approver_share_warn"] or areas:
        severity = "warn"
    else:
        severity = "info"
    message = (
        f"{lead} reviewed {len(reviewed)} of the {len(merged)} PRs others merged in the window "
        f"({share:.0%}) and was the only approver of {len(sole)} ({sole_share:.0%})."
    )
    if areas:
        names = ", ".join(a.label for a in areas)
        message += f" {lead} is the only reviewer ever seen on {names}."
    sole_refs = {r.ref for r in sole}
    items = [
        ItemRef.of(
            r, note="only approver: " + lead if r.ref in sole_refs else "reviewed by " + lead
        )
        for r in reviewed
    ]
    yield Finding(
        KIND,
        severity,
        message,
        people=[ctx.lead],
        items=items,
        metrics=ReviewConcentrationMetrics(
            merged_by_others=len(merged),
            reviewed_by_lead=len(reviewed),
            reviewed_by_others=len(by_others),
            lead_review_share=round(share, 3),
            sole_approver=len(sole),
            sole_approver_share=round(sole_share, 3),
            merged_prs=[r.ref for r in merged],
            sole_reviewer_areas=[a.entry() for a in areas],
            reviews_by_reviewer=dict(sorted(per_reviewer.items())),
        ),
    )


class ReviewConcentration(FindingKind[ReviewConcentrationMetrics]):
    kind = KIND
    description = "share of merged PRs only the lead reviewed; bus-factor-1 areas"
    order = 1
    trends = (
        TrendMetric(
            "lead_review_share",
            "the lead's review share",
            lambda m: m.lead_review_share,
            show=whole_pct,
            samples=lambda m: m.merged_by_others,
        ),
    )
    settings = (
        Setting(
            "lead_review_share_warn",
            0.5,
            "share of others' merged PRs the lead reviewed that warns",
        ),
        Setting(
            "sole_approver_share_warn",
            0.4,
            "share of others' merged PRs the lead alone approved that warns",
        ),
        Setting("bus_factor_min_prs", 3, "merged PRs before a lead-only area is reported"),
        MIN_SAMPLES,
    )
    gates = (
        Gate(
            "max_lead_review_share",
            "share of others' merged PRs the lead reviewed",
            lambda m: m.lead_review_share,
            lambda v, m: (
                f"the lead reviewed {pct(v)} of the PRs others merged "
                f"({m.reviewed_by_lead if m else 0} of {m.merged_by_others if m else 0})"
            ),
            share=True,
            absent=None,
        ),
        Gate(
            "max_sole_approver_share",
            "share of others' merged PRs the lead alone approved",
            lambda m: m.sole_approver_share,
            lambda v, m: (
                f"the lead alone approved {pct(v)} of the PRs others merged "
                f"({m.sole_approver if m else 0} of {m.merged_by_others if m else 0})"
            ),
            share=True,
            absent=None,
        ),
    )

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[Any]]:
        return analyze(ctx)

    def charts(
        self, finding: Finding[ReviewConcentrationMetrics] | None, lead: str
    ) -> Iterable[Chart]:
        """How many of others' merged PRs the lead reviewed, against everyone else together.

        Never a bar per named reviewer: the chart is about the lead, not a ranking.
        """
        chart = Chart(
            "review-share",
            "Reviews of others' merged PRs: the lead and everyone else",
            shape="bars",
            label_header="who",
            order=1,
        )
        if chart.not_drawn(finding, KIND) or finding is None:
            return [chart]
        m = finding.metrics
        if not m.reviewed_by_lead and not m.reviewed_by_others:
            chart.missing = "Not drawn: nobody reviewed the PRs others merged in the window."
            return [chart]
        chart.labels = [lead, EVERYONE_ELSE]
        chart.series = [("PRs reviewed", [m.reviewed_by_lead, m.reviewed_by_others])]
        chart.total = m.merged_by_others or None
        if chart.total:
            chart.caption = (
                f"Out of {chart.total} PRs others merged in the window; "
                "a PR reviewed by both counts in both bars."
            )
        return [chart]


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(ReviewConcentration())
