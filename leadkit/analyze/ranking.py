"""Ranking: the few actions that show, in the order a seasoned lead would act, one per item.

First a person at work blocked by the lead (the longest wait first; nobody
away counts as waiting), then PRs past the high mark whose author is at
work, then the lead's own work done but untested or unreviewed (offered as
its remaining part: "ask Owen to write the tests for PIPE-12", "ask for a
review of #353"), then a member to check in with, then strong delegations
with a growth match, then the rest by what is measured: people unblocked and
how long they waited, and the lead's hours freed (weighed by the kind of
work). An action resting only on an estimate of the lead's hours never
outranks unblocking someone; at most two review hand-offs are among the top
five; a suggestion on weak evidence is never an action. Every kind proposes
its candidates and their tier (:meth:`leadkit.analyze.kinds.FindingKind.actions`,
``TIER_*``); this module names none of them.
"""

from __future__ import annotations

from typing import Any

from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import (
    HANDOFFS,
    MAX_REVIEW_HANDOFFS,
    WAITS_FIRST,
    ActionCandidate,
    Kinds,
    ask_someone,
    weak_evidence,
)
from leadkit.model.findings import Action, Finding, Suggestion

HOURS_PER_PERSON_UNBLOCKED = 3.0
"""How much one unblocked teammate weighs against an hour of the lead's time when ranking."""
WAIT_WEEKS_CAP = 1.0
"""A wait counts up to double: ``1 + min(days waited / 7, 1)``."""


def action_value(lead_hours: float, people: int, waited_days: float) -> float:
    """Ranking value: lead hours freed plus people unblocked, weighted by how long they waited."""
    factor = 1.0 + min(max(waited_days, 0.0) / 7.0, WAIT_WEEKS_CAP)
    return lead_hours + HOURS_PER_PERSON_UNBLOCKED * people * factor


def action_tier(action: Action) -> int:
    """0 for what is measured; 1 for an action resting only on an estimate of the lead's hours.

    An estimate (a default, not history) never outranks unblocking a person.
    """
    return 1 if action.lead_hours_estimated and action.people_unblocked == 0 else 0


def rank_actions(
    findings: list[Finding[Any]],
    suggestions: list[Suggestion],
    context: AnalysisContext,
    kinds: Kinds,
    limit: int,
) -> list[Action]:
    """At most ``limit`` actions, ranked by tier, then on what is measured (see the module).

    One action per item: a finding's action that asks for an item's remaining part
    first, then handing the item off (a suggestion), then any other finding's action.
    """
    holding_up, candidates = _candidates(findings, suggestions, context, kinds)
    candidates.sort(key=_rank_key)
    handoff_kind = HANDOFFS["review"][0]
    actions: list[Action] = []
    later: list[Action] = []
    claimed: set[str] = set()
    reviews = 0
    for candidate, _ in candidates:
        if len(actions) >= limit:
            break
        if candidate.about in claimed:
            continue
        claimed.update((candidate.about, *candidate.covers))
        action = candidate.action
        action.findings.extend(
            i for i in holding_up.get(candidate.about, []) if i not in action.findings
        )
        if action.kind == handoff_kind:
            reviews += 1
            if reviews > MAX_REVIEW_HANDOFFS and len(actions) < TOP:
                later.append(action)
                continue
        actions.append(action)
    if len(actions) >= TOP:  # below the top five, the review hand-offs held back may follow
        actions.extend(later[: max(limit - len(actions), 0)])
    for rank, action in enumerate(actions, start=1):
        action.rank = rank
        action.team = context.team.name
    return actions


