"""Building the report: every registered finding kind run for each team.

Each team gets its own :class:`AnalysisContext`; a kind that raises leaves a
failed status (and a note), the others still run. The ranked actions come
from :mod:`leadkit.analyze.ranking`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import BadResult, Kinds, run_kind
from leadkit.analyze.membership import Membership
from leadkit.analyze.ranking import rank_actions, rank_suggested_items
from leadkit.analyze.trend import WindowRun, as_of, previous_window, team_trends
from leadkit.collect.identity import reference_index
from leadkit.collect.sources import SourceStats
from leadkit.config import Config, TeamConfig
from leadkit.errors import PLUGIN_ERRORS, ConfigError, LeadkitError
from leadkit.model.data import Dataset, bounded
from leadkit.model.findings import SEVERITY_ORDER, Action, Finding, ItemRef, LeftOut, Suggestion
from leadkit.model.report import (
    AnalysisRun,
    Chart,
    Kept,
    Report,
    TeamSummary,
    Trend,
    WorkingTime,
)
from leadkit.plugins import PluginHost, describe_error
from leadkit.secrets import redact


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
    weeks: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Run the registered analyses for each selected team and rank the actions.

    Each team's trend metrics are compared with the previous window of the
    same length (:mod:`leadkit.analyze.trend`); ``weeks`` > 0 also computes
    that many weekly points for the HTML sparklines. ``progress`` is told
    each analysis as it starts (the progress line on a terminal).
    """
    teams = [config.team(team_name)] if team_name else list(config.teams)
    if not teams:
        raise LeadkitError('the config names no team: add [team] with lead = "<person id>"')
    dataset = bounded(as_of(dataset, dataset.window))
    teams = [as_people(team, dataset) for team in teams]
    # A configured person with no account seen is listed too: only accounts count.
    known = {p.id for p in dataset.people if p.accounts}
    kinds = host.kinds
    notes = list(dataset.notes)
    findings: list[Finding[Any]] = []
    suggestions: list[Suggestion] = []
    actions: list[Action] = []
    members: dict[str, tuple[str, ...]] = {}
    charts: dict[str, list[Chart]] = {}
    lead_details: dict[str, list[str]] = {}
    kept: list[Kept] = []
    runs: list[AnalysisRun] = []
    trends: dict[str, tuple[list[Trend], str]] = {}
    working: dict[str, WorkingTime] = {}
    summary_fields: dict[str, dict[str, Any]] = {}
    left_out: dict[str, list[LeftOut]] = {}
    for team in teams:
        if team.lead not in known:
            # A report without the lead's data would pass every gate: refuse it.
            raise ConfigError(
                f"team '{team.name}': the lead '{team.lead}' matches no tracker account in "
                f"the data; check the accounts in [people.{team.lead}] (leadkit people lists "
                "every account seen)"
            )
        context = _context(dataset, config, kinds, team)
        thresholds = context.thresholds
        working[team.name] = context.working_time()
        members[team.name] = context.members
        kept.extend(
            Kept(team.name, ItemRef.of(item), reason) for item, reason in context.kept_with_lead()
        )
        team_findings, team_suggestions, team_left_out = _run_analyses(
            context, host, notes, runs, strict, progress
        )
        team_suggestions = _at_most(team_suggestions, config.delegation.candidates)
        left_out[team.name] = _never_suggested(team_left_out, team_suggestions)
        _label(team, team_findings, team_suggestions, many=len(teams) > 1)
        rank_suggested_items(team_findings, team_suggestions, context, kinds)
        charts[team.name] = _charts(team_findings, context, kinds, runs)
        summary_fields[team.name] = _team_fields(team_findings, kinds)
        for f in team_findings:
            kind = kinds.get(f.kind)
            details = list(kind.lead_details(f, context.name)) if kind and f.computed else []
            if details:
                lead_details[f.id] = details
        ran = {r.name for r in runs if r.team == team.name and r.status == "ok"}
        trends[team.name] = team_trends(
            dataset,
            config,
            team,
            thresholds,
            kinds,
            WindowRun(team_findings, ran),
            weeks=weeks,
            strict=strict,
        )
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
        teams=[
            TeamSummary(
                t.name,
                t.lead,
                list(members[t.name]),
                charts[t.name],
                *trends[t.name],
                working_time=working[t.name],
                left_out=left_out[t.name],
                **summary_fields[t.name],
            )
            for t in teams
        ],
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
        evidence=config.analysis.evidence,
        # --evidence all lists everything: suggestions for every item too.
        max_items=config.delegation.max_items if config.analysis.evidence is not None else None,
        previous=previous_window(dataset.window),
    )


def _context(dataset: Dataset, config: Config, kinds: Kinds, team: TeamConfig) -> AnalysisContext:
    """One team's analysis context, with the kinds' thresholds for its working day."""
    return AnalysisContext(
        dataset, config, team, kinds.thresholds(config.thresholds, team.day_hours)
    )


def memberships(
    dataset: Dataset, config: Config, host: PluginHost, team_name: str | None = None
) -> list[tuple[TeamConfig, Membership]]:
    """Each selected team (its lead as a person id) and its members with why, as a report
    finds them: for ``leadkit people``."""
    teams = [config.team(team_name)] if team_name else list(config.teams)
    dataset = as_of(dataset, dataset.window)
    out = []
    for team in teams:
        team = as_people(team, dataset)
        out.append((team, _context(dataset, config, host.kinds, team).membership))
    return out


def _at_most(suggestions: list[Suggestion], candidates: int) -> list[Suggestion]:
    """At most ``candidates`` suggestions per item, the analysis's best first."""
    seen: dict[str, int] = {}
    out = []
    for s in suggestions:
        seen[s.item.label] = seen.get(s.item.label, 0) + 1
        if seen[s.item.label] <= candidates:
            out.append(s)
    return out


def _team_fields(findings: list[Finding[Any]], kinds: Kinds) -> dict[str, Any]:
    """The team summary's fields the kinds' computed findings fill (:meth:`team_fields`)."""
    out: dict[str, Any] = {}
    for f in findings:
        kind = kinds.get(f.kind)
        if kind is not None and f.computed:
            out.update(kind.team_fields(f))
    return out


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
    progress: Callable[[str], None] | None = None,
) -> tuple[list[Finding[Any]], list[Suggestion], list[LeftOut]]:
    findings: list[Finding[Any]] = []
    suggestions: list[Suggestion] = []
    left_out: list[LeftOut] = []
    kinds = host.kinds
    total = len(list(kinds))
    for number, kind in enumerate(kinds, 1):
        if progress is not None:
            progress(f"team {context.team.name}: analysing {kind.kind} ({number} of {total})")
        analysis = host.analyses[kind.kind]
        try:
            results = run_kind(kind, context)
        except LeadkitError:
            raise
        except PLUGIN_ERRORS as exc:
            if strict:
                raise
            error = redact(str(exc) if isinstance(exc, BadResult) else describe_error(exc))
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
            elif isinstance(result, LeftOut):
                left_out.append(result)
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
    return findings, suggestions, left_out


def _never_suggested(left_out: list[LeftOut], suggestions: list[Suggestion]) -> list[LeftOut]:
    """One entry per person no analysis suggested anything to: the first analysis's reason."""
    suggested = {s.to for s in suggestions}
    out: dict[str, LeftOut] = {}
    for entry in left_out:
        if entry.person not in suggested:
            out.setdefault(entry.person, entry)
    return list(out.values())


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
