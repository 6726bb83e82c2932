"""A plugin finding kind that uses every member a built-in kind can: settings, a gate,
an action, a PR-comment note, a lead-only line, a chart and a trend metric."""

from dataclasses import dataclass

from leadkit import hookimpl
from leadkit.analyze.kinds import (
    TIER_UNBLOCK,
    ActionCandidate,
    FindingKind,
    Gate,
    Setting,
    TrendMetric,
)
from leadkit.model.findings import Action, Finding
from leadkit.model.report import Chart


@dataclass
class OpenPrMetrics:
    open_prs: int
    first: str
    author: str


class OpenPrs(FindingKind[OpenPrMetrics]):
    kind = "open-prs"
    description = "open PRs in the window (a test kind)"
    order = 50
    settings = (Setting("open_prs_warn", 1, "open PRs that warn"),)
    gates = (
        Gate(
            "max_open_prs",
            "open PRs",
            value=lambda m: m.open_prs,
            describe=lambda v, m: f"{v:g} PRs are open",
        ),
    )

    trends = (TrendMetric("open_prs", "open PRs", lambda m: m.open_prs, absent=0),)

    def run(self, context):
        prs = sorted((r for r in context.dataset.reviews if r.is_open), key=lambda r: r.ref)
        if prs:
            warn = len(prs) >= context.thresholds["open_prs_warn"]
            metrics = OpenPrMetrics(len(prs), prs[0].ref, prs[0].author or "")
            yield Finding(self.kind, "warn" if warn else "info", "PRs are open.", metrics=metrics)

    def actions(self, finding, context):
        text = f"Look at {finding.metrics.first} (a test action)"
        action = Action(0, "look", text, people_unblocked=5)
        yield ActionCandidate(action, finding.metrics.first, tier=TIER_UNBLOCK)

    def pr_notes(self, finding, pr):
        if pr.ref == finding.metrics.first:
            yield f"{pr.lead} should look at this one first (a test note)."

    def lead_details(self, finding, name):
        yield f"Opened first by {name(finding.metrics.author)} (lead only)."

    def charts(self, finding, lead):
        chart = Chart("open-prs", f"Open PRs {lead} should see", order=5)
        if not chart.not_drawn(finding, self.kind):
            chart.labels = ["open"]
            chart.series = [("PRs", [finding.metrics.open_prs])]
        return [chart]


@hookimpl
def register_analyses(register):
    register(OpenPrs())
