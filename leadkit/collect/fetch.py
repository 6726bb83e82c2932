"""Running the configured sources' adapters and merging what they return."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from leadkit.collect.sources import CollectContext, SourceAdapter, SourceConfig, SourceStats
from leadkit.config import Config
from leadkit.errors import PLUGIN_ERRORS, LeadkitError, PluginFailure, SourceError
from leadkit.model.data import Dataset, Window, merge_datasets
from leadkit.plugins import PluginHost, describe_error, failing_as
from leadkit.secrets import redact


@dataclass
class Collection:
    """A merged, not yet identity-resolved dataset and what fetching it cost."""

    dataset: Dataset
    stats: list[SourceStats] = field(default_factory=list)


def select_sources(config: Config, names: Iterable[str] = ()) -> list[SourceConfig]:
    """The sources named (all configured ones when none are named)."""
    wanted = list(names)
    if not wanted:
        if not config.sources:
            raise LeadkitError(
                "the config has no [[sources]]: add one (see config.example.toml) or use --demo"
            )
        return list(config.sources)
    return [config.source(name) for name in wanted]


def make_adapter(
    host: PluginHost,
    source: SourceConfig,
    config: Config,
    *,
    progress: Callable[[str], None] | None = None,
    environ: Mapping[str, str] | None = None,
) -> SourceAdapter:
    """Build (and so validate) the adapter for one source; no network yet."""
    adapter_cls = host.source_adapter(source.type)
    source = adapter_cls.configured(source)
    context = CollectContext(
        stats=SourceStats(source.name),
        environ=os.environ if environ is None else environ,
        config_dir=str(config.base_dir),
    )
    if progress is not None:
        context.progress = progress
    owner = host.owner("sources", source.type)
    with failing_as("source", source.name, owner):
        adapter = adapter_cls(source, context)
    adapter.owner = owner
    return adapter


def source_error(adapter: SourceAdapter, exc: BaseException) -> BaseException:
    """What the user sees when an adapter fails: a network fault as a SourceError, a
    LeadkitError as it is, anything else as a failure of the adapter's plugin."""
    if isinstance(exc, LeadkitError | KeyboardInterrupt):
        return exc
    name = adapter.source.name
    if isinstance(exc, ConnectionError | TimeoutError | OSError):
        return SourceError(redact(f"source '{name}': cannot reach the tracker: {exc}"))
    return PluginFailure(f"source '{name}' ({adapter.owner}) failed: {describe_error(exc)}")


def collect(
    host: PluginHost,
    config: Config,
    window: Window,
    *,
    source_names: Iterable[str] = (),
    progress: Callable[[str], None] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Collection:
    """Fetch every selected source for ``window`` and merge the results."""
    sources = select_sources(config, source_names)
    adapters = [make_adapter(host, s, config, progress=progress, environ=environ) for s in sources]
    datasets = []
    stats = []
    for adapter in adapters:
        started = time.monotonic()
        try:
            datasets.append(adapter.collect(window))
        except LeadkitError:
            raise
        except PLUGIN_ERRORS as exc:
            raise source_error(adapter, exc) from exc
        finally:
            adapter.context.stats.elapsed_seconds = time.monotonic() - started
            stats.append(adapter.context.stats)
    merged = merge_datasets(window, datasets)
    return Collection(dataset=merged, stats=stats)
