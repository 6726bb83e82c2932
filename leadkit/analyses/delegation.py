"""Delegation suggestions: what the lead holds that someone else could take, and who.

For each open item the lead holds (an assigned ticket, a pending review of
someone else's PR) that the rules allow to delegate, candidates are the
team's members other than the lead (never the PR's author, never someone
away) scored on three visible parts:

- familiarity: their past items, PRs and reviews in the same components,
  labels, repos and code areas, weighted by recency;
- capacity: their open load against the team median;
- growth: the item matches a growth goal they named in config.

Questions the lead keeps answering on a topic where a member already answers
too become a suggestion to let that member field them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from leadkit import hookimpl
from leadkit.analysis import AnalysisContext, area_label, median, tokens
from leadkit.findings import ItemRef, Suggestion
from leadkit.model import Review, WorkItem

KIND = "delegation"
WEIGHTS = {"familiarity": 0.5, "capacity": 0.3, "growth": 0.2}
MIN_SCORE = 0.2
HOURS_PER_ACTIVE_DAY = 2.0
HOURS_PER_REVIEW_ACTION = 0.5
HOURS_PER_ANSWER = 0.5
DEFAULT_ITEM_HOURS = {
    "test": 6.0,
    "bug": 4.0,
    "ops": 3.0,
    "chore": 3.0,
    "support": 2.0,
    "docs": 2.0,
}


@dataclass(frozen=True)
class Candidate:
    person: str
    familiarity: float
    capacity: float
    growth: float
    best_area: str | None
    best_count: int
    goal: str | None

    @property
    def score(self) -> float:
        return (
            WEIGHTS["familiarity"] * self.familiarity
            + WEIGHTS["capacity"] * self.capacity
            + WEIGHTS["growth"] * self.growth
        )


def capacity(ctx: AnalysisContext, person: str) -> float:
    """1.0 with nothing open, 0.5 at the team median, 0 at twice the median or more."""
    team_median = max(ctx.team_median_load or 0.0, 1.0)
    return max(0.0, 1.0 - ctx.load_count(person) / (2.0 * team_median))


def growth_match(ctx: AnalysisContext, person: str, words: set[str]) -> str | None:
    pc = ctx.person_config(person)
    for goal in pc.growth if pc else ():
        if tokens(goal) & words:
            return goal
    return None


BROAD_AREA_WEIGHT = 0.25
"""A repo or project is weak evidence: everyone on a one-repo team has touched it."""


def candidates(
    ctx: AnalysisContext,
    areas: set[str],
    words: set[str],
    exclude: set[str],
    *,
    need_paths: bool = False,
) -> list[Candidate]:
    """Eligible members ranked by score (stable on ties).

    With ``need_paths`` (reviews), familiarity must come from the PR's own
    code areas: a reviewer who never authored or reviewed there is not
    suggested unless the work matches their growth goal.
    """
    days = ctx.thresholds["away_days"]
    out = []
    for person in ctx.members:
        if person in exclude or person == ctx.lead or ctx.is_away(person, days):
            continue
        touches = ctx.touches.get(person)
        weight = 0.0
        best_area, best_count = None, 0
        path_weight = 0.0
        if touches is not None:
            for area in sorted(areas, key=_area_rank):
                kind = area.split(":")[0]
                scale = BROAD_AREA_WEIGHT if kind in ("repo", "project") else 1.0
                weight = max(weight, scale * touches.weights.get(area, 0.0))
                if kind == "path":
                    path_weight = max(path_weight, touches.weights.get(area, 0.0))
                count = touches.counts.get(area, 0)
                if count and (best_area is None or _better(area, count, best_area, best_count)):
                    best_area, best_count = area, count
        familiarity = 1.0 - math.pow(0.5, weight / 3.0)
        goal = growth_match(ctx, person, words)
        candidate = Candidate(
            person,
            familiarity,
            capacity(ctx, person),
            1.0 if goal else 0.0,
            best_area,
            best_count,
            goal,
        )
        grounded = path_weight > 0 if need_paths else familiarity > 0
        if (grounded or goal) and candidate.score >= MIN_SCORE:
            out.append(candidate)
    out.sort(key=lambda c: (-round(c.score, 6), c.person))
    return out[: ctx.delegation.candidates]


_AREA_PREFERENCE = ("path", "topic", "component", "label", "project", "repo")


def _area_rank(area: str) -> tuple[int, str]:
    kind = area.split(":")[0]
    return (_AREA_PREFERENCE.index(kind) if kind in _AREA_PREFERENCE else 9, area)


def _better(area: str, count: int, best: str, best_count: int) -> bool:
    """Cite the most specific kind of area; within a kind, the one touched most."""
    rank, best_rank = _area_rank(area)[0], _area_rank(best)[0]
    return rank < best_rank or (rank == best_rank and count > best_count)


def describe_area(area: str) -> str:
    kind, _, rest = area.partition(":")
    if kind == "path":
        return area_label(rest).split(" in ")[0] if " in " in area_label(rest) else area_label(rest)
    if kind == "topic":
        return rest
    if kind == "component":
        return f"the {rest} component"
    if kind == "label":
        return f"'{rest}' items"
    if kind == "project":
        return f"the {rest} project"
    return rest


def describe_load(ctx: AnalysisContext, person: str) -> str:
    load = ctx.open_load(person)
    parts = []
    n = len(load["items"])
    parts.append(f"{n} item{'s' if n != 1 else ''} in progress" if n else "nothing in progress")
    if load["prs"]:
        parts.append(f"{len(load['prs'])} open PR{'s' if len(load['prs']) != 1 else ''}")
    if load["reviews"]:
        k = len(load["reviews"])
        parts.append(f"{k} review{'s' if k != 1 else ''} waiting")
    return "has " + ", ".join(parts)


def rationale(ctx: AnalysisContext, c: Candidate) -> str:
    name = ctx.name(c.person)
    bits = []
    if c.best_area:
        times = "once" if c.best_count == 1 else f"{c.best_count} times"
        bits.append(
            f"touched {describe_area(c.best_area)} {times} in {ctx.analysis.history_days} days"
        )
    bits.append(describe_load(ctx, c.person))
    if c.goal:
        bits.append(f"wants to learn {c.goal}")
    text = ", ".join(bits[:-1]) + (" and " if len(bits) > 1 else "") + bits[-1]
    return f"{name} {text}"


def finished_active_days(ctx: AnalysisContext) -> dict[str, list[int]]:
    """Per item type, the lead's active days on each item of that type the lead finished."""
    days_per_target: dict[str, set[object]] = defaultdict(set)
    for event in ctx.events_by_person.get(ctx.lead, []):
        days_per_target[event.target].add(event.at.date())
    out: dict[str, list[int]] = defaultdict(list)
    for past in ctx.dataset.work_items:
        days = days_per_target.get(past.ref)
        if past.assignee == ctx.lead and past.status_category == "done" and days:
            out[past.type].append(len(days))
    return out


