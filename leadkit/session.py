"""One run of leadkit: the :class:`Session` every command opens once.

A session reads the config, loads the plugins (once per CLI call) and fixes
the window; then it offers each step of the pipeline, each computed at most
once: :meth:`Session.dataset`, :meth:`Session.report`, :meth:`Session.render`,
:meth:`Session.publish`. Everything the CLI does is also a Python API:
``Session.open(RunOptions(demo=True)).report()`` is the report
``leadkit report --demo`` renders.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadkit import demo
from leadkit.analyze.build import build_report
from leadkit.analyze.trend import WEEKS
from leadkit.collect.fetch import Collection, collect, make_adapter, select_sources
from leadkit.collect.identity import resolve_identities
from leadkit.collect.sources import Progress, SourceAdapter, SourceConfig
from leadkit.config import Config, check_kind_keys, evidence_problem, find_config, load_config
from leadkit.errors import ConfigError, LeadkitError
from leadkit.model.codec import gc_paused
from leadkit.model.data import Dataset, Window
from leadkit.model.report import Audience, Report
from leadkit.options import configure_plugins
from leadkit.plugins import PluginHost, Publisher, load_plugins
from leadkit.timeutil import (
    MAX_SPAN_DAYS,
    iso,
    parse_datetime,
    parse_period,
    parse_since,
    zone,
)

if TYPE_CHECKING:
    from leadkit.collect.sync import SyncResult
    from leadkit.present.gates import GateResult


def _warn(message: str) -> None:
    print(f"leadkit: warning: {message}", file=sys.stderr)


@dataclass
class RunOptions:
    """What a command was asked for, before anything is read."""

    config_path: str | None = None
    demo: bool = False
    sources: tuple[str, ...] = ()
    since: str | None = None
    now: str | None = None
    until: str | None = None
    """``--until``: the window's end, the same as ``--now`` (both given must agree)."""
    period: str | None = None
    """``--period YYYY-MM`` or ``YYYY-Qn``: a calendar month or quarter in the team's zone."""
    team: str | None = None
    away_days: float | None = None
    evidence: str | None = None
    """``--evidence N|all``: how many entries each evidence list shows (default: the config's)."""
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    progress: Callable[[str], None] | None = None
    strict: bool = False
    warn: Callable[[str], None] = _warn
    db: str | None = None
    """The store (``--db``: a file or a ``postgresql://`` URL); see :mod:`leadkit.collect.sync`."""
    max_age: str | None = None
    refresh: bool = False
    offline: bool = False
    debug: bool = False
    """``--debug``: a plugin's failure also shows its traceback (secrets masked)."""
    sparklines: bool = False
    """Compute the weekly trend points the HTML draws (a dozen more analysis runs per team)."""
    audience: Audience | None = None
    """``--audience lead|team``: who reads what is rendered; None: where it goes decides
    (:func:`leadkit.present.audience.default_audience`)."""

    def window_flags(self) -> str:
        """The window's flags as the user gave them (``--period 2026-10``), for a message
        that tells them what to run again; ``""`` when the window is the config's default."""
        given = (
            ("--period", self.period),
            ("--since", self.since),
            ("--until", self.until),
            ("--now", self.now),
        )
        return " ".join(f"{flag} {shlex.quote(value)}" for flag, value in given if value)


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


def plugins_for(config: Config | None, options: RunOptions) -> PluginHost:
    """Every plugin this run uses (built-in, installed, ``LEADKIT_PLUGINS``, the config's).

    A plugin that fails to load is one warning line; the others keep working.
    """
    host = load_plugins(
        paths=config.plugin_paths if config else (),
        modules=config.plugin_modules if config else (),
        environ=options.environ,
        base_dir=config.base_dir if config else None,
        strict=options.strict or None,
    )
    for failure in host.failures():
        options.warn(f"{failure.who()} failed to load: {failure.error}")
        if options.debug and failure.traceback:
            print(failure.traceback, file=sys.stderr, end="")
    return host


