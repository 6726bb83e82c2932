"""The ``html`` format: one self-contained page that reads on a phone.

No script, no CDN, no font or image from elsewhere: the CSS is inline, the
charts are inline SVG drawn here, and a Content-Security-Policy forbids
anything else. The only URLs are the evidence links to items, and only
http(s) ones. Every tracker string goes through :func:`leadkit.present.escape.html`.
"""

from __future__ import annotations

import math
from typing import Any

from leadkit import hookimpl
from leadkit.hookspecs import RendererRegister
from leadkit.model.report import Report
from leadkit.present.escape import html as esc
from leadkit.present.escape import md_url
from leadkit.present.outline import Chart, Entry, Evidence, Section, build_outline

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SEVERITY_CLASSES = {"HIGH": "high", "WARN": "warn", "INFO": "info"}
CHART_WIDTH = 360
"""Every chart's viewBox width. A chart is drawn at most :data:`CHART_MAX_PX` wide and
shrinks with the page, so its text renders at ``CHART_FONT * shown width / CHART_WIDTH``:
about 12.6 px at 390 px wide (a phone), 16 px on a desktop."""
CHART_FONT = 13
"""The font size of chart text in viewBox units."""
CHART_MAX_PX = 448
"""The widest a chart is shown, so its text does not grow past about 16 px."""
STACK_CLASSES = ("own", "others", "reactive")

CSS = """
:root { --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --card: #f6f8fa; --line: #d1d9e0;
  --link: #0969da; --own: #2e86ab; --others: #edae49; --reactive: #d1495b; --bar: #2e86ab;
  --high: #cf222e; --warn: #9a6700; --info: #59636e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d;
    --link: #4493f8; --high: #ff7b72; --warn: #d29922; --info: #9198a1; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;
  font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
.sub, .muted, figcaption { color: var(--muted); }
ol, ul { padding-left: 1.4rem; }
li { margin: 0.35rem 0; overflow-wrap: anywhere; }
ul.evidence, ul.details { margin: 0.2rem 0 0.6rem; padding-left: 1.1rem; font-size: 0.92rem; }
a { color: var(--link); }
code { font-size: 0.85em; background: var(--card); padding: 0.1em 0.3em; border-radius: 4px; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 700; padding: 0 0.4em;
  border-radius: 4px; border: 1px solid currentColor; margin-right: 0.25rem; }
.badge.high { color: var(--high); } .badge.warn { color: var(--warn); } .badge.info { color: var(--info); }
figure { margin: 1rem 0; padding: 0.75rem; background: var(--card); border-radius: 8px; }
figure h4 { margin: 0 0 0.5rem; font-size: 1rem; }
svg .grid { stroke: var(--line); stroke-width: 1; }
.own { fill: var(--own); } .others { fill: var(--others); } .reactive { fill: var(--reactive); }
.bar { fill: var(--bar); }
.legend { list-style: none; padding: 0; margin: 0.5rem 0 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.3em;
  vertical-align: -0.05em; }
.swatch.own { background: var(--own); } .swatch.others { background: var(--others); }
.swatch.reactive { background: var(--reactive); }
details { margin-top: 0.5rem; }
table { border-collapse: collapse; margin-top: 0.4rem; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.2rem 0.5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
@media (max-width: 30rem) {
  main { padding: 0.75rem; }
  figure { padding: 0.5rem; margin: 0.75rem 0; }
}
svg.spark { display: inline-block; width: 7.5rem; height: 1.5rem; vertical-align: middle;
  margin-left: 0.5rem; }
svg.spark polyline { fill: none; stroke: var(--bar); stroke-width: 2; }
svg.spark circle { fill: var(--bar); }
""" + (
    f"svg {{ display: block; width: 100%; max-width: {CHART_MAX_PX}px; height: auto; }}\n"
    f"svg text {{ fill: currentColor; font-size: {CHART_FONT}px; }}\n"
)


def link(ev: Evidence) -> str:
    """The item's label, linked when its URL is http(s)."""
    url = md_url(ev.url)
    label = esc(ev.label)
    if not url:
        return label
    return f'<a href="{esc(url)}" rel="noopener noreferrer">{label}</a>'


