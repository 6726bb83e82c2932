"""The HTML report's charts on a phone: text size from the viewBox and the layout width.

A chart's SVG scales to its box, so its text renders at
``font-size * shown width / viewBox width``. The shown width follows from the
page's own CSS at a given viewport (``main`` and ``figure`` paddings, media
queries, the SVG's ``max-width``), read here from the rendered page. The
headless-browser test (tests/test_html_browser.py) measures the same in Chromium.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.builtins.renderers.html import CHART_FONT
from leadkit.cli import cli

from .conftest import DEMO_NOW

REM = 16.0
PHONE, DESKTOP = 390, 1280


def page(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        cli, ["report", "--demo", "--now", DEMO_NOW, "--format", "html", "-o", str(out), *args]
    )
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def length(value: str) -> float:
    """A CSS length in px (px and rem, what the page uses)."""
    number = float(re.match(r"[\d.]+", value).group(0))  # type: ignore[union-attr]
    return number * REM if value.endswith("rem") else number


def rules(css: str, viewport: float) -> dict[str, dict[str, str]]:
    """Declarations per selector that apply at ``viewport`` px wide, later rules winning."""
    applied: dict[str, dict[str, str]] = {}

    def take(block: str) -> None:
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
            for name in (s.strip() for s in selector.split(",")):
                for decl in body.split(";"):
                    if ":" in decl:
                        key, _, value = decl.partition(":")
                        applied.setdefault(name, {})[key.strip()] = value.strip()

    # Media blocks first set aside, then applied after the plain rules when they match.
    media = re.findall(
        r"@media\s*\(max-width:\s*([\d.]+rem|[\d.]+px)\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", css
    )
    plain = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", css)
    take(plain)
    for limit, block in media:
        if viewport <= length(limit):
            take(block)
    return applied


def padding(decls: dict[str, str]) -> float:
    """The horizontal padding of one side (``padding: a`` or ``padding: a b``)."""
    parts = decls.get("padding", "0").split()
    return length(parts[1] if len(parts) > 1 else parts[0])


def chart_text_px(html: str, viewport: float) -> list[float]:
    """Each chart's text size in CSS px at ``viewport`` px wide."""
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]
    applied = rules(css, viewport)
    main, figure, svg = applied["main"], applied["figure"], applied["svg"]
    content = min(viewport, length(main["max-width"])) - 2 * padding(main) - 2 * padding(figure)
    shown = min(content, length(svg.get("max-width", "100000px")))
    font = length(applied["svg text"]["font-size"])
    svgs = re.findall(r'<svg viewBox="0 0 ([\d.]+) [\d.]+"(.*?)</svg>', html, re.S)
    widths = [float(w) for w, body in svgs if "<text" in body]  # charts with words
    assert widths, "no chart drawn"
    return [font * shown / w for w in widths]


@pytest.mark.parametrize("args", [[], ["--since", "91d"]])
def test_chart_text_is_11px_or_more_on_a_phone_and_not_huge_on_a_desktop(
    tmp_path: Path, args: list[str]
) -> None:
    html = page(tmp_path, *args)
    phone = chart_text_px(html, PHONE)
    assert min(phone) >= 11, phone
    desktop = chart_text_px(html, DESKTOP)
    assert all(11 <= px <= 18 for px in desktop), desktop


def test_thirteen_weeks_keep_their_labels_apart(tmp_path: Path) -> None:
    html = page(tmp_path, "--since", "91d")
    svg = re.search(r'<svg viewBox="0 0 ([\d.]+) ([\d.]+)"[^>]*aria-label="[^"]*week', html, re.I)
    assert svg is not None
    body = html[svg.start() : html.index("</svg>", svg.start())]
    bottom = float(svg.group(2)) - 8
    labels = re.findall(
        rf'<text x="([\d.]+)" y="{bottom:g}" text-anchor="middle">([^<]*)</text>', body
    )
    assert len(labels) >= 4
    xs = [float(x) for x, _ in labels]
    widest = max(len(text) for _, text in labels) * CHART_FONT * 0.6
    assert all(b - a >= widest for a, b in itertools.pairwise(xs)), labels
    assert labels[-1][1] == "Nov 16"  # the latest week keeps its label
