"""A plugin that counts its own loads: each import and each hook call appends a line.

The file it appends to is named by ``COUNTING_PLUGIN_LOG``; the tests read it
to check that one CLI call loads every plugin exactly once.
"""

import os

import click

from leadkit import hookimpl


def _note(what: str) -> None:
    with open(os.environ["COUNTING_PLUGIN_LOG"], "a", encoding="utf-8") as log:
        log.write(what + "\n")


_note("import")


def nothing(context):  # type: ignore[no-untyped-def]
    return []


@hookimpl
def register_analyses(register) -> None:  # type: ignore[no-untyped-def]
    _note("register_analyses")
    register("counted", nothing, description="finds nothing, counts its loads")


@hookimpl
def register_commands(cli: click.Group) -> None:
    _note("register_commands")

    @cli.command("counted")
    @click.option("--config", "config_path", help="Config file.")
    def counted(config_path: str | None) -> None:
        """Say hello from a plugin command."""
        click.echo("counted says hello")
