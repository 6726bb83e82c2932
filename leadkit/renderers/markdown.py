"""The ``markdown`` format: GitHub-flavoured markdown, every tracker string made inert."""

from __future__ import annotations

from typing import Any

from leadkit import hookimpl
from leadkit.escape import md, md_url
from leadkit.renderers.outline import Entry, Evidence, build_outline
from leadkit.report import Report


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
    return lines


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
    if outline.notes:
        lines += ["### Notes", ""]
        lines += [f"- {md(note)}" for note in outline.notes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


@hookimpl
def register_renderers(register) -> None:  # type: ignore[no-untyped-def]
    register("markdown", render, extension="md", description="GitHub-flavoured markdown")
