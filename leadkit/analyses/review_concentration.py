"""``review-concentration``: how much of the team's review goes through the lead alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from leadkit import hookimpl
from leadkit.analysis import AnalysisContext, area_label, parent_dir
from leadkit.findings import Finding, ItemRef

KIND = "review-concentration"


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "path": self.path,
            "area": self.area,
            "label": self.label,
            "pr_count": len(self.prs),
            "prs": list(self.prs),
        }


def sole_reviewer_areas(ctx: AnalysisContext) -> list[LeadOnlyArea]:
    """Lead-only areas, each at the depth where ownership differs.

    An area is lead-only when the lead is the only reviewer ever seen in it,
    it has at least ``bus_factor_min_prs`` merged PRs that were reviewed, and
    its parent directory has other reviewers: the deepest folder still shared
    sits above it. Anyone else reviewing anything in a folder rules it out.
    """
    minimum = int(ctx.thresholds["bus_factor_min_prs"])
    tree = ctx.code_tree
    out = []
    for (repo, path), node in sorted(tree.items()):
        if node.reviewers != {ctx.lead} or len(node.merged_reviewed) < minimum:
            continue
        if path and not (tree[(repo, parent_dir(path))].reviewers - {ctx.lead}):
            continue  # the parent is the lead's alone too: it is the area, not this folder
        out.append(LeadOnlyArea(repo, path, tuple(sorted(node.merged_reviewed))))
    return out


def analyze(ctx: AnalysisContext) -> Iterator[Finding]:
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
        metrics={
            "merged_by_others": len(merged),
            "reviewed_by_lead": len(reviewed),
            "reviewed_by_others": len(by_others),
            "lead_review_share": round(share, 3),
            "sole_approver": len(sole),
            "sole_approver_share": round(sole_share, 3),
            "merged_prs": [r.ref for r in merged],
            "sole_reviewer_areas": [a.as_dict() for a in areas],
            "reviews_by_reviewer": dict(sorted(per_reviewer.items())),
        },
        lead_hours=float(len(reviewed)) * 0.5,
    )


@hookimpl
def register_analyses(register) -> None:  # type: ignore[no-untyped-def]
    register(
        KIND, analyze, description="share of merged PRs only the lead reviewed; bus-factor-1 areas"
    )
