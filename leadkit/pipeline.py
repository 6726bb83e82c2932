"""The steps every command shares: config, plugins, window, collection, identities.

Everything the CLI does is also a Python API: ``run_report(options)`` gives
the same Report the ``report`` command renders.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from leadkit import demo
from leadkit.collect import Collection, collect
from leadkit.config import Config, find_config, load_config
from leadkit.errors import ConfigError, LeadkitError
from leadkit.identity import resolve_identities
from leadkit.model import Dataset, Window
from leadkit.plugins import PluginHost, load_plugins
from leadkit.report import Report, build_report
from leadkit.timeutil import MAX_SPAN_DAYS, parse_datetime, parse_since


@dataclass
class RunOptions:
    """What a command was asked for, before anything is read."""

    config_path: str | None = None
    demo: bool = False
    sources: tuple[str, ...] = ()
    since: str | None = None
    now: str | None = None
    team: str | None = None
    away_days: float | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    progress: Callable[[str], None] | None = None
    strict: bool = False
    warn: Callable[[str], None] = field(
        default=lambda message: print(f"leadkit: warning: {message}", file=sys.stderr)
    )
    db: str | None = None
    """The store file (``--db``); see :mod:`leadkit.sync` for the default."""
    max_age: str | None = None
    refresh: bool = False
    offline: bool = False


@dataclass
class Session:
    """Config, plugins and window, ready to collect."""

    config: Config
    host: PluginHost
    window: Window
    shift: timedelta = timedelta(0)
    """For the demo: how far its recorded times move to land on ``--now``."""


def read_config(options: RunOptions) -> Config:
    """The demo's bundled config (with ``--config FILE`` layered over it), or the user's."""
    if options.demo:
        # An explicit --config is found or refused (exit 2), never None.
        own = find_config(options.config_path, options.environ) if options.config_path else None
        if own is None:
            return demo.config()
        config, ignored = demo.layered(load_config(own))
        if ignored:
            options.warn(
                f"--demo keeps the demo's team, people and data: {options.config_path}'s "
                + ", ".join(f"[{name}]" for name in ignored)
                + " not used"
            )
        return config
    path = find_config(options.config_path, options.environ)
    if path is None:
        raise ConfigError(
            "no config file found: pass --config FILE, set LEADKIT_CONFIG, or create ./leadkit.toml "
            "(start from config.example.toml), or try --demo"
        )
    return load_config(path)


def start_session(options: RunOptions, host: PluginHost | None = None) -> Session:
    config = read_config(options)
    if options.away_days is not None:
        if not 0 <= options.away_days <= MAX_SPAN_DAYS:
            raise LeadkitError(
                f"--away-days must be a number of days from 0 to {MAX_SPAN_DAYS}, "
                f"got {options.away_days:g}"
            )
        thresholds = {**config.thresholds, "away_days": float(options.away_days)}
        config = dataclasses.replace(config, thresholds=thresholds)
    if host is None:
        host = load_plugins(
            paths=config.plugin_paths,
            modules=config.plugin_modules,
            environ=options.environ,
            base_dir=config.base_dir,
            strict=options.strict or None,
        )
        for failure in host.failures():
            options.warn(f"plugin '{failure.name}' failed to load: {failure.error}")
    shift = timedelta(0)
    if options.now:
        now = parse_datetime(options.now, what="--now")
    elif options.demo:
        now = demo.ANCHOR
    else:
        now = datetime.now(UTC).replace(microsecond=0)
    if options.demo:
        shift = now - demo.ANCHOR
    start = parse_since(options.since or config.analysis.since, now)
    history = min(now - timedelta(days=config.analysis.history_days), start)
    return Session(config, host, Window(start=start, end=now, history_start=history), shift)


def gather(session: Session, options: RunOptions) -> Collection:
    """Collect the selected sources (the demo's file for ``--demo``), times shifted for the demo.

    Reads the store instead when there is one (see :func:`leadkit.sync.gather_with_store`).
    """
    from leadkit.sync import gather_with_store

    stored = gather_with_store(session, options)
    if stored is not None:
        return stored
    collection = collect(
        session.host,
        session.config,
        session.window,
        source_names=options.sources,
        progress=options.progress,
        environ=options.environ,
    )
    done = getattr(options.progress, "done", None)
    if done is not None:
        done()
    if session.shift:
        collection.dataset = demo.shifted(collection.dataset, session.shift, session.window)
    return collection


def resolved(session: Session, dataset: Dataset) -> Dataset:
    return resolve_identities(dataset, session.config.people)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during the analysis.

    It builds millions of small acyclic objects on a large dataset; reference
    counting frees them, and generational collections over them only cost
    time (about a third of the analysis of 100,000 items).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_report(options: RunOptions, host: PluginHost | None = None) -> Report:
    """Collect, merge identities and build the report, as ``leadkit report`` does."""
    session = start_session(options, host)
    collection = gather(session, options)
    session.config.require_lead_people(options.team)
    with gc_paused():
        dataset = resolved(session, collection.dataset)
        report = build_report(
            dataset,
            session.config,
            session.host,
            team_name=options.team,
            stats=collection.stats,
            strict=options.strict,
        )
    report.host = session.host
    return report


def stats_table(report_stats: list[Any]) -> str:
    """The ``--stats`` table: requests, GraphQL points, retries, waits and time per source."""
    header = f"{'source':<16} {'requests':>8} {'gql pts':>8} {'retries':>7} {'waited s':>8} {'time s':>7} {'items':>6}"
    lines = [header]
    for s in report_stats:
        lines.append(
            f"{s.name:<16} {s.requests:>8} {s.graphql_points:>8} {s.retries:>7} "
            f"{s.waited_seconds:>8.1f} {s.elapsed_seconds:>7.2f} {s.items:>6}"
        )
    return "\n".join(lines)
