"""Building a report: run every analysis per team, rank the actions, shape the JSON.

The JSON's top level (``schema_version``, ``window``, ``people``, ``actions``,
``findings``, ``suggestions``) is a documented contract; see
``docs/report-json.md``. Same dataset and ``--now`` give byte-identical JSON.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from leadkit.analysis import AnalysisContext
from leadkit.config import Config, TeamConfig
from leadkit.errors import ConfigError, LeadkitError
from leadkit.findings import SEVERITY_ORDER, Action, Finding, ItemRef, Suggestion
from leadkit.identity import reference_index
from leadkit.kinds import ActionCandidate, Chart, Kinds
from leadkit.model import Dataset, Person, Window
from leadkit.plugins import PluginHost
from leadkit.secrets import redact
from leadkit.sources import SourceStats
from leadkit.timeutil import iso

REPORT_SCHEMA_VERSION = 2
"""2: every open item the lead holds is a delegation candidate unless kept; code areas
at the depth where ownership differs; ``lead_hours_estimated`` on suggestions and actions;
bots and team requests counted apart, never as people (``bot_prs_waiting``, ``team_requests_waiting``)."""
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


@dataclass
class TeamSummary:
    name: str
    lead: str
    members: list[str]
    charts: list[Chart] = field(default_factory=list)
    """The kinds' charts for this team, in order (not in the JSON)."""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "lead": self.lead, "members": list(self.members)}


@dataclass(frozen=True)
class Kept:
    """An open item the lead holds that the delegation rules keep with the lead."""

    team: str
    item: ItemRef
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"team": self.team, "item": self.item.as_dict(), "reason": self.reason}


@dataclass(frozen=True)
class AnalysisRun:
    """How one analysis went for one team: ``ok`` or ``failed``, and whose it is."""

    name: str
    team: str
    plugin: str
    status: Literal["ok", "failed"] = "ok"
    error: str | None = None
    """For a failure: the exception, one line, secrets masked."""
    who: str = ""
    """The plugin and its distribution (:meth:`leadkit.plugins.PluginInfo.who`)."""
    traceback: str | None = None
    """For a failure: its traceback, secrets masked (shown with ``--debug``)."""

    def note(self) -> str:
        """The sentence a reader sees for a failure."""
        return f"analysis '{self.name}' ({self.who or self.plugin}) failed: {self.error}"


@dataclass
class Report:
    """Everything a renderer needs; :meth:`as_dict` is the JSON report."""

    window: Window
    teams: list[TeamSummary]
    people: list[Person]
    findings: list[Finding[Any]] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """About the data and what analyses handed back; failures are in :attr:`analyses`."""
    kept: list[Kept] = field(default_factory=list)
    """What the lead holds and the rules keep, so a missing suggestion has a reason."""
    stats: list[SourceStats] = field(default_factory=list)
    analyses: list[AnalysisRun] = field(default_factory=list)
    """Every analysis run, per team, with its status."""
    not_loaded: list[str] = field(default_factory=list)
    """Plugins that failed to load or were disabled: their analyses did not run."""
    lead_details: dict[str, list[str]] = field(default_factory=dict)
    """Per finding id, lines only the lead's own report shows (counts about colleagues)."""

    def all_notes(self) -> list[str]:
        """The notes, then one sentence per failed analysis (what readers see)."""
        return [*self.notes, *(run.note() for run in self.analyses if run.status == "failed")]

    def analysis_run(self, name: str, team: str) -> AnalysisRun | None:
        """How analysis ``name`` went for ``team`` (None: it was not registered)."""
        return next((r for r in self.analyses if r.name == name and r.team == team), None)

    def person_name(self, person_id: str | None) -> str:
        for person in self.people:
            if person.id == person_id:
                return person.name
        return person_id or "nobody"

    def finding(self, finding_id: str) -> Finding[Any] | None:
        return next((f for f in self.findings if f.id == finding_id), None)

    def suggestion(self, suggestion_id: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "window": {
                "start": iso(self.window.start),
                "end": iso(self.window.end),
                "history_start": iso(self.window.history_start),
            },
            "teams": [t.as_dict() for t in self.teams],
            "people": [
                {
                    "id": p.id,
                    "name": p.name,
                    "accounts": p.account_ids(),
                }
                for p in self.people
            ],
            "actions": [a.as_dict() for a in self.actions],
            "findings": [f.as_dict() for f in self.findings],
            "suggestions": [s.as_dict() for s in self.suggestions],
            "kept": [k.as_dict() for k in self.kept],
            "notes": self.all_notes(),
        }


