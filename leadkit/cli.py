"""The ``leadkit`` command: thin Click commands over the library.

Exit codes: 0 ok, 1 a CI gate failed, 2 a usage, config, input or tracker
error (one line on stderr, no traceback; ``--debug`` shows it, secrets masked).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from leadkit import __version__
from leadkit.errors import LeadkitError
from leadkit.secrets import redact

if TYPE_CHECKING:
    from leadkit.session import RunOptions, Session

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_GATE, EXIT_ERROR = 0, 1, 2


def _debug_enabled(ctx: click.Context | None) -> bool:
    root = ctx.find_root() if ctx else None
    flag = bool(root and root.obj and root.obj.get("debug"))
    return flag or os.environ.get("LEADKIT_DEBUG", "") not in ("", "0")


PLUGINS_KEY = "leadkit.plugins"
"""Where a CLI call keeps the plugins it loaded (in ``click.Context.meta``): loaded once."""


class LeadkitGroup(click.Group):
    """The ``leadkit`` group: plugin commands, and one line and exit 2 for a LeadkitError.

    The commands defined here need no plugins to be found; any other name is
    looked up among the commands plugins add (``register_commands``). Those
    plugins are loaded once per call, with the config the command's
    ``--config``/``--demo`` name, so a config's plugins can add commands too,
    and the command's run reuses them (see :func:`open_session`).
    """

    def _plugin_commands(self, ctx: click.Context, args: list[str]) -> dict[str, click.Command]:
        commands = ctx.meta.get(f"{PLUGINS_KEY}.commands")
        if commands is None:
            from leadkit.config import Config, find_config
            from leadkit.session import RunOptions, plugins_for, read_config

            options = RunOptions(**_config_args(args), debug=_debug_enabled(ctx))
            config: Config | None = None
            try:
                if options.demo or find_config(options.config_path, options.environ):
                    config = read_config(options)
            except LeadkitError:
                if args:  # running a command: the config it names must be right
                    raise
                # only listing commands for --help: the config's plugins are left out
            host = plugins_for(config, options)
            group = click.Group()
            ctx.meta[f"{PLUGINS_KEY}.owners"] = host.call_register_commands(group)
            for failure in host.failures():
                if failure.error and failure.error.startswith("register_commands raised"):
                    options.warn(f"{failure.who()} failed to add commands: {failure.error}")
            ctx.meta[PLUGINS_KEY] = host
            commands = ctx.meta[f"{PLUGINS_KEY}.commands"] = dict(group.commands)
        return commands

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:  # ``leadkit --help | head -1``: the help is printed while parsing
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            raise click.exceptions.Exit(closed_pipe()) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            self._plugin_commands(ctx, list(args[1:]))
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None:
            found = self._plugin_commands(ctx, []).get(cmd_name)
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugin_commands(ctx, [])})

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LeadkitError as exc:
            if _debug_enabled(ctx):
                click.echo(redact(traceback.format_exc()), err=True)
            click.echo(f"leadkit: error: {redact(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            ctx.exit(closed_pipe())
        except KeyboardInterrupt:
            click.echo("leadkit: interrupted", err=True)
            ctx.exit(130)
        except SystemExit as exc:
            # Only plugin code calls sys.exit inside a command (leadkit's own code ends one
            # with ctx.exit): it fails the run, never ends it quietly with its own code.
            from leadkit.plugins import describe_error

            if _debug_enabled(ctx):
                click.echo(redact(traceback.format_exc()), err=True)
            owner = ctx.meta.get(f"{PLUGINS_KEY}.owners", {}).get(ctx.invoked_subcommand)
            who = f"command '{ctx.invoked_subcommand}' ({owner})" if owner else "a plugin"
            click.echo(
                f"leadkit: error: {who} ended the run with {describe_error(exc)} "
                "(run with --debug for the traceback)",
                err=True,
            )
            ctx.exit(EXIT_ERROR)
        except Exception as exc:
            if _debug_enabled(ctx):
                click.echo(redact(traceback.format_exc()), err=True)
            message = redact(f"{type(exc).__name__}: {exc}").splitlines()[0]
            owner = ctx.meta.get(f"{PLUGINS_KEY}.owners", {}).get(ctx.invoked_subcommand)
            if owner is not None:  # a plugin's command: it fails as every plugin does
                click.echo(
                    f"leadkit: error: command '{ctx.invoked_subcommand}' ({owner}) failed: "
                    f"{message}",
                    err=True,
                )
                ctx.exit(EXIT_ERROR)
            if _debug_enabled(ctx):
                ctx.exit(EXIT_ERROR)
            click.echo(
                f"leadkit: internal error: {message} (run with --debug for the traceback, "
                "and please report it)",
                err=True,
            )
            ctx.exit(EXIT_ERROR)


class BuiltInNames(click.Option):
    """An option whose help names the built-in formats or publishers (``{names}``).

    The names are read from the built-in plugins' registries when the help is
    shown, so a new built-in renderer or publisher is listed without editing
    any help text (declared once, in its ``register_*`` hook).
    """

    def __init__(self, *args: Any, registry: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registry = registry

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from leadkit.plugins import builtin_names

        template = self.help or ""
        self.help = template.replace("{names}", ", ".join(builtin_names(self.registry)))
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = template


def run_options(fn: F) -> F:
    """Options shared by every command that reads trackers."""
    decorators = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            help="Config file (default: $LEADKIT_CONFIG, ./leadkit.toml, user config dir).",
        ),
        click.option("--demo", is_flag=True, help="Use the bundled demo team instead of a config."),
        click.option(
            "--source",
            "sources",
            multiple=True,
            metavar="NAME",
            help="Only these [[sources]] (repeatable; default: all).",
        ),
        click.option(
            "--since",
            metavar="28d|DATE",
            help="Window start: a duration back from --now, or a date (default: 28d).",
        ),
        click.option(
            "--now",
            metavar="DATETIME",
            help="The report's 'now' (ISO 8601; without an offset, in the team's time zone), "
            "for reproducible runs.",
        ),
        click.option(
            "--until",
            metavar="DATE",
            help="Window end: the report is as of it (the same as --now); a date is its "
            "midnight in the team's time zone, as for --period.",
        ),
        click.option(
            "--period",
            metavar="YYYY-MM|YYYY-Qn",
            help="A calendar month or quarter in the team's time zone (not with --since/--until).",
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            help="Print errors only (no warnings, progress or notes).",
        ),
        click.option(
            "--progress",
            "show_progress",
            is_flag=True,
            help="Show progress even where stderr is not a terminal: a line every 10 s (CI logs).",
        ),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def _config_args(args: list[str]) -> dict[str, Any]:
    """``--config FILE`` and ``--demo`` among a command's arguments, before Click parses them."""
    found: dict[str, Any] = {}
    for i, arg in enumerate(args):
        if arg == "--demo":
            found["demo"] = True
        elif arg == "--config" and i + 1 < len(args):
            found["config_path"] = args[i + 1]
        elif arg.startswith("--config="):
            found["config_path"] = arg.partition("=")[2]
        elif arg == "--":
            break
    return found


