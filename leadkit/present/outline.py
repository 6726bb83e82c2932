"""The report laid out once, for every human-readable format to render.

Every string here may hold tracker text: renderers escape all of it.

The report's audience (:attr:`Report.audience`, see :mod:`leadkit.present.audience`)
decides what is said about named colleagues, in every format alike. The lead's
report adds the scores and who pulls the lead in, with counts. The team's
(job summaries, Slack, the report issue, PR comments) has no scores and no
counts per person: the reasons go in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadkit.analyze.kinds import WEAK_LABEL, reasons_in_words, weak_evidence
from leadkit.model.findings import Finding, ItemRef, Suggestion, first
from leadkit.model.report import Audience, Chart, Report, TeamSummary

__all__ = ["Chart", "Entry", "Evidence", "Outline", "Section", "build_outline", "reasons_in_words"]

SEVERITY_LABEL = {"high": "HIGH", "warn": "WARN", "info": "INFO"}
LEAD: Audience = "lead"
TEAM: Audience = "team"


@dataclass
class Evidence:
    label: str
    title: str
    url: str | None
    note: str | None


@dataclass
class Entry:
    text: str
    badge: str | None = None
    kind: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    more: str | None = None
    """After the evidence: how many items are not listed (``and 81 more (91 in all)``)."""
    weekly: list[float | None] = field(default_factory=list)
    """A trend's weekly points, oldest first, for a sparkline (HTML); empty: none."""
    weekly_shown: list[str] = field(default_factory=list)
    """The same points in words (``78%``, ``too little data``)."""


@dataclass
class Section:
    title: str
    entries: list[Entry]
    numbered: bool = False
    key: str = ""
    """Stable name (``actions``, ``findings``, ...) so renderers can place charts."""


@dataclass
class TeamOutline:
    heading: str
    sections: list[Section]
    charts: list[Chart] = field(default_factory=list)
    weekly_note: str = ""
    """Why no sparklines are drawn for the team, when weekly points were asked for."""


@dataclass
class Outline:
    title: str
    subtitle: str
    teams: list[TeamOutline]
    notes: list[str]
    footer: list[str] = field(default_factory=list)
    """What the report's units mean: the working day, defined once for every wait in it."""


def evidence(ref: ItemRef) -> Evidence:
    return Evidence(ref.label, ref.title, ref.url, ref.note)


def more_line(listed: int, total: int, what: str = "") -> str | None:
    """``and 81 more (91 in all)`` when a bounded report lists ``listed`` of ``total``."""
    if total <= listed:
        return None
    return f"and {total - listed:,} more{what} ({total:,} in all; --evidence all lists them)"


def finding_entry(report: Report, f: Finding[Any], audience: Audience = TEAM) -> Entry:
    listed = first(f.items, report.evidence)
    return Entry(
        text=f.message,
        badge=SEVERITY_LABEL.get(f.severity, f.severity.upper()),
        kind=f.kind,
        evidence=[evidence(i) for i in listed],
        details=list(report.lead_details.get(f.id, [])) if audience == LEAD else [],
        more=more_line(len(listed), len(f.items)),
    )


def suggestion_entry(report: Report, s: Suggestion, audience: Audience = TEAM) -> Entry:
    verb = {"review": "review of", "answer": "", "delegate": ""}.get(s.action, "")
    target = f"{verb} {s.item.label}".strip() if s.action != "answer" else s.item.title
    title = f" '{s.item.title}'" if s.action != "answer" else ""
    frees = (
        f"frees about {_hours(s.lead_hours_freed)} of {report.person_name(s.from_)}'s time"
        + (", an estimate" if s.lead_hours_estimated else "")
        + f" ({s.evidence.get('hours_basis', 'estimate')})"
    )
    if audience == LEAD:
        details = [
            s.rationale + ".",
            f"score {s.score:.2f} (familiarity {s.familiarity:.2f}, capacity {s.capacity:.2f}, "
            f"growth {s.growth:.2f}); {frees}",
        ]
    else:
        details = [f"{report.person_name(s.to)} {reasons_in_words(s)}; {frees}."]
    weak = f" ({WEAK_LABEL})" if weak_evidence(s) else ""
    return Entry(
        text=f"{target}{title} → {report.person_name(s.to)}{weak}",
        kind=s.action,
        evidence=[evidence(s.item)] if s.item.url else [],
        details=details,
    )


NOT_SUGGESTED_NAMES = 12
"""How many people the "Not suggested" line names before "and N more"."""


