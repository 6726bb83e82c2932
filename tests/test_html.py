"""The ``html`` format: well-formed, self-contained, charts drawn, tracker text inert."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli

from .conftest import DEMO_NOW
from .report_data import BAD_URL_PR, HOSTILE_NAME, HOSTILE_TITLE, hostile_config

VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source", "area", "base", "col"}


class Page(HTMLParser):
    """Collects tags, attributes and text, and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(extra: list[str], tmp_path: Path) -> tuple[str, dict]:
    out, js = tmp_path / "r.html", tmp_path / "r.json"
    args = ["--format", "html", "-o", str(out), "--format", "json", "-o", str(js)]
    result = CliRunner().invoke(cli, ["report", "--now", DEMO_NOW, *args, *extra])
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8"), json.loads(js.read_text(encoding="utf-8"))


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert page.errors == [] and page.stack == [], (page.errors, page.stack)
    return page


def evidence_urls(report: dict) -> set[str]:
    urls = {i["url"] for f in report["findings"] for i in f["items"] if i.get("url")}
    return urls | {s["item"]["url"] for s in report["suggestions"] if s["item"].get("url")}


def test_demo_page_is_well_formed_and_self_contained(tmp_path: Path) -> None:
    text, report = render(["--demo"], tmp_path)
    assert text.startswith("<!DOCTYPE html>")
    page = parse(text)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    assert "iframe" not in names and "object" not in names
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    assert any(m.get("http-equiv") == "Content-Security-Policy" for m in metas)
    urls = evidence_urls(report)
    hrefs = [attrs["href"] for _, attrs in page.tags if "href" in attrs]
    assert hrefs and set(hrefs) <= urls
    assert set(hrefs) == {u for u in urls if u.startswith(("https://", "http://"))}
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        for name, value in attrs.items():
            if name != "href":
                assert "http" not in (value or ""), (tag, name, value)
    assert "url(" not in text and "@import" not in text


def test_every_finding_links_its_evidence(tmp_path: Path) -> None:
    text, report = render(["--demo"], tmp_path)
    for finding in report["findings"]:
        for item in finding["items"]:
            if item.get("url"):
                assert f'href="{item["url"]}"' in text


def test_charts_are_inline_svg(tmp_path: Path) -> None:
    text, _ = render(["--demo"], tmp_path)
    page = parse(text)
    svgs = [attrs for tag, attrs in page.tags if tag == "svg" and attrs.get("class") != "spark"]
    assert len(svgs) == 4 and all(a.get("viewbox") for a in svgs)  # with the team's weeks
    rects = [attrs.get("class") for tag, attrs in page.tags if tag == "rect"]
    assert {"own", "others", "reactive", "bar"} <= set(rects)
    words = " ".join(page.text)
    assert "Jamie Rivera: 7 of 9 (78%)" in words and "everyone else: 3 of 9 (33%)" in words
    assert "Priya Shah: 3" not in words  # the lead against everyone else, never a bar per name
    for heading in ("Top actions", "Findings", "Charts", "Delegation suggestions"):
        assert f"<h3>{heading}</h3>" in text


def test_missing_charts_say_why(tmp_path: Path) -> None:
    text, _ = render(["--demo", "--since", "1d"], tmp_path)
    # No chart of the lead's, only trend lines and the team's flow (a day of it).
    assert text.count("<svg") == text.count('<svg class="spark"') + 2
    assert "Not drawn: Jamie Rivera has 0 recorded actions" in text


def test_hostile_titles_and_names_render_as_text(tmp_path: Path) -> None:
    text, report = render(["--config", str(hostile_config(tmp_path))], tmp_path)
    page = parse(text)
    names = {tag for tag, _ in page.tags}
    assert "script" not in names and "img" not in names
    words = "\n".join(page.text)
    assert "<script>alert(1)</script> [click](https://evil.example/x) @octocat ]]>" in words
    assert HOSTILE_NAME.splitlines()[0] in words
    assert HOSTILE_TITLE.splitlines()[0] in words
    hrefs = [attrs["href"] for _, attrs in page.tags if "href" in attrs]
    assert all(h.startswith("https://") for h in hrefs)
    assert not any("evil.example" in h for h in hrefs)
    assert "javascript:" not in text
    bad = [i for f in report["findings"] for i in f["items"] if i.get("number") == BAD_URL_PR]
    assert bad and bad[0]["url"].startswith("javascript:")  # it was in the data, not in the page
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
