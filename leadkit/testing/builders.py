"""Datasets by hand: a tiny DSL for teams (people, items, PRs, a config, ``now``), and reports.

    from leadkit.testing import Team, ago, finding, request

    team = Team(lead="jamie", members=["owen", "priya"])
    team.pr(41, author="owen", paths=["pipeline/run.py"], created=ago(3),
            requests=[request("jamie", ago(3))])
    doc = team.json()                          # the report's JSON, as a dict
    finding(doc, kind)                         # the one finding of that kind

Times default to the builder's ``now`` (Friday 2026-11-20 16:00 UTC);
``ago(days, hours)`` counts back from it. Everything goes through the public
interfaces: ``parse_config`` for the config, ``build_report`` with the
built-in plugins for the report, ``Report.as_dict`` for the JSON.
:func:`run_report` turns any dataset (an adapter's, with account keys) and a
config into the report ``leadkit report`` would make of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

from leadkit.analyze.build import build_report
from leadkit.collect.identity import resolve_identities
from leadkit.config import Config, parse_config
from leadkit.model.data import (
    Account,
    CodeOwners,
    Comment,
    Dataset,
    DueSource,
    Link,
    Person,
    Review,
    ReviewRequest,
    ReviewSubmission,
    StatusCategory,
    Transition,
    Window,
    WorkItem,
    WorkType,
    due_at,
    normalize_type,
)
from leadkit.model.report import Report
from leadkit.options import configure_plugins
from leadkit.plugins import PluginHost, load_plugins
from leadkit.timeutil import parse_datetime

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
"""A Friday afternoon."""

_HOST: PluginHost | None = None


def host() -> PluginHost:
    """The built-in plugins only (loaded once: loading is the slow part)."""
    global _HOST
    if _HOST is None:
        _HOST = load_plugins(use_entry_points=False, environ={})
    return _HOST


def run_report(
    dataset: Dataset,
    config: Config | str,
    *,
    team: str | None = None,
    plugins: Iterable[ModuleType | object] = (),
) -> Report:
    """The report ``leadkit report`` makes of ``dataset`` with ``config`` (a Config or TOML).

    Accounts are merged into people as in a run (``[people.<id>] github = ...``
    maps them), then every built-in finding kind runs, plus those of
    ``plugins`` (modules or objects with hook implementations); a kind that
    fails fails the call instead of becoming a note.
    """
    if isinstance(config, str):
        config = parse_config(config)
    extra = list(plugins)
    if extra:
        named = [(getattr(p, "__name__", type(p).__name__), p) for p in extra]
        plugin_host = load_plugins(use_entry_points=False, environ={}, extra=named)
    else:
        plugin_host = host()
    config = configure_plugins(config, plugin_host)
    resolved = resolve_identities(dataset, config.people)
    return build_report(resolved, config, plugin_host, team_name=team, strict=True)


def ago(days: float = 0.0, hours: float = 0.0, *, now: datetime = NOW) -> datetime:
    """A time ``days`` and ``hours`` before ``now``."""
    return now - timedelta(days=days, hours=hours)


def at(text: str) -> datetime:
    """``"2026-11-16T09:00"`` as an aware UTC datetime."""
    return parse_datetime(text)


def comment(
    by: str, when: datetime, *, question: bool = False, mentions: Iterable[str] = ()
) -> Comment:
    """A comment by ``by`` at ``when`` (a question, mentioning people, when asked)."""
    return Comment(by=by, at=when, question=question, mentions=tuple(mentions))


def request(
    reviewer: str, when: datetime | None, *, removed: datetime | None = None, by: str | None = None
) -> ReviewRequest:
    """A review request for ``reviewer`` (withdrawn at ``removed``)."""
    return ReviewRequest(reviewer=reviewer, requested=when, removed=removed, by=by)


def review(by: str, when: datetime, state: str = "approved") -> ReviewSubmission:
    """A submitted review (``approved``, ``changes_requested``, ``commented``, ``dismissed``)."""
    return ReviewSubmission(by=by, state=state, at=when)  # type: ignore[arg-type]


def moved(to_status: str, when: datetime, *, by: str | None = None) -> Transition:
    """A status change to ``to_status`` (its category guessed from the name)."""
    return Transition(at=when, to_status=to_status, by=by, to_category=category_of(to_status))


def blocks(key: str) -> Link:
    return Link("blocks", key)


def blocked_by(key: str) -> Link:
    return Link("is-blocked-by", key)


def category_of(status: str) -> StatusCategory:
    """``todo``, ``in_progress`` or ``done`` for a status name, as Jira's categories go."""
    lowered = status.lower()
    if lowered in ("to do", "todo", "open", "backlog", "selected for development"):
        return "todo"
    if lowered in ("done", "closed", "resolved", "merged"):
        return "done"
    return "in_progress"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _table(header: str, body: Mapping[str, Any]) -> str:
    lines = [header]
    lines.extend(f"{json.dumps(k)} = {_toml(v)}" for k, v in body.items())
    return "\n".join(lines)


