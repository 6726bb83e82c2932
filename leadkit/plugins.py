"""Finding, loading and isolating plugins, and the registries they fill.

Plugins come from four places, in this order: the built-ins
(:data:`DEFAULT_PLUGINS`), the ``leadkit`` entry-point group of installed
distributions, modules or files named in ``LEADKIT_PLUGINS``, and files or
modules named in config (``[plugins] paths`` / ``modules``). A plugin that
fails to import or raises in a hook is recorded with its error and skipped;
the rest keep working. ``strict=True`` re-raises instead.

Environment switches, read when plugins load:
``LEADKIT_PLUGINS`` (comma-separated modules or ``.py`` paths to add),
``LEADKIT_DISABLE_PLUGINS`` (comma-separated plugin names to skip),
``LEADKIT_STRICT_PLUGINS=1`` (fail on the first broken plugin).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import inspect
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pluggy

from leadkit import hookspecs
from leadkit.analyze.kinds import FindingKind, FunctionKind, Kinds
from leadkit.collect.sources import SourceAdapter
from leadkit.errors import PLUGIN_ERRORS, LeadkitError, PluginError, PluginFailure
from leadkit.options import Option, check_declared

ENTRY_POINT_GROUP = "leadkit"

DEFAULT_PLUGINS: tuple[str, ...] = (
    "leadkit.builtins.file_source",
    "leadkit.builtins.kinds.review_queue",
    "leadkit.builtins.kinds.review_concentration",
    "leadkit.builtins.kinds.blocking_work",
    "leadkit.builtins.kinds.stalled_own_work",
    "leadkit.builtins.kinds.interrupt_load",
    "leadkit.builtins.kinds.lead_time",
    "leadkit.builtins.kinds.quiet_work",
    "leadkit.builtins.kinds.lead_wip",
    "leadkit.builtins.kinds.team_flow",
    "leadkit.builtins.kinds.member_status",
    "leadkit.builtins.kinds.away_risk",
    "leadkit.builtins.kinds.next_big_thing",
    "leadkit.builtins.kinds.coaching",
    "leadkit.builtins.kinds.review_ownership",
    "leadkit.builtins.kinds.delegation",
    "leadkit.builtins.renderers.text",
    "leadkit.builtins.renderers.markdown",
    "leadkit.builtins.renderers.json",
    "leadkit.builtins.renderers.html",
    "leadkit.builtins.publishers",
    "leadkit.builtins.pr_commands",
)


@contextmanager
def failing_as(what: str, name: str, who: str) -> Iterator[None]:
    """Run a plugin's code: any exception but a LeadkitError becomes one line naming the plugin.

    ``source 'jira' (plugin jira, distribution leadkit-jira) failed: KeyError: 'fields'``;
    the original exception is chained, so ``--debug`` shows its traceback.
    """
    try:
        yield
    except LeadkitError:
        raise
    except PLUGIN_ERRORS as exc:
        raise PluginFailure(f"{what} '{name}' ({who}) failed: {describe_error(exc)}") from exc


REGISTRY_HOOKS: dict[str, str] = {
    "register_sources": "sources",
    "register_analyses": "analyses",
    "register_renderers": "renderers",
    "register_publishers": "publishers",
}


@dataclass(frozen=True)
class Analysis:
    """A registered analysis: its finding kind (which runs it) and the plugin it came from."""

    name: str
    kind: FindingKind[Any]
    plugin: str
    description: str = ""
    who: str = ""
    """The plugin and its distribution, for failure lines (:meth:`PluginInfo.who`)."""


@dataclass(frozen=True)
class Renderer:
    """A registered output format."""

    name: str
    function: Callable[..., str]
    plugin: str
    extension: str = "txt"
    description: str = ""
    who: str = ""
    options: tuple[Option, ...] = ()
    """What its ``[plugins.<name>]`` table may set; the values reach ``function(report, options)``."""

    def render(self, report: Any, options: dict[str, Any] | None = None) -> str:
        """The report in this format, as it may leave the process.

        Every rendered report goes through here (stdout, ``--output`` files,
        publishers), so whatever a renderer does, no secret (in any encoding)
        and no bidi override or control character from a tracker gets out. A
        renderer that raises, or returns anything but text (bytes, None), stops the
        run with one line naming its plugin.
        """
        from leadkit.present.escape import visible
        from leadkit.secrets import redact

        with failing_as("renderer", self.name, self.who):
            text = self.function(report, options or {})
        if not isinstance(text, str):
            raise PluginFailure(
                f"renderer '{self.name}' ({self.who}) failed: it returned "
                f"{type(text).__name__}, not text"
            )
        return redact(visible(text, keep_zwsp=True))


@dataclass(frozen=True)
class Publisher:
    """A registered place a report can go."""

    name: str
    function: Callable[..., str]
    plugin: str
    description: str = ""
    who: str = ""
    options: tuple[Option, ...] = ()
    """What its ``[plugins.<name>]`` table may set (``context.config.plugin_options[name]``)."""


@dataclass
class PluginInfo:
    """What ``leadkit plugins`` shows about one plugin."""

    name: str
    origin: str
    version: str | None = None
    distribution: str | None = None
    hooks: list[str] = field(default_factory=list)
    registers: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, list[Option]] = field(default_factory=dict)
    """The options each registered source, analysis, renderer or publisher declares."""
    error: str | None = None
    traceback: str | None = None
    """The failure's traceback (secrets masked), shown with ``--debug``."""

    def who(self) -> str:
        """``plugin 'github' from distribution leadkit-github``: what a failure line names."""
        where = f"distribution {self.distribution}" if self.distribution else self.origin
        return f"plugin '{self.name}' from {where}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "origin": self.origin,
            "distribution": self.distribution,
            "hooks": sorted(self.hooks),
            "registers": {k: sorted(v) for k, v in sorted(self.registers.items()) if v},
            "options": {
                name: [o.as_dict() for o in options]
                for name, options in sorted(self.options.items())
                if options
            },
            "error": self.error,
        }


