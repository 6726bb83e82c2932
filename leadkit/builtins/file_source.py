"""The built-in ``file`` source: a dataset in leadkit's interchange JSON.

``[[sources]] type = "file"`` with ``path = "team.json"`` (relative to the
config file). Items are kept whole; the report window decides what counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from leadkit import hookimpl
from leadkit.collect.sources import CollectContext, SourceAdapter, SourceConfig
from leadkit.hookspecs import SourceRegister
from leadkit.model.data import Dataset, Window
from leadkit.model.interchange import read_dataset_file
from leadkit.options import Option


class FileSource(SourceAdapter):
    """Reads a dataset written by ``leadkit export`` or by any other tool."""

    type = "file"
    decoded = True  # read_dataset_file checks every field as it decodes it
    description = "a dataset in leadkit's interchange JSON (docs/interchange.md)"
    declared_options = (
        Option(
            "path",
            str,
            doc="the interchange JSON file (docs/interchange.md), relative to the config file",
            required=True,
        ),
    )

    def __init__(self, source: SourceConfig, context: CollectContext) -> None:
        super().__init__(source, context)
        path = Path(source.require_str("path")).expanduser()
        self.path = path if path.is_absolute() else Path(context.config_dir) / path
        if not self.path.is_file():
            # Caught here, so `config check` fails on it too, not only the first report.
            raise source.fail("path", f"names no file: {self.path} does not exist")

    def pages(self, window: Window, *, updated_since: datetime | None = None) -> Iterator[Dataset]:
        size = self.path.stat().st_size / 2**20
        self.context.progress(f"{self.source.name}: reading {self.path.name} ({size:,.0f} MiB)")
        data = read_dataset_file(self.path)
        self.context.stats.add(items=len(data.work_items) + len(data.reviews))
        items = data.work_items
        reviews = data.reviews
        if updated_since is not None:
            items = [i for i in items if i.updated >= updated_since]
            reviews = [r for r in reviews if r.updated >= updated_since]
        yield replace(
            data,
            window=window,
            work_items=items,
            reviews=reviews,
            sources=[self.source.name],
        )


@hookimpl
def register_sources(register: SourceRegister) -> None:
    register(FileSource)
