"""The ``markdown`` format: GitHub-flavoured markdown, every tracker string made inert.

Charts are Mermaid blocks (GitHub renders them in files, comments and job
summaries), each followed by a table of its numbers: the table is the legend,
and it still reads where Mermaid is not rendered.
"""

from __future__ import annotations

from typing import Any

from leadkit import hookimpl
from leadkit.hookspecs import RendererRegister
from leadkit.model.report import Report
from leadkit.present.escape import md, md_url, mermaid
from leadkit.present.outline import Chart, Entry, Evidence, build_outline


def link(ev: Evidence) -> str:
    url = md_url(ev.url)
    label = md(ev.label)
    return f"[{label}]({url})" if url else label


def entry_lines(entry: Entry, marker: str) -> list[str]:
    head = marker
    if entry.badge:
        head += f"**{entry.badge}** `{entry.kind}`: "
    elif entry.kind and marker.startswith("-") and entry.details == [] and not entry.evidence:
        head += f"`{entry.kind}`: "
    lines = [head + md(entry.text)]
    for detail in entry.details:
        lines.append(f"   - {md(detail)}")
    for ev in entry.evidence:
        note = f" ({md(ev.note)})" if ev.note else ""
        lines.append(f"   - {link(ev)} {md(ev.title)}{note}")
    if entry.more:
        lines.append(f"   - {md(entry.more)}")
    return lines


# Stacked bars are drawn as overlapping bars of running totals, tallest first, so
# each colour shows one part: the first part at the bottom (blue), the last on top (red).
STACK_COLOURS = ("#d1495b", "#edae49", "#2e86ab")
STACK_NAMES = ("blue", "amber", "red")


def stack_legend(chart: Chart) -> str:
    """``own work (blue) at the bottom, reviewing (amber), ... (red) on top``."""
    parts = [
        f"{md(name)} ({colour})"
        for (name, _), colour in zip(chart.series, STACK_NAMES, strict=False)
    ]
    if len(parts) > 1:
        parts[0] += " at the bottom"
        parts[-1] += " on top"
    return ", ".join(parts)


def weekly_mermaid(chart: Chart) -> list[str]:
    """An ``xychart-beta`` of stacked weekly bars, then its numbers as a table."""
    parts = [values for _, values in chart.series]
    totals = [sum(column) for column in zip(*parts, strict=True)]
    stacks = [[sum(column[:n]) for column in zip(*parts, strict=True)] for n in (3, 2, 1)]
    top = max(max(totals, default=0), 1)
    palette = ", ".join(STACK_COLOURS)
    labels = ", ".join(f'"{mermaid(label)}"' for label in chart.labels)
    lines = [
        "```mermaid",
        f'%%{{init: {{"themeVariables": {{"xyChart": {{"plotColorPalette": "{palette}"}}}}}}}}%%',
        "xychart-beta",
        f"    x-axis [{labels}]",
        f'    y-axis "actions" 0 --> {top}',
    ]
    lines += [f"    bar [{', '.join(str(v) for v in stack)}]" for stack in stacks]
    lines += ["```", "", f"Bars stacked: {stack_legend(chart)}. {md(chart.caption)}", ""]
    names = [name for name, _ in chart.series]
    lines.append(f"| {chart.label_header} | " + " | ".join(md(n) for n in names) + " | total |")
    lines.append("|---" * (len(names) + 2) + "|")
    for i, label in enumerate(chart.labels):
        cells = [str(values[i]) for _, values in chart.series]
        lines.append(f"| {md(label)} | " + " | ".join(cells) + f" | {totals[i]} |")
    return lines


def share_mermaid(chart: Chart) -> list[str]:
    """Bars of PRs reviewed on an axis up to the PRs merged, then the counts and shares.

    Not a pie: the lead's share and everyone else's overlap (a PR both
    reviewed counts in both), and a pie would scale them to add up to 100%,
    showing numbers the findings do not say.
    """
    name, values = chart.series[0]
    top = max(chart.total or 0, max(values, default=0), 1)
    labels = ", ".join(f'"{mermaid(label)}"' for label in chart.labels)
    lines = [
        "```mermaid",
        "xychart-beta",
        f"    x-axis [{labels}]",
        f'    y-axis "{mermaid(name)}" 0 --> {top}',
        f"    bar [{', '.join(str(v) for v in values)}]",
        "```",
        "",
    ]
    if chart.caption:
        lines += [md(chart.caption), ""]
    lines += [f"| {chart.label_header} | {md(name)} | share |", "|---|---|---|"]
    for label, value in zip(chart.labels, values, strict=True):
        share = f"{value / chart.total:.0%}" if chart.total else ""
        lines.append(f"| {md(label)} | {value} | {share} |")
    return lines


def chart_lines(chart: Chart) -> list[str]:
    """One chart as markdown under a bold title (not repeated in the Mermaid), or why it is missing."""
    lines = [f"**{md(chart.title)}**", ""]
    if chart.missing:
        return [*lines, f"_{md(chart.missing)}_", ""]
    body = weekly_mermaid(chart) if chart.shape == "stacked" else share_mermaid(chart)
    return [*lines, *body, ""]


def render(report: Report, options: dict[str, Any]) -> str:
    outline = build_outline(report)
    lines = [f"# {outline.title}", "", f"_{md(outline.subtitle)}_", ""]
    for team in outline.teams:
        lines += [f"## {md(team.heading)}", ""]
        for section in team.sections:
            lines += [f"### {section.title}", ""]
            for n, entry in enumerate(section.entries, start=1):
                lines += entry_lines(entry, f"{n}. " if section.numbered else "- ")
            lines.append("")
            # A chart whose finding says its numbers in words is drawn by the HTML only.
            drawn = [chart for chart in team.charts if not chart.in_words]
            if section.key == "findings" and drawn:
                lines += ["### Charts", ""]
                for chart in drawn:
                    lines += chart_lines(chart)
    if outline.notes:
        lines += ["### Notes", ""]
        lines += [f"- {md(note)}" for note in outline.notes]
        lines.append("")
    for line in outline.footer:
        lines += [f"_{md(line)}_", ""]
    return "\n".join(lines).rstrip() + "\n"


@hookimpl
def register_renderers(register: RendererRegister) -> None:
    register("markdown", render, extension="md", description="GitHub-flavoured markdown")
