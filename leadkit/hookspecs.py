"""The hooks a leadkit plugin can implement.

Each hook receives a ``register`` callback built by the core, which checks
what the plugin hands over (type, name, duplicates) and says which plugin is
at fault. Built-in sources, analyses, renderers and publishers register
through these same hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import pluggy

hookspec = pluggy.HookspecMarker("leadkit")
hookimpl = pluggy.HookimplMarker("leadkit")


@hookspec
def register_sources(register: Callable[[type], None]) -> None:
    """Called once when plugins load. Call ``register(AdapterClass)`` for each
    tracker adapter: a :class:`leadkit.sources.SourceAdapter` subclass whose
    ``type`` is the ``type`` of a ``[[sources]]`` table it reads."""


@hookspec
def register_analyses(register: Callable[..., None]) -> None:
    """Called once when plugins load. Call ``register(name, function,
    description="")`` for each analysis. ``function(context)`` receives a
    :class:`leadkit.analysis.AnalysisContext` (one team's dataset, config and
    indexes) and returns an iterable of
    :class:`leadkit.findings.Finding` and :class:`leadkit.findings.Suggestion`."""


@hookspec
def register_renderers(register: Callable[..., None]) -> None:
    """Called once when plugins load. Call ``register(name, function,
    extension="txt", description="")`` for each output format.
    ``function(report, options)`` receives a :class:`leadkit.report.Report`
    and a dict of options and returns the rendered text."""


@hookspec
def register_publishers(register: Callable[..., None]) -> None:
    """Called once when plugins load. Call ``register(name, function,
    description="")`` for each place a report can go.
    ``function(report, context)`` receives the report and a
    :class:`leadkit.publish.PublishContext` and returns a one-line summary of
    what it did."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Called when the CLI starts. Add Click commands to the ``leadkit`` group."""


def hook_names() -> list[str]:
    """Names of all hooks, for meta-tests and docs."""
    return sorted(
        name
        for name, value in globals().items()
        if name.startswith("register_") and callable(value)
    )


__all__: list[Any] = ["hook_names", "hookimpl", "hookspec"]
