"""One tracker-neutral story of a team's merge requests and tickets, served by the fake GitLab
(:func:`as_gitlab`); the core's tests serve the same story on the fake GitHub and compare the
reports (``tests/test_gitlab_vs_github.py``).

Jamie approves every pipeline change alone; three changes wait on Jamie; Jamie holds test work
that Owen, who has done the pipeline tests before, could take.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from leadkit.cli import cli

from .fake_gitlab import NOW, FakeIssue, FakeMR, FakeProject

PEOPLE = """
[team]
name = "core"
lead = "jamie"
members = ["owen", "priya", "tommy"]

[people.jamie]
name = "Jamie Rivera"
{tracker} = "jamie"

[people.owen]
name = "Owen Ortiz"
{tracker} = "owen"

[people.priya]
name = "Priya Patel"
{tracker} = "priya"

[people.tommy]
name = "Tommy Tran"
{tracker} = "tommy"
"""
GITLAB_SOURCE = """
[[sources]]
type = "gitlab"
name = "code"
url = "{url}"
projects = ["acme/*"]
"""


@dataclass
class Change:
    """A merge/pull request in the story, tracker-neutral."""

    number: int
    title: str
    author: str
    created: datetime
    files: list[str]
    requested: list[tuple[str, datetime]] = field(default_factory=list)
    approved: list[tuple[str, datetime]] = field(default_factory=list)
    merged: datetime | None = None


@dataclass
class Ticket:
    number: int
    title: str
    author: str
    created: datetime
    labels: list[str]
    assignee: str
    closed: datetime | None = None


def story() -> tuple[list[Change], list[Ticket]]:
    """Jamie approves every pipeline change alone; three wait on Jamie; Jamie holds test work
    that Owen, who has done the pipeline tests before, could take."""
    t = NOW - timedelta(days=20)
    changes = []
    for n, author in enumerate(["owen", "priya", "tommy", "owen", "priya", "owen"], start=1):
        at = t + timedelta(days=n)
        changes.append(
            Change(
                n,
                f"Pipeline stage {n}",
                author,
                at,
                [
                    f"services/pipeline/stages/stage_{n}.py",
                    "services/pipeline/tests/test_stages.py",
                ],
                requested=[("jamie", at + timedelta(minutes=10))],
                approved=[("jamie", at + timedelta(hours=5))],
                merged=at + timedelta(hours=6),
            )
        )
    for n, author in ((7, "owen"), (8, "priya"), (9, "tommy")):
        at = NOW - timedelta(days=4, hours=n)
        changes.append(
            Change(
                n,
                f"Ingest step {n}",
                author,
                at,
                [f"services/ingest/step_{n}.py"],
                requested=[("jamie", at + timedelta(minutes=10))],
            )
        )
    tickets = [
        Ticket(
            20, "Pipeline tests flaky on CI", "owen", NOW - timedelta(days=6), ["test"], "jamie"
        ),
        Ticket(
            21, "Add pipeline test fixtures", "priya", NOW - timedelta(days=5), ["test"], "jamie"
        ),
        Ticket(
            22, "Pipeline test harness", "jamie", t, ["test"], "owen", closed=t + timedelta(days=3)
        ),
    ]
    return changes, tickets


def as_gitlab(changes: list[Change], tickets: list[Ticket]) -> list[FakeProject]:
    mrs = [
        FakeMR(
            c.number,
            c.title,
            c.author,
            c.created,
            c.merged or c.created + timedelta(minutes=10),
            state="merged" if c.merged else "opened",
            merged=c.merged,
            files=c.files,
            requests=[("requested", who, at, c.author) for who, at in c.requested],
            approvals=c.approved,
        )
        for c in changes
    ]
    issues = [
        FakeIssue(
            k.number,
            k.title,
            k.author,
            k.created,
            k.closed or k.created,
            state="closed" if k.closed else "opened",
            closed=k.closed,
            labels=k.labels,
            assignees=[k.assignee],
            state_events=[("closed", k.closed, k.assignee)] if k.closed else [],
        )
        for k in tickets
    ]
    return [FakeProject("acme/api", merge_requests=mrs, issues=issues)]


def report(config: Path, env: dict[str, str]) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        ["report", "--config", str(config), "--now", "2026-03-02T12:00:00Z", "--format", "json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data
