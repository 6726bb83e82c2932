"""Delegation suggestions: what the lead holds that someone else could take, and who.

Every open item the lead holds (an assigned ticket, a pending review of
someone else's PR) is a candidate unless a rule keeps it with the lead
(``keep_types``, ``keep_labels``, overrides: see
:meth:`AnalysisContext.delegable`). What kind of work it is (testing, ops,
support, bug, docs, feature), read from its type, labels and title words,
ranks it higher or lower and is said in its rationale.

People are the team's members other than the lead (never the PR's author,
never someone away, never someone whose own work is flagged quiet or
stalled) scored on three visible parts:

- familiarity: their past items, PRs and reviews in the same components,
  labels, repos and code areas (at the depth where ownership differs),
  weighted by recency;
- capacity: their open load against the team median (items blocked by the
  lead do not count: someone waiting on the lead has room);
- growth: the item matches a growth goal they named in config.

A member at twice the team median load or more is never the top candidate
while someone with room and some familiarity exists.

Questions the lead keeps answering on a topic where a member already answers
too become a suggestion to let that member field them.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, Literal, NamedTuple

from leadkit import hookimpl
from leadkit.analyze.context import (
    AnalysisContext,
    Touches,
    area_words,
    describe_area,
    goal_words,
    median,
    words,
)
from leadkit.analyze.kinds import WEAK_LABEL, FindingKind
from leadkit.analyze.ranking import action_value
from leadkit.builtins.kinds.away_risk import AWAY_DAYS
from leadkit.builtins.kinds.blocking_work import blocked_by_lead
from leadkit.builtins.kinds.quiet_work import (
    QUIET_DAYS,
    idle_work,
    new_member_days,
    quiet_members,
)
from leadkit.builtins.kinds.review_concentration import sole_reviewer_areas
from leadkit.builtins.kinds.stalled_own_work import STALLED_DAYS
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.data import Review, WorkItem
from leadkit.model.findings import HandOff, ItemRef, LeftOut, Suggestion

KIND = "delegation"
WEIGHTS = {"familiarity": 0.5, "capacity": 0.3, "growth": 0.2}
MIN_SCORE = 0.2
HOURS_PER_ACTIVE_DAY = 2.0
HOURS_PER_REVIEW_ACTION = 0.5
HOURS_PER_ANSWER = 0.5
DEFAULT_ITEM_HOURS = {
    "testing": 6.0,
    "bug": 4.0,
    "ops": 3.0,
    "support": 2.0,
    "docs": 2.0,
}
"""Lead hours a kind of item is assumed to take when the lead's history is too thin."""

# -- what kind of work an item is ---------------------------------------------------

WORK_KINDS = ("testing", "ops", "support", "bug", "docs", "feature", "other")
KIND_RANK = {
    "testing": 1.5,
    "ops": 1.5,
    "docs": 1.5,
    "support": 1.25,
    "bug": 1.25,
    "other": 1.0,
    "feature": 0.75,
}
"""How a kind weighs the lead hours an item frees when actions are ranked: routine,
well-bounded work is the easiest hand-off; the lead's own feature work the hardest."""
DELEGABLE_RANK = 1.25
"""Extra weight for an item whose type or label is in ``delegable_types``/``delegable_labels``."""

