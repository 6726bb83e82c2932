"""Ranking: the few actions that show, on what is measured, one per item.

People unblocked and how long they waited, and the lead's hours freed
(weighed by the kind of work); an action resting only on an estimate of the
lead's hours never outranks unblocking someone. Every kind proposes its
candidates (:meth:`leadkit.analyze.kinds.FindingKind.actions`); this module
names none of them.
"""

from __future__ import annotations

from typing import Any

from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import ActionCandidate, Kinds
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
    """At most ``limit`` actions, ranked on what is measured.

    People unblocked and how long they waited, reviews queued, and the lead's
    hours freed (weighed by the kind of work). An action whose only weight is
    an estimate of the lead's hours comes after every action that unblocks someone.
    One action per item: handing it off (a suggestion) before any finding's own action.
    """
    holding_up, candidates = _suggestion_candidates(findings, suggestions, context, kinds)
    handed = {c.about for c, _ in candidates}
    for f in findings:
        kind = kinds.get(f.kind)
        if not f.computed or kind is None or (f.severity == "info" and not kind.acts_on_info):
            continue
        for candidate in kind.actions(f, context):
            if candidate.about not in handed:
                candidates.append((candidate, f.id))
    candidates.sort(key=_rank_key)
    actions: list[Action] = []
    claimed: set[str] = set()
    for candidate, _ in candidates:
        if len(actions) >= limit:
            break
        if candidate.about in claimed:
            continue
        claimed.add(candidate.about)
        action = candidate.action
        action.findings.extend(
            i for i in holding_up.get(candidate.about, []) if i not in action.findings
        )
        actions.append(action)
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
    """Set each suggestion's ``item_rank``: where its item ranks by the value actions rank by.

    The item's best suggestion becomes the action :func:`rank_actions` weighs;
    items whose kind makes no action come last. A bounded report lists the
    suggestions of the top items, so its actions' suggestions are among them.
    """
    _, candidates = _suggestion_candidates(findings, suggestions, context, kinds)
    candidates.sort(key=_rank_key)
    label = {s.id: s.item.label for s in suggestions}
    rank = {label[sid]: n for n, (_, sid) in enumerate(candidates)}
    last = len(rank)
    for s in suggestions:
        s.item_rank = rank.get(s.item.label, last)


def _suggestion_candidates(
    findings: list[Finding[Any]],
    suggestions: list[Suggestion],
    context: AnalysisContext,
    kinds: Kinds,
) -> tuple[dict[str, list[str]], list[tuple[ActionCandidate, str]]]:
    """The items people wait on (with the findings that say so), and one hand-off
    action per suggested item: its best suggestion (the analysis ranks its candidates)."""
    holding_up: dict[str, list[str]] = {}
    for f in findings:
        kind = kinds.get(f.kind)
        for label in kind.holds_up(f) if kind is not None and f.computed else ():
            holding_up.setdefault(label, []).append(f.id)
    candidates: list[tuple[ActionCandidate, str]] = []
    best: dict[str, Suggestion] = {}
    for s in suggestions:
        best.setdefault(s.item.label, s)
    for s in best.values():
        kind = kinds.get(s.analysis)
        candidate = kind.suggestion_action(s, context) if kind is not None else None
        if candidate is not None:
            if candidate.about in holding_up:
                candidate.action.people_unblocked = max(candidate.action.people_unblocked, 1)
            candidates.append((candidate, s.id))
    return holding_up, candidates


def _rank_key(c: tuple[ActionCandidate, str]) -> tuple[int, float, int, str, str]:
    """Measured before estimated, then by value; ties by order, item and source id."""
    return (action_tier(c[0].action), -round(_value(c[0]), 6), c[0].order, c[0].about, c[1])


def _value(candidate: ActionCandidate) -> float:
    action = candidate.action
    hours = action.lead_hours_freed * candidate.weight
    return action_value(hours, action.people_unblocked, candidate.waited_days)
