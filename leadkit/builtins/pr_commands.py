"""The ``comment`` and ``apply`` commands, a built-in plugin on the ``register_commands`` hook.

Thin Click wrappers over :mod:`leadkit.pr.flow`; see ``docs/pr-comments.md``.
"""

from __future__ import annotations

from typing import Any

import click

from leadkit import hookimpl


def _pr_options(fn: Any) -> Any:
    for decorator in reversed(
        [
            click.option(
                "--repo", metavar="OWNER/NAME", help="The repository (default: $GITHUB_REPOSITORY)."
            ),
            click.option(
                "--pr",
                "number",
                type=int,
                metavar="N",
                help="The pull request (default: from the event at $GITHUB_EVENT_PATH).",
            ),
            click.option("--team", metavar="NAME", help="Only this team (default: every team)."),
            click.option(
                "--dry-run", is_flag=True, help="Show what would be done; change nothing."
            ),
        ]
    ):
        fn = decorator(fn)
    return fn


@hookimpl
def register_commands(cli: click.Group) -> None:
    """Add ``leadkit comment`` and ``leadkit apply``."""
    from leadkit.cli import audience_option, open_session, run_options

    @cli.command("comment")
    @run_options
    @_pr_options
    @audience_option
    def comment(repo: str | None, number: int | None, dry_run: bool, **kwargs: Any) -> None:
        """Keep one comment on a pull request with the delegation suggestions that concern it."""
        from leadkit.pr.flow import pr_target, run_comment

        session = open_session(**kwargs)
        target = pr_target(repo, number, session.options.environ)
        run_comment(session, target, dry_run=dry_run, echo=click.echo)

    @cli.command("apply")
    @run_options
    @_pr_options
    def apply(repo: str | None, number: int | None, dry_run: bool, **kwargs: Any) -> None:
        """Carry out the suggestions the lead ticked in leadkit's pull-request comment."""
        from leadkit.pr.flow import pr_target, run_apply

        session = open_session(**kwargs)
        target = pr_target(repo, number, session.options.environ)
        result = run_apply(session, target, dry_run=dry_run, echo=click.echo)
        if result.failed:
            raise click.exceptions.Exit(2)
