"""Building a report: run every analysis per team, rank the actions, shape the JSON.

The JSON's top level (``schema_version``, ``window``, ``people``, ``actions``,
``findings``, ``suggestions``) is a documented contract; see
``docs/report-json.md``. Same dataset and ``--now`` give byte-identical JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from leadkit.analyses.review_queue import working_days
from leadkit.analysis import AnalysisContext
from leadkit.config import Config, TeamConfig
from leadkit.errors import ConfigError, LeadkitError
from leadkit.findings import FINDING_KINDS, SEVERITY_ORDER, Action, Finding, ItemRef, Suggestion
from leadkit.identity import reference_index
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


def hours_text(hours: float, estimated: bool, whose: str = "") -> str:
    """``about 6 h``, or ``about 6 h, an estimate`` when the hours are a default."""
    shown = f"{hours:.1f}".removesuffix(".0")
    text = f"about {shown} h" + (f" {whose}" if whose else "")
    return text + (", an estimate" if estimated else "")


@dataclass
class TeamSummary:
    name: str
    lead: str
    members: list[str]

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

    def note(self) -> str:
        """The sentence a reader sees for a failure."""
        return f"analysis '{self.name}' (plugin {self.plugin}) failed: {self.error}"


@dataclass
class Report:
    """Everything a renderer needs; :meth:`as_dict` is the JSON report."""

    window: Window
    teams: list[TeamSummary]
    people: list[Person]
    findings: list[Finding] = field(default_factory=list)
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

    def finding(self, finding_id: str) -> Finding | None:
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
    notes = list(dataset.notes)
    findings: list[Finding] = []
    suggestions: list[Suggestion] = []
    actions: list[Action] = []
    contexts: dict[str, AnalysisContext] = {}
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
        context = AnalysisContext(dataset, config, team)
        contexts[team.name] = context
        kept.extend(
            Kept(team.name, ItemRef.of(item), reason) for item, reason in context.kept_with_lead()
        )
        team_findings, team_suggestions = _run_analyses(context, host, notes, runs, strict)
        _label(team, team_findings, team_suggestions, many=len(teams) > 1)
        findings.extend(team_findings)
        suggestions.extend(team_suggestions)
        actions.extend(
            rank_actions(team_findings, team_suggestions, context, config.analysis.max_actions)
        )
    involved = {t.lead for t in teams} | {m for t in teams for m in contexts[t.name].members}
    for f in findings:
        involved.update(f.people)
    for s in suggestions:
        involved.update((s.from_, s.to))
    people = sorted((p for p in dataset.people if p.id in involved), key=lambda p: p.id)
    return Report(
        window=dataset.window,
        teams=[TeamSummary(t.name, t.lead, list(contexts[t.name].members)) for t in teams],
        people=sorted(people, key=lambda p: p.id),
        findings=findings,
        suggestions=suggestions,
        actions=actions,
        notes=notes,
        kept=kept,
        stats=list(stats),
        analyses=runs,
        not_loaded=host.not_loaded(),
    )


def _run_analyses(
    context: AnalysisContext,
    host: PluginHost,
    notes: list[str],
    runs: list[AnalysisRun],
    strict: bool,
) -> tuple[list[Finding], list[Suggestion]]:
    findings: list[Finding] = []
    suggestions: list[Suggestion] = []
    for name in sorted(host.analyses, key=_analysis_order):
        analysis = host.analyses[name]
        try:
            results = list(analysis.function(context) or ())
        except LeadkitError:
            raise
        except Exception as exc:
            if strict:
                raise
            error = redact(f"{type(exc).__name__}: {exc}")
            runs.append(AnalysisRun(name, context.team.name, analysis.plugin, "failed", error))
            continue
        runs.append(AnalysisRun(name, context.team.name, analysis.plugin))
        for result in results:
            if isinstance(result, Finding):
                findings.append(result)
            elif isinstance(result, Suggestion):
                suggestions.append(result)
            else:
                notes.append(
                    f"analysis '{name}' returned {type(result).__name__}, which was ignored"
                )
    findings.sort(key=_finding_order)
    # By item; within an item the analysis's own order (its best candidate first) is kept.
    suggestions.sort(key=lambda s: s.item.sort_key)
    return findings, suggestions


def _analysis_order(name: str) -> tuple[int, str]:
    return (FINDING_KINDS.index(name) if name in FINDING_KINDS else len(FINDING_KINDS), name)


def _finding_order(f: Finding) -> tuple[Any, ...]:
    kind_rank = FINDING_KINDS.index(f.kind) if f.kind in FINDING_KINDS else len(FINDING_KINDS)
    return (not f.computed, SEVERITY_ORDER.get(f.severity, 3), kind_rank, f.kind, f.message)


def _label(
    team: TeamConfig, findings: list[Finding], suggestions: list[Suggestion], many: bool
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
    findings: list[Finding], suggestions: list[Suggestion], context: AnalysisContext, limit: int
) -> list[Action]:
    """At most ``limit`` actions, ranked on what is measured.

    People unblocked and how long they waited, reviews queued, and the lead's
    hours freed (weighed by the kind of work). An action whose only weight is
    an estimate of the lead's hours comes after every action that unblocks someone.
    """
    candidates: list[tuple[float, str, Action, str]] = []
    claimed: set[str] = set()
    best: dict[str, Suggestion] = {}
    for s in suggestions:  # the analysis ranks its candidates: the first for an item is its best
        best.setdefault(s.item.label, s)
    blocking_labels = {
        i.label for f in findings if f.kind == "blocking-work" and f.computed for i in f.items
    }
    for label, s in best.items():
        unblocks = 1 if label in blocking_labels else 0
        waited = float(s.evidence.get("waited_days", 0.0) or 0.0)
        if s.action == "review":
            waiting = context.name(s.evidence.get("author")) if s.evidence.get("author") else None
            message = f"Hand the review of {label} to {context.name(s.to)}"
            after = f"; {waiting} is waiting" if waiting else ""
            unblocks = max(unblocks, 1)
            kind = "hand-review"
        elif s.action == "answer":
            message = f"Ask {context.name(s.to)} to field {s.item.title}"
            after = ""
            kind = "share-answering"
        else:
            message = f"Delegate {label} '{s.item.title}' to {context.name(s.to)}"
            after = "; frees " + hours_text(
                s.lead_hours_freed, s.lead_hours_estimated, "of your time"
            )
            kind = "delegate"
        # The kind of work weighs the hours: routine work is the easier hand-off.
        weight = float(s.evidence.get("rank_weight", 1.0) or 1.0)
        value = action_value(s.lead_hours_freed * weight, unblocks, waited)
        action = Action(
            0,
            kind,
            message + _because(context.name(s.to), s.rationale) + after,
            suggestions=[s.id],
            lead_hours_freed=s.lead_hours_freed,
            people_unblocked=unblocks,
            lead_hours_estimated=s.lead_hours_estimated,
        )
        candidates.append((value, label, action, s.id))
    for f in findings:
        if not f.computed or (f.severity == "info" and f.kind != "quiet-work"):
            continue
        for action, label, waited in _finding_actions(f, context):
            if label in best:
                continue
            value = action_value(action.lead_hours_freed, action.people_unblocked, waited)
            candidates.append((value, label, action, f.id))
    candidates.sort(
        key=lambda c: (
            action_tier(c[2]),
            -round(c[0], 6),
            _KIND_ORDER.get(c[2].kind, 9),
            c[1],
            c[3],
        )
    )
    actions: list[Action] = []
    for _value, label, action, _ in candidates:
        if len(actions) >= limit:
            break
        if label in claimed:
            continue
        claimed.add(label)
        if label in blocking_labels and action.kind != "unblock":
            action.findings.extend(f.id for f in findings if f.kind == "blocking-work")
        actions.append(action)
    for rank, action in enumerate(actions, start=1):
        action.rank = rank
        action.team = context.team.name
    return actions


def _because(name: str, rationale: str) -> str:
    """``", who touched ..."`` when the rationale starts with the person's name."""
    if rationale.startswith(name + " "):
        return ", who " + rationale[len(name) + 1 :]
    return ": " + rationale