_TYPE_KINDS = {
    "test": "testing",
    "ops": "ops",
    "chore": "ops",
    "support": "support",
    "incident": "support",
    "bug": "bug",
    "docs": "docs",
}
"""Normalized types that say the kind by themselves (Story and Task do not)."""
_LABEL_KINDS = {
    "testing": "testing",
    "test": "testing",
    "tests": "testing",
    "qa": "testing",
    "e2e": "testing",
    "ops": "ops",
    "devops": "ops",
    "infra": "ops",
    "maintenance": "ops",
    "chore": "ops",
    "routine": "ops",
    "toil": "ops",
    "support": "support",
    "customer": "support",
    "incident": "support",
    "bug": "bug",
    "defect": "bug",
    "docs": "docs",
    "documentation": "docs",
    "feature": "feature",
    "enhancement": "feature",
}
_TITLE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("testing", ("test", "tests", "testing", "qa", "e2e", "regression", "coverage", "flaky")),
    (
        "ops",
        (
            "rotate",
            "certificate",
            "certificates",
            "credentials",
            "upgrade",
            "bump",
            "renew",
            "patch",
            "deploy",
            "rollout",
            "dependencies",
            "cleanup",
        ),
    ),
    ("docs", ("docs", "documentation", "readme", "runbook", "document", "guide", "changelog")),
    ("support", ("customer", "support", "asks")),
    ("bug", ("bug", "fix", "crash", "broken", "fails", "failing", "error")),
)
_TITLE_WORD = re.compile(r"[a-z0-9]+")


def work_kind(item: WorkItem) -> tuple[str, str]:
    """What kind of work an item is, and the signal that decided it.

    A type that says it (Test, Bug, Ops...) first, then a label, then a
    word of the title; a Story is feature work and a plain Task "other"
    when nothing else speaks. A Sub-task "Write integration tests"
    labelled testing is testing work.
    """
    shown = item.raw_type or item.type
    if item.type in _TYPE_KINDS:
        return _TYPE_KINDS[item.type], f"type '{shown}'"
    for label in item.labels:
        kind = _LABEL_KINDS.get(label.lower())
        if kind:
            return kind, f"label '{label}'"
    words = set(_TITLE_WORD.findall(item.title.lower()))
    for kind, needles in _TITLE_KINDS:
        for needle in needles:
            if needle in words:
                return kind, f"title word '{needle}'"
    if item.type in ("feature", "epic"):
        return "feature", f"type '{shown}'"
    return "other", "no type, label or title word says"


def rank_weight(ctx: AnalysisContext, item: WorkItem, kind: str) -> tuple[float, str | None]:
    """The kind's weight, raised when ``delegable_types``/``delegable_labels`` name the item."""
    rules = ctx.delegation
    weight = KIND_RANK[kind]
    raw_type = (item.raw_type or "").lower()
    if item.type in rules.delegable_types or raw_type in rules.delegable_types:
        return weight * DELEGABLE_RANK, f"type '{item.raw_type or item.type}' is in delegable_types"
    for label in item.labels:
        if label.lower() in rules.delegable_labels:
            return weight * DELEGABLE_RANK, f"label '{label}' is in delegable_labels"
    return weight, None


def kind_phrase(kind: str, signal: str) -> str | None:
    """``testing work (label 'testing')``, and whether it ranks lower; nothing for "other"."""
    if kind == "other":
        return None
    ranked = " ranks lower" if KIND_RANK[kind] < 1 else ""
    return f"{kind} work ({signal}){ranked}"


class Hours(NamedTuple):
    """Lead hours an item or review frees, how they were found, and whether they are a guess."""

    value: float
    basis: str
    estimated: bool
    """True when the value is a default, not the lead's own history."""


Strength = Literal["strong", "moderate", "weak"]
RECENT_DAYS = 45.0
"""A touch this recent makes evidence in the same code area or component strong."""
_OWNED_KINDS = ("path", "component")
"""Evidence at the unit people own work in: a code area at the depth where ownership
differs (:meth:`AnalysisContext.code_area`), or the same tracker component."""


def evidence_strength(ctx: AnalysisContext, touches: Touches | None, areas: set[str]) -> Strength:
    """``strong``, ``moderate`` or ``weak``: how well a person's past work matches the item's.

    Strong: the same code area at the depth where work is owned, or the same
    component, touched in the last :data:`RECENT_DAYS` days. Moderate: the same
    owned area or component longer ago, or a topic (a component named like a
    top folder they worked in). Weak: only the project, the repository or a
    label, or nothing but a growth goal.
    """
    if touches is None:
        return "weak"
    recent = ctx.now - timedelta(days=RECENT_DAYS)
    strength: Strength = "weak"
    for area in areas:
        if not touches.counts.get(area):
            continue
        kind, _, name = area.partition(":")
        if kind in ("component", "topic") and "/" in name:
            continue  # GitHub and GitLab name the repository as an issue's component
        if kind in _OWNED_KINDS:
            latest: datetime | None = touches.latest.get(area)
            if latest is not None and latest >= recent:
                return "strong"
            strength = "moderate"
        elif kind == "topic":
            strength = "moderate"
    return strength


