"""Who reads a report: the lead, or the whole team (``--audience lead|team``).

The lead's report has everything: names, scores, counts per person, the
prompts to check in with someone. The team's report is what a job summary,
a Slack channel, the report issue and a pull-request comment carry, where
the whole team reads it: :func:`for_audience` makes it once, and every
renderer (a plugin's too) and publisher reads it as it reads any report, so
nothing per person can slip through one format. It leaves out:

- the findings of a kind declared :attr:`~leadkit.analyze.kinds.FindingKind.lead_only`
  (``quiet-work``: "check in with Tommy"), and the actions that cite only them;
- every metrics field marked :data:`~leadkit.model.findings.PER_PERSON` (``askers``,
  ``pulled_in_by``, ``reviews_by_reviewer``; a team's ``left_out``), at any depth;
- the evidence keys each kind declares per person
  (:attr:`~leadkit.analyze.kinds.FindingKind.per_person_evidence`), and gives each
  suggestion its reasons in words instead of its rationale with counts;
- each action's message with counts, for its words (:attr:`Action.shared`);
- the lines only the lead's report shows (:attr:`Report.lead_details`).

The JSON records ``audience``. Which is the default depends on where the
report goes (:func:`default_audience`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from leadkit.analyze.kinds import Kinds, reasons_in_words
from leadkit.model.findings import Action, Suggestion, is_per_person
from leadkit.model.report import AUDIENCES, Audience, Report, TeamSummary

__all__ = ["AUDIENCES", "LEAD", "TEAM", "Audience", "default_audience", "for_audience"]

LEAD: Audience = "lead"
TEAM: Audience = "team"

Destination = Literal["output", "publish", "comment"]


def default_audience(chosen: Audience | None, where: Destination) -> Audience:
    """The audience asked for, else where the report goes decides: the terminal and
    ``--output`` files are the lead's; ``--publish`` and the PR comment are the team's."""
    if chosen is not None:
        return chosen
    return LEAD if where == "output" else TEAM


def for_audience(report: Report, audience: Audience, kinds: Kinds) -> Report:
    """The report as ``audience`` reads it (the lead's is ``report`` itself)."""
    if audience == LEAD:
        return report
    lead_only = kinds.lead_only()
    dropped = {f.id for f in report.findings if f.kind in lead_only}
    findings = [
        dataclasses.replace(f, metrics=without_per_person(f.metrics))
        for f in report.findings
        if f.id not in dropped
    ]
    return dataclasses.replace(
        report,
        audience=TEAM,
        teams=[_team(t) for t in report.teams],
        findings=findings,
        suggestions=[_suggestion(report, s, kinds) for s in report.suggestions],
        actions=_actions(report.actions, dropped),
        lead_details={},
    )


def without_per_person(value: Any) -> Any:
    """``value`` with every field marked ``PER_PERSON`` emptied, at any depth (a copy:
    the lead's report keeps them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            current = getattr(value, f.name)
            kept = _empty(current) if is_per_person(f) else without_per_person(current)
            if kept is not current:
                changes[f.name] = kept
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, list):
        out = [without_per_person(v) for v in value]
        return out if any(a is not b for a, b in zip(out, value, strict=True)) else value
    return value


def _empty(value: Any) -> Any:
    """An empty value of the same shape (a list, a dict...), or None."""
    if isinstance(value, list | tuple | dict | set | frozenset):
        return type(value)()
    return None


def _team(team: TeamSummary) -> TeamSummary:
    kept: TeamSummary = without_per_person(team)
    return kept


def _suggestion(report: Report, s: Suggestion, kinds: Kinds) -> Suggestion:
    """The suggestion with its reasons in words (no score or count said about the person)
    and its per-person evidence left out."""
    hidden = kinds.per_person_evidence(s.analysis)
    return dataclasses.replace(
        s,
        rationale=f"{report.person_name(s.to)} {reasons_in_words(s)}",
        evidence={k: v for k, v in s.evidence.items() if k not in hidden},
    )


def _actions(actions: list[Action], dropped: set[str]) -> list[Action]:
    """The actions in the team's words, without those that cite only lead-only findings;
    ranks renumbered per team."""
    out: list[Action] = []
    rank: dict[str | None, int] = {}
    for a in actions:
        if a.findings and all(fid in dropped for fid in a.findings):
            continue
        rank[a.team] = rank.get(a.team, 0) + 1
        out.append(
            dataclasses.replace(a, rank=rank[a.team], message=a.shared or a.message, shared=None)
        )
    return out
