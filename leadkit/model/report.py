"""The report as plain data: what every renderer, publisher and gate reads.

The JSON's top level (``schema_version``, ``window``, ``people``, ``actions``,
``findings``, ``suggestions``) is a documented contract; see
``docs/report-json.md``. Same dataset and ``--now`` give byte-identical JSON.
Built by :func:`leadkit.analyze.build.build_report`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from leadkit.model.data import Person, Window
from leadkit.model.findings import (
    PER_PERSON,
    Action,
    Finding,
    ItemRef,
    LeftOut,
    Suggestion,
    is_per_person,
    metrics_json,
)
from leadkit.timeutil import iso

if TYPE_CHECKING:
    from leadkit.collect.sources import SourceStats

REPORT_SCHEMA_VERSION = 6
"""6: a view beyond next week (issue 21): the ``team-flow``, ``member-status`` (and
``teams[].members_status``) and ``lead-time`` kinds (see
docs/report-json.md, "Changes"). 5: advice that holds on real teams (issue 19): a suggestion's ``evidence.strength``;
``audience`` (``lead`` or ``team``: the team's report leaves out check-in prompts and
counts per person); interrupt-load's ``reviewing``, ``answering`` and ``review_share``
(see docs/report-json.md, "Changes"). 4: waits in real working time (the team's working hours, less holidays and time away);
``teams[].working_time``, ``oldest_waiting_days`` and ``waiting_days`` (see docs/report-json.md).
3: bounded whatever the org's size: every evidence list (``items``, the metrics'
lists, the lists in a suggestion's evidence) holds its first ``bounds.evidence`` entries
with ``<name>_total`` beside it; ``suggestions`` and ``kept`` cover the lead's top
``bounds.max_items`` items, with ``suggestions_total``, ``suggestions_omitted`` and
``kept_total``. 2: every open item the lead holds is a delegation candidate unless kept;
code areas at the depth where ownership differs; ``lead_hours_estimated`` on suggestions
and actions; bots and team requests counted apart, never as people."""
ChartShape = Literal["stacked", "bars"]
Audience = Literal["lead", "team"]
"""Who reads a report: the lead (everything, names and counts included) or the whole team
(no check-in prompt naming anyone, no count per person): see :mod:`leadkit.present.audience`."""
AUDIENCES: tuple[Audience, ...] = ("lead", "team")


@dataclass
class Chart:
    """One chart's numbers, or why it was not drawn; each renderer draws its shape its own way.

    ``labels`` name the bars (week starts, or names, which are tracker text);
    ``series`` gives one value per label for each named part of a stacked bar.
    """

    key: str
    title: str
    shape: ChartShape = "bars"
    """``stacked``: bars of up to three parts per label (weeks); ``bars``: one bar per label."""
    label_header: str = "who"
    """What the labels are, as the numbers table's first column says."""
    order: int = 0
    """Where it goes among a team's charts."""
    labels: list[str] = field(default_factory=list)
    series: list[tuple[str, list[int]]] = field(default_factory=list)
    total: int | None = None
    """What the values are out of (merged PRs by others), for shares."""
    caption: str = ""
    missing: str | None = None
    """Set when the chart's finding was not computed: the reason, for the reader."""
    in_words: bool = False
    """Its finding's message gives these numbers and their trend in words: the HTML draws
    it; text and markdown, which read the message, do not repeat it as a chart."""

    def not_drawn(self, finding: Finding[Any] | None, kind: str) -> bool:
        """Mark the chart missing when its finding is absent or not computed; True if so."""
        if finding is None:
            self.missing = f"Not drawn: the {kind} analysis gave no result for this team."
        elif not finding.computed:
            self.missing = f"Not drawn: {finding.message}"
        return self.missing is not None


@dataclass
class Trend:
    """How one key number moved: this window's value against the previous window's.

    ``now`` or ``previous`` is None when the data was too thin to say (or the
    kind could not give the number); never a number resting on too few samples.
    """

    metric: str
    kind: str
    label: str
    now: float | None
    previous: float | None
    shown_now: str = ""
    """``now`` as the trend line prints it (``78%``); ``"n/a"`` when None."""
    shown_previous: str = ""
    weekly: list[float | None] = field(default_factory=list)
    """Week by week, oldest first, for the HTML sparkline (not in the JSON); empty: not computed."""
    weekly_shown: list[str] = field(default_factory=list)
    """``weekly`` as the trend line prints values (``78%``), for the sparkline's title."""

    def line(self) -> str:
        """``The lead's review share: 78% (was 85%)``; ``(was: too little data)`` when unknown."""
        was = f"was {self.shown_previous}" if self.previous is not None else "was: too little data"
        return f"{self.label[:1].upper()}{self.label[1:]}: {self.shown_now} ({was})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "kind": self.kind,
            "now": self.now,
            "previous": self.previous,
        }