def in_lead_only_area(lead_only: tuple[str, ...], areas: set[str]) -> bool:
    """The item's code, or a component named like its folder, is where only the lead reviews.

    ``lead_only``: the lead-only areas as prefixes (``org/app:pipeline/``; ``org/app:``
    for a whole repository).
    """
    for area in areas:
        kind, _, rest = area.partition(":")
        if kind == "path" and rest.startswith(lead_only):
            return True
        if kind == "topic":
            for prefix in lead_only:
                folder = prefix.partition(":")[2].rstrip("/").rpartition("/")[2]
                if folder and folder.lower() == rest:
                    return True
    return False


@dataclass(frozen=True)
class Candidate:
    person: str
    familiarity: float
    capacity: float
    growth: float
    best_area: str | None = None
    best_count: int = 0
    goal: str | None = None
    overloaded: bool = False
    """This hand-off takes them to twice the team median load or past it."""
    waiting_on_lead: tuple[str, ...] = ()
    """Their items blocked by work the lead holds: room, not load."""
    strength: Strength = "weak"
    """How strong the evidence that they know the work is (:func:`evidence_strength`)."""
    load_with_plan: int = 0
    """Their open load (less what waits on the lead) with this hand-off and those the
    plan gave them before it."""
    planned: tuple[str, ...] = ()
    """The hand-offs this report's plan gave them before this one (item labels)."""

    @property
    def score(self) -> float:
        return (
            WEIGHTS["familiarity"] * self.familiarity
            + WEIGHTS["capacity"] * self.capacity
            + WEIGHTS["growth"] * self.growth
        )


def away_detail(ctx: AnalysisContext, person: str, days: float) -> str:
    """``away until 4 Dec``, or ``away from 24 Nov`` for time away that starts within ``days``."""
    pc = ctx.person_config(person)
    end = ctx.now + timedelta(days=days) + timedelta(seconds=1)
    for period in pc.away if pc else ():
        if period.covers(ctx.now, end):
            start, stop = period.in_zone(ctx.tz)
            last = (stop - timedelta(seconds=1)).astimezone(ctx.tz)
            if start <= ctx.now:
                return f"away until {last.day} {last:%b}"
            first = start.astimezone(ctx.tz)
            return f"away from {first.day} {first:%b}"
    return "away"


