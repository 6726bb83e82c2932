"""Options a plugin declares, and how the core checks a config table against them.

A source (``SourceAdapter.options``), a finding kind (``FindingKind.options``),
a renderer or a publisher (``register(..., options=...)``) lists its options
as :class:`Option` values. The core then refuses an unknown key or a value of
the wrong type with one line naming the key and its line in the config, fills
in the defaults, and ``leadkit plugins`` lists them. Sources read theirs from
their ``[[sources]]`` table; analyses, renderers and publishers from
``[plugins.<name>]``, ``<name>`` being what they registered.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leadkit.errors import ConfigError, PluginError, shown

if TYPE_CHECKING:
    from leadkit.config import Config
    from leadkit.plugins import PluginHost

OPTION_TYPES: dict[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "true or false",
    list: "list of strings",
    dict: "table",
}
"""The types an option may have, and how messages and ``leadkit plugins`` name them."""

_MUST_BE = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "a list of strings",
    dict: "a table",
}


@dataclass(frozen=True)
class Option:
    """One option: its key, type (``str``, ``int``, ``float``, ``bool``, ``list`` of
    strings or ``dict``), default (used when the key is absent) and what it does."""

    name: str
    type: type
    default: Any = None
    doc: str = ""
    required: bool = False

    def as_dict(self) -> dict[str, Any]:
        """As ``leadkit plugins --json`` lists it."""
        return {
            "name": self.name,
            "type": OPTION_TYPES.get(self.type, str(self.type)),
            "default": self.default,
            "doc": self.doc,
            "required": self.required,
        }

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value`` for this option, or None."""
        kind = self.type
        ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if kind is float and ok and not math.isfinite(value):
            return f"must be a finite number, got {value!r}"
        if kind is list and ok:
            ok = all(isinstance(v, str) for v in value)
        if ok:
            return None
        return f"must be {_MUST_BE[kind]}, got {shown(value)}"


def check_declared(options: Any, what: str) -> tuple[Option, ...]:
    """A plugin's declarations, checked when it registers (a PluginError names it)."""
    out = tuple(options or ())
    for option in out:
        if not isinstance(option, Option) or not option.name:
            raise PluginError(f"{what} declares {option!r}, which is not a leadkit.api.Option")
        if option.type not in OPTION_TYPES:
            raise PluginError(
                f"{what} declares option '{option.name}' of type {option.type!r}; "
                f"use one of {', '.join(t.__name__ for t in OPTION_TYPES)}"
            )
        if option.default is not None and option.problem(option.default) is not None:
            raise PluginError(
                f"{what} declares option '{option.name}' with default {option.default!r}, "
                f"not {_MUST_BE[option.type]}"
            )
    return out


def read_options(
    declared: Iterable[Option],
    given: Mapping[str, Any],
    fail: Callable[[str, str], ConfigError],
    *,
    ignore: Iterable[str] = (),
) -> dict[str, Any]:
    """``given`` checked against ``declared``, with the defaults filled in.

    ``fail(key, problem)`` builds the error, so it can name the key's table and
    line; keys in ``ignore`` (a source's ``type`` and ``name``) pass as they are. A key
    set to None (TOML has no null: a table built in code) counts as absent, so a table
    read once, its defaults filled in, reads the same again.
    """
    by_name = {o.name: o for o in declared}
    skipped = set(ignore)
    out: dict[str, Any] = {}
    for key, value in given.items():
        if key in skipped:
            out[key] = value
            continue
        option = by_name.get(key)
        if value is None and option is not None:
            continue
        if option is None:
            known = ", ".join(sorted(by_name)) or "none"
            raise fail(key, f"is not a known option (known: {known})")
        problem = option.problem(value)
        if problem is not None:
            raise fail(key, problem)
        out[key] = value
    for option in by_name.values():
        if option.name in out:
            continue
        if option.required:
            raise fail(option.name, "is required")
        out[option.name] = option.default
    return out


def configure_plugins(config: Config, host: PluginHost, *, partial: bool = False) -> Config:
    """``config`` with every ``[plugins.<name>]`` table checked against what the analysis,
    renderer or publisher called ``<name>`` declares, and the declared defaults filled in.

    A table naming nothing loaded is refused, unless ``partial`` (a plugin failed to
    load: the table may be its own), when it is kept as it is.
    """
    declared: dict[str, list[Option]] = {}
    for entries in (
        {name: a.kind.options for name, a in host.analyses.items()},
        {name: r.options for name, r in host.renderers.items()},
        {name: p.options for name, p in host.publishers.items()},
    ):
        for name, options in entries.items():
            declared.setdefault(name, []).extend(options)
    label = str(config.path or "config")
    out: dict[str, dict[str, Any]] = {}
    for name, table in config.plugin_options.items():
        if name not in declared:
            if partial:
                out[name] = dict(table)
                continue
            where = config.origins.get(f"plugins.{name}", label)
            known = ", ".join(sorted(n for n, o in declared.items() if o)) or "none"
            raise ConfigError(
                f"{where}: plugins.{name} names no loaded analysis, renderer or publisher "
                f"with options (known: {known})"
            )
    for name, options in declared.items():
        if not options and name not in config.plugin_options:
            continue

        def fail(key: str, problem: str, name: str = name) -> ConfigError:
            dotted = f"plugins.{name}.{key}"
            where = config.origins.get(dotted) or config.origins.get(f"plugins.{name}", label)
            return ConfigError(f"{where}: {dotted} {problem}")

        out[name] = read_options(options, config.plugin_options.get(name, {}), fail)
    return dataclasses.replace(config, plugin_options=out)