class PluginHost:
    """A plugin manager plus the registries its plugins filled."""

    def __init__(self, strict: bool = False) -> None:
        self.pm = pluggy.PluginManager("leadkit")
        self.pm.add_hookspecs(hookspecs)
        self.strict = strict
        self.infos: dict[str, PluginInfo] = {}
        self.sources: dict[str, type[SourceAdapter]] = {}
        self.analyses: dict[str, Analysis] = {}
        self.renderers: dict[str, Renderer] = {}
        self.publishers: dict[str, Publisher] = {}
        self.disabled: list[str] = []
        """Plugins skipped by ``LEADKIT_DISABLE_PLUGINS``."""
        self._owners: dict[tuple[str, str], str] = {}

    # -- loading -----------------------------------------------------------------

    def add(
        self,
        plugin: object,
        name: str,
        *,
        origin: str,
        version: str | None = None,
        distribution: str | None = None,
    ) -> PluginInfo:
        """Register one plugin object, isolating any failure to that plugin."""
        info = PluginInfo(name=name, origin=origin, version=version, distribution=distribution)
        if name in self.infos and self.infos[name].error is None:
            return self._failed(info, f"a plugin named '{name}' is already loaded")
        self.infos[name] = info
        try:
            self.pm.register(plugin, name=name)
        except ValueError as exc:
            return self._failed(info, str(exc))
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(name=name)
            return self._failed(info, f"unknown hook: {exc}")
        info.hooks = sorted(
            impl_name
            for impl_name in dir(plugin)
            if impl_name.startswith("register_") and hasattr(self.pm.hook, impl_name)
        )
        return info

    def add_module(self, module_name: str, *, origin: str, name: str | None = None) -> PluginInfo:
        """Import ``module_name`` and register it; an import error is recorded, not raised."""
        plugin_name = name or module_name
        try:
            module = importlib.import_module(module_name)
        except PLUGIN_ERRORS as exc:
            info = PluginInfo(name=plugin_name, origin=origin, distribution=_builtin(origin))
            return self._failed(info, describe_error(exc))
        return self.add(
            module,
            plugin_name,
            origin=origin,
            version=_module_version(module),
            distribution=_builtin(origin),
        )

    def add_path(self, path: Path, *, origin: str) -> list[PluginInfo]:
        """Register a ``.py`` file, or every ``.py`` file in a directory."""
        if path.is_dir():
            files = sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
        else:
            files = [path]
        infos = []
        for file in files:
            name = file.stem
            if not file.exists():
                info = PluginInfo(name=name, origin=f"{origin}: {file}")
                infos.append(self._failed(info, f"no such file: {file}"))
                continue
            try:
                module = _import_file(file)
            except PLUGIN_ERRORS as exc:
                info = PluginInfo(name=name, origin=f"{origin}: {file}")
                infos.append(self._failed(info, describe_error(exc)))
                continue
            infos.append(
                self.add(module, name, origin=f"{origin}: {file}", version=_module_version(module))
            )
        return infos

    def add_entry_points(self, entry_points: Iterable[Any] | None = None) -> None:
        """Register every plugin of the ``leadkit`` entry-point group, one at a time."""
        if entry_points is None:
            entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        for ep in entry_points:
            dist = getattr(ep, "dist", None)
            dist_name = getattr(dist, "name", None) if dist is not None else None
            version = getattr(dist, "version", None) if dist is not None else None
            info = PluginInfo(
                name=ep.name, origin="entry point", version=version, distribution=dist_name
            )
            try:
                plugin = ep.load()
            except PLUGIN_ERRORS as exc:
                self._failed(info, describe_error(exc))
                continue
            self.add(plugin, ep.name, origin="entry point", version=version, distribution=dist_name)

    def _failed(self, info: PluginInfo, error: str) -> PluginInfo:
        """Record a plugin that failed to load (with the traceback, if one is being handled)."""
        info.error = error
        if sys.exc_info()[0] is not None:
            from leadkit.secrets import redact

            info.traceback = redact(traceback.format_exc())
        self.infos[info.name] = info
        if self.strict:
            raise PluginError(f"plugin '{info.name}' failed to load: {error}")
        return info

    # -- registries --------------------------------------------------------------

    def build_registries(self) -> None:
        """Call every registry hook, one plugin at a time, through validating callbacks."""
        for hook_name, kind in REGISTRY_HOOKS.items():
            caller = getattr(self.pm.hook, hook_name)
            impls = {impl.plugin_name: impl for impl in caller.get_hookimpls()}
            # In load order: built-ins first, so a later plugin cannot take their names.
            order = [name for name in self.infos if name in impls]
            order += sorted(set(impls) - set(order))
            for plugin_name in order:
                impl = impls[plugin_name]
                register = self._register_callback(kind, plugin_name)
                try:
                    impl.function(register)
                except PLUGIN_ERRORS as exc:
                    info = self.infos.get(plugin_name) or PluginInfo(plugin_name, "in-process")
                    self._failed(info, f"{hook_name} raised {describe_error(exc)}")

    def _register_callback(self, kind: str, plugin: str) -> Callable[..., None]:
        def register(*args: Any, **kwargs: Any) -> None:
            entry_name = self._register(kind, plugin, *args, **kwargs)
            info = self.infos.setdefault(plugin, PluginInfo(plugin, "in-process"))
            info.registers.setdefault(kind, []).append(entry_name)
            declared = self.declared_options(kind, entry_name)
            if declared:
                info.options.setdefault(entry_name, []).extend(declared)

        return register

    def _register(self, kind: str, plugin: str, *args: Any, **kwargs: Any) -> str:
        if kind == "sources":
            (adapter,) = args
            if not (inspect.isclass(adapter) and issubclass(adapter, SourceAdapter)):
                raise PluginError(
                    f"plugin '{plugin}' registered {adapter!r} as a source, "
                    "which is not a SourceAdapter subclass"
                )
            name = adapter.type
            if not name:
                raise PluginError(f"plugin '{plugin}' registered source {adapter!r} with no type")
            check_declared(adapter.declared_options, f"source '{name}' of plugin '{plugin}'")
            self._claim(kind, name, plugin)
            self.sources[name] = adapter
            return name
        if kind == "analyses" and len(args) == 1 and isinstance(args[0], FindingKind):
            finding_kind = args[0]
            if not finding_kind.kind:
                raise PluginError(f"plugin '{plugin}' registered {finding_kind!r} with no kind")
            check_declared(
                finding_kind.options, f"analysis '{finding_kind.kind}' of plugin '{plugin}'"
            )
            self._claim(kind, finding_kind.kind, plugin)
            self.analyses[finding_kind.kind] = Analysis(
                finding_kind.kind, finding_kind, plugin, finding_kind.description, self.who(plugin)
            )
            return finding_kind.kind
        if len(args) < 2:
            raise PluginError(
                f"plugin '{plugin}' registered an invalid {kind[:-1]}: "
                + (
                    "expected register(kind) or register(name, function)"
                    if kind == "analyses"
                    else "expected register(name, function)"
                )
            )
        name, function = args[0], args[1]
        if not isinstance(name, str) or not name or not callable(function):
            raise PluginError(
                f"plugin '{plugin}' registered an invalid {kind[:-1]}: "
                "expected register(name, function)"
            )
        options = check_declared(kwargs.get("options", ()), f"{kind[:-1]} '{name}' of '{plugin}'")
        if kind == "analyses" and options:
            raise PluginError(
                f"plugin '{plugin}' registered analysis '{name}' with options: "
                "declare them on a FindingKind (its options attribute)"
            )
        self._claim(kind, name, plugin)
        description = kwargs.get("description", "")
        if kind == "analyses":
            wrapped = FunctionKind(name, function, description)
            self.analyses[name] = Analysis(name, wrapped, plugin, description, self.who(plugin))
        elif kind == "renderers":
            extension = kwargs.get("extension", "txt")
            if not isinstance(extension, str) or not extension.strip(". "):
                raise PluginError(
                    f"plugin '{plugin}' registered renderer '{name}' with extension "
                    f'{extension!r}: give the file extension, e.g. "csv"'
                )
            self.renderers[name] = Renderer(
                name,
                function,
                plugin,
                extension.strip(". "),
                description,
                self.who(plugin),
                options,
            )
        else:
            self.publishers[name] = Publisher(
                name, function, plugin, description, self.who(plugin), options
            )
        return name

    def declared_options(self, kind: str, name: str) -> tuple[Option, ...]:
        """The options the entry ``name`` of registry ``kind`` declares."""
        if kind == "sources" and name in self.sources:
            return tuple(self.sources[name].declared_options)
        if kind == "analyses" and name in self.analyses:
            return tuple(self.analyses[name].kind.options)
        if kind == "renderers" and name in self.renderers:
            return self.renderers[name].options
        if kind == "publishers" and name in self.publishers:
            return self.publishers[name].options
        return ()

    def extensions(self) -> dict[str, str]:
        """File extensions (``.csv``) to the renderer registered with them, first come first."""
        out: dict[str, str] = {}
        for renderer in self.renderers.values():
            out.setdefault(f".{renderer.extension.lower()}", renderer.name)
        return out

    def _claim(self, kind: str, name: str, plugin: str) -> None:
        owner = self._owners.get((kind, name))
        if owner is not None and owner != plugin:
            raise PluginError(
                f"{kind[:-1]} '{name}' is registered twice: by plugin '{owner}' and by '{plugin}'"
            )
        self._owners[(kind, name)] = plugin

    # -- lookups -----------------------------------------------------------------

    def who(self, plugin: str) -> str:
        """A plugin and its distribution, as failure lines name them."""
        info = self.infos.get(plugin)
        return info.who() if info is not None else f"plugin '{plugin}'"

    def owner(self, kind: str, name: str) -> str:
        """Who registered ``name`` in registry ``kind`` (``sources``, ``renderers``...)."""
        return self.who(self._owners.get((kind, name), "unknown"))

    def source_adapter(self, type_name: str) -> type[SourceAdapter]:
        try:
            return self.sources[type_name]
        except KeyError:
            known = ", ".join(sorted(self.sources)) or "none"
            raise PluginError(
                f"unknown source type '{type_name}' (known: {known}); "
                "is its plugin installed? `leadkit plugins` lists them"
            ) from None

    def renderer(self, name: str) -> Renderer:
        try:
            return self.renderers[name]
        except KeyError:
            known = ", ".join(sorted(self.renderers))
            raise PluginError(f"unknown format '{name}' (known: {known})") from None

    def publisher(self, name: str) -> Publisher:
        try:
            return self.publishers[name]
        except KeyError:
            known = ", ".join(sorted(self.publishers)) or "none"
            raise PluginError(f"unknown publish target '{name}' (known: {known})") from None

    def listing(self) -> list[dict[str, Any]]:
        """Every plugin, loaded or failed, for ``leadkit plugins``."""
        return [info.as_dict() for info in self.infos.values()]

    @property
    def kinds(self) -> Kinds:
        """The registered finding kinds, in order."""
        return Kinds(a.kind for a in self.analyses.values())

    def failures(self) -> list[PluginInfo]:
        return [info for info in self.infos.values() if info.error]

    def not_loaded(self) -> list[str]:
        """Plugins that failed to load or were disabled: what they register is missing."""
        return [*(info.name for info in self.failures()), *self.disabled]

    def call_register_commands(self, cli: click.Group) -> dict[str, str]:
        """Let each plugin add its commands; which plugin added each (for failure lines)."""
        added: dict[str, str] = {}
        for impl in reversed(self.pm.hook.register_commands.get_hookimpls()):
            before = set(cli.commands)
            try:
                impl.function(cli=cli)
            except PLUGIN_ERRORS as exc:
                info = self.infos.get(impl.plugin_name) or PluginInfo(impl.plugin_name, "?")
                self._failed(info, f"register_commands raised {describe_error(exc)}")
            added.update(dict.fromkeys(set(cli.commands) - before, self.who(impl.plugin_name)))
        return added