def with_evidence(config: Config, value: str) -> Config:
    """The config with ``--evidence N|all`` in place of ``[analysis] evidence``."""
    text = value.strip()
    bound: int | str = int(text) if text.isdecimal() else text
    problem = evidence_problem(bound)
    if problem:
        raise LeadkitError(f"--evidence {problem}")
    limit = None if bound == "all" else int(bound)
    return dataclasses.replace(
        config, analysis=dataclasses.replace(config.analysis, evidence=limit)
    )


def _as_of(options: RunOptions, tz: tzinfo) -> datetime | None:
    """``--until`` or ``--now`` (the same thing: the report is as of it); both must agree.

    A date or a time without an offset is read in ``tz``, the zone ``--period`` uses.
    """
    until, now = (
        None if text is None else parse_datetime(text, what=flag, tz=tz)
        for flag, text in (("--until", options.until), ("--now", options.now))
    )
    if until is not None and now is not None and until != now:
        raise LeadkitError(
            f"--until {options.until!r} and --now {options.now!r} disagree: both set when the "
            "report is as of, give one"
        )
    return until or now


def period_zone(config: Config, team: str | None) -> tzinfo:
    """The zone ``--period`` months and quarters are read in: the team's ``timezone``.

    With several teams in different zones (and no ``--team``), UTC.
    """
    names = {config.team(team).timezone} if team else {t.timezone for t in config.teams}
    return zone(names.pop()) if len(names) == 1 else UTC


def fix_window(options: RunOptions, config: Config) -> Window:
    """The run's window from ``--since``, ``--until``/``--now`` or ``--period``.

    ``--period`` picks a whole calendar month or quarter, so it refuses
    ``--since``, ``--until`` and ``--now``; a period not over yet ends now.
    """
    as_of = _as_of(options, period_zone(config, options.team))
    default_now = demo.ANCHOR if options.demo else datetime.now(UTC).replace(microsecond=0)
    if options.period is not None:
        given = [
            f
            for f, v in (
                ("--since", options.since),
                ("--until", options.until),
                ("--now", options.now),
            )
            if v is not None
        ]
        if given:
            raise LeadkitError(
                f"--period picks the whole window: give it without {' or '.join(given)}"
            )
        start, now = parse_period(options.period, period_zone(config, options.team))
        if start >= default_now:
            raise LeadkitError(
                f"--period {options.period!r} has not started yet (now is {iso(default_now)})"
            )
        now = min(now, default_now)
    else:
        now = as_of or default_now
        since = options.since if options.since is not None else config.analysis.since
        start = parse_since(since, now)
    # The look-back also covers the previous window of the same length (for the trends).
    history = min(now - timedelta(days=config.analysis.history_days), start - (now - start))
    return Window(start=start, end=now, history_start=history)