class Team:
    """A hand-built dataset and config for one (or more) teams."""

    def __init__(
        self,
        lead: str = "jamie",
        members: Iterable[str] | None = ("owen", "priya", "tommy"),
        *,
        now: datetime = NOW,
        since_days: float = 28,
        history_days: int = 90,
        name: str = "core",
        timezone: str | None = None,
        working_days: Iterable[str] | None = None,
        **team_keys: Any,
    ) -> None:
        """``team_keys``: more ``[team]`` keys (``working_hours``, ``holidays``...)."""
        self.now = now
        self.since_days = since_days
        self.history_days = history_days
        self.teams: list[dict[str, Any]] = []
        self.people: dict[str, Person] = {}
        self.items: list[WorkItem] = []
        self.prs: list[Review] = []
        self.owners: list[CodeOwners] = []
        self.thresholds: dict[str, float] = {}
        self.delegation: dict[str, Any] = {}
        self.overrides: dict[str, str] = {}
        self.analysis: dict[str, Any] = {}
        self.areas: dict[str, Any] = {}
        """``[areas]`` keys: ``units`` (folder patterns), ``fixtures``."""
        self.person_config: dict[str, dict[str, Any]] = {}
        self.add_team(
            name, lead, members, timezone=timezone, working_days=working_days, **team_keys
        )

    # -- people and teams -------------------------------------------------------

    def add_team(
        self,
        name: str,
        lead: str,
        members: Iterable[str] | None,
        *,
        timezone: str | None = None,
        working_days: Iterable[str] | None = None,
        **team_keys: Any,
    ) -> Team:
        body: dict[str, Any] = {"name": name, "lead": lead, **team_keys}
        if members is not None:
            body["members"] = list(members)
        if timezone:
            body["timezone"] = timezone
        if working_days is not None:
            body["working_days"] = list(working_days)
        self.teams.append(body)
        for pid in (lead, *(members or ())):
            self.person(pid)
        return self

    def person(
        self,
        pid: str,
        name: str | None = None,
        *,
        growth: Iterable[str] = (),
        away: Iterable[str] = (),
        accounts: Iterable[Account] = (),
    ) -> Person:
        """A person (created once; later calls add growth goals or time away)."""
        person = self.people.get(pid)
        if person is None:
            person = Person(
                id=pid,
                name=name or pid.capitalize(),
                accounts=tuple(accounts) or (Account("github", pid, login=pid),),
            )
            self.people[pid] = person
        growth, away = list(growth), list(away)
        if growth:
            self.person_config.setdefault(pid, {})["growth"] = growth
        if away:
            self.person_config.setdefault(pid, {})["away"] = away
        return person

    # -- work -----------------------------------------------------------------------

    def item(
        self,
        key: str,
        *,
        assignee: str | None,
        type: WorkType = "task",
        raw_type: str | None = None,
        status: str = "In Progress",
        title: str | None = None,
        created: datetime | None = None,
        updated: datetime | None = None,
        labels: Iterable[str] = (),
        components: Iterable[str] = (),
        parent: str | None = None,
        links: Iterable[Link] = (),
        transitions: Iterable[Transition] = (),
        comments: Iterable[Comment] = (),
        source: str = "jira",
        due: datetime | None = None,
        due_source: DueSource = "duedate",
        due_name: str | None = None,
    ) -> WorkItem:
        """A work item; ``raw_type`` (Jira's "Sub-task", "Story"...) sets ``type`` as Jira's adapter would.

        ``due``: its due day, held as an adapter holds it (the end of that day, :func:`due_at`),
        from ``due_source`` (a fix version or milestone named ``due_name``).
        """
        if raw_type is not None:
            type = normalize_type(raw_type)
        created = created or ago(20, now=self.now)
        transitions = tuple(transitions)
        comments = tuple(comments)
        latest = max([created, *(t.at for t in transitions), *(c.at for c in comments)])
        item = WorkItem(
            source=source,
            key=key,
            title=title or f"{key} title",
            type=type,
            raw_type=raw_type,
            status=status,
            status_category=category_of(status),
            created=created,
            updated=updated or latest,
            url=f"https://jira.example/browse/{key}",
            assignee=assignee,
            labels=tuple(labels),
            components=tuple(components),
            parent=parent,
            links=tuple(links),
            transitions=transitions,
            comments=comments,
            due=due and due_at(due),
            due_source=due_source if due else None,
            due_name=due_name if due else None,
        )
        self.items.append(item)
        return item

    def pr(
        self,
        number: int,
        *,
        author: str | None,
        title: str | None = None,
        repo: str = "acme/app",
        paths: Iterable[str] = ("src/main.py",),
        created: datetime | None = None,
        updated: datetime | None = None,
        merged: datetime | None = None,
        closed: datetime | None = None,
        draft: bool = False,
        last_pushed: datetime | None = None,
        requests: Iterable[ReviewRequest] = (),
        reviews: Iterable[ReviewSubmission] = (),
        comments: Iterable[Comment] = (),
        linked: Iterable[str] = (),
        source: str = "github",
        ref_sep: str = "#",
        url: str | None = None,
        due: datetime | None = None,
        due_name: str | None = None,
    ) -> Review:
        """A pull request (or, with ``source="gitlab", ref_sep="!"``, a merge request).

        ``due``: the due day of its milestone (named ``due_name``), as :meth:`item` holds one.
        """
        created = created or ago(5, now=self.now)
        reviews = tuple(reviews)
        comments = tuple(comments)
        latest = max(
            [
                created,
                *(r.at for r in reviews),
                *(c.at for c in comments),
                *(t for t in (merged, closed, last_pushed) if t),
            ]
        )
        pr = Review(
            source=source,
            repo=repo,
            number=number,
            title=title or f"PR {number}",
            created=created,
            updated=updated or latest,
            url=url or f"https://github.com/{repo}/pull/{number}",
            author=author,
            merged=merged,
            closed=closed or merged,
            draft=draft,
            last_pushed=last_pushed,
            review_requests=tuple(requests),
            reviews=reviews,
            comments=comments,
            paths=tuple(paths),
            linked_keys=tuple(linked),
            ref_sep=ref_sep,
            due=due and due_at(due),
            due_source="milestone" if due else None,
            due_name=due_name if due else None,
        )
        self.prs.append(pr)
        return pr

    def merged_pr(
        self, number: int, *, author: str, reviewers: Iterable[str], days_ago: float = 3, **kw: Any
    ) -> Review:
        """A PR merged ``days_ago``, approved by each reviewer just before."""
        when = ago(days_ago, now=self.now)
        return self.pr(
            number,
            author=author,
            created=when - timedelta(days=1),
            merged=when,
            reviews=[review(r, when - timedelta(hours=1)) for r in reviewers],
            **kw,
        )

    def codeowners(
        self, text: str, *, repo: str = "acme/app", path: str = ".github/CODEOWNERS"
    ) -> CodeOwners:
        """A repository's CODEOWNERS file, as an adapter reads it."""
        owners = CodeOwners.parse("github", repo, path, text)
        self.owners.append(owners)
        return owners

    # -- config, dataset, report --------------------------------------------------

    def config_text(self) -> str:
        parts = []
        if len(self.teams) == 1:
            parts.append(_table("[team]", self.teams[0]))
        else:
            parts.extend(_table("[[teams]]", body) for body in self.teams)
        for pid, body in sorted(self.person_config.items()):
            parts.append(_table(f"[people.{pid}]", body))
        if self.thresholds:
            parts.append(_table("[thresholds]", self.thresholds))
        if self.delegation:
            parts.append(_table("[delegation]", self.delegation))
        if self.overrides:
            parts.append(_table("[delegation.overrides]", self.overrides))
        if self.areas:
            parts.append(_table("[areas]", self.areas))
        parts.append(
            _table(
                "[analysis]",
                {
                    "since": f"{self.since_days:g}d",
                    "history_days": self.history_days,
                    **self.analysis,
                },
            )
        )
        return "\n\n".join(parts) + "\n"

    def config(self) -> Config:
        return parse_config(self.config_text())

    def dataset(self) -> Dataset:
        start = self.now - timedelta(days=self.since_days)
        history = min(self.now - timedelta(days=self.history_days), start)
        return Dataset(
            window=Window(start=start, end=self.now, history_start=history),
            people=list(self.people.values()),
            work_items=list(self.items),
            reviews=list(self.prs),
            code_owners=list(self.owners),
        )

    def report(self, team: str | None = None) -> Report:
        return build_report(self.dataset(), self.config(), host(), team_name=team, strict=True)

    def json(self, team: str | None = None) -> dict[str, Any]:
        return self.report(team).as_dict()

    def text(self, team: str | None = None) -> str:
        """The JSON report as bytes-on-disk text, for byte-identity checks."""
        return json.dumps(self.json(team), indent=2, sort_keys=False)