def load_plugins(
    *,
    paths: Iterable[str | Path] = (),
    modules: Iterable[str] = (),
    extra: Iterable[tuple[str, object]] = (),
    environ: Mapping[str, str] | None = None,
    entry_points: Iterable[Any] | None = None,
    use_entry_points: bool = True,
    strict: bool | None = None,
    base_dir: Path | None = None,
) -> PluginHost:
    """Load built-ins, installed, environment- and config-named plugins into a new host."""
    env = os.environ if environ is None else environ
    if strict is None:
        strict = env.get("LEADKIT_STRICT_PLUGINS", "") not in ("", "0")
    disabled = {n.strip() for n in env.get("LEADKIT_DISABLE_PLUGINS", "").split(",") if n.strip()}
    host = PluginHost(strict=strict)
    for module_name in DEFAULT_PLUGINS:
        if module_name not in disabled:
            host.add_module(module_name, origin="built-in")
        else:
            host.disabled.append(module_name)
    if use_entry_points:
        eps = entry_points
        if eps is None:
            eps = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        for ep in eps:
            if ep.name in disabled:
                host.disabled.append(ep.name)
            else:
                host.add_entry_points([ep])
    for name, plugin in extra:
        host.add(plugin, name, origin="in-process")
    from_env = [n.strip() for n in env.get("LEADKIT_PLUGINS", "").split(",") if n.strip()]
    for spec in from_env:
        _add_spec(host, spec, origin="LEADKIT_PLUGINS", base_dir=Path.cwd())
    for module_name in modules:
        host.add_module(module_name, origin="config")
    for path in paths:
        _add_spec(host, str(path), origin="config", base_dir=base_dir or Path.cwd())
    host.build_registries()
    return host