def entry_html(entry: Entry, section: Section) -> str:
    head = ""
    if entry.badge:
        css = SEVERITY_CLASSES.get(entry.badge, "info")
        head = f'<span class="badge {css}">{esc(entry.badge)}</span> '
    if entry.kind and (entry.badge or section.key == "not-computed"):
        head += f"<code>{esc(entry.kind)}</code>: "
    parts = [f"<li>{head}{esc(entry.text)}{sparkline_svg(entry.weekly, entry.weekly_shown)}"]
    if entry.details:
        parts.append('<ul class="details">')
        parts += [f"<li>{esc(d)}</li>" for d in entry.details]
        parts.append("</ul>")
    if entry.evidence or entry.more:
        parts.append('<ul class="evidence">')
        for ev in entry.evidence:
            note = f' <span class="muted">({esc(ev.note)})</span>' if ev.note else ""
            parts.append(f"<li>{link(ev)} {esc(ev.title)}{note}</li>")
        if entry.more:
            parts.append(f'<li class="muted">{esc(entry.more)}</li>')
        parts.append("</ul>")
    parts.append("</li>")
    return "".join(parts)


def sparkline_svg(points: list[float | None], shown: list[str]) -> str:
    """A trend's weekly points as a small line, oldest first; a week with no value is a gap.

    Nothing when fewer than two weeks have a value. The values, as ``shown``,
    are in its title and label.
    """
    known = [p for p in points if p is not None]
    if len(known) < 2:
        return ""
    width, height, pad = 120, 24, 3
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return pad + i * step, height - pad - (value - low) / span * (height - 2 * pad)

    lines: list[list[str]] = [[]]
    for i, value in enumerate(points):
        if value is None:
            if lines[-1]:
                lines.append([])
            continue
        x, y = xy(i, value)
        lines[-1].append(f"{_num(x)},{_num(y)}")
    words = esc("weekly, oldest first: " + ", ".join(shown))
    out = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{words}"><title>{words}</title>'
    ]
    out += [f'<polyline points="{" ".join(line)}"/>' for line in lines if len(line) > 1]
    last = max(i for i, p in enumerate(points) if p is not None)
    x, y = xy(last, known[-1])
    out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="2.5"/></svg>')
    return "".join(out)


def section_html(section: Section, note: str = "") -> list[str]:
    tag = "ol" if section.numbered else "ul"
    out = [f"<section><h3>{esc(section.title)}</h3><{tag}>"]
    out += [entry_html(entry, section) for entry in section.entries]
    out.append(f"</{tag}>")
    if note:
        out.append(f'<p class="muted">{esc(note)}</p>')
    out.append("</section>")
    return out


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def weekly_svg(chart: Chart) -> str:
    """Stacked bars per week, the chart's first part at the bottom (own work, reviewing,
    then others' items and questions on top)."""
    width, height, left, right, top, bottom = CHART_WIDTH, 220, 30, 6, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [values for _, values in chart.series]
    totals = [sum(column) for column in zip(*parts, strict=True)]
    peak = max(max(totals, default=0), 1)
    n = max(len(chart.labels), 1)
    slot = plot_w / n
    bar_w = slot * 0.6
    scale = plot_h / peak
    base = top + plot_h
    # Every k-th week is labelled when the labels would run into each other (13 weeks on a phone).
    label_w = max((len(label) for label in chart.labels), default=0) * CHART_FONT * 0.6 + 6
    every = max(1, math.ceil(label_w / slot))
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(chart.title)}">']
    for tick in sorted({0, (peak + 1) // 2, peak}):
        y = base - tick * scale
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}"/>'
        )
        out.append(f'<text x="{left - 4}" y="{_num(y + 4)}" text-anchor="end">{tick}</text>')
    for i, label in enumerate(chart.labels):
        x = left + i * slot + (slot - bar_w) / 2
        y = base
        for (name, values), css in zip(chart.series, STACK_CLASSES, strict=False):
            value = values[i]
            if value <= 0:
                continue
            h = value * scale
            y -= h
            out.append(
                f'<rect class="{css}" x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" '
                f'height="{_num(h)}"><title>{esc(label)}: {esc(name)} {value}</title></rect>'
            )
        if (len(chart.labels) - 1 - i) % every == 0:  # the latest week always has its label
            half = len(label) * CHART_FONT * 0.3 + 1
            middle = min(x + bar_w / 2, width - half)  # not cut off at the right edge
            out.append(
                f'<text x="{_num(middle)}" y="{height - 8}" text-anchor="middle">'
                f"{esc(label)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def share_svg(chart: Chart) -> str:
    """Horizontal bars, the lead and everyone else: PRs reviewed out of those others merged."""
    _, values = chart.series[0]
    width, row, label_w = CHART_WIDTH, 38, 110
    height = row * len(values) + 6
    whole = chart.total or max(values, default=1) or 1
    bar_max = width - label_w - 4
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(chart.title)}">']
    for i, (name, value) in enumerate(zip(chart.labels, values, strict=True)):
        y = i * row + 4
        w = max(bar_max * min(value / whole, 1.0), 1.0)
        shown = name if len(name) <= 26 else name[:25] + "\u2026"
        of = f" of {chart.total} ({value / chart.total:.0%})" if chart.total else ""
        out.append(f'<text x="0" y="{y + 12}">{esc(shown)}</text>')
        out.append(
            f'<rect class="bar" x="0" y="{y + 17}" width="{_num(w)}" height="13" rx="2">'
            f"<title>{esc(name)}: {value}{of}</title></rect>"
        )
        out.append(f'<text x="{_num(w + 6)}" y="{y + 28}">{value} {esc(of.strip())}</text>')
    out.append("</svg>")
    return "".join(out)


