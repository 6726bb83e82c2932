"""The report laid out once, for every human-readable format to render.

Every string here may hold tracker text: renderers escape all of it.

The audience decides what is said about named colleagues. Markdown and HTML
land in job summaries and PR comments the whole team reads (:data:`SHARED`):
no scores and no counts per person there, the reasons go in plain words. The
``text`` format is the lead's own report (:data:`LEAD`): it adds the scores
and who pulls the lead in, with counts. The JSON keeps every number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from leadkit.errors import LeadkitError
from leadkit.findings import Finding, ItemRef, Suggestion
from leadkit.report import Report
from leadkit.timeutil import parse_datetime

SEVERITY_LABEL = {"high": "HIGH", "warn": "WARN", "info": "INFO"}
Audience = Literal["lead", "shared"]
LEAD: Audience = "lead"
SHARED: Audience = "shared"


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
    key: str = ""
    """Stable name (``actions``, ``findings``, ...) so renderers can place charts."""


@dataclass
class Chart:
    """One chart's numbers, or why it was not drawn; each renderer draws it its own way.

    ``labels`` name the bars or slices (week starts, or reviewers' names, which
    are tracker text); ``series`` gives one value per label for each named part
    of a stacked bar.
    """

    key: str
    title: str
    labels: list[str] = field(default_factory=list)
    series: list[tuple[str, list[int]]] = field(default_factory=list)
    total: int | None = None
    """What the values are out of (merged PRs by others), for shares."""
    caption: str = ""
    missing: str | None = None
    """Set when the chart's finding was not computed: the reason, for the reader."""


@dataclass
class TeamOutline:
    heading: str
    sections: list[Section]
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Outline:
    title: str
    subtitle: str
    teams: list[TeamOutline]
    notes: list[str]


def evidence(ref: ItemRef) -> Evidence:
    return Evidence(ref.label, ref.title, ref.url, ref.note)


def finding_entry(report: Report, f: Finding, audience: Audience = SHARED) -> Entry:
    details = []
    pulled = f.metrics.get("pulled_in_by") if f.kind == "interrupt-load" else None
    if audience == LEAD and pulled:
        names = ", ".join(f"{report.person_name(p['person'])} ({p['actions']})" for p in pulled)
        details.append(f"Pulled in most by {names} (for you only: not in shared formats).")
    return Entry(
        text=f.message,
        badge=SEVERITY_LABEL.get(f.severity, f.severity.upper()),
        kind=f.kind,
        evidence=[evidence(i) for i in f.items],
        details=details,
    )


def reasons_in_words(s: Suggestion) -> str:
    """Why this person, with no score and no count: ``"knows services/orders/, has room"``.

    For the places the team reads (PR comments, job summaries); the scores
    and counts stay in the JSON and the lead's text report.
    """
    from leadkit.analyses.delegation import describe_area

    bits = []
    area = s.evidence.get("area")
    if s.action == "answer":
        bits.append(f"already answers questions on {s.item.key}")
    elif isinstance(area, str) and area:
        verb = "knows" if s.familiarity >= 0.5 else "has worked in"
        bits.append(f"{verb} {describe_area(area)}")
    if s.evidence.get("waiting_on_lead"):
        bits.append("has room while waiting on the lead")
    elif s.capacity >= 0.5 and not s.evidence.get("overloaded"):
        bits.append("has room")
    goal = s.evidence.get("growth_goal")
    if goal:
        bits.append(f"wants to learn {goal}")
    return ", ".join(bits) or "has worked on similar items"


def suggestion_entry(report: Report, s: Suggestion, audience: Audience = SHARED) -> Entry:
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
    return Entry(
        text=f"{target}{title} → {report.person_name(s.to)}",
        kind=s.action,
        evidence=[evidence(s.item)] if s.item.url else [],
        details=details,
    )


WEEKLY_PARTS = (
    ("own", "own work"),
    ("others", "others' items"),
    ("reactive", "reactive work"),
)


