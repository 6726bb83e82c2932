"""Sending a finished report somewhere: the context publishers receive, and the loop.

A publisher is registered through ``register_publishers`` as a name and a
``function(report, context)`` that returns a one-line summary of what it did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from leadkit.config import Config
from leadkit.model.report import Report
from leadkit.plugins import Publisher, failing_as


@dataclass
class PublishContext:
    """What a publisher may use besides the report: the environment, the config, rendered text."""

    report: Report
    environ: Mapping[str, str]
    config: Config
    renderer: Callable[[str, dict[str, Any] | None], str]
    """The run's renderer: each format is rendered once (the text ``--output`` wrote is reused)."""

    def render(self, fmt: str, options: dict[str, Any] | None = None) -> str:
        """The report in ``fmt``."""
        return self.renderer(fmt, options)


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
