"""What a tracker adapter is: its base class, its config, and what it reports back.

An adapter turns one ``[[sources]]`` table into :class:`leadkit.model.data.Dataset`
pages. It never hands tracker JSON to the core.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar, TextIO, TypeVar

from leadkit.collect.validate import checked_pages
from leadkit.errors import ConfigError
from leadkit.model.data import Dataset, Person, Window, merge_datasets
from leadkit.options import Option, read_options
from leadkit.secrets import secret_from_env, variable_name_problem

Key = TypeVar("Key", bound="str | None")


class Touched:
    """The account keys a normalizer referred to since the last :meth:`take`.

    An adapter keeps one registry of every account a source has seen (shared by
    its threads), and hands each page only the people that page refers to:
    the normalizer passes each key it writes into an item through :meth:`add`, and
    :meth:`take` returns those people (read from the registry by ``people``, in
    key order) and starts afresh for the next page.
    """

    def __init__(self, people: Callable[[set[str]], list[Person]]) -> None:
        self._people = people
        self._keys: set[str] = set()

    def add(self, key: Key) -> Key:
        """Note ``key`` (None, an account not known, is passed over); returns it unchanged."""
        if isinstance(key, str) and key:
            self._keys.add(key)
        return key

    def take(self) -> list[Person]:
        """The people referred to since the last call, as ``people`` reads them."""
        keys, self._keys = self._keys, set()
        return self._people(keys)


@dataclass(frozen=True)
class SourceConfig:
    """One ``[[sources]]`` table: its ``name``, ``type`` and the adapter's own keys."""

    name: str
    type: str
    options: Mapping[str, Any] = field(default_factory=dict)
    where: str = ""
    """Where the table is defined, e.g. ``"leadkit.toml, line 12"``; used in errors."""
    origins: Mapping[str, str] = field(default_factory=dict)
    """Where each key of the table is set (``"leadkit.toml, line 14"``), when known."""

    def fail(self, key: str, problem: str) -> ConfigError:
        """A ConfigError naming this source, the key and where it is set (else the table)."""
        where = self.origins.get(key, self.where)
        location = f" ({where})" if where else ""
        return ConfigError(f"source '{self.name}': {key} {problem}{location}")

    def get_str(self, key: str, default: str | None = None) -> str | None:
        value = self.options.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, f"must be a string, got {value!r}")
        return value

    def require_str(self, key: str) -> str:
        value = self.get_str(key)
        if not value:
            raise self.fail(key, "is required")
        return value

    def get_bool(self, key: str, default: bool) -> bool:
        value = self.options.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def get_int(self, key: str, default: int) -> int:
        value = self.options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer, got {value!r}")
        return value

    def get_number(self, key: str, default: float, *, unit: str = "seconds") -> float:
        """A non-negative, finite number (NaN and ``inf`` are refused)."""
        value = self.options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise self.fail(key, f"must be a number of {unit}, got {value!r}")
        if not math.isfinite(value):
            raise self.fail(key, f"must be a finite number of {unit}, got {value!r}")
        return float(value)

    def get_list(self, key: str, default: list[str] | None = None) -> list[str]:
        value = self.options.get(key, default if default is not None else [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"must be a list of strings, got {value!r}")
        return list(value)

    def get_table(self, key: str) -> dict[str, Any]:
        value = self.options.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table, got {value!r}")
        return dict(value)

    def variable(self, key: str, default: str | None = None) -> str | None:
        """The environment variable *name* in ``key``; a token pasted there is refused unseen."""
        value = self.options.get(key, default)
        if value is None:
            return None
        problem = variable_name_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise self.fail(key, problem)
        return self.get_str(key, default)

    def secret(self, key: str, default_variable: str, environ: Mapping[str, str]) -> str:
        """The secret in the environment variable named by ``key`` (never the value itself)."""
        variable = self.variable(key, default_variable) or default_variable
        return secret_from_env(
            variable, purpose=f"source '{self.name}' reads it through {key}", environ=environ
        )


class SourceStats:
    """Requests, GraphQL points, retries and time spent for one source (thread-safe)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.requests = 0
        self.graphql_points = 0
        self.retries = 0
        self.waited_seconds = 0.0
        self.elapsed_seconds = 0.0
        self.items = 0
        self._lock = threading.Lock()

    def add(
        self,
        *,
        requests: int = 0,
        graphql_points: int = 0,
        retries: int = 0,
        waited_seconds: float = 0.0,
        items: int = 0,
    ) -> None:
        with self._lock:
            self.requests += requests
            self.graphql_points += graphql_points
            self.retries += retries
            self.waited_seconds += waited_seconds
            self.items += items

    def since(self, before: dict[str, Any]) -> SourceStats:
        """What was counted after ``before`` (an :meth:`as_dict` taken then): one sync's share
        of an adapter that also served earlier runs."""
        now = self.as_dict()
        part = SourceStats(self.name)
        part.add(
            requests=now["requests"] - before["requests"],
            graphql_points=now["graphql_points"] - before["graphql_points"],
            retries=now["retries"] - before["retries"],
            waited_seconds=self.waited_seconds - before["waited_seconds"],
            items=now["items"] - before["items"],
        )
        return part

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.name,
            "requests": self.requests,
            "graphql_points": self.graphql_points,
            "retries": self.retries,
            "waited_seconds": round(self.waited_seconds, 3),
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "items": self.items,
        }


LINE_INTERVAL = 10.0
"""Seconds between progress lines in a log (``--progress`` where stderr is not a terminal)."""


class Progress:
    """Progress on stderr: one line redrawn in place on a terminal, silent in CI logs and pipes.

    ``lines=True`` (``--progress`` where stderr is not a terminal) writes a
    plain line at most every ``LINE_INTERVAL`` seconds instead, so a CI log
    shows a ten-minute fetch is alive. ``clock`` (monotonic seconds) is
    injected so tests need not wait.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        *,
        lines: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = _terminal(self.stream)
        self.enabled = enabled
        self.lines = lines
        self.interval = LINE_INTERVAL if lines else 0.2
        self.clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    @classmethod
    def chosen(cls, *, quiet: bool = False, forced: bool = False) -> Progress:
        """The progress ``--quiet`` (none) or ``--progress`` (lines unless on a terminal) ask for."""
        if quiet:
            return cls(enabled=False)
        if forced:
            return cls(enabled=True, lines=not _terminal(sys.stderr))
        return cls()

    def __call__(self, message: str, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self.clock()
        with self._lock:
            if not force and self._last is not None and now - self._last < self.interval:
                return
            self._last = now
            self.stream.write(f"{message}\n" if self.lines else f"\r\x1b[2K{message}")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled and not self.lines:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal a line can be redrawn on (not a CI log)."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


@dataclass
class CollectContext:
    """What the core hands an adapter besides its own config."""

    stats: SourceStats
    progress: Callable[[str], None] = field(default_factory=lambda: Progress(enabled=False))
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    config_dir: str = "."
    sleep: Callable[[float], None] = time.sleep
    """Injected so tests fake time instead of sleeping."""
    clock: Callable[[], float] = time.time
    """Wall-clock seconds, injected so tests fake rate-limit reset times."""


@dataclass(slots=True)
class Page(Dataset):
    """One page from an adapter that can resume an interrupted sync (``resumable = True``).

    A store that has committed this page may save :attr:`resume` and, after an
    interruption, hand the merged states back to :meth:`SourceAdapter.pages`
    so the adapter carries on where it stopped instead of starting again.
    """

    resume: dict[str, Any] = field(default_factory=dict)
    """Per stream (e.g. a repository), the adapter's JSON state to carry on from."""
    incomplete_since: datetime | None = None
    """The oldest update time of an item this page had to leave out because the
    tracker sent it incomplete: the next sync must read it again, so the sync
    mark must not pass it (a note says so meanwhile)."""


class SourceAdapter:
    """Base class of tracker adapters; subclasses set ``type`` and implement :meth:`pages`.

    ``__init__`` validates the source's config and raises
    :class:`leadkit.errors.ConfigError` naming the bad key; it must not touch
    the network. :meth:`pages` yields partial datasets as they arrive, so a
    store can commit page by page.
    """

    type: ClassVar[str] = ""
    description: ClassVar[str] = ""
    owner: str = ""
    """The plugin (and distribution) that registered this adapter, as failure lines name it;
    set by the core when it builds the adapter."""
    resumable: ClassVar[bool] = False
    """True when :meth:`pages` takes ``resume=`` and yields :class:`Page` objects."""
    decoded: ClassVar[bool] = False
    """True when every page is built by the core's decoder (:mod:`leadkit.model.codec`, as the
    ``file`` source's are), which checks each field as it builds it: the pages are then not
    walked a second time by :mod:`leadkit.collect.validate` (about 2 s at 100,000 items)."""
    declared_options: ClassVar[tuple[Option, ...]] = ()
    """The keys of its ``[[sources]]`` table (named apart from ``options``, which adapters
    often use for their parsed settings). When declared, the core refuses any other key
    and a value of the wrong type (naming the key's line) before ``__init__``, and
    ``source.options`` holds every declared key (absent ones at their default)."""

    @classmethod
    def configured(cls, source: SourceConfig) -> SourceConfig:
        """``source`` as a run hands it to ``__init__``: checked against
        :attr:`declared_options` (an unknown key or a wrong type is a ConfigError
        naming the key and its line) with the defaults filled in; as it is when
        nothing is declared. Tests that build an adapter by hand go through it too."""
        if not cls.declared_options:
            return source
        return replace(
            source, options=read_options(cls.declared_options, source.options, source.fail)
        )

    def __init__(self, source: SourceConfig, context: CollectContext) -> None:
        self.source = source
        self.context = context

    def pages(self, window: Window, *, updated_since: datetime | None = None) -> Iterator[Dataset]:
        """Yield the source's data for ``window`` (only what changed since ``updated_since``)."""
        raise NotImplementedError

    def check_online(self, window: Window) -> list[str] | None:
        """For ``leadkit config check --online``: what the token can see, as lines.

        An adapter that offers it makes one cheap authenticated request (or as
        few as its tracker allows) and never writes: the account it runs as,
        the repositories or projects visible, whether its query is accepted.
        A failure raises a :class:`leadkit.errors.LeadkitError` (one line).
        None (this default): the adapter has no online check.
        """
        return None

    def collect(self, window: Window, *, updated_since: datetime | None = None) -> Dataset:
        """All pages merged into one dataset, each checked first (see :mod:`leadkit.collect.validate`)."""
        first = Dataset(window=window, sources=[self.source.name])
        pages = checked_pages(self, self.pages(window, updated_since=updated_since))
        return merge_datasets(window, [first, *pages])