def as_people(team: TeamConfig, dataset: Dataset) -> TeamConfig:
    """The team with its members (and lead) as the ids of the people identity merging made.

    A config may name members by person id, account key (``github:jlee``, as
    ``leadkit people`` lists them) or login; each must become the one person
    holding that account, or a human would be listed twice.
    """
    index = reference_index(dataset.people)

    def person(ref: str) -> str:
        return index.get(ref.lower(), ref)

    lead = person(team.lead)
    members = tuple(dict.fromkeys(m for m in map(person, team.members) if m != lead))
    if (lead, members) == (team.lead, team.members):
        return team
    return replace(team, lead=lead, members=members)


def build_report(
    dataset: Dataset,
    config: Config,
    host: PluginHost,
    *,
    team_name: str | None = None,
    stats: Iterable[SourceStats] = (),
    strict: bool = False,
) -> Report:
    """Run the registered analyses for each selected team and rank the actions."""
    teams = [config.team(team_name)] if team_name else list(config.teams)
    if not teams:
        raise LeadkitError('the config names no team: add [team] with lead = "<person id>"')
    teams = [as_people(team, dataset) for team in teams]
    # A configured person with no account seen is listed too: only accounts count.
    known = {p.id for p in dataset.people if p.accounts}
    kinds = host.kinds
    thresholds = {**kinds.defaults(), **config.thresholds}
    notes = list(dataset.notes)
    findings: list[Finding[Any]] = []
    suggestions: list[Suggestion] = []
    actions: list[Action] = []
    members: dict[str, tuple[str, ...]] = {}
    charts: dict[str, list[Chart]] = {}
    lead_details: dict[str, list[str]] = {}
    kept: list[Kept] = []
    runs: list[AnalysisRun] = []
    for team in teams:
        if team.lead not in known:
            # A report without the lead's data would pass every gate: refuse it.
            raise ConfigError(
                f"team '{team.name}': the lead '{team.lead}' matches no tracker account in "
                f"the data; check the accounts in [people.{team.lead}] (leadkit people lists "
                "every account seen)"
            )
        context = AnalysisContext(dataset, config, team, thresholds)
        members[team.name] = context.members
        kept.extend(
            Kept(team.name, ItemRef.of(item), reason) for item, reason in context.kept_with_lead()
        )
        team_findings, team_suggestions = _run_analyses(context, host, notes, runs, strict)
        _label(team, team_findings, team_suggestions, many=len(teams) > 1)
        charts[team.name] = _charts(team_findings, context, kinds, runs)
        for f in team_findings:
            kind = kinds.get(f.kind)
            details = list(kind.lead_details(f, context.name)) if kind and f.computed else []
            if details:
                lead_details[f.id] = details
        findings.extend(team_findings)
        suggestions.extend(team_suggestions)
        actions.extend(
            rank_actions(
                team_findings, team_suggestions, context, kinds, config.analysis.max_actions
            )
        )
    involved = {t.lead for t in teams} | {m for t in teams for m in members[t.name]}
    for f in findings:
        involved.update(f.people)
    for s in suggestions:
        involved.update((s.from_, s.to))
    people = sorted((p for p in dataset.people if p.id in involved), key=lambda p: p.id)
    return Report(
        window=dataset.window,
        teams=[TeamSummary(t.name, t.lead, list(members[t.name]), charts[t.name]) for t in teams],
        people=sorted(people, key=lambda p: p.id),
        findings=findings,
        suggestions=suggestions,
        actions=actions,
        notes=notes,
        kept=kept,
        stats=list(stats),
        analyses=runs,
        not_loaded=host.not_loaded(),
        lead_details=lead_details,
    )


