"""Sending a finished report somewhere: the context publishers receive, and the loop.

A publisher is registered through ``register_publishers`` as a name and a
``function(report, context)`` that returns a one-line summary of what it did.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leadkit.config import Config
from leadkit.model.report import Report
from leadkit.plugins import Publisher, failing_as

if TYPE_CHECKING:
    from leadkit.session import Session


@dataclass
class PublishContext:
    """What a publisher may use besides the report: the environment, the config, rendered text."""

    report: Report
    environ: Mapping[str, str]
    config: Config
    renderer: Callable[[str, dict[str, Any] | None], str]
    """The run's renderer: each format is rendered once (the text ``--output`` wrote is reused)."""
    session: Session | None = None
    """The run, for publishers that write through a source's code host (``github-issue``)."""

    def render(self, fmt: str, options: dict[str, Any] | None = None) -> str:
        """The report in ``fmt``."""
        return self.renderer(fmt, options)

    def render_team(self, fmt: str, team: str) -> str:
        """Only ``team``'s part of the report in ``fmt`` (the whole rendering when it is the only team)."""
        teams = [t for t in self.report.teams if t.name == team]
        if len(self.report.teams) == 1 or self.session is None:
            return self.render(fmt)
        part = dataclasses.replace(self.report, teams=teams)
        return self.session.plugins.renderer(fmt).render(part, self.config.plugin_options.get(fmt))


def publish(context: PublishContext, targets: Iterable[Publisher]) -> list[str]:
    """Run each publisher in turn; returns their one-line summaries, prefixed with the name.

    A failing publisher stops the run (exit 2): a :class:`LeadkitError` as it is,
    anything else as one line naming the publisher's plugin and distribution.
    """
    lines = []
    for target in targets:
        with failing_as("publisher", target.name, target.who):
            summary = target.function(context.report, context)
        lines.append(f"{target.name}: {summary}" if summary else target.name)
    return lines