# -- reading a report's JSON ---------------------------------------------------------


def findings(doc: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["kind"] == kind]


def finding(doc: Mapping[str, Any], kind: str) -> dict[str, Any] | None:
    """The single finding of ``kind`` (None when there is none)."""
    found = findings(doc, kind)
    assert len(found) <= 1, f"expected at most one {kind} finding, got {len(found)}"
    return found[0] if found else None


def label(ref: Mapping[str, Any]) -> str:
    """``PIPE-1``, ``acme/app#41`` or ``group/name!41``, for an item in the JSON."""
    return ref["key"] if "key" in ref else str(ref["ref"])


def labels(found: Mapping[str, Any]) -> list[str]:
    return [label(i) for i in found["items"]]


def suggestions(doc: Mapping[str, Any], item: str | None = None) -> list[dict[str, Any]]:
    """Suggestions, optionally for one item label, best first."""
    out = [s for s in doc["suggestions"] if item is None or label(s["item"]) == item]
    return sorted(out, key=lambda s: -s["score"])


def assert_no_alarm(doc: Mapping[str, Any]) -> None:
    """Nothing is warn or high."""
    loud = [(f["kind"], f["severity"], f["message"]) for f in doc["findings"]]
    loud = [x for x in loud if x[1] != "info"]
    assert not loud, loud