class People:
    """Who can take more work, computed once per report: load, blocked work, quiet work."""

    def __init__(self, ctx: AnalysisContext) -> None:
        self.ctx = ctx
        self._loads: dict[str, int] = {}
        self.planned: dict[str, list[str]] = defaultdict(list)
        """Per person, the hand-offs this report's plan has given them so far."""

    def plan(self, person: str, label: str) -> None:
        """The plan gives ``label`` to ``person``: their next suggestions count it as load."""
        self.planned[person].append(label)

    def plan_load(self, person: str) -> int:
        """Their load with the hand-offs the plan has given them so far."""
        return self.load(person) + len(self.planned.get(person, ()))

    @cached_property
    def waiting_on_lead(self) -> dict[str, tuple[str, ...]]:
        """Per member, what of theirs waits on the lead: room, not load, and never stalled.

        Their open items blocked by work the lead holds; their open PRs waiting
        on the lead's review; and the open items those PRs are linked to.
        Item keys and PR refs, in that order.
        """
        ctx = self.ctx
        out: dict[str, dict[str, None]] = defaultdict(dict)
        for b in blocked_by_lead(ctx):
            if b.waiting.assignee:
                out[b.waiting.assignee][b.waiting.key] = None
        prs: dict[str, dict[str, None]] = defaultdict(dict)
        for interval in ctx.pending_for.get(ctx.lead, []):
            review = interval.review
            if review.author:
                prs[review.author][review.ref] = None
            for key in review.linked_keys:
                item = ctx.items_by_key.get(key)
                if item is not None and item.assignee and item.is_open:
                    out[item.assignee][item.key] = None
        for person, refs in prs.items():
            out[person].update(refs)
        return {person: tuple(keys) for person, keys in out.items()}

    @cached_property
    def unavailable(self) -> dict[str, LeftOut]:
        """Members suggested nothing whatever they know, each with why: away (now or
        within ``away_days``), their own work quiet (quiet-work) or stalled.

        Stalled: work in progress with no update for ``stalled_days``, even with contact
        with the lead. What waits on the lead is neither: it waits on the lead.
        """
        ctx = self.ctx
        days = ctx.thresholds["away_days"]
        out: dict[str, LeftOut] = {}
        quiet = quiet_members(ctx)
        stalled = idle_work(ctx, ctx.thresholds["stalled_days"])
        lead = ctx.name(ctx.lead)
        for person in ctx.members:
            waiting = set(self.waiting_on_lead.get(person, ()))
            quiet_items = [
                (i, idle) for i, _, idle in quiet.get(person, ()) if i.key not in waiting
            ]
            idle_items = [
                (i, idle) for i, _, idle in stalled.get(person, ()) if i.key not in waiting
            ]
            if ctx.is_away(person, days):
                out[person] = LeftOut(person, "away", away_detail(ctx, person, days))
            elif quiet_items:
                item, idle = quiet_items[0]
                detail = f"{item.key} quiet for {idle:.0f} days, no contact with {lead}"
                out[person] = LeftOut(person, "quiet", detail)
            elif idle_items:
                item, idle = idle_items[0]
                out[person] = LeftOut(person, "stalled", f"{item.key} stalled for {idle:.0f} days")
        return out

    def load(self, person: str) -> int:
        """Open load, less what waits on the lead (:attr:`waiting_on_lead`).

        Once per person: it is asked for each candidate of each item the lead
        holds, and a member's in-progress list grows with the org.
        """
        if person not in self._loads:
            waiting = set(self.waiting_on_lead.get(person, ()))
            load = self.ctx.open_load(person)
            held = sum(1 for ref in load["items"] if ref.partition(":")[2] in waiting)
            held += sum(1 for ref in load["prs"] if ref in waiting)
            self._loads[person] = self.ctx.load_count(person) - held
        return self._loads[person]

    def capacity(self, person: str, *, planned: bool = True) -> float:
        """1.0 with nothing open, 0.5 at the team median, 0 at twice the median or more
        (with the plan's hand-offs so far, unless ``planned`` is False)."""
        load = self.plan_load(person) if planned else self.load(person)
        return max(0.0, 1.0 - load / (2.0 * self.median))

    def overloaded(self, person: str) -> bool:
        """One more hand-off takes them to twice the team median load or past it
        (a median under 1 counts as 1)."""
        return self.plan_load(person) + 1 >= 2.0 * self.median

    def candidate(self, person: str, familiarity: float, goal: str | None, **kw: Any) -> Candidate:
        """A candidate with their capacity and load as the plan so far leaves them."""
        return Candidate(
            person,
            familiarity,
            self.capacity(person),
            1.0 if goal else 0.0,
            goal=goal,
            overloaded=self.overloaded(person),
            waiting_on_lead=self.waiting_on_lead.get(person, ()),
            load_with_plan=self.plan_load(person) + 1,
            planned=tuple(self.planned.get(person, ())),
            **kw,
        )

    @cached_property
    def lead_only(self) -> tuple[str, ...]:
        """The code areas only the lead reviews, as prefixes of code areas."""
        return tuple(f"{a.repo}:{a.path}" for a in sole_reviewer_areas(self.ctx))

    @cached_property
    def median(self) -> float:
        return max(self.ctx.team_median_load or 0.0, 1.0)


