"""``review-ownership``: a second owner for each code area only the lead reviews.

The lasting fix for "only the lead reviews X" is a second reviewer of X. For
each lead-only area (review-concentration's :func:`sole_reviewer_areas`) it
names the one or two members best placed to review there too: those who wrote
most of its merged PRs in the history (weighted by recency), at work, with room
(not away, their own work not quiet or stalled, one more thing would not take them to
twice the team's median load: the delegation kind's :class:`People`). Each is a ``co-review`` action, and the
finding carries the CODEOWNERS line that makes it so (the same syntax on GitHub
and GitLab: ``/pipeline/ @jrivera-dev @ohart``); ``leadkit owners --suggest``
prints them as a patch against the repository's file, never writing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import TIER_GROWTH, ActionCandidate, FindingKind
from leadkit.builtins.kinds.delegation import People
from leadkit.builtins.kinds.review_concentration import LeadOnlyArea, sole_reviewer_areas
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import PER_PERSON, Action, Finding

KIND = "review-ownership"
CO_REVIEWERS = 2
"""At most this many co-reviewers per area: a second owner, not a committee."""


@dataclass
class CoReviewArea:
    """A lead-only area, who could review there too, and the CODEOWNERS line that says so."""

    repo: str
    path: str
    label: str
    co_reviewers: list[str]
    codeowners_line: str
    """``/pipeline/ @lead @member``: GitHub's and GitLab's syntax alike."""
    authored: dict[str, int] = field(metadata=PER_PERSON)
    """Per co-reviewer, their merged PRs in the area in the history: the lead's audience only."""


@dataclass
class ReviewOwnershipMetrics:
    areas: list[CoReviewArea]


def handle(ctx: AnalysisContext, person: str) -> str:
    """``@login`` on a code host (GitHub, GitLab), else the person's id."""
    known = ctx.people.get(person)
    for account in known.accounts if known else ():
        if account.tracker in ("github", "gitlab") and account.login:
            return f"@{account.login}"
    return f"@{person}"


def codeowners_pattern(area: LeadOnlyArea) -> str:
    """The area as a CODEOWNERS pattern anchored at the root: ``/pipeline/``, ``*`` for all."""
    return f"/{area.path}" if area.path else "*"


def authors_in(ctx: AnalysisContext, area: LeadOnlyArea) -> Counter[str]:
    """Members' merged PRs touching the area in the history, each weighted by recency."""
    out: Counter[str] = Counter()
    for review in ctx.dataset.reviews:
        if review.repo != area.repo or review.merged is None or review.author == ctx.lead:
            continue
        if review.author not in ctx.members or ctx.history_time(review) is None:
            continue
        prefix = f"{area.repo}:{area.path or '/'}"
        if any(ctx.code_area(review.repo, p).startswith(prefix) for p in review.paths):
            out[review.author] += 1
    return out


def analyze(ctx: AnalysisContext) -> Iterator[Finding[ReviewOwnershipMetrics]]:
    areas = sole_reviewer_areas(ctx)
    if not areas:
        return
    people = People(ctx)
    found: list[CoReviewArea] = []
    for area in areas:
        wrote = authors_in(ctx, area)
        fit = [
            p
            for p in sorted(wrote, key=lambda p: (-wrote[p], p))
            if p not in people.unavailable and not people.overloaded(p)
        ][:CO_REVIEWERS]
        if not fit:
            continue
        owners = " ".join(handle(ctx, p) for p in (ctx.lead, *fit))
        found.append(
            CoReviewArea(
                area.repo,
                area.path,
                area.label,
                fit,
                f"{codeowners_pattern(area)} {owners}",
                {p: wrote[p] for p in fit},
            )
        )
    if not found:
        return
    names = "; ".join(
        f"{a.label}: {' and '.join(ctx.name(p) for p in a.co_reviewers)}" for a in found
    )
    yield Finding(
        KIND,
        "info",
        f"Only {ctx.name(ctx.lead)} reviews {len(found)} code "
        f"area{'s' if len(found) != 1 else ''}; who wrote most of it could review it too "
        f"({names}).",
        people=[ctx.lead, *sorted({p for a in found for p in a.co_reviewers})],
        metrics=ReviewOwnershipMetrics(found),
    )


class ReviewOwnership(FindingKind[ReviewOwnershipMetrics]):
    kind = KIND
    description = (
        "a second reviewer for each code area only the lead reviews, and its CODEOWNERS line"
    )
    order = 9
    acts_on_info = True  # a lasting fix, never an alarm

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[ReviewOwnershipMetrics]]:
        return analyze(ctx)

    def actions(
        self, finding: Finding[ReviewOwnershipMetrics], ctx: AnalysisContext
    ) -> Iterable[ActionCandidate]:
        for a in finding.metrics.areas:
            who = " and ".join(ctx.name(p) for p in a.co_reviewers)
            two = len(a.co_reviewers) > 1
            head = f"Make {who} {'co-reviewers' if two else 'a co-reviewer'} of {a.label}"
            wrote = " and ".join(str(a.authored[p]) for p in a.co_reviewers)
            room = "have room" if two else "has room"
            tail = f"; add '{a.codeowners_line}' to CODEOWNERS"
            action = Action(
                0,
                "co-review",
                f"{head}: wrote {wrote} of its merged PRs in the history and {room}{tail}",
                findings=[finding.id],
                lead_hours_estimated=True,
                shared=f"{head}: wrote much of its code and {room}{tail}",
            )
            yield ActionCandidate(action, f"co-review:{a.repo}:{a.path}", order=9, tier=TIER_GROWTH)


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(ReviewOwnership())