def numbers_table(chart: Chart) -> str:
    """The chart's numbers, folded away: what a screen reader or a careful reader checks."""
    first = chart.label_header
    names = [name for name, _ in chart.series]
    head = "".join(f"<th>{esc(n)}</th>" for n in [first, *names])
    rows = []
    for i, label in enumerate(chart.labels):
        cells = "".join(f"<td>{values[i]}</td>" for _, values in chart.series)
        rows.append(f"<tr><td>{esc(label)}</td>{cells}</tr>")
    return (
        f"<details><summary>Numbers</summary><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def chart_html(chart: Chart) -> str:
    """One chart as a figure, or the reason it was not drawn."""
    title = f"<h4>{esc(chart.title)}</h4>"
    if chart.missing:
        return f'<figure>{title}<p class="muted">{esc(chart.missing)}</p></figure>'
    if chart.shape == "stacked":
        body = weekly_svg(chart)
        legend = "".join(
            f'<li><span class="swatch {css}"></span>{esc(name)}</li>'
            for (name, _), css in zip(chart.series, STACK_CLASSES, strict=False)
        )
        body += f'<ul class="legend">{legend}</ul>'
    else:
        body = share_svg(chart)
    caption = f"<figcaption>{esc(chart.caption)}</figcaption>" if chart.caption else ""
    return f"<figure>{title}{body}{caption}{numbers_table(chart)}</figure>"


def render(report: Report, options: dict[str, Any]) -> str:
    outline = build_outline(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(outline.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f'<header><h1>{esc(outline.title)}</h1><p class="sub">{esc(outline.subtitle)}</p></header>',
    ]
    for team in outline.teams:
        out.append(f'<section class="team"><h2>{esc(team.heading)}</h2>')
        for section in team.sections:
            out += section_html(section, team.weekly_note if section.key == "trend" else "")
            if section.key == "findings" and team.charts:
                out.append("<section><h3>Charts</h3>")
                out += [chart_html(chart) for chart in team.charts]
                out.append("</section>")
        out.append("</section>")
    if outline.notes:
        out.append("<section><h2>Notes</h2><ul>")
        out += [f"<li>{esc(note)}</li>" for note in outline.notes]
        out.append("</ul></section>")
    if outline.footer:
        out.append("<footer>" + "".join(f"<p>{esc(line)}</p>" for line in outline.footer))
        out.append("</footer>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


@hookimpl
def register_renderers(register: RendererRegister) -> None:
    register(
        "html",
        render,
        extension="html",
        description="one self-contained HTML page with charts (no script, no external files)",
    )