def growth_match(ctx: AnalysisContext, person: str, found: set[str]) -> str | None:
    """The person's first growth goal one of whose words is among ``found`` (whole words of
    any length: ``ops`` matches an item labelled ops, ``qa`` a title with QA in it)."""
    pc = ctx.person_config(person)
    for goal in pc.growth if pc else ():
        if goal_words(goal) & found:
            return goal
    return None


BROAD_AREA_WEIGHT = 0.25
"""A repo or project is weak evidence: everyone on a one-repo team has touched it."""


def candidates(
    ctx: AnalysisContext,
    people: People,
    areas: set[str],
    words: set[str],
    exclude: set[str],
    *,
    need_paths: bool = False,
) -> list[Candidate]:
    """Eligible members ranked by score (stable on ties).

    With ``need_paths`` (reviews), familiarity must come from the PR's own
    code areas: a reviewer who never authored or reviewed there is not
    suggested unless the work matches their growth goal. Someone overloaded
    is ranked after everyone with room and some familiarity. Work in an area
    only the lead reviews is never handed away on weak evidence.
    """
    lead_only = in_lead_only_area(people.lead_only, areas)
    out = []
    for person in ctx.members:
        if person in exclude or person == ctx.lead or person in people.unavailable:
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
        candidate = people.candidate(
            person,
            familiarity,
            goal,
            best_area=best_area,
            best_count=best_count,
            strength=evidence_strength(ctx, touches, areas),
        )
        grounded = path_weight > 0 if need_paths else familiarity > 0
        if lead_only and candidate.strength == "weak":
            continue
        # The plan orders people, it does not decide who knows the work: eligibility is
        # on their own load, before the plan's hand-offs.
        alone = dataclasses.replace(candidate, capacity=people.capacity(person, planned=False))
        if (grounded or goal) and alone.score >= MIN_SCORE:
            out.append(candidate)
    # Nobody is pushed to twice the median while someone who knows the work has room.
    with_room = any(not c.overloaded and c.strength != "weak" for c in out)
    out.sort(key=lambda c: (with_room and c.overloaded, -round(c.score, 6), c.person))
    return out[: ctx.delegation.candidates]


_AREA_PREFERENCE = ("path", "topic", "component", "label", "project", "repo")


def _area_rank(area: str) -> tuple[int, str]:
    kind = area.split(":")[0]
    return (_AREA_PREFERENCE.index(kind) if kind in _AREA_PREFERENCE else 9, area)


def _better(area: str, count: int, best: str, best_count: int) -> bool:
    """Cite the most specific kind of area; within a kind, the one touched most."""
    rank, best_rank = _area_rank(area)[0], _area_rank(best)[0]
    return rank < best_rank or (rank == best_rank and count > best_count)


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


def load_sentence(ctx: AnalysisContext, c: Candidate) -> str:
    """Their open load, what of it waits on the lead, and whether this hand-off, with
    those the plan gave them before (:func:`plan_phrase`), takes them to twice the median."""
    text = describe_load(ctx, c.person)
    if c.overloaded:
        text += " (twice the team's median load or more)"
    elif c.waiting_on_lead:
        waits = _listed(c.waiting_on_lead)
        verb = "waits" if len(c.waiting_on_lead) == 1 else "wait"
        text += f" (has room: {waits} {verb} on {ctx.name(ctx.lead)})"
    return text


def plan_phrase(c: Candidate) -> str | None:
    """``is given 2 other hand-offs in this plan`` (``evidence.planned`` names them)."""
    if not c.planned:
        return None
    n = len(c.planned)
    return f"is given {n} other hand-off{'s' if n != 1 else ''} in this plan"


def _listed(labels: tuple[str, ...], most: int = 3) -> str:
    """``A, B and C``; ``A, B, C and 2 more`` past ``most``."""
    shown = list(labels[:most])
    if len(labels) > most:
        shown.append(f"{len(labels) - most} more")
    return ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]