class Session:
    """One run: the config, the plugins and the window, and each step computed once."""

    def __init__(
        self,
        options: RunOptions,
        config: Config,
        plugins: PluginHost,
        window: Window,
        shift: timedelta = timedelta(0),
    ) -> None:
        self.options = options
        self.config = config
        self.plugins = plugins
        self.window = window
        self.shift = shift
        """For the demo: how far its recorded times move to land on ``--now``."""
        self._collection: Collection | None = None
        self._dataset: Dataset | None = None
        self._report: Report | None = None
        self._audiences: dict[Audience, Report] = {}
        self.rendered: dict[tuple[str, Audience], str] = {}
        """Text rendered in this run, by format and audience: each is rendered once."""

    @classmethod
    def open(cls, options: RunOptions, plugins: PluginHost | None = None) -> Session:
        """Read the config, load the plugins (unless given) and fix the window."""
        config = read_config(options)
        if options.away_days is not None:
            if not 0 <= options.away_days <= MAX_SPAN_DAYS:
                raise LeadkitError(
                    f"--away-days must be a number of days from 0 to {MAX_SPAN_DAYS}, "
                    f"got {options.away_days:g}"
                )
            thresholds = {**config.thresholds, "away_days": float(options.away_days)}
            config = dataclasses.replace(config, thresholds=thresholds)
        if options.evidence is not None:
            config = with_evidence(config, options.evidence)
        if plugins is None:
            plugins = plugins_for(config, options)
        # The kinds the plugins registered declare the [thresholds] and [gates] keys.
        kinds = plugins.kinds
        check_kind_keys(
            config,
            kinds.settings(),
            kinds.gates(),
            partial=bool(plugins.not_loaded()),
            warn=options.warn,
            renamed=kinds.renamed(),
        )
        config = configure_plugins(config, plugins, partial=bool(plugins.not_loaded()))
        window = fix_window(options, config)
        from leadkit.collect.sync import max_age_of

        max_age_of(config, options.max_age)  # checked even when no store is read
        shift = window.end - demo.ANCHOR if options.demo else timedelta(0)
        return cls(options, config, plugins, window, shift)

    # -- collecting ------------------------------------------------------------------

    def adapter(self, source: SourceConfig) -> SourceAdapter:
        """The adapter for one source (built, so validated; no network yet)."""
        return make_adapter(
            self.plugins,
            source,
            self.config,
            progress=self.options.progress,
            environ=self.options.environ,
        )

    def adapters(self, sources: Iterable[SourceConfig] | None = None) -> list[SourceAdapter]:
        """Adapters for ``sources`` (default: the ones ``--source`` selects, else all)."""
        if sources is None:
            sources = select_sources(self.config, self.options.sources)
        return [self.adapter(s) for s in sources]

    def collection(self) -> Collection:
        """The selected sources' data as collected (accounts not yet merged into people).

        Read from the store when there is one (see :func:`leadkit.collect.sync.gather_with_store`),
        else fetched directly; the demo's file is shifted to ``--now``.
        """
        if self._collection is None:
            from leadkit.collect.sync import gather_with_store

            collection = gather_with_store(self)
            if collection is None:
                collection = collect(
                    self.plugins,
                    self.config,
                    self.window,
                    source_names=self.options.sources,
                    progress=self.options.progress,
                    environ=self.options.environ,
                )
                self.progress_done()
                if self.shift:
                    collection.dataset = demo.shifted(collection.dataset, self.shift, self.window)
            self._collection = collection
        return self._collection

    def dataset(self) -> Dataset:
        """The collected data with accounts merged into people (identity resolution)."""
        if self._dataset is None:
            collected = self.collection().dataset
            self.step(
                f"merging accounts into people ({len(collected.work_items):,} items, "
                f"{len(collected.reviews):,} pull requests)"
            )
            self._dataset = resolve_identities(collected, self.config.people)
        return self._dataset

    def sync(
        self, *, full: bool = False, wait: float = 0, echo: Callable[[str], None] = print
    ) -> list[SyncResult]:
        """``leadkit sync``: the selected sources into the store (``wait``: seconds to wait for
        another sync of the same sources into a shared store)."""
        from leadkit.collect.sync import run_sync

        return run_sync(self, full=full, wait=wait, echo=echo)

    def step(self, message: str) -> None:
        """Show a step of the run on the progress line at once (in a ``--progress`` log, paced)."""
        progress = self.options.progress
        if isinstance(progress, Progress):
            progress(message, force=not progress.lines)  # a log keeps its pace
        elif progress is not None:
            progress(message)

    def progress_done(self) -> None:
        """Clear the progress line, if one was shown."""
        done = getattr(self.options.progress, "done", None)
        if done is not None:
            done()

    # -- analysing -------------------------------------------------------------------

    def require_lead_people(self) -> None:
        """Every selected team's lead is a person in ``[people]`` (see :class:`Config`)."""
        self.config.require_lead_people(self.options.team)

    def report(self) -> Report:
        """The report: every registered analysis per team, actions ranked."""
        if self._report is None:
            collection = self.collection()
            self.require_lead_people()
            with gc_paused():
                self._report = build_report(
                    self.dataset(),
                    self.config,
                    self.plugins,
                    team_name=self.options.team,
                    stats=collection.stats,
                    strict=self.options.strict,
                    weeks=WEEKS if self.options.sparklines else 0,
                    progress=self.step,
                )
            self.progress_done()
            for run in self._report.analyses:
                if run.traceback and self.options.debug:
                    print(run.traceback, file=sys.stderr, end="")
        return self._report

    def report_for(self, audience: Audience) -> Report:
        """The report as ``audience`` reads it (see :mod:`leadkit.present.audience`), made once."""
        from leadkit.present.audience import for_audience

        if audience not in self._audiences:
            self._audiences[audience] = for_audience(self.report(), audience, self.plugins.kinds)
        return self._audiences[audience]

    # -- presenting ------------------------------------------------------------------

    def render(
        self, fmt: str, options: dict[str, Any] | None = None, audience: Audience | None = None
    ) -> str:
        """The report in format ``fmt`` for ``audience`` (default: ``--audience``, else the
        lead's), rendered once per run (and safe to show).

        The renderer gets its ``[plugins.<fmt>]`` options, with ``options`` on top.
        """
        from leadkit.present.audience import default_audience

        audience = audience or default_audience(self.options.audience, "output")
        configured = self.config.plugin_options.get(fmt, {})
        report = self.report_for(audience)
        if not options and (fmt, audience) in self.rendered:
            return self.rendered[(fmt, audience)]
        self.step(f"rendering the {fmt} report")
        try:
            with gc_paused():  # a renderer builds a large acyclic tree, as the analysis does
                text = self.plugins.renderer(fmt).render(
                    report, {**configured, **options} if options else configured
                )
        finally:
            self.progress_done()
        if not options:
            self.rendered[(fmt, audience)] = text
        return text

    def write(self, formats: list[str], outputs: list[str]) -> None:
        """Render every format, then write them all (files atomically, one to stdout): for
        ``--audience``, else the lead."""
        from leadkit.present.files import plan_outputs, write_rendered

        plan = plan_outputs(formats, outputs, self.plugins.extensions())
        for fmt, _ in plan:
            self.plugins.renderer(fmt)  # an unknown format fails before anything renders
        write_rendered([(self.render(fmt), out) for fmt, out in plan])

    def publishers(self, names: Iterable[str]) -> list[Publisher]:
        """Look every name up before anything runs, so a typo fails before any output."""
        chosen: list[Publisher] = []
        for name in names:
            publisher = self.plugins.publisher(name)
            if publisher not in chosen:
                chosen.append(publisher)
        return chosen

    def publish(self, targets: Iterable[Publisher]) -> list[str]:
        """Send the report to each target (for ``--audience``, else the team's); their
        one-line summaries."""
        from leadkit.present.audience import default_audience
        from leadkit.present.publish import PublishContext, publish

        audience = default_audience(self.options.audience, "publish")

        def render(fmt: str, options: dict[str, Any] | None = None) -> str:
            return self.render(fmt, options, audience)

        context = PublishContext(
            self.report_for(audience), self.options.environ, self.config, render, session=self
        )
        return publish(context, targets)

    def check_gates(self) -> list[GateResult]:
        """The ``[gates]`` limits checked against the report, per team."""
        from leadkit.present import gates

        return gates.evaluate(self.report(), self.config.gates, self.plugins.kinds)


