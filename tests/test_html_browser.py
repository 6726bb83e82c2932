"""The HTML report in a real browser: headless Chromium at 390 px (a phone) and 1280 px.

Chart text must render at 11 px or more (and not balloon on a desktop) and
nothing may need sideways scrolling. The report's own Content-Security-Policy
forbids scripts, so it is measured from a harness page that shows it in one
iframe per width (each exactly that wide: headless Chromium will not make a
window narrower than 500 px) and writes what a script measured inside each
frame into itself, which ``--dump-dom`` prints. With ``$HTML_SCREENSHOTS``
naming a folder, screenshots of the report at both widths are taken there, to
look at.

Without Chromium on PATH the test is skipped with one line saying how to run it;
with ``LEADKIT_REQUIRE_BROWSER=1`` (set by ``.ci/run``, which installs Chromium
when it is missing) it fails instead, so CI never skips it.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
from html import escape
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli

from .conftest import DEMO_NOW, system_program

WIDTHS = (390, 1280)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
FRAME = (
    '<iframe style="display:block;width:{width}px;height:900px;border:0" srcdoc="{page}"></iframe>'
)
HARNESS = """<!DOCTYPE html>
<html><body style="margin:0">
{frames}
<script>
window.addEventListener("load", () => {{
  const results = [];
  for (const frame of document.querySelectorAll("iframe")) {{
    const view = frame.contentWindow;
    const doc = view.document;
    const out = {{viewport: view.innerWidth, scrollWidth: doc.documentElement.scrollWidth,
      charts: []}};
    for (const svg of doc.querySelectorAll("svg")) {{
      const sizes = [...svg.querySelectorAll("text")].map(
        (t) => parseFloat(view.getComputedStyle(t).fontSize) * t.getScreenCTM().a);
      const box = svg.closest("figure") || svg.parentElement;
      out.charts.push({{
        label: svg.getAttribute("aria-label"),
        smallest: sizes.length ? Math.min(...sizes) : null,
        largest: sizes.length ? Math.max(...sizes) : null,
        right: svg.getBoundingClientRect().right,
        overflow: box.scrollWidth - box.clientWidth,
      }});
    }}
    results.push(out);
  }}
  const pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify(results);
  document.body.appendChild(pre);
}});
</script>
</body></html>
"""


def browser() -> str:
    return system_program(
        "chromium", "chromium-browser", require="LEADKIT_REQUIRE_BROWSER", install="chromium"
    )


def launch(binary: str, profile: Path, width: int, *action: str) -> subprocess.Popen[str]:
    """Chromium with a fresh profile, nothing fetched from the network, the window ``width`` wide."""
    return subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},900", *action],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_charts_read_on_a_phone_and_a_desktop(tmp_path: Path) -> None:
    binary = browser()
    report = tmp_path / "report.html"
    args = ["report", "--demo", "--now", DEMO_NOW, "--since", "91d", "--format", "html"]
    result = CliRunner().invoke(cli, [*args, "-o", str(report)])
    assert result.exit_code == 0, result.stderr
    page = escape(report.read_text(encoding="utf-8"), quote=True)
    harness = tmp_path / "measure.html"
    frames = "\n".join(FRAME.format(width=width, page=page) for width in WIDTHS)
    harness.write_text(HARNESS.format(frames=frames), encoding="utf-8")

    runs = [launch(binary, tmp_path / "profile", max(WIDTHS) + 20, "--dump-dom", harness.as_uri())]
    folder = os.environ.get("HTML_SCREENSHOTS")
    shots = [Path(folder) / f"report-{width}.png" for width in WIDTHS] if folder else []
    for width, shot in zip(WIDTHS, shots, strict=False):
        runs.append(
            launch(binary, tmp_path / f"s{width}", width, f"--screenshot={shot}", report.as_uri())
        )
    outputs = [run.communicate(timeout=90)[0] for run in runs]  # every browser waited for
    dumped = outputs[0]

    found = re.search(r'<pre id="measured">(.*?)</pre>', dumped, re.S)
    assert found, "the harness wrote no measurement"
    results = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert [r["viewport"] for r in results] == list(WIDTHS)
    for width, measured in zip(WIDTHS, results, strict=True):
        assert measured["scrollWidth"] <= width, measured  # no sideways scrolling
        with_text = [c for c in measured["charts"] if c["smallest"] is not None]
        assert len(with_text) >= 2  # the weekly chart and the review share, at least
        for chart in with_text:
            assert chart["smallest"] >= 11, (width, chart)
            assert chart["largest"] <= 18, (width, chart)
        for chart in measured["charts"]:  # sparklines too: nothing sticks out
            assert chart["right"] <= width and chart["overflow"] <= 0, (width, chart)
    for width, shot in zip(WIDTHS, shots, strict=False):
        assert png_size(shot) == (width, 900)
