"""``review-concentration``: how much of the team's review goes through the lead alone."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from leadkit import hookimpl
from leadkit.analysis import AnalysisContext, area_label, path_area
from leadkit.findings import Finding, ItemRef

KIND = "review-concentration"


def sole_reviewer_areas(ctx: AnalysisContext) -> dict[str, list[str]]:
    """Code areas whose only reviewer seen in the history is the lead, with their PRs."""
    reviewers: dict[str, set[str]] = defaultdict(set)
    prs: dict[str, list[str]] = defaultdict(list)
    for review in ctx.dataset.reviews:
        if review.created < ctx.history_start:
            continue
        who = {s.by for s in review.reviews if s.by and s.by != review.author}
        if not who:
            continue
        for area in {path_area(review.repo, p) for p in review.paths}:
            reviewers[area].update(who)
            prs[area].append(review.ref)
    minimum = int(ctx.thresholds["bus_factor_min_prs"])
    return {
        area: sorted(prs[area])
        for area, people in sorted(reviewers.items())
        if people == {ctx.lead} and len(prs[area]) >= minimum
    }


def analyze(ctx: AnalysisContext) -> Iterator[Finding]:
    merged = [
        r
        for r in ctx.dataset.reviews
        if r.merged is not None and ctx.start <= r.merged <= ctx.now and r.author != ctx.lead
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
    sole = [r for r in merged if {s.by for s in r.reviews if s.state == "approved"} == {ctx.lead}]
    per_reviewer: Counter[str] = Counter()
    for r in merged:
        for person in {s.by for s in r.reviews if s.by and s.by != r.author}:
            per_reviewer[person] += 1
    areas = sole_reviewer_areas(ctx)
    share = len(reviewed) / len(merged)
    sole_share = len(sole) / len(merged)
    t = ctx.thresholds
    if share >= t["lead_review_share_high"]:
        severity = "high"
    elif (
        share >= t["lead_review_share_warn"] or sole_share >= t["sole_approver_share_warn"] or areas
    ):
        severity = "warn"
    else:
        severity = "info"
    message = (
        f"{lead} reviewed {len(reviewed)} of the {len(merged)} PRs others merged in the window "
        f"({share:.0%}) and was the only approver of {len(sole)} ({sole_share:.0%})."
    )
    if areas:
        names = ", ".join(area_label(a) for a in areas)
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
            "lead_review_share": round(share, 3),
            "sole_approver": len(sole),
            "sole_approver_share": round(sole_share, 3),
            "merged_prs": [r.ref for r in merged],
            "sole_reviewer_areas": [
                {"area": a, "label": area_label(a), "prs": refs} for a, refs in areas.items()
            ],
            "reviews_by_reviewer": dict(sorted(per_reviewer.items())),
        },
        lead_hours=float(len(reviewed)) * 0.5,
    )


@hookimpl
def register_analyses(register) -> None:  # type: ignore[no-untyped-def]
    register(
        KIND, analyze, description="share of merged PRs only the lead reviewed; bus-factor-1 areas"
    )