_KIND_ORDER = {
    "delegate": 0,
    "unblock": 1,
    "hand-review": 2,
    "review": 3,
    "check-in": 4,
    "share-answering": 5,
    "finish": 6,
}


def _finding_actions(f: Finding, context: AnalysisContext) -> list[tuple[Action, str, float]]:
    """The actions a finding suggests on its own (when no delegation covers the item)."""
    out: list[tuple[Action, str, float]] = []
    if f.kind == "blocking-work":
        for entry in f.metrics.get("blocking", []):
            names = ", ".join(context.name(p) for p in entry["blocked_people"])
            out.append(
                (
                    Action(
                        0,
                        "unblock",
                        f"Unblock {names} by finishing or handing off {entry['item']} "
                        f"'{entry['title']}'",
                        findings=[f.id],
                        lead_hours_freed=0.0,
                        people_unblocked=len(entry["blocked_people"]),
                    ),
                    entry["item"],
                    max(b["days"] for b in entry["blocked"]),
                )
            )
    elif f.kind == "quiet-work":
        for entry in f.metrics.get("quiet", []):
            out.append(
                (
                    Action(
                        0,
                        "check-in",
                        f"Check in with {context.name(entry['person'])} about {entry['item']} "
                        f"'{entry['title']}' (no update for {entry['days_idle']:.0f} days)",
                        findings=[f.id],
                        people_unblocked=1,
                    ),
                    entry["item"],
                    entry["days_idle"],
                )
            )
    elif f.kind == "review-queue":
        for entry in f.metrics.get("waiting", []):
            hours = entry["waiting_hours"]
            waited = "is waiting" if hours is None else f"has waited {working_days(hours)}"
            out.append(
                (
                    Action(
                        0,
                        "review",
                        f"Review {entry['pr']} yourself: nobody else has worked on its code, "
                        f"and {context.name(entry['author'])} {waited}",
                        findings=[f.id],
                        lead_hours_freed=0.0,
                        people_unblocked=1,
                    ),
                    entry["pr"],
                    (hours or 0.0) / 24.0,
                )
            )
    elif f.kind == "stalled-own-work":
        for entry in f.metrics.get("stalled", []):
            verb = "Ask for a review of" if entry.get("no_reviewer") else "Finish or hand off"
            out.append(
                (
                    Action(
                        0,
                        "finish",
                        f"{verb} {entry['item']} '{entry['title']}' "
                        f"(no progress for {entry['days_idle']:.0f} days)",
                        findings=[f.id],
                        lead_hours_freed=1.0,
                        lead_hours_estimated=True,
                    ),
                    entry["item"],
                    0.0,
                )
            )
    return out