def open_session(**kwargs: Any) -> Session:
    """The session of this CLI call: the plugins loaded once (reused if already loaded)."""
    from leadkit.session import Session

    ctx = click.get_current_context(silent=True)
    host = ctx.meta.get(PLUGINS_KEY) if ctx is not None else None
    return Session.open(make_options(**kwargs), host)


def make_options(**kwargs: Any) -> RunOptions:
    from leadkit.collect.sources import Progress
    from leadkit.session import RunOptions

    quiet, forced = bool(kwargs.get("quiet")), bool(kwargs.get("show_progress"))
    if quiet and forced:
        raise LeadkitError("--quiet and --progress cannot be used together: pick one")
    extra: dict[str, Any] = {"warn": _silent} if quiet else {}
    return RunOptions(
        **extra,
        debug=_debug_enabled(click.get_current_context(silent=True)),
        config_path=kwargs.get("config_path"),
        demo=bool(kwargs.get("demo")),
        sources=tuple(kwargs.get("sources") or ()),
        since=kwargs.get("since"),
        now=kwargs.get("now"),
        until=kwargs.get("until"),
        period=kwargs.get("period"),
        team=kwargs.get("team"),
        away_days=kwargs.get("away_days"),
        evidence=kwargs.get("evidence"),
        progress=Progress.chosen(quiet=quiet, forced=forced),
        db=kwargs.get("db"),
        max_age=kwargs.get("max_age"),
        refresh=bool(kwargs.get("refresh")),
        offline=bool(kwargs.get("offline")),
        sparklines="html" in (kwargs.get("formats") or ()),
        audience=kwargs.get("audience"),
    )


def audience_option(fn: F) -> F:
    """``--audience lead|team``: who reads what is rendered (see leadkit/present/audience.py)."""
    return click.option(
        "--audience",
        type=click.Choice(["lead", "team"]),
        default=None,
        help="Who reads it: lead (everything; the default on a terminal and for --output "
        "files) or team (no check-in prompt naming anyone, no count per person; the default "
        "for --publish and the PR comment).",
    )(fn)


def _silent(_message: str) -> None:
    """Where ``--quiet`` sends warnings and notes."""