def rationale(ctx: AnalysisContext, c: Candidate) -> str:
    name = ctx.name(c.person)
    bits = []
    if c.best_area:
        times = "once" if c.best_count == 1 else f"{c.best_count} times"
        bits.append(
            f"touched {describe_area(c.best_area)} {times} in {ctx.analysis.history_days} days"
        )
    bits.append(load_sentence(ctx, c))
    planned = plan_phrase(c)
    if planned:
        bits.append(planned)
    if c.goal:
        bits.append(f"wants to learn {c.goal}")
    text = ", ".join(bits[:-1]) + (" and " if len(bits) > 1 else "") + bits[-1]
    if c.strength == "weak":
        text += f" ({WEAK_LABEL}: only the project, a label or a growth goal)"
    return f"{name} {text}"


def finished_active_days(ctx: AnalysisContext) -> dict[str, list[int]]:
    """Per kind of work, the lead's active days on each item of that kind the lead finished."""
    days_per_target: dict[str, set[object]] = defaultdict(set)
    for event in ctx.events_by_person.get(ctx.lead, []):
        days_per_target[event.target].add(event.at.date())
    out: dict[str, list[int]] = defaultdict(list)
    for past in ctx.dataset.work_items:
        days = days_per_target.get(past.ref)
        if past.assignee == ctx.lead and past.status_category == "done" and days:
            out[work_kind(past)[0]].append(len(days))
    return out


def item_hours(
    ctx: AnalysisContext, item: WorkItem, history: dict[str, list[int]] | None = None
) -> Hours:
    """Lead time an item like this took before: active days on past items of its kind."""
    if history is None:
        history = finished_active_days(ctx)
    kind = work_kind(item)[0]
    # Only finished items are in the history, so the open item itself never is.
    samples = history.get(kind, [])
    if len(samples) >= 2:
        value = (median(samples) or 1.0) * HOURS_PER_ACTIVE_DAY
        return Hours(value, f"median of {len(samples)} {kind} items the lead finished", False)
    return Hours(
        DEFAULT_ITEM_HOURS.get(kind, 4.0), f"default for {kind} work (little history)", True
    )


def review_hours(ctx: AnalysisContext) -> Hours:
    """Lead time a review took before: the lead's review actions per PR reviewed."""
    per_pr: Counter[str] = Counter()
    for event in ctx.events_by_person.get(ctx.lead, []):
        on_others_pr = event.target in ctx.reviews_by_ref and event.owner != ctx.lead
        if on_others_pr and event.kind in ("review", "comment"):
            per_pr[event.target] += 1
    if len(per_pr) >= 2:
        value = max((median(per_pr.values()) or 1.0) * HOURS_PER_REVIEW_ACTION, 0.5)
        return Hours(value, f"median of the lead's review rounds on {len(per_pr)} past PRs", False)
    return Hours(1.0, "default for a review (little history)", True)


class Offer(NamedTuple):
    """One thing the lead could hand off, and how to find its candidates when its turn comes."""

    group: int
    """Items first (the larger hand-offs a lead decides first), then reviews, then answers."""
    value: float
    """What handing it off is worth, as actions rank it: the plan serves each group in
    this order."""
    label: str
    suggest: Callable[[], list[Suggestion]]


def analyze(ctx: AnalysisContext) -> Iterator[Suggestion | LeftOut]:
    """The report's suggestions as one plan.

    What the lead could hand off is served items first, then reviews, then
    questions, each most valuable first; each item's
    best candidate takes it into their load, so the next item sees them with
    it (``evidence.load_with_plan``), and nobody is pushed to twice the team
    median while someone who knows the work has room.
    """
    people = People(ctx)
    offers = list(_item_offers(ctx, people))
    if ctx.delegation.delegate_reviews:
        offers.extend(_review_offers(ctx, people))
    offers.extend(_answer_offers(ctx, people))
    offers.sort(key=lambda o: (o.group, -round(o.value, 6), o.label))
    suggested: set[str] = set()
    for offer in offers:
        made = offer.suggest()
        if made:
            people.plan(made[0].to, offer.label)
        suggested.update(s.to for s in made)
        yield from made
    yield from left_out(ctx, people, suggested)


