"""The ``text`` format: the report for a terminal, control characters stripped.

On a terminal it is the lead's (``--audience lead``, the default there): with
scores and per-person counts; the team's leaves them out.
"""

from __future__ import annotations

import textwrap
from typing import Any

from leadkit import hookimpl
from leadkit.hookspecs import RendererRegister
from leadkit.model.report import Report
from leadkit.present.escape import plain
from leadkit.present.outline import build_outline

WIDTH = 100


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        plain(text),
        width=WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def render(report: Report, options: dict[str, Any]) -> str:
    outline = build_outline(report)
    lines = [outline.title, plain(outline.subtitle), ""]
    for team in outline.teams:
        lines.append(plain(team.heading))
        lines.append("")
        for section in team.sections:
            lines.append(section.title)
            for n, entry in enumerate(section.entries, start=1):
                prefix = f"  {n}. " if section.numbered else "  - "
                if entry.badge:
                    prefix += f"[{entry.badge}] {entry.kind}: "
                elif entry.kind and section.title == "Not enough data":
                    prefix += f"{entry.kind}: "
                lines.extend(_wrap(entry.text, " " * 6, prefix))
                for detail in entry.details:
                    lines.extend(_wrap(detail, " " * 8, "      "))
                for ev in entry.evidence:
                    note = f" ({plain(ev.note)})" if ev.note else ""
                    lines.extend(_wrap(f"{ev.label} {ev.title}{note}", " " * 10, "      · "))
                    if ev.url:
                        lines.append("          " + plain(ev.url))
                if entry.more:
                    lines.extend(_wrap(entry.more, " " * 10, "      · "))
            lines.append("")
    if outline.notes:
        lines.append("Notes")
        for note in outline.notes:
            lines.extend(_wrap(note, "    ", "  - "))
        lines.append("")
    for line in outline.footer:
        lines.extend(_wrap(line, ""))
    return "\n".join(lines).rstrip() + "\n"


@hookimpl
def register_renderers(register: RendererRegister) -> None:
    register("text", render, extension="txt", description="plain text for a terminal")
