"""The hooks a leadkit plugin can implement.

Each registry hook receives a ``register`` callback built by the core, which
checks what the plugin hands over (type, name, duplicates) and says which
plugin is at fault. Built-in sources, analyses, renderers, publishers and
commands register through these same hooks. The callbacks' types are below,
so a plugin's hook implementations type-check like the built-ins'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import click
import pluggy

if TYPE_CHECKING:
    from leadkit.analyze.context import AnalysisContext
    from leadkit.analyze.kinds import FindingKind
    from leadkit.collect.sources import SourceAdapter
    from leadkit.model.findings import Finding, Suggestion
    from leadkit.model.report import Report
    from leadkit.options import Option
    from leadkit.present.publish import PublishContext

hookspec = pluggy.HookspecMarker("leadkit")
hookimpl = pluggy.HookimplMarker("leadkit")

AnalysisFunction = Callable[["AnalysisContext"], "Iterable[Finding[Any] | Suggestion] | None"]
RenderFunction = Callable[["Report", dict[str, Any]], str]
PublishFunction = Callable[["Report", "PublishContext"], str]


class SourceRegister(Protocol):
    """``register(AdapterClass)``."""

    def __call__(self, adapter: type[SourceAdapter], /) -> None: ...


class AnalysisRegister(Protocol):
    """``register(kind)`` with a :class:`leadkit.analyze.kinds.FindingKind`, or
    ``register(name, function, description="")`` with a plain function."""

    def __call__(
        self,
        kind: FindingKind[Any] | str,
        function: AnalysisFunction | None = None,
        /,
        *,
        description: str = "",
    ) -> None: ...


class RendererRegister(Protocol):
    """``register(name, function, extension="txt", description="", options=())``."""

    def __call__(
        self,
        name: str,
        function: RenderFunction,
        /,
        *,
        extension: str = "txt",
        description: str = "",
        options: Sequence[Option] = (),
    ) -> None: ...


class PublisherRegister(Protocol):
    """``register(name, function, description="", options=())``."""

    def __call__(
        self,
        name: str,
        function: PublishFunction,
        /,
        *,
        description: str = "",
        options: Sequence[Option] = (),
    ) -> None: ...


@hookspec
def register_sources(register: SourceRegister) -> None:
    """Called once when plugins load. Call ``register(AdapterClass)`` for each
    tracker adapter: a :class:`leadkit.collect.sources.SourceAdapter` subclass whose
    ``type`` is the ``type`` of a ``[[sources]]`` table it reads."""


@hookspec
def register_analyses(register: AnalysisRegister) -> None:
    """Called once when plugins load. Call ``register(kind)`` for each finding
    kind (a :class:`leadkit.analyze.kinds.FindingKind`: its analysis, settings, gates,
    actions, PR-comment notes and charts), or ``register(name, function,
    description="")`` for a plain analysis: ``function(context)`` receives a
    :class:`leadkit.analyze.context.AnalysisContext` and returns an iterable of
    :class:`leadkit.model.findings.Finding` and :class:`leadkit.model.findings.Suggestion`."""


@hookspec
def register_renderers(register: RendererRegister) -> None:
    """Called once when plugins load. Call ``register(name, function,
    extension="txt", description="", options=())`` for each output format.
    ``function(report, options)`` receives a :class:`leadkit.model.report.Report`
    and the ``[plugins.<name>]`` options (declared as :class:`leadkit.options.Option`,
    defaults filled in) and returns the rendered text. ``--output FILE.<extension>``
    picks it."""


@hookspec
def register_publishers(register: PublisherRegister) -> None:
    """Called once when plugins load. Call ``register(name, function,
    description="", options=())`` for each place a report can go (its
    ``[plugins.<name>]`` options are ``context.config.plugin_options[name]``).
    ``function(report, context)`` receives the report and a
    :class:`leadkit.present.publish.PublishContext` and returns a one-line summary of
    what it did."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Called once per CLI call, when a command that is not the core's is looked up
    (or ``--help`` lists them). Add Click commands to the ``leadkit`` group."""


def hook_names() -> list[str]:
    """Names of all hooks, for meta-tests and docs."""
    return sorted(
        name
        for name, value in globals().items()
        if name.startswith("register_") and callable(value)
    )


__all__: list[Any] = [
    "AnalysisRegister",
    "PublisherRegister",
    "RendererRegister",
    "SourceRegister",
    "hook_names",
    "hookimpl",
    "hookspec",
]