def left_out(ctx: AnalysisContext, people: People, suggested: set[str]) -> Iterator[LeftOut]:
    """Every member suggested nothing, with why: nobody disappears from the advice silently.

    Someone the team's membership left out (``bot``, ``not_member``: see
    :mod:`leadkit.analyze.membership`); someone away, quiet or stalled
    (:attr:`People.unavailable`); someone at twice the team median load or
    more; someone new to the data (too little history to match); else
    nothing the lead could hand off matched their work.
    """
    for why in ctx.membership.left_out:  # bots and people the membership rule left out
        yield LeftOut(why.person, why.reason, why.detail)
    for person in ctx.members:
        if person in suggested:
            continue
        if person in people.unavailable:
            yield people.unavailable[person]
        elif people.plan_load(person) >= 2.0 * people.median:
            yield LeftOut(person, "overloaded", "twice the team's median load or more")
        elif (seen := new_member_days(ctx, person)) is not None:
            detail = f"first seen {seen:.0f} days ago: too little history to match"
            yield LeftOut(person, "new", detail)
        else:
            yield LeftOut(person, "no_match", "nothing the lead could hand off matches their work")


def _suggest(
    ctx: AnalysisContext,
    ref: ItemRef,
    c: Candidate,
    hours: Hours,
    action: HandOff,
    extra: dict[str, object],
    *,
    why_item: str | None = None,
    text: str | None = None,
) -> Suggestion:
    text = text or rationale(ctx, c)
    return Suggestion(
        item=ref,
        from_=ctx.lead,
        to=c.person,
        score=c.score,
        familiarity=c.familiarity,
        capacity=c.capacity,
        growth=c.growth,
        rationale=f"{text}; {why_item}" if why_item else text,
        lead_hours_freed=hours.value,
        lead_hours_estimated=hours.estimated,
        action=action,
        evidence={
            "area": c.best_area,
            "area_touches": c.best_count,
            "load": ctx.open_load(c.person),
            "load_with_plan": c.load_with_plan,
            "planned": list(c.planned),
            "growth_goal": c.goal,
            "hours_basis": hours.basis,
            "overloaded": c.overloaded,
            "waiting_on_lead": list(c.waiting_on_lead),
            "strength": c.strength,
            **extra,
        },
    )


def _item_offers(ctx: AnalysisContext, people: People) -> Iterator[Offer]:
    history = finished_active_days(ctx)  # once, not one pass over every item per lead item
    for item in ctx.iter_lead_items():
        ok, rule = ctx.delegable(item)
        if not ok:
            continue
        areas = ctx.item_areas(item)
        item_words = words(item.title, *item.components, *item.labels) | area_words(areas)
        hours = item_hours(ctx, item, history)
        kind, signal = work_kind(item)
        weight, boost = rank_weight(ctx, item, kind)
        extra: dict[str, object] = {
            "rule": rule,
            "work_kind": kind,
            "work_kind_signal": signal,
            "rank_weight": round(weight, 3),
        }
        if boost:
            extra["rank_boost"] = boost

        def suggest(
            item: WorkItem = item,
            areas: set[str] = areas,
            found: set[str] = item_words,
            hours: Hours = hours,
            extra: dict[str, object] = extra,
            why: str | None = kind_phrase(kind, signal),
        ) -> list[Suggestion]:
            return [
                _suggest(ctx, ItemRef.of(item), c, hours, "delegate", extra, why_item=why)
                for c in candidates(ctx, people, areas, found, exclude=set())
            ]

        yield Offer(0, action_value(hours.value * weight, 0, 0.0), item.key, suggest)


