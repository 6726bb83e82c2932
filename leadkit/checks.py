"""``leadkit config check``: validate everything short of calling the trackers."""

from __future__ import annotations

import os
from collections.abc import Mapping

from leadkit.config import find_config
from leadkit.errors import ConfigError
from leadkit.pipeline import RunOptions, Session


def check_config(path: str | None, environ: Mapping[str, str] | None = None) -> list[str]:
    """Lines describing a valid config; raises ConfigError naming the first problem."""
    env = os.environ if environ is None else environ
    found = find_config(path, env)
    if found is None:
        raise ConfigError(
            "no config file found: pass --config FILE, set LEADKIT_CONFIG, or create ./leadkit.toml"
        )
    warnings: list[str] = []
    session = Session.open(RunOptions(config_path=str(found), environ=env, warn=warnings.append))
    config = session.config
    lines = [f"config: {found}", *(f"warning: {w}" for w in warnings)]
    if not config.teams:
        raise ConfigError(f"{found}: no [team] (or [[teams]]) with a lead is configured")
    for team in config.teams:
        lines.append(
            f"team {team.name}: lead {team.lead}, "
            + (
                f"members {', '.join(team.members)}"
                if team.members
                else "members: everyone active in the window"
            )
        )
        for pid in team.members:
            if pid not in config.people:
                lines.append(
                    f"warning: '{pid}' of team {team.name} has no [people.{pid}] table; "
                    "their accounts will be matched by email, login or name"
                )
    trackers = {s.type for s in config.sources}
    for person in config.people.values():
        for tracker in person.accounts:
            if tracker not in trackers and trackers - {"file"}:
                lines.append(
                    f"warning: people.{person.id}.{tracker} names a tracker no source reads "
                    f"(sources: {', '.join(sorted(trackers))})"
                )
    if not config.sources:
        lines.append("warning: no [[sources]]: leadkit report has nothing to read")
    for source in config.sources:
        adapter = session.adapter(source)
        lines.append(f"source {source.name} ({source.type}, {type(adapter).__module__}): ok")
    config.require_lead_people()
    lines.append("config ok")
    return lines
