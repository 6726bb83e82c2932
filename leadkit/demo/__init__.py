"""The bundled demo team (Jamie, Owen, Tommy, Priya), loaded through the file adapter.

The recorded data ends at :data:`ANCHOR`. ``--now`` moves every recorded time
by the same amount, so the story reads the same on any date.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from leadkit.config import Config, parse_config
from leadkit.model.codec import replace_times
from leadkit.model.data import Dataset, Window

ANCHOR = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
"""The moment the demo's data was 'recorded': its default ``--now``."""


def directory() -> Path:
    return Path(str(resources.files("leadkit.demo")))


def config() -> Config:
    """The demo's config, its file source resolved next to the bundled data."""
    path = directory() / "leadkit.toml"
    return parse_config(path.read_text(encoding="utf-8"), path)


LAYERED_SECTIONS = (
    "analysis",
    "thresholds",
    "gates",
    "delegation",
    "comment",
    "publish",
    "plugins",
)
"""What ``report --demo --config FILE`` takes from FILE; the team, people and data stay the demo's."""


def layered(user: Config) -> tuple[Config, list[str]]:
    """The demo's config with ``user``'s :data:`LAYERED_SECTIONS` over it, and what was ignored.

    A section FILE does not have keeps the demo's. Plugin files FILE names are
    found next to FILE, not next to the demo.
    """
    base = config()
    present = set(user.raw)
    # Each of these sections is the Config field of the same name.
    taken = present & (set(LAYERED_SECTIONS) - {"plugins"})
    changes: dict[str, Any] = {name: getattr(user, name) for name in taken}
    changes["origins"] = {**base.origins, **user.origins}
    if "plugins" in present:
        changes["plugin_modules"] = user.plugin_modules
        changes["plugin_paths"] = tuple(_beside(user.base_dir, p) for p in user.plugin_paths)
    ignored = sorted(present - set(LAYERED_SECTIONS))
    return dataclasses.replace(base, **changes), ignored


def _beside(base_dir: Path, spec: str) -> str:
    """A plugin path made absolute against ``base_dir`` (module names are left as they are)."""
    if not (spec.endswith(".py") or "/" in spec or "\\" in spec):
        return spec
    path = Path(spec).expanduser()
    return str(path if path.is_absolute() else (base_dir / path).absolute())


def shifted(dataset: Dataset, delta: timedelta, window: Window) -> Dataset:
    """The dataset with every recorded time moved by ``delta``."""
    return dataclasses.replace(
        dataset,
        window=window,
        people=list(dataset.people),
        work_items=[replace_times(i, lambda t: t + delta) for i in dataset.work_items],
        reviews=[replace_times(r, lambda t: t + delta) for r in dataset.reviews],
    )