def _review_offers(ctx: AnalysisContext, people: People) -> Iterator[Offer]:
    hours = review_hours(ctx)
    for interval in ctx.pending_for.get(ctx.lead, []):
        review: Review = interval.review
        areas = ctx.review_areas(review)
        review_words = words(review.title) | area_words(areas)
        already = {i.reviewer for i in ctx.intervals[review.ref] if i.outcome == "pending"}
        exclude = {review.author or "", *already}
        waited = ctx.working_days(interval.requested, whose=ctx.lead) or 0.0
        extra: dict[str, object] = {
            "author": review.author,
            "rule": "review requests are delegable",
            "waited_days": round(waited, 2),
        }

        def suggest(
            review: Review = review,
            areas: set[str] = areas,
            found: set[str] = review_words,
            exclude: set[str] = exclude,
            extra: dict[str, object] = extra,
        ) -> list[Suggestion]:
            chosen = candidates(ctx, people, areas, found, exclude=exclude, need_paths=True)
            return [_suggest(ctx, ItemRef.of(review), c, hours, "review", extra) for c in chosen]

        # Nobody away is waiting: their PR is no hurry.
        author_waits = 0 if review.author and ctx.is_away(review.author) else 1
        yield Offer(1, action_value(hours.value, author_waits, waited), review.ref, suggest)


def _answer_offers(ctx: AnalysisContext, people: People) -> Iterator[Offer]:
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
    for topic in sorted(lead_answers):
        if lead_answers[topic] < 2 or not member_answers.get(topic):
            continue
        hours = Hours(
            lead_answers[topic] * HOURS_PER_ANSWER,
            f"{lead_answers[topic]} answers by the lead in the window",
            False,
        )

        def suggest(topic: str = topic, hours: Hours = hours) -> list[Suggestion]:
            return list(
                _answerers(ctx, people, topic, sources[topic], hours, lead_answers, member_answers)
            )

        yield Offer(2, action_value(hours.value, 0, 0.0), topic, suggest)


def _answerers(
    ctx: AnalysisContext,
    people: People,
    topic: str,
    source: str,
    hours: Hours,
    lead_answers: Counter[str],
    member_answers: dict[str, Counter[str]],
) -> Iterator[Suggestion]:
    """The members who already answer on ``topic``, most answers first."""
    total = lead_answers[topic] + sum(member_answers[topic].values())
    ranked = sorted(member_answers[topic].items(), key=lambda kv: (-kv[1], kv[0]))
    for person, answered in ranked[: ctx.delegation.candidates]:
        if person in people.unavailable:
            continue
        goal = growth_match(ctx, person, words(topic))
        c = people.candidate(person, answered / total, goal, strength="moderate")
        ref = ItemRef(source=source, key=topic, title=f"questions on {topic}")
        text = (
            f"{ctx.name(person)} already answered {answered} of the {total} questions on "
            f"{topic} in the window (the lead answered {lead_answers[topic]}) and "
            + load_sentence(ctx, c)
            + (f", and {plan_phrase(c)}" if c.planned else "")
        )
        yield _suggest(
            ctx,
            ref,
            c,
            hours,
            "answer",
            {"lead_answers": lead_answers[topic], "member_answers": answered},
            text=text,
        )


class Delegation(FindingKind[Any]):
    """Suggestions, not findings: each becomes a hand-off action (see :func:`leadkit.analyze.kinds.handoff`)."""

    kind = KIND
    description = "what the lead could hand off, to whom, and why"
    order = 8  # after the findings it reads (quiet and stalled members, what is blocked)
    settings = (AWAY_DAYS, STALLED_DAYS, QUIET_DAYS)
    # Counts about the person suggested: their touches, their load (alone and with the
    # plan), the questions they answered. The team's audience gets the reasons in words.
    per_person_evidence = ("area_touches", "load", "load_with_plan", "planned", "member_answers")

    def run(self, ctx: AnalysisContext) -> Iterator[Suggestion | LeftOut]:
        return analyze(ctx)


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(Delegation())
