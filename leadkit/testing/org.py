"""A generated org for tests and benchmarks at scale: seeded people with a Jira account and a
GitHub login each, and the leadkit.toml that names them.

A plugin's generator builds its tracker's items for these people (the fake GitHub's
``github_repos`` beside leadkit-github's tests; the core's ``tests/fakes/generate.py`` for Jira
and the model), so every tracker's generated team is the same team.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

AREAS = ("api", "web", "pipeline", "ingest", "docs", "infra", "billing", "auth")
"""The code areas generated work touches (paths, components, titles)."""


@dataclass(frozen=True)
class Member:
    """One person of the generated org: config id, Jira account, GitHub login."""

    id: str
    name: str
    jira: str
    github: str
    email: str


def org(size: int = 12) -> list[Member]:
    """The org's people; the first is the lead, the next seven the team."""
    names = ["Jamie", "Owen", "Tommy", "Priya", "Ana", "Ben", "Chen", "Dara"]
    out = []
    for i in range(size):
        first = names[i] if i < len(names) else f"Person{i}"
        pid = first.lower()
        out.append(
            Member(
                id=pid,
                name=f"{first} Example",
                jira=f"acc-{pid}",
                github=f"{pid}-gh",
                email=f"{pid}@acme.example",
            )
        )
    return out


def org_config(
    members: list[Member], *, sources: str = "", team_size: int = 8, extra: str = ""
) -> str:
    """A leadkit.toml for the org: the team, people with both accounts, then ``sources``."""
    lead, rest = members[0], members[1:team_size]
    lines = [
        "[team]",
        f'lead = "{lead.id}"',
        "members = [" + ", ".join(f'"{m.id}"' for m in rest) + "]",
        "",
    ]
    for m in members:
        lines += [
            f"[people.{m.id}]",
            f'name = "{m.name}"',
            f'jira = "{m.jira}"',
            f'github = "{m.github}"',
            "",
        ]
    return "\n".join(lines) + extra + "\n" + sources


def random_ago(rng: random.Random, now: datetime, days: float, min_hours: float = 2.0) -> datetime:
    """A moment between ``min_hours`` and ``days`` before ``now``, to the second."""
    seconds = rng.uniform(min_hours * 3600, days * 86400)
    return (now - timedelta(seconds=seconds)).replace(microsecond=0)