def store_options(fn: F) -> F:
    """``--db``, ``--max-age``, ``--refresh`` and ``--offline`` (see leadkit/collect/sync.py)."""
    decorators = [
        click.option(
            "--db",
            type=click.Path(dir_okay=False),
            help="The store: a file, or a postgresql:// URL (default: LEADKIT_STORE_URL, "
            "[store] url or path, else leadkit.sqlite in the user cache).",
        ),
        click.option(
            "--max-age",
            metavar="DURATION",
            help="Sync a source first when its last sync is older (default: [store] max_age or 12h).",
        ),
        click.option("--refresh", is_flag=True, help="Sync every source first, then report."),
        click.option(
            "--offline",
            is_flag=True,
            help="Never touch the network: report from the store only (error if it lacks a source).",
        ),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``leadkit --version``: leadkit's version, then each installed plugin package's, a line each."""
    if not value or ctx.resilient_parsing:
        return
    from leadkit.plugins import installed_distributions

    click.echo(f"leadkit {__version__}")
    for name, version in installed_distributions():
        click.echo(f"{name} {version} (plugin)")
    ctx.exit()


@click.group(cls=LeadkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show leadkit's version and each installed plugin's, and exit.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks (secrets masked).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """leadkit: where a tech lead is the bottleneck of their team, and what to hand off.

    Start with `leadkit report --demo`. Configure your team in leadkit.toml
    (see config.example.toml), then `leadkit config check` and `leadkit report`.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@run_options
@click.option("--team", metavar="NAME", help="Only this team (default: every team in the config).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    cls=BuiltInNames,
    registry="renderers",
    help="{names} or an installed plugin's format (repeatable; default: text).",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Write to FILE instead of stdout (one per --format, in order).",
)
@click.option(
    "--away-days",
    type=float,
    metavar="N",
    help="For away-risk: how many days the lead would be away (default 7).",
)
@click.option(
    "--evidence",
    metavar="N|all",
    help="List N evidence items per finding, with the total (default: [analysis] evidence, "
    "10); all lists every item and suggestions for every item.",
)
@click.option(
    "--stats", is_flag=True, help="Print requests, GraphQL points and time per source on stderr."
)
@click.option(
    "--publish",
    "publish_to",
    multiple=True,
    metavar="NAME",
    cls=BuiltInNames,
    registry="publishers",
    help="Also send the report there: {names} or an installed plugin's (repeatable).",
)
@click.option(
    "--check",
    is_flag=True,
    help="After writing, check the [gates] limits: exit 1 when one fails, naming it.",
)
@audience_option
@store_options
def report(**kwargs: Any) -> None:
    """Where the lead is the bottleneck, and what to delegate, to whom and why.

    \b
    Data comes from the store that `leadkit sync` fills when there is one
    (--db, [store] path, or an existing leadkit.sqlite in the user cache):
    sources synced within --max-age are read from it, older ones are synced
    incrementally first. With no store, the trackers are read directly and
    no store is created; --refresh creates one.
    """
    from leadkit.present import gates
    from leadkit.session import stats_table

    session = open_session(**kwargs)
    report = session.report()
    if kwargs["stats"]:
        click.echo(stats_table(report.stats), err=True)
    # Unknown publishers and impossible gate limits fail (exit 2) before anything is written.
    targets = session.publishers(kwargs["publish_to"])
    checked = session.check_gates() if kwargs["check"] else []
    session.write(list(kwargs["formats"]) or ["text"], list(kwargs["outputs"]))
    for line in session.publish(targets):
        if not kwargs["quiet"]:
            click.echo(f"leadkit: {line}", err=True)
    if kwargs["check"]:
        lines, code = gates.summary(checked)
        for line in lines if code or not kwargs["quiet"] else []:  # a failed gate is an error
            click.echo(line, err=True)
        if code:
            click.get_current_context().exit(EXIT_GATE)


@cli.command()
@run_options
@click.option(
    "--db", type=click.Path(dir_okay=False), help="The store: a file or a postgresql:// URL."
)
@click.option("--full", is_flag=True, help="Fetch everything in the window, ignoring the marks.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="In a shared store, wait this long for another sync of the same sources (default 0).",
)
def sync(full: bool, wait: float, **kwargs: Any) -> None:
    """Fetch every source (or --source) into the store, only what changed since the last sync."""
    open_session(**kwargs).sync(
        full=full, wait=wait, echo=_silent if kwargs["quiet"] else click.echo
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Also load the plugins this config names.",
)
def plugins(as_json: bool, config_path: str | None) -> None:
    """Every plugin: version, hooks, what it registers, where it came from."""
    from leadkit.config import find_config, load_config
    from leadkit.session import RunOptions, plugins_for

    found = find_config(config_path)
    config = load_config(found) if found is not None else None
    host = plugins_for(config, RunOptions(warn=lambda _message: None))
    listing = host.listing()
    if as_json:
        click.echo(json.dumps(listing, indent=2))
        return
    for entry in listing:
        version = f" {entry['version']}" if entry["version"] else ""
        dist = f" ({entry['distribution']})" if entry["distribution"] else ""
        click.echo(f"{entry['name']}{version}{dist} [{entry['origin']}]")
        if entry["error"]:
            click.echo(f"    FAILED: {entry['error']}")
            continue
        click.echo(f"    hooks: {', '.join(entry['hooks']) or 'none'}")
        for kind, names in entry["registers"].items():
            click.echo(f"    {kind}: {', '.join(names)}")
        for name, options in entry["options"].items():
            click.echo(f"    options of {name}:")
            for o in options:
                default = "required" if o["required"] else f"default {json.dumps(o['default'])}"
                click.echo(f"      {o['name']} ({o['type']}, {default}): {o['doc']}".rstrip(": "))


@cli.command()
@run_options
@click.option(
    "--suggest", is_flag=True, required=True, help="Print the CODEOWNERS lines to add, as a patch."
)
@click.option(
    "--codeowners",
    "codeowners",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="The repository's current CODEOWNERS (default: none, or what the data read).",
)
@click.option("--repo", metavar="OWNER/NAME", help="The repository --codeowners is for.")
def owners(suggest: bool, codeowners: Any, repo: str | None, **kwargs: Any) -> None:
    """A second reviewer for each code area only the lead reviews, as a patch to CODEOWNERS
    (a unified diff on stdout; nothing is written)."""
    from leadkit.present.owners import suggest_patch

    session = open_session(**kwargs)
    current = codeowners.read() if codeowners is not None else None
    patch = suggest_patch(session.report(), session.dataset(), current, repo)
    if patch:
        click.echo(patch, nl=False)
    else:
        click.echo(
            "No CODEOWNERS lines to suggest: no code area is reviewed by the lead alone.", err=True
        )


@cli.command()
@run_options
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
def people(as_json: bool, **kwargs: Any) -> None:
    """Every person and how their accounts were matched, who is on each team and why, the bots apart."""
    from leadkit.analyze.build import memberships
    from leadkit.present.people import people_document, people_text

    session = open_session(**kwargs)
    dataset = session.dataset()
    teams = memberships(dataset, session.config, session.plugins, session.options.team)
    doc = people_document(dataset, session.config, teams)
    if as_json:
        click.echo(json.dumps(doc, indent=2, sort_keys=True))
        return
    for line in people_text(doc):
        click.echo(line)


@cli.group()
def config() -> None:
    """Work with the config file."""


@config.command("check")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option(
    "--online",
    is_flag=True,
    help="Also ask each source what its token can see (one cheap request each; never writes).",
)
def config_check(config_path: str | None, online: bool) -> None:
    """Validate the config: TOML, keys, teams, sources and their adapters."""
    from leadkit.session import check_config
    from leadkit.session import check_online as online_lines

    lines = check_config(config_path)
    for line in lines:
        click.echo(line)
    if online:
        for line in online_lines(config_path):
            click.echo(redact(line))


@cli.command()
@run_options
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (default: stdout)."
)
@click.option(
    "--resolved",
    is_flag=True,
    help="Write people merged across trackers (default: accounts as collected).",
)
def export(output: str | None, resolved: bool, **kwargs: Any) -> None:
    """Write the collected dataset as interchange JSON (docs/interchange.md)."""
    from leadkit.model.interchange import dataset_to_json, dumps
    from leadkit.present.files import write_text

    session = open_session(**kwargs)
    dataset = session.dataset() if resolved else session.collection().dataset
    text = redact(dumps(dataset_to_json(dataset)))
    if output:
        write_text(Path(output), text)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("name", type=click.Choice(["report", "interchange"]))
def schema(name: str) -> None:
    """Print the JSON Schema (draft 2020-12) of the JSON report or of the interchange dataset."""
    from leadkit.schemas import schema_text

    click.echo(schema_text(name), nl=False)


EXIT_CLOSED_PIPE = 128 + signal.SIGPIPE
"""141: the status a Unix tool ends with when its reader went away (``leadkit ... | head``)."""


def closed_pipe() -> int:
    """The reader of stdout went away: nothing more can be said there, and nothing is wrong.

    Points stdout at /dev/null, so the interpreter's final flush cannot fail
    again, and returns the status a tool killed by SIGPIPE has (as ``cat`` does).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (stdout replaced in-process)
        pass
    finally:
        os.close(devnull)
    return EXIT_CLOSED_PIPE


def main() -> None:
    """Console entry point: a closed pipe ends any command quietly with status 141."""
    try:
        try:
            cli(prog_name="leadkit")
        finally:
            sys.stdout.flush()  # what is still buffered meets a closed pipe here, not at exit
    except BrokenPipeError:
        sys.exit(closed_pipe())
