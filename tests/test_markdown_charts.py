"""Mermaid charts in the markdown report: drawn from the findings, inert with hostile names."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli

from .conftest import DEMO_NOW
from .report_data import HOSTILE_NAME, HOSTILE_TITLE, hostile_config

FENCE = re.compile(r"^```", re.M)


def markdown(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["report", "--now", DEMO_NOW, "--format", "markdown", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def mermaid_blocks(text: str) -> list[list[str]]:
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", text, re.M | re.S)
    return [block.splitlines() for block in blocks]


def test_demo_has_weekly_and_review_charts() -> None:
    text = markdown(["--demo"])
    blocks = mermaid_blocks(text)
    assert len(blocks) == 2
    weekly, share = blocks
    assert "xychart-beta" in weekly
    bars = [line.strip() for line in weekly if line.strip().startswith("bar [")]
    assert len(bars) == 3  # running totals: interruptions on top, reviewing, own at the bottom
    totals, middle, own = ([int(v) for v in b[5:-1].split(", ")] for b in bars)
    assert all(t >= m >= o >= 0 for t, m, o in zip(totals, middle, own, strict=True))
    assert sum(totals) == 27  # every action of Jamie's in the window
    # Bars on an axis up to the 9 PRs others merged, not a pie scaling 7 + 3 to 100%.
    assert share == [
        "xychart-beta",
        '    x-axis ["Jamie Rivera", "everyone else"]',
        '    y-axis "PRs reviewed" 0 --> 9',
        "    bar [7, 3]",
    ]
    assert "| Jamie Rivera | 7 | 78% |" in text and "| everyone else | 3 | 33% |" in text
    assert "| Priya Shah |" not in text  # never a row per named reviewer
    assert "pie" not in text
    assert "| week | own work | reviewing | others' items and questions | total |" in text


def test_charts_sit_between_findings_and_suggestions() -> None:
    text = markdown(["--demo"])
    assert text.index("### Findings") < text.index("### Charts") < text.index("### Delegation")


def test_a_chart_whose_finding_was_not_computed_says_why() -> None:
    text = markdown(["--demo", "--since", "1d"])
    assert "```mermaid" not in text
    assert "Not drawn: Jamie Rivera has" in text and "too few" in text
    assert "Not drawn: No PRs by others were merged" in text


def test_hostile_names_and_titles_cannot_break_out(tmp_path: Path) -> None:
    text = markdown(["--config", str(hostile_config(tmp_path))])
    assert len(FENCE.findall(text)) % 2 == 0
    assert len(FENCE.findall(text)) == 4  # the two mermaid blocks, nothing opened by a title
    for line in text.splitlines():
        assert not line.startswith("```") or line in ("```", "```mermaid"), line
    assert "<script" not in text and "<img" not in text
    assert "[click](" not in text and "@octocat" not in text and "@priya" not in text
    assert "javascript:" not in text
    weekly, share = mermaid_blocks(text)
    for line in weekly[1:] + share:  # the first line of the xychart is our own %%{init}%%
        assert "%%" not in line and "`" not in line and "<" not in line, line
    assert re.fullmatch(r'    x-axis \["[^"\n]*", "everyone else"\]', share[1]), share[1]
    assert HOSTILE_NAME.splitlines()[0] not in text
    assert HOSTILE_TITLE.splitlines()[0] not in text
