"""The JSON Schemas (draft 2020-12) of leadkit's two documents, shipped with the package.

``report.json`` describes ``leadkit report --format json`` (docs/report-json.md);
``interchange.json`` the dataset ``leadkit export`` writes and the ``file``
source reads (docs/interchange.md), generated from the model by
``scripts/make_schemas.py``. ``leadkit schema NAME`` prints them.
"""

from __future__ import annotations

from importlib import resources

from leadkit.errors import LeadkitError

NAMES = ("report", "interchange")


def schema_text(name: str) -> str:
    """The schema called ``name`` (``report`` or ``interchange``), as shipped."""
    if name not in NAMES:
        raise LeadkitError(f"no schema {name!r}: choose {' or '.join(NAMES)}")
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
