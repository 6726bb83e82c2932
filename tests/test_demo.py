"""The demo report: documented shape, byte-stable, and the same story on any date."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli

from .conftest import DEMO_NOW

ROOT = Path(__file__).resolve().parent.parent


def report_json(*extra: str) -> str:
    result = CliRunner().invoke(cli, ["report", "--demo", "--format", "json", *extra])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_json_has_the_documented_top_level_shape() -> None:
    doc = json.loads(report_json("--now", DEMO_NOW))
    assert {"schema_version", "window", "people", "actions", "findings", "suggestions"} <= set(doc)
    assert doc["window"] == {
        "start": "2026-10-23T16:00:00Z",
        "end": "2026-11-20T16:00:00Z",
        "history_start": "2026-08-22T16:00:00Z",
        "previous_start": "2026-09-25T16:00:00Z",
    }
    assert {p["id"] for p in doc["people"]} == {"jamie", "owen", "tommy", "priya"}
    jamie = next(p for p in doc["people"] if p["id"] == "jamie")
    assert jamie["accounts"] == {"github": ["jrivera-dev"], "jira": ["5f1a0c2d9e7b4a0012ab3401"]}
    assert 1 <= len(doc["actions"]) <= 9  # the demo's [analysis] max_actions
    assert [a["rank"] for a in doc["actions"]] == list(range(1, len(doc["actions"]) + 1))


def test_json_is_byte_identical_across_runs() -> None:
    assert report_json("--now", DEMO_NOW) == report_json("--now", DEMO_NOW)


def test_a_later_now_tells_the_same_story() -> None:
    base = json.loads(report_json("--now", DEMO_NOW))
    later = json.loads(report_json("--now", "2027-03-05T16:00:00Z"))
    assert later["window"]["end"] == "2027-03-05T16:00:00Z"
    assert [f["kind"] for f in later["findings"]] == [f["kind"] for f in base["findings"]]
    assert [s["to"] for s in later["suggestions"]] == [s["to"] for s in base["suggestions"]]
    assert [a["kind"] for a in later["actions"]] == [a["kind"] for a in base["actions"]]


def test_the_demo_due_dates_stay_ahead_of_any_now(tmp_path: Path) -> None:
    """NGX-1, the epic Jamie keeps, is due 11 days after --now, and the pipeline work's
    release 2.4 two weeks after: whatever --now is, the story's dates move with it."""
    for now in (DEMO_NOW, "2027-03-05T16:00:00Z"):
        out = tmp_path / "data.json"
        args = ["export", "--demo", "--now", now, "--output", str(out)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        items = {i["key"]: i for i in json.loads(out.read_text())["work_items"]}
        end = datetime.fromisoformat(now)
        ngx, pipeline = items["NGX-1"], items["PIPE-200"]
        eleven_days_on = (end + timedelta(days=11)).replace(hour=23, minute=59, second=59)
        assert datetime.fromisoformat(ngx["due"]) == eleven_days_on  # --now is at 16:00
        assert (ngx["due_source"], pipeline["due_source"], pipeline["due_name"]) == (
            "duedate",
            "fix_version",
            "2.4",
        )
        assert datetime.fromisoformat(pipeline["due"]) - end > timedelta(days=14)


def test_demo_data_matches_its_generator(tmp_path: Path) -> None:
    committed = (ROOT / "leadkit" / "demo" / "team.json").read_text()
    code = (
        "import runpy, sys; sys.argv=['x']; "
        "ns = runpy.run_path('scripts/make_demo.py', run_name='not_main'); "
        "from leadkit.model.interchange import dumps; sys.stdout.write(dumps(ns['build']()))"
    )
    generated = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert generated == committed


def test_text_report_opens_with_actions() -> None:
    result = CliRunner().invoke(cli, ["report", "--demo", "--now", DEMO_NOW])
    lines = result.stdout.splitlines()
    assert lines[0] == "leadkit report"
    top = lines.index("Top actions")
    assert lines[top + 1].startswith("  1. Unblock Priya Shah by finishing or handing off PIPE-210")