def run_report(options: RunOptions, plugins: PluginHost | None = None) -> Report:
    """The report ``leadkit report`` renders: ``Session.open(options, plugins).report()``."""
    return Session.open(options, plugins).report()


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


def check_config(path: str | None, environ: Mapping[str, str] | None = None) -> list[str]:
    """Lines describing a valid config; raises ConfigError naming the first problem."""
    env = os.environ if environ is None else environ
    found = find_config(path, env)
    if found is None:
        raise ConfigError(
            "no config file found: pass --config FILE, set LEADKIT_CONFIG, or create ./leadkit.toml"
        )
    warnings: list[str] = []
    session = Session.open(RunOptions(config_path=str(found), environ=env, warn=warnings.append))
    config = session.config
    lines = [f"config: {found}", *(f"warning: {w}" for w in warnings)]
    if not config.teams:
        raise ConfigError(f"{found}: no [team] (or [[teams]]) with a lead is configured")
    for team in config.teams:
        lines.append(
            f"team {team.name}: lead {team.lead}, "
            + (
                f"members {', '.join(team.members)}"
                if team.members
                else "members: whoever is assigned min_samples of the team's items in the "
                "history window (leadkit people lists them, and why)"
            )
        )
        for pid in team.members:
            if pid not in config.people:
                lines.append(
                    f"warning: '{pid}' of team {team.name} has no [people.{pid}] table; "
                    "their accounts will be matched by email, login or name"
                )
    trackers = {s.type for s in config.sources}
    for person in config.people.values():
        for tracker in person.accounts:
            if tracker not in trackers and trackers - {"file"}:
                lines.append(
                    f"warning: people.{person.id}.{tracker} names a tracker no source reads "
                    f"(sources: {', '.join(sorted(trackers))})"
                )
    if not config.sources:
        lines.append("warning: no [[sources]]: leadkit report has nothing to read")
    for source in config.sources:
        adapter = session.adapter(source)
        lines.append(f"source {source.name} ({source.type}, {type(adapter).__module__}): ok")
    config.require_lead_people()
    lines.extend(_unmatched_goals(session, env, found))
    lines.append("config ok")
    return lines


