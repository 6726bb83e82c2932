"""What leaves through rendered outputs: no invisible characters from trackers, no half-written files.

Each test names the defect it covers (issue 11, "Faults").
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.errors import LeadkitError
from leadkit.pr.comment import State, inert, render
from leadkit.present.escape import ZWSP, md, plain, visible
from leadkit.present.files import write_files

from .conftest import DEMO_NOW

INVISIBLE = [
    *(chr(c) for c in range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO
    *(chr(c) for c in range(0x2066, 0x206A)),  # LRI RLI FSI PDI
    *(chr(c) for c in range(0x200B, 0x2010)),  # zero-width space, (non-)joiner, LRM, RLM
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
]


def _replay_with(tmp_path: Path, mutate) -> None:  # type: ignore[no-untyped-def]
    """Export the demo, let ``mutate`` edit the data, and point a config at it."""
    runner = CliRunner()
    code = runner.invoke(cli, ["export", "--demo", "--now", DEMO_NOW, "-o", "data.json"]).exit_code
    assert code == 0
    doc = json.loads((tmp_path / "data.json").read_text())
    mutate(doc)
    (tmp_path / "data.json").write_text(json.dumps(doc))
    demo = Path(__file__).resolve().parent.parent / "leadkit" / "demo" / "leadkit.toml"
    (tmp_path / "leadkit.toml").write_text(
        demo.read_text().replace('path = "team.json"', 'path = "data.json"')
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_bidi_overrides_and_invisible_characters_from_trackers_are_removed_from_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    hidden = "".join(INVISIBLE)

    def poison(doc: dict) -> None:  # type: ignore[type-arg]
        for item in doc["work_items"]:
            item["title"] = f"{hidden}{item['title']}\u202etxt.exe"
        for review in doc["reviews"]:
            review["title"] = f"\u2066{review['title']}{hidden}"
        for person in doc["people"]:
            person["name"] = f"\u202e{person['name']}\u200f"
        doc["notes"] = [f"tracker note{hidden}"]

    _replay_with(tmp_path, poison)
    result = CliRunner().invoke(cli, ["report", "--now", DEMO_NOW, "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "tracker note" in out and "outputstxt" in out  # the text itself stays
    shown = out.replace(ZWSP, "") if fmt == "markdown" else out  # md's own mention-breaker
    for char in INVISIBLE:
        if char == "\x1b" or char not in shown:
            continue
        pytest.fail(f"U+{ord(char):04X} reached the {fmt} output")
    assert "\x1b" not in out
    if fmt == "json":
        assert "\\u001b" not in out and "\\u0000" not in out  # not even escaped


def test_invisible_characters_never_reach_a_pr_comment() -> None:
    hidden = "".join(INVISIBLE)
    body = render(offers=[], notes=[inert(f"Ticket {hidden}PIPE-9\u202e fdp.exe")], state=State())
    assert "PIPE" in body
    for char in INVISIBLE:
        if char == ZWSP:
            continue  # inert() puts its own after @ and before "declin"
        assert char not in body, f"U+{ord(char):04X}"
    assert plain(f"a{ZWSP}b") == "ab" and md(f"@{ZWSP}x").count(ZWSP) == 1
    assert visible("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


def _disk_full_for(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Temp files for ``name`` get a real path but write to /dev/full (ENOSPC), as root too."""
    real = tempfile.mkstemp

    def mkstemp(*args: object, prefix: str = "", **kwargs: object) -> tuple[int, str]:
        fd, path = real(*args, prefix=prefix, **kwargs)  # type: ignore[call-overload]
        if prefix.startswith(f".{name}."):
            os.close(fd)
            fd = os.open("/dev/full", os.O_WRONLY)
        return fd, path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_a_failed_output_write_removes_its_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("the user's old report")
    _disk_full_for(monkeypatch, "report.md")
    with pytest.raises(LeadkitError, match=r"cannot write .*report.md: No space left on device"):
        write_files([(target, "x" * 100_000)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]
    assert target.read_text() == "the user's old report"


def test_with_several_outputs_none_is_replaced_unless_all_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a.md", "b.json", "c.html"):
        (tmp_path / name).write_text(f"old {name}")
    (tmp_path / "b.json").chmod(0o640)
    args = ["report", "--demo", "--now", DEMO_NOW]
    args += ["--format", "markdown", "-o", "a.md", "--format", "json", "-o", "b.json"]
    args += ["--format", "html", "-o", "c.html"]
    with monkeypatch.context() as patch:
        _disk_full_for(patch, "c.html")
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "cannot write c.html: No space left on device" in result.stderr
    for name in ("a.md", "b.json", "c.html"):
        assert (tmp_path / name).read_text() == f"old {name}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.json", "c.html"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and (tmp_path / "a.md").read_text().startswith("# ")
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o640  # permissions kept
