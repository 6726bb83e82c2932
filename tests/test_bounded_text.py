"""Tracker text is cut at one documented length (``leadkit.model.data.TEXT_LIMIT``) in every
output, so one long title cannot grow a report past what a reader opens.

The demo team's data with seven 100,000-character titles (and a long label), read
from an interchange file as a user runs it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from leadkit import demo
from leadkit.cli import cli
from leadkit.model.data import TEXT_LIMIT

from .conftest import DEMO_NOW
from .report_data import demo_config

HUGE = 100_000
ELLIPSIS = "\u2026"


def long_titles(tmp_path: Path) -> Path:
    data = json.loads((demo.directory() / "team.json").read_text(encoding="utf-8"))
    for n, item in enumerate([*data["work_items"][:3], *data["reviews"][:4]]):
        item["title"] = f"{n}" + "t" * HUGE
    data["work_items"][0]["labels"] = ["l" * HUGE]
    file = tmp_path / "team.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    return demo_config(tmp_path, data=file)


def titles(value: Any) -> list[str]:
    """Every ``title`` in a JSON document."""
    if isinstance(value, dict):
        own = [value["title"]] if isinstance(value.get("title"), str) else []
        return own + [s for v in value.values() for s in titles(v)]
    if isinstance(value, list):
        return [s for v in value for s in titles(v)]
    return []


def test_every_format_cuts_long_tracker_text_with_an_ellipsis(tmp_path: Path) -> None:
    config = long_titles(tmp_path)
    formats = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}
    outputs = {fmt: tmp_path / f"report.{ext}" for fmt, ext in formats.items()}
    args = ["report", "--config", str(config), "--now", DEMO_NOW]
    for fmt, path in outputs.items():
        args += ["--format", fmt, "-o", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for fmt, path in outputs.items():
        text = path.read_text(encoding="utf-8")
        assert len(text) < 400_000, fmt  # was 3 MB and more: each title whole, many times
        assert "t" * TEXT_LIMIT not in text, fmt  # no title run past the limit
        assert "l" * TEXT_LIMIT not in text, fmt  # nor the label
    doc = json.loads(outputs["json"].read_text(encoding="utf-8"))
    cut = [t for t in titles(doc) if t.endswith(ELLIPSIS) and len(t) == TEXT_LIMIT]
    assert max(len(t) for t in titles(doc)) <= TEXT_LIMIT
    assert any(t.startswith("0ttt") for t in cut)  # a title, cut to the limit, ellipsis last
    assert "ttt" + ELLIPSIS in outputs["markdown"].read_text(encoding="utf-8")
