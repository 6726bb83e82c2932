"""A plugin whose source, analysis, renderer, publisher and command can each fail.

``FAIL_IN`` names which one raises (``import``, ``register``, ``source``, ``adapter``,
``analysis``, ``renderer``, ``publisher``, ``command``); the others work. ``FAIL_WITH``
says how: ``error`` (the default, a RuntimeError), ``exit`` (``sys.exit(0)``) or
``interrupt`` (KeyboardInterrupt, as Ctrl-C raises it). ``RENDER_AS`` makes the renderer
return ``bytes`` or ``none`` instead of text.
"""

import os
import sys

import click

from leadkit import hookimpl
from leadkit.collect.sources import SourceAdapter
from leadkit.model.data import Dataset


def _fail(where: str) -> None:
    if os.environ.get("FAIL_IN") != where:
        return
    how = os.environ.get("FAIL_WITH", "error")
    if how == "exit":
        sys.exit(0)
    if how == "interrupt":
        raise KeyboardInterrupt
    raise RuntimeError(f"the {where} broke (token=ghp_failingplugin0123456789abcdef)")


_fail("import")


class Flaky(SourceAdapter):
    type = "flaky"

    def __init__(self, source, context):  # type: ignore[no-untyped-def]
        super().__init__(source, context)
        _fail("adapter")

    def pages(self, window, *, updated_since=None):  # type: ignore[no-untyped-def]
        _fail("source")
        yield Dataset(window=window, sources=[self.source.name])


def analyze(context):  # type: ignore[no-untyped-def]
    _fail("analysis")
    return []


def render(report, options):  # type: ignore[no-untyped-def]
    _fail("renderer")
    odd = {"bytes": b"fine\n", "none": None}
    return odd.get(os.environ.get("RENDER_AS", ""), "fine\n")


def publish(report, context):  # type: ignore[no-untyped-def]
    _fail("publisher")
    return "published"


@hookimpl
def register_sources(register):  # type: ignore[no-untyped-def]
    _fail("register")
    register(Flaky)


@hookimpl
def register_analyses(register):  # type: ignore[no-untyped-def]
    register("flaky-analysis", analyze)


@hookimpl
def register_renderers(register):  # type: ignore[no-untyped-def]
    register("flaky", render)


@hookimpl
def register_publishers(register):  # type: ignore[no-untyped-def]
    register("flaky", publish)


@hookimpl
def register_commands(cli):  # type: ignore[no-untyped-def]
    @cli.command("flaky")
    def flaky() -> None:
        """A command that may fail."""
        _fail("command")
        click.echo("flaky ran")