def builtin_names(registry: str) -> list[str]:
    """The names leadkit's own plugins register in ``registry`` (``renderers``,
    ``publishers``...), in the order they register them: what ``--help`` lists."""
    host = load_plugins(use_entry_points=False, environ={})
    return list(getattr(host, registry))


def installed_distributions() -> list[tuple[str, str]]:
    """Each installed distribution with a plugin in the ``leadkit`` entry-point group, and its
    version, by name: read from the packages' metadata, so no plugin code runs (``--version``)."""
    found: dict[str, str] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.dist is not None:
            found[ep.dist.name] = ep.dist.version
    return sorted(found.items())


def _add_spec(host: PluginHost, spec: str, *, origin: str, base_dir: Path) -> None:
    if spec.endswith(".py") or "/" in spec or os.sep in spec:
        path = Path(spec).expanduser()
        if not path.is_absolute():
            path = base_dir / path
        host.add_path(path, origin=origin)
    else:
        host.add_module(spec, origin=origin)


def _import_file(path: Path) -> ModuleType:
    module_name = f"leadkit_local_plugin_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _builtin(origin: str) -> str | None:
    """A built-in plugin's distribution is leadkit's own."""
    return "leadkit" if origin == "built-in" else None


def _module_version(module: ModuleType) -> str | None:
    version = getattr(module, "__version__", None)
    if version is None and module.__name__.startswith("leadkit."):
        from leadkit import __version__

        return __version__
    return str(version) if version is not None else None


def describe_error(exc: BaseException) -> str:
    """``KeyError: 'fields'``: an exception's type and first line, secrets masked."""
    from leadkit.secrets import redact

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)