def item_hours(
    ctx: AnalysisContext, item: WorkItem, history: dict[str, list[int]] | None = None
) -> tuple[float, str]:
    """Lead time an item like this took before: active days on similar past items."""
    if history is None:
        history = finished_active_days(ctx)
    # Only finished items are in the history, so the open item itself never is.
    samples = history.get(item.type, [])
    if len(samples) >= 2:
        value = (median(samples) or 1.0) * HOURS_PER_ACTIVE_DAY
        return value, f"median of {len(samples)} similar {item.type} items the lead finished"
    return DEFAULT_ITEM_HOURS.get(item.type, 4.0), f"default for {item.type} items (little history)"


def review_hours(ctx: AnalysisContext) -> tuple[float, str]:
    """Lead time a review took before: the lead's review actions per PR reviewed."""
    per_pr: Counter[str] = Counter()
    for event in ctx.events_by_person.get(ctx.lead, []):
        on_others_pr = event.target in ctx.reviews_by_ref and event.owner != ctx.lead
        if on_others_pr and event.kind in ("review", "comment"):
            per_pr[event.target] += 1
    if len(per_pr) >= 2:
        value = max((median(per_pr.values()) or 1.0) * HOURS_PER_REVIEW_ACTION, 0.5)
        return value, f"median of the lead's review rounds on {len(per_pr)} past PRs"
    return 1.0, "default for a review (little history)"


def analyze(ctx: AnalysisContext) -> Iterator[Suggestion]:
    yield from _item_suggestions(ctx)
    if ctx.delegation.delegate_reviews:
        yield from _review_suggestions(ctx)
    yield from _answer_suggestions(ctx)