def _unmatched_goals(session: Session, env: Mapping[str, str], found: Path) -> list[str]:
    """A warning per growth goal no word of which is anywhere in the data, read only where
    that needs no network: file sources, or the local store a sync filled."""
    from leadkit.analyze.context import data_words, goal_words
    from leadkit.collect.sync import store_path

    config = session.config
    goals = [(p.id, g) for p in config.people.values() for g in p.growth]
    if not goals or not config.sources:
        return []
    local = all(s.type == "file" for s in config.sources)
    if not local:
        path, _ = store_path(config, None, env)
        if not Path(path).exists():
            return ["growth goals: not checked against the data (run leadkit sync first)"]
        options = RunOptions(config_path=str(found), environ=env, warn=lambda _w: None)
        session = Session.open(dataclasses.replace(options, offline=True))
    try:
        seen = data_words(session.dataset())
    except LeadkitError as exc:
        return [f"growth goals: not checked against the data ({exc})"]
    return [
        f"warning: people.{pid}.growth '{goal}' matches nothing in the data (no item title, "
        "label or component, PR title or folder has any of its words): no suggestion will "
        "be made for it"
        for pid, goal in goals
        if not goal_words(goal) & seen
    ]


def check_online(path: str | None, environ: Mapping[str, str] | None = None) -> Iterator[str]:
    """``config check --online``: each source's own check (one cheap authenticated request,
    never a write), line by line; a source that fails is named, and then the run fails."""
    env = os.environ if environ is None else environ
    session = Session.open(RunOptions(config_path=path, environ=env, warn=lambda _w: None))
    failed = []
    for source in session.config.sources:
        adapter = session.adapter(source)
        try:
            found = adapter.check_online(session.window)
        except LeadkitError as exc:
            failed.append(source.name)
            yield f"source {source.name}: online check FAILED: {exc}"
            continue
        if found is None:
            yield f"source {source.name} ({source.type}): no online check"
        for line in found or []:
            yield f"source {source.name}: {line}"
    if failed:
        raise LeadkitError(f"online check failed for source {', '.join(failed)}")
