"""The report laid out once, for every human-readable format to render.

Every string here may hold tracker text: renderers escape all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from leadkit.findings import Finding, ItemRef, Suggestion
from leadkit.report import Report

SEVERITY_LABEL = {"high": "HIGH", "warn": "WARN", "info": "INFO"}


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


@dataclass
class Section:
    title: str
    entries: list[Entry]
    numbered: bool = False


@dataclass
class TeamOutline:
    heading: str
    sections: list[Section]


@dataclass
class Outline:
    title: str
    subtitle: str
    teams: list[TeamOutline]
    notes: list[str]


def evidence(ref: ItemRef) -> Evidence:
    return Evidence(ref.label, ref.title, ref.url, ref.note)


def finding_entry(f: Finding) -> Entry:
    return Entry(
        text=f.message,
        badge=SEVERITY_LABEL.get(f.severity, f.severity.upper()),
        kind=f.kind,
        evidence=[evidence(i) for i in f.items],
    )


def suggestion_entry(report: Report, s: Suggestion) -> Entry:
    verb = {"review": "review of", "answer": "", "delegate": ""}.get(s.action, "")
    target = f"{verb} {s.item.label}".strip() if s.action != "answer" else s.item.title
    title = f" '{s.item.title}'" if s.action != "answer" else ""
    return Entry(
        text=f"{target}{title} → {report.person_name(s.to)}",
        kind=s.action,
        evidence=[evidence(s.item)] if s.item.url else [],
        details=[
            s.rationale + ".",
            f"score {s.score:.2f} (familiarity {s.familiarity:.2f}, capacity {s.capacity:.2f}, "
            f"growth {s.growth:.2f}); frees about {_hours(s.lead_hours_freed)} of "
            f"{report.person_name(s.from_)}'s time ({s.evidence.get('hours_basis', 'estimate')})",
        ],
    )


def _hours(value: float) -> str:
    return f"{value:.1f} h" if value < 10 else f"{value:.0f} h"


def build_outline(report: Report) -> Outline:
    start, end = report.window.start, report.window.end
    days = round((end - start).total_seconds() / 86400)
    teams = []
    for team in report.teams:
        findings = [f for f in report.findings if f.team == team.name]
        judged = [f for f in findings if f.computed]
        unjudged = [f for f in findings if not f.computed]
        suggestions = [s for s in report.suggestions if s.team == team.name]
        actions = [a for a in report.actions if a.team == team.name]
        sections = [
            Section(
                "Top actions",
                [Entry(a.message) for a in actions]
                or [Entry("Nothing stands out: no action needs the lead's attention.")],
                numbered=True,
            ),
            Section(
                "Findings",
                [finding_entry(f) for f in judged] or [Entry("No findings in this window.")],
            ),
        ]
        if suggestions:
            sections.append(
                Section(
                    "Delegation suggestions", [suggestion_entry(report, s) for s in suggestions]
                )
            )
        if unjudged:
            sections.append(
                Section("Not enough data", [Entry(f.message, kind=f.kind) for f in unjudged])
            )
        members = ", ".join(report.person_name(m) for m in team.members) or "nobody else"
        heading = f"Team {team.name}: lead {report.person_name(team.lead)}; members {members}"
        teams.append(TeamOutline(heading, sections))
    return Outline(
        title="leadkit report",
        subtitle=f"{start:%Y-%m-%d} → {end:%Y-%m-%d} ({days} days), as of {end:%Y-%m-%d %H:%M} UTC",
        teams=teams,
        notes=list(report.notes),
    )