def _suggest(
    ctx: AnalysisContext,
    ref: ItemRef,
    c: Candidate,
    hours: float,
    basis: str,
    action: str,
    extra: dict[str, object],
) -> Suggestion:
    return Suggestion(
        item=ref,
        from_=ctx.lead,
        to=c.person,
        score=c.score,
        familiarity=c.familiarity,
        capacity=c.capacity,
        growth=c.growth,
        rationale=rationale(ctx, c),
        lead_hours_freed=hours,
        action=action,  # type: ignore[arg-type]
        evidence={
            "area": c.best_area,
            "area_touches": c.best_count,
            "load": ctx.open_load(c.person),
            "growth_goal": c.goal,
            "hours_basis": basis,
            **extra,
        },
    )


def _item_suggestions(ctx: AnalysisContext) -> Iterator[Suggestion]:
    history = finished_active_days(ctx)  # once, not one pass over every item per lead item
    for item in ctx.iter_lead_items():
        ok, rule = ctx.delegable(item)
        if not ok:
            continue
        areas = ctx.item_areas(item)
        words = tokens(item.title, *item.components, *item.labels)
        words.update(
            a.split(":", 1)[1].strip("/").split("/")[-1] for a in areas if a.startswith("topic:")
        )
        hours, basis = item_hours(ctx, item, history)
        for c in candidates(ctx, areas, words, exclude=set()):
            yield _suggest(ctx, ItemRef.of(item), c, hours, basis, "delegate", {"rule": rule})


def _review_suggestions(ctx: AnalysisContext) -> Iterator[Suggestion]:
    hours, basis = review_hours(ctx)
    for interval in ctx.pending_for.get(ctx.lead, []):
        review: Review = interval.review
        areas = ctx.review_areas(review)
        words = tokens(review.title)
        words.update(a.split(":", 1)[1] for a in areas if a.startswith("topic:"))
        already = {i.reviewer for i in ctx.intervals[review.ref] if i.outcome == "pending"}
        exclude = {review.author or "", *already}
        for c in candidates(ctx, areas, words, exclude=exclude, need_paths=True):
            waited = (ctx.working_hours(interval.requested) or 0.0) / 24.0
            yield _suggest(
                ctx,
                ItemRef.of(review),
                c,
                hours,
                basis,
                "review",
                {
                    "author": review.author,
                    "rule": "review requests are delegable",
                    "waited_days": round(waited, 2),
                },
            )


def _answer_suggestions(ctx: AnalysisContext) -> Iterator[Suggestion]:
    lead_answers: Counter[str] = Counter()
    member_answers: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, str] = {}
    for q in ctx.questions:
        for topic in q.topics:
            sources.setdefault(topic, q.target.split(":")[0] if ":" in q.target else "github")
            if q.answered_by == ctx.lead:
                lead_answers[topic] += 1
            elif q.answered_by in ctx.members and q.answered_by != q.asker:
                member_answers[topic][q.answered_by] += 1
    days = ctx.thresholds["away_days"]
    for topic in sorted(lead_answers):
        if lead_answers[topic] < 2 or not member_answers.get(topic):
            continue
        total = lead_answers[topic] + sum(member_answers[topic].values())
        ranked = sorted(member_answers[topic].items(), key=lambda kv: (-kv[1], kv[0]))
        for person, answered in ranked[: ctx.delegation.candidates]:
            if ctx.is_away(person, days):
                continue
            goal = growth_match(ctx, person, tokens(topic))
            c = Candidate(
                person, answered / total, capacity(ctx, person), 1.0 if goal else 0.0, None, 0, goal
            )
            ref = ItemRef(source=sources[topic], key=topic, title=f"questions on {topic}")
            suggestion = _suggest(
                ctx,
                ref,
                c,
                lead_answers[topic] * HOURS_PER_ANSWER,
                f"{lead_answers[topic]} answers by the lead in the window",
                "answer",
                {"lead_answers": lead_answers[topic], "member_answers": answered},
            )
            suggestion.rationale = (
                f"{ctx.name(person)} already answered {answered} of the {total} questions on "
                f"{topic} in the window (the lead answered {lead_answers[topic]}) and "
                + describe_load(ctx, person)
            )
            yield suggestion


@hookimpl
def register_analyses(register) -> None:  # type: ignore[no-untyped-def]
    register(KIND, analyze, description="what the lead could hand off, to whom, and why")