def _team_finding(report: Report, team: str, kind: str) -> Finding | None:
    return next((f for f in report.findings if f.team == team and f.kind == kind), None)


def _not_drawn(finding: Finding | None, kind: str) -> str | None:
    if finding is None:
        return f"Not drawn: the {kind} analysis gave no result for this team."
    if not finding.computed:
        return f"Not drawn: {finding.message}"
    return None


def weekly_chart(report: Report, team: str, lead: str) -> Chart:
    """The lead's weekly actions split into own work, others' items and reactive work."""
    finding = _team_finding(report, team, "interrupt-load")
    chart = Chart(
        "weekly-activity",
        f"{report.person_name(lead)}'s comments, reviews and status changes per week",
        caption="Weeks start on Monday; the first and last weeks may be partial.",
    )
    chart.missing = _not_drawn(finding, "interrupt-load")
    weekly = finding.metrics.get("weekly") if finding and not chart.missing else None
    if chart.missing is None and not weekly:
        chart.missing = "Not drawn: no weekly activity was recorded."
    if chart.missing is None and weekly:
        chart.labels = [_week_label(str(w["week"])) for w in weekly]
        chart.series = [(name, [int(w.get(key, 0)) for w in weekly]) for key, name in WEEKLY_PARTS]
    return chart


EVERYONE_ELSE = "everyone else"


def review_share_chart(report: Report, team: str, lead: str) -> Chart:
    """How many of others' merged PRs the lead reviewed, against everyone else together.

    Never a bar per named reviewer: the chart is about the lead, not a ranking.
    """
    finding = _team_finding(report, team, "review-concentration")
    chart = Chart("review-share", "Reviews of others' merged PRs: the lead and everyone else")
    chart.missing = _not_drawn(finding, "review-concentration")
    if chart.missing is None and finding is not None:
        m = finding.metrics
        by_lead = int(m.get("reviewed_by_lead") or 0)
        by_others = int(m.get("reviewed_by_others") or 0)
        if not by_lead and not by_others:
            chart.missing = "Not drawn: nobody reviewed the PRs others merged in the window."
        else:
            chart.labels = [report.person_name(lead), EVERYONE_ELSE]
            chart.series = [("PRs reviewed", [by_lead, by_others])]
            chart.total = int(m.get("merged_by_others") or 0) or None
            if chart.total:
                chart.caption = (
                    f"Out of {chart.total} PRs others merged in the window; "
                    "a PR reviewed by both counts in both bars."
                )
    return chart


def _week_label(week: str) -> str:
    try:
        day = parse_datetime(week, what="week")
    except LeadkitError:
        return week
    return f"{day:%b} {day.day}"


def _hours(value: float) -> str:
    return f"{value:.1f} h" if value < 10 else f"{value:.0f} h"


def build_outline(report: Report, audience: Audience = SHARED) -> Outline:
    """The report laid out for ``audience`` (:data:`SHARED` unless it is the lead's own)."""
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
                key="actions",
            ),
            Section(
                "Findings",
                [finding_entry(report, f, audience) for f in judged]
                or [Entry("No findings in this window.")],
                key="findings",
            ),
        ]
        if suggestions:
            sections.append(
                Section(
                    "Delegation suggestions",
                    [suggestion_entry(report, s, audience) for s in suggestions],
                    key="suggestions",
                )
            )
        kept = [k for k in report.kept if k.team == team.name]
        if kept:
            sections.append(
                Section(
                    "Kept with the lead",
                    [
                        Entry(f"{k.item.label} '{k.item.title}': {k.reason}", evidence=[])
                        for k in kept
                    ],
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
        charts = [
            weekly_chart(report, team.name, team.lead),
            review_share_chart(report, team.name, team.lead),
        ]
        teams.append(TeamOutline(heading, sections, charts))
    return Outline(
        title="leadkit report",
        subtitle=f"{start:%Y-%m-%d} → {end:%Y-%m-%d} ({days} days), as of {end:%Y-%m-%d %H:%M} UTC",
        teams=teams,
        notes=list(report.notes),
    )
