"""The ``json`` format: the report's documented JSON shape, byte-stable."""

from __future__ import annotations

from typing import Any

from leadkit import hookimpl
from leadkit.interchange import dumps
from leadkit.report import Report


def render(report: Report, options: dict[str, Any]) -> str:
    return dumps(report.as_dict())


@hookimpl
def register_renderers(register) -> None:  # type: ignore[no-untyped-def]
    register(
        "json", render, extension="json", description="the report as JSON (docs/report-json.md)"
    )
