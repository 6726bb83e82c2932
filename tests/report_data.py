"""Configs and datasets for report-output tests, built from the bundled demo team.

``demo_config`` points a config at the demo's data, so a test can add
``[gates]`` or change names; with ``--now`` at the demo's anchor the data is
the demo's exactly. ``hostile_config`` also gives a PR a title and a
reviewer a name built to break out of markdown, Mermaid and HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

from leadkit import demo

HOSTILE_TITLE = (
    "<script>alert(1)</script> [click](https://evil.example/x) @octocat ]]> "
    '"q" `tick` %%{init: {"theme":"dark"}}%% #quot; ```\n```mermaid\ngraph TD'
)
HOSTILE_NAME = 'Priya"] ``` %%{init}%% <img src=x onerror=alert(1)> @priya\nInjected'
HOSTILE_PR = 141
BAD_URL_PR = 143


def demo_config(tmp_path: Path, extra: str = "", data: Path | None = None) -> Path:
    """A config like the demo's, reading ``data`` (default: the demo's team.json), plus ``extra``."""
    text = (demo.directory() / "leadkit.toml").read_text(encoding="utf-8")
    text = text.split("\n[gates]")[0]
    source = data or demo.directory() / "team.json"
    text = text.replace('path = "team.json"', f"path = {json.dumps(str(source))}")
    path = tmp_path / "leadkit.toml"
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


def hostile_config(tmp_path: Path) -> Path:
    """The demo with a hostile PR title, a javascript: URL and a hostile reviewer name."""
    data = json.loads((demo.directory() / "team.json").read_text(encoding="utf-8"))
    for review in data["reviews"]:
        if review["number"] == HOSTILE_PR:
            review["title"] = HOSTILE_TITLE
        if review["number"] == BAD_URL_PR:
            review["url"] = "javascript:alert(document.cookie)"
    file = tmp_path / "team.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    path = demo_config(tmp_path, data=file)
    text = path.read_text(encoding="utf-8")
    text = text.replace('name = "Priya Shah"', f"name = {json.dumps(HOSTILE_NAME)}")
    path.write_text(text, encoding="utf-8")
    return path