def rank_suggested_items(
    findings: list[Finding[Any]],
    suggestions: list[Suggestion],
    context: AnalysisContext,
    kinds: Kinds,
) -> None:
    """Set each suggestion's ``item_rank``: where its item ranks by the order actions rank in.

    The item's best suggestion becomes the action :func:`rank_actions` weighs;
    items whose kind makes no action come last. A bounded report lists the
    suggestions of the top items, so its actions' suggestions are among them.
    """
    _, candidates = _candidates(findings, suggestions, context, kinds)
    candidates.sort(key=_rank_key)
    label = {s.id: s.item.label for s in suggestions}
    rank: dict[str, int] = {}
    carried = [(c, source) for c, source in candidates if source]
    for n, (candidate, source) in enumerate(carried):
        # An action asking for an item's remaining part stands for the item and its parts.
        covered = (candidate.about, *candidate.covers) if candidate.ask else ()
        for item in (*(label[sid] for sid in source), *covered):
            rank.setdefault(item, n)
    last = len(carried)
    for s in suggestions:
        s.item_rank = rank.get(s.item.label, last)


TOP = 5
"""The top actions a review hand-off cap applies to (:data:`MAX_REVIEW_HANDOFFS`)."""

Ranked = tuple[ActionCandidate, tuple[str, ...]]
"""A candidate and the suggestions it carries out (their ids; empty for a finding's own)."""


def _candidates(
    findings: list[Finding[Any]],
    suggestions: list[Suggestion],
    context: AnalysisContext,
    kinds: Kinds,
) -> tuple[dict[str, list[str]], list[Ranked]]:
    """The items people wait on (with the findings that say so), and every candidate action.

    Each suggested item has one hand-off: its best suggestion not on weak evidence (the
    analysis ranks its candidates), taking the best tier, wait and people unblocked of the
    findings' actions on the same item, which it replaces. A finding's action asking for
    an item's remaining part takes the best suggestion for the parts it covers instead.
    """
    holding_up: dict[str, list[str]] = {}
    found: list[ActionCandidate] = []
    for f in findings:
        kind = kinds.get(f.kind)
        if not f.computed or kind is None:
            continue
        holding_up.update({label: [*holding_up.get(label, []), f.id] for label in kind.holds_up(f)})
        if f.severity != "info" or kind.acts_on_info:
            found.extend(kind.actions(f, context))
    best: dict[str, Suggestion] = {}
    for s in suggestions:
        if not weak_evidence(s):
            best.setdefault(s.item.label, s)
    out: list[Ranked] = []
    asked: set[str] = set()
    asking = {c.about for c in found if c.ask}
    for c in found:
        if not c.ask:
            continue
        for label in (*c.covers, c.about):
            chosen = best.get(label)
            if chosen is not None and chosen.action == "delegate":
                ask_someone(c, chosen, context)
                out.append((c, (chosen.id,)))
                break
        else:
            out.append((c, ()))
        asked.update((c.about, *c.covers))
    on_item: dict[str, list[ActionCandidate]] = {}
    for c in found:
        on_item.setdefault(c.about, []).append(c)
    handed: set[str] = set()
    for s in best.values():
        if s.item.label in asked:
            continue
        kind = kinds.get(s.analysis)
        candidate = kind.suggestion_action(s, context) if kind is not None else None
        if candidate is None:
            continue
        for other in on_item.get(candidate.about, []):
            candidate.tier = min(candidate.tier, other.tier)
            candidate.waited_days = max(candidate.waited_days, other.waited_days)
            candidate.action.people_unblocked = max(
                candidate.action.people_unblocked, other.action.people_unblocked
            )
        handed.add(candidate.about)
        out.append((candidate, (s.id,)))
    # Another finding's action on an item an asking action only covers competes for it.
    out.extend((c, ()) for c in found if not c.ask and c.about not in handed | asking)
    return holding_up, out


def _rank_key(c: Ranked) -> tuple[int, float, int, float, int, str, tuple[str, ...]]:
    """By tier (the longest wait first where waits come first), measured before estimated,
    then by value; ties by order, item and the suggestions carried out."""
    candidate = c[0]
    wait = -round(candidate.waited_days, 6) if candidate.tier in WAITS_FIRST else 0.0
    return (
        candidate.tier,
        wait,
        action_tier(candidate.action),
        -round(_value(candidate), 6),
        candidate.order,
        candidate.about,
        c[1],
    )


def _value(candidate: ActionCandidate) -> float:
    action = candidate.action
    hours = action.lead_hours_freed * candidate.weight
    return action_value(hours, action.people_unblocked, candidate.waited_days)
