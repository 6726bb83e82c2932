"""A plugin whose source, analysis, renderer, publisher and command can each fail.

``FAIL_IN`` names which one raises (``source``, ``adapter``, ``analysis``,
``renderer``, ``publisher``, ``command``); the others work.
"""

import os

import click

from leadkit import hookimpl
from leadkit.collect.sources import SourceAdapter
from leadkit.model.data import Dataset


def _fail(where: str) -> None:
    if os.environ.get("FAIL_IN") == where:
        raise RuntimeError(f"the {where} broke (token=ghp_failingplugin0123456789abcdef)")


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
    return "fine\n"


def publish(report, context):  # type: ignore[no-untyped-def]
    _fail("publisher")
    return "published"


@hookimpl
def register_sources(register):  # type: ignore[no-untyped-def]
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
