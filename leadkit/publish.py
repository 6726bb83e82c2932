"""Sending a finished report somewhere: the context publishers receive, and the loop.

A publisher is registered through ``register_publishers`` as a name and a
``function(report, context)`` that returns a one-line summary of what it did.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from leadkit.config import Config
from leadkit.errors import LeadkitError
from leadkit.plugins import PluginHost, Publisher
from leadkit.report import Report


@dataclass
class PublishContext:
    """What a publisher may use besides the report: the environment, the config, rendered text."""

    report: Report
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    config: Config | None = None
    rendered: dict[str, str] = field(default_factory=dict)
    """Text already rendered in this run, by format, so each format is rendered once."""

    def render(self, fmt: str, options: dict[str, Any] | None = None) -> str:
        """The report in ``fmt``, rendered on first use and then reused."""
        if fmt not in self.rendered:
            host = self.report.host
            if host is None:
                raise LeadkitError("the report carries no plugins to render it with")
            self.rendered[fmt] = host.renderer(fmt).render(self.report, options)
        return self.rendered[fmt]


def report_config(report: Report) -> Config | None:
    """The config the report was built with (every team's analysis context carries it)."""
    return next((c.config for c in report.contexts.values()), None)


def publishers(host: PluginHost, names: Iterable[str]) -> list[Publisher]:
    """Look every name up before anything runs, so a typo fails the run before any output."""
    chosen: list[Publisher] = []
    for name in names:
        publisher = host.publisher(name)
        if publisher not in chosen:
            chosen.append(publisher)
    return chosen


def publish(
    report: Report,
    targets: Iterable[Publisher],
    *,
    environ: Mapping[str, str] | None = None,
    rendered: dict[str, str] | None = None,
) -> list[str]:
    """Run each publisher in turn; returns their one-line summaries, prefixed with the name.

    A :class:`LeadkitError` from a publisher stops the run (exit 2). Any other
    exception is a plugin bug, reported as a LeadkitError naming the plugin.
    """
    context = PublishContext(
        report=report,
        environ=os.environ if environ is None else environ,
        config=report_config(report),
        rendered=rendered if rendered is not None else {},
    )
    lines = []
    for target in targets:
        try:
            summary = target.function(report, context)
        except LeadkitError:
            raise
        except Exception as exc:
            raise LeadkitError(
                f"publisher '{target.name}' (plugin {target.plugin}) failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        lines.append(f"{target.name}: {summary}" if summary else target.name)
    return lines