def _charts(
    findings: list[Finding[Any]], context: AnalysisContext, kinds: Kinds, runs: list[AnalysisRun]
) -> list[Chart]:
    """Each kind's charts for the team (drawn from its first finding, or saying why not)."""
    ran = {r.name for r in runs if r.team == context.team.name}
    out: list[Chart] = []
    for kind in kinds:
        if kind.kind in ran:
            finding = next((f for f in findings if f.kind == kind.kind), None)
            out.extend(kind.charts(finding, context.name(context.lead)))
    return sorted(out, key=lambda c: c.order)


def _run_analyses(
    context: AnalysisContext,
    host: PluginHost,
    notes: list[str],
    runs: list[AnalysisRun],
    strict: bool,
) -> tuple[list[Finding[Any]], list[Suggestion]]:
    findings: list[Finding[Any]] = []
    suggestions: list[Suggestion] = []
    kinds = host.kinds
    for kind in kinds:
        analysis = host.analyses[kind.kind]
        try:
            results = list(kind.run(context) or ())
        except LeadkitError:
            raise
        except Exception as exc:
            if strict:
                raise
            error = redact(f"{type(exc).__name__}: {exc}")
            trace = redact(traceback.format_exc())
            team = context.team.name
            runs.append(
                AnalysisRun(kind.kind, team, analysis.plugin, "failed", error, analysis.who, trace)
            )
            continue
        runs.append(AnalysisRun(kind.kind, context.team.name, analysis.plugin, who=analysis.who))
        for result in results:
            if isinstance(result, Finding):
                findings.append(result)
            elif isinstance(result, Suggestion):
                result.analysis = kind.kind
                suggestions.append(result)
            else:
                notes.append(
                    f"analysis '{kind.kind}' returned {type(result).__name__}, which was ignored"
                )
    findings.sort(
        key=lambda f: (
            not f.computed,
            SEVERITY_ORDER.get(f.severity, 3),
            kinds.rank(f.kind),
            f.kind,
            f.message,
        )
    )
    # By item; within an item the analysis's own order (its best candidate first) is kept.
    suggestions.sort(key=lambda s: s.item.sort_key)
    return findings, suggestions


def _label(
    team: TeamConfig, findings: list[Finding[Any]], suggestions: list[Suggestion], many: bool
) -> None:
    prefix = f"{team.name}/" if many else ""
    counts: dict[str, int] = {}
    for f in findings:
        f.team = team.name
        counts[f.kind] = counts.get(f.kind, 0) + 1
        n = counts[f.kind]
        f.id = f"{prefix}{f.kind}" if n == 1 else f"{prefix}{f.kind}-{n}"
    for i, s in enumerate(suggestions, start=1):
        s.team = team.name
        s.id = f"{prefix}s{i}"


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
    computed = [f for f in findings if f.computed]
    # Items people wait on, and the findings that say so: acting on one unblocks someone.
    holding_up: dict[str, list[str]] = {}
    for f in computed:
        kind = kinds.get(f.kind)
        for label in kind.holds_up(f) if kind is not None else ():
            holding_up.setdefault(label, []).append(f.id)
    candidates: list[tuple[ActionCandidate, str]] = []
    best: dict[str, Suggestion] = {}
    for s in suggestions:  # the analysis ranks its candidates: the first for an item is its best
        best.setdefault(s.item.label, s)
    for s in best.values():
        kind = kinds.get(s.analysis)
        candidate = kind.suggestion_action(s, context) if kind is not None else None
        if candidate is not None:
            if candidate.about in holding_up:
                candidate.action.people_unblocked = max(candidate.action.people_unblocked, 1)
            candidates.append((candidate, s.id))
    handed = {c.about for c, _ in candidates}
    for f in computed:
        kind = kinds.get(f.kind)
        if kind is None or (f.severity == "info" and not kind.acts_on_info):
            continue
        for candidate in kind.actions(f, context):
            if candidate.about not in handed:
                candidates.append((candidate, f.id))
    candidates.sort(
        key=lambda c: (
            action_tier(c[0].action),
            -round(_value(c[0]), 6),
            c[0].order,
            c[0].about,
            c[1],
        )
    )
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


def _value(candidate: ActionCandidate) -> float:
    action = candidate.action
    hours = action.lead_hours_freed * candidate.weight
    return action_value(hours, action.people_unblocked, candidate.waited_days)