@dataclass
class WorkingTime:
    """What a working day is for a team: the unit every wait in its report is counted in."""

    hours: str
    """The working hours, ``09:00-17:00``, in :attr:`timezone`."""
    day_hours: float
    """A working day's length in hours: ``N working days`` is ``N × day_hours`` working hours."""
    timezone: str
    days: str
    """The working days in words: ``Monday-Friday``."""
    holidays: list[str] = field(default_factory=list)
    """Days off on working days from the history's start to the report's end (ISO dates)."""
    holiday_calendar: str | None = None
    holidays_set: bool = False
    """Whether the config names holidays or a calendar (even if none fell in the window)."""

    def sentence(self) -> str:
        """``8 h, 09:00-17:00 Europe/Berlin, Monday-Friday, holidays excluded``."""
        text = f"{self.day_hours:g} h, {self.hours} {self.timezone}, {self.days}"
        return text + (", holidays excluded" if self.holidays_set else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "hours": self.hours,
            "day_hours": self.day_hours,
            "timezone": self.timezone,
            "days": self.days,
            "holidays": list(self.holidays),
            "holiday_calendar": self.holiday_calendar,
        }


@dataclass
class TeamSummary:
    name: str
    lead: str
    members: list[str]
    charts: list[Chart] = field(default_factory=list)
    """The kinds' charts for this team, in order (not in the JSON)."""
    trend: list[Trend] = field(default_factory=list)
    """The kinds' key numbers against the previous window, in kind order."""
    weekly_note: str = ""
    """Why the HTML draws no sparklines for this team (too little history), when it does not."""
    working_time: WorkingTime | None = None
    """What a working day is for the team (None in a report built without one)."""
    members_status: list[Any] = field(default_factory=list, metadata=PER_PERSON)
    """One line per member (``member-status``: what they are on, wait on, their state), in
    the team's order; filled by that kind (:meth:`FindingKind.team_fields`); the lead's only."""
    left_out: list[LeftOut] = field(default_factory=list, metadata=PER_PERSON)
    """One per member never suggested anything, with why: the lead's report only."""

    def as_dict(self, per_person: bool = True, limit: int | None = None) -> dict[str, Any]:
        """The team's JSON; a field marked ``PER_PERSON`` only when ``per_person``; its
        evidence lists cut to ``limit`` entries, as the findings' are."""
        out: dict[str, Any] = {
            "name": self.name,
            "lead": self.lead,
            "members": list(self.members),
            "trend": [t.as_dict() for t in self.trend],
        }
        if self.working_time is not None:
            out["working_time"] = self.working_time.as_dict()
        out["left_out"] = [x.as_dict() for x in self.left_out]
        out["members_status"] = [metrics_json(s, limit) for s in self.members_status]
        if not per_person:
            for f in dataclasses.fields(self):
                if is_per_person(f):
                    out.pop(f.name, None)
        return out


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
    previous: Window | None = None
    """The window the trends compare with: the one of the same length just before."""
    evidence: int | None = None
    """How many entries each evidence list shows (``[analysis] evidence``, ``--evidence``);
    None: all. The findings keep every item; only what is listed is bounded."""
    max_items: int | None = None
    """Per team, how many of the lead's items the listed suggestions and ``kept`` cover
    (``[delegation] max_items``); None: all (``--evidence all``)."""
    audience: Audience = "lead"
    """Who it is for: ``lead`` has everything; ``team`` is the report made for the whole team
    by :func:`leadkit.present.audience.for_audience` (every renderer follows it)."""

    def listed_suggestions(self) -> list[Suggestion]:
        """The suggestions a report lists: those for each team's top ``max_items`` items
        (ranked by the value of handing them off), and any an action cites.

        :attr:`suggestions` keeps them all (``leadkit comment`` looks up a PR's own).
        """
        if self.max_items is None:
            return list(self.suggestions)
        limit = self.max_items
        cited = {sid for action in self.actions for sid in action.suggestions}
        return [s for s in self.suggestions if s.item_rank < limit or s.id in cited]

    def listed_kept(self) -> list[Kept]:
        """What a report lists of :attr:`kept`: the first ``max_items`` per team."""
        if self.max_items is None:
            return list(self.kept)
        per_team: dict[str, int] = {}
        out = []
        for k in self.kept:
            per_team[k.team] = per_team.get(k.team, 0) + 1
            if per_team[k.team] <= self.max_items:
                out.append(k)
        return out

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
        listed = self.listed_suggestions()
        per_person = self.audience == "lead"
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "audience": self.audience,
            "bounds": {"evidence": self.evidence, "max_items": self.max_items},
            "window": {
                "start": iso(self.window.start),
                "end": iso(self.window.end),
                "history_start": iso(self.window.history_start),
                **({"previous_start": iso(self.previous.start)} if self.previous else {}),
            },
            "teams": [t.as_dict(per_person, self.evidence) for t in self.teams],
            "people": [
                {
                    "id": p.id,
                    "name": p.name,
                    "accounts": p.account_ids(),
                }
                for p in self.people
            ],
            "actions": [a.as_dict() for a in self.actions],
            "findings": [f.as_dict(self.evidence, per_person) for f in self.findings],
            "suggestions": [s.as_dict(self.evidence) for s in listed],
            "suggestions_total": len(self.suggestions),
            "suggestions_omitted": len(self.suggestions) - len(listed),
            "kept": [k.as_dict() for k in self.listed_kept()],
            "kept_total": len(self.kept),
            "notes": self.all_notes(),
        }