def not_suggested_line(report: Report, team: TeamSummary) -> str | None:
    """``Not suggested: Sam (away until 4 Dec), Kim (twice the team's median load or more)``:
    one line per team, from ``left_out`` (empty in the team's report)."""
    if not team.left_out:
        return None
    shown = team.left_out[:NOT_SUGGESTED_NAMES]
    said = ", ".join(f"{report.person_name(x.person)} ({x.detail})" for x in shown)
    more = len(team.left_out) - len(shown)
    return f"Not suggested: {said}" + (f", and {more:,} more (the JSON lists them)" if more else "")


def _hours(value: float) -> str:
    return f"{value:.1f} h" if value < 10 else f"{value:.0f} h"


def _day(when: datetime) -> str:
    """``Sep 25``."""
    return f"{when:%b} {when.day}"


def build_outline(report: Report) -> Outline:
    """The report laid out for its audience (:attr:`Report.audience`)."""
    audience = report.audience
    start, end = report.window.start, report.window.end
    days = round((end - start).total_seconds() / 86400)
    teams = []
    listed_suggestions = report.listed_suggestions()
    listed_kept = report.listed_kept()
    for team in report.teams:
        findings = [f for f in report.findings if f.team == team.name]
        judged = [f for f in findings if f.computed]
        unjudged = [f for f in findings if not f.computed]
        every = [s for s in report.suggestions if s.team == team.name]
        suggestions = [s for s in listed_suggestions if s.team == team.name]
        actions = [a for a in report.actions if a.team == team.name]
        sections = [
            Section(
                "Top actions",
                [Entry(a.shared or a.message if audience == TEAM else a.message) for a in actions]
                or [Entry("Nothing stands out: no action needs the lead's attention.")],
                numbered=True,
                key="actions",
            ),
            Section(
                "Findings",
                [finding_entry(report, f, audience) for f in judged]
                or [Entry("No findings in this window.")],
                key="findings",
            ),
        ]
        if team.trend and report.previous is not None:
            sections.append(
                Section(
                    f"Against the previous {days} days ({_day(report.previous.start)} → "
                    f"{_day(report.previous.end)})",
                    [
                        Entry(t.line(), weekly=list(t.weekly), weekly_shown=list(t.weekly_shown))
                        for t in team.trend
                    ],
                    key="trend",
                )
            )
        # Who was never suggested, and why: the lead's report only (the team's
        # report has no ``left_out``, a per-person field).
        not_suggested = not_suggested_line(report, team)
        if suggestions or not_suggested:
            entries = [suggestion_entry(report, s, audience) for s in suggestions]
            items = len({s.item.label for s in every}) - len({s.item.label for s in suggestions})
            more = more_line(
                len(suggestions), len(every), f" suggestions, for {items:,} items ranked lower"
            )
            sections.append(
                Section(
                    "Delegation suggestions",
                    entries
                    + ([Entry(more)] if more else [])
                    + ([Entry(not_suggested)] if not_suggested else []),
                    key="suggestions",
                )
            )
        kept = [k for k in listed_kept if k.team == team.name]
        if kept:
            total = sum(1 for k in report.kept if k.team == team.name)
            more = more_line(len(kept), total, " kept with the lead")
            sections.append(
                Section(
                    "Kept with the lead",
                    [
                        Entry(f"{k.item.label} '{k.item.title}': {k.reason}", evidence=[])
                        for k in kept
                    ]
                    + ([Entry(more)] if more else []),
                    key="kept",
                )
            )
        if unjudged:
            sections.append(
                Section(
                    "Not enough data",
                    [Entry(f.message, kind=f.kind) for f in unjudged],
                    key="not-computed",
                )
            )
        members = ", ".join(report.person_name(m) for m in team.members) or "nobody else"
        heading = f"Team {team.name}: lead {report.person_name(team.lead)}; members {members}"
        teams.append(TeamOutline(heading, sections, list(team.charts), team.weekly_note))
    return Outline(
        title="leadkit report",
        subtitle=f"{start:%Y-%m-%d} → {end:%Y-%m-%d} ({days} days), as of {end:%Y-%m-%d %H:%M} UTC",
        teams=teams,
        notes=report.all_notes(),
        footer=working_day_footer(report),
    )


def working_day_footer(report: Report) -> list[str]:
    """``Waits count working time only. A working day is 8 h, 09:00-17:00 Europe/Berlin,
    Monday-Friday, holidays excluded.``: one line, or one per team when the teams differ."""
    defined = [(t.name, t.working_time.sentence()) for t in report.teams if t.working_time]
    if not defined:
        return []
    head = "Waits count working time only."
    if len({sentence for _, sentence in defined}) == 1:
        return [f"{head} A working day is {defined[0][1]}."]
    return [head, *(f"Team {name}: a working day is {sentence}." for name, sentence in defined)]
