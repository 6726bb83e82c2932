"""The ``json`` format: the report's documented JSON shape, byte-stable."""

from __future__ import annotations

from typing import Any

from leadkit import hookimpl
from leadkit.hookspecs import RendererRegister
from leadkit.model.interchange import dumps
from leadkit.model.report import Report
from leadkit.present.escape import visible_all


def render(report: Report, options: dict[str, Any]) -> str:
    """The report's JSON, with no control or invisible character from a tracker in any string."""
    return dumps(visible_all(report.as_dict()))


@hookimpl
def register_renderers(register: RendererRegister) -> None:
    register(
        "json", render, extension="json", description="the report as JSON (docs/report-json.md)"
    )
