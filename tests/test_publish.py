"""``--publish`` and several outputs from one run: appended summaries, one collection, one render."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import leadkit.builtins.file_source
import leadkit.builtins.renderers.markdown
from leadkit.cli import cli
from leadkit.model.report import REPORT_SCHEMA_VERSION
from leadkit.session import RunOptions, Session

from .conftest import DEMO_NOW


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["report", "--demo", "--now", DEMO_NOW, *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_two_formats_two_files_one_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = counting(monkeypatch, leadkit.builtins.file_source, "read_dataset_file")
    a, b = tmp_path / "a.md", tmp_path / "b.json"
    code, out, err = run(
        ["--format", "markdown", "--format", "json", "--output", str(a), "--output", str(b)]
    )
    assert code == 0, err
    assert out == ""
    assert a.read_text(encoding="utf-8").startswith("# leadkit report")
    assert json.loads(b.read_text(encoding="utf-8"))["schema_version"] == REPORT_SCHEMA_VERSION
    assert len(reads) == 1


def test_github_summary_appends(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("## Tests\n\nall green\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    for _ in range(2):
        code, out, err = run(["--format", "json", "--publish", "github-summary"], env=env)
        assert code == 0, err
        assert f"leadkit: github-summary: appended the markdown report to {summary}" in err
        assert json.loads(out)["schema_version"] == REPORT_SCHEMA_VERSION
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Tests\n\nall green\n\n# leadkit report")
    assert text.count("# leadkit report") == 2
    assert text.count("```mermaid") == 4


def test_github_summary_outside_actions_is_a_notice(tmp_path: Path) -> None:
    code, out, err = run(["--publish", "github-summary"])
    assert code == 0
    assert out.startswith("leadkit report")
    assert err.strip() == (
        "leadkit: github-summary: skipped: GITHUB_STEP_SUMMARY is not set "
        "(not running in GitHub Actions)"
    )


def test_markdown_is_rendered_once_per_audience_for_output_and_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders = counting(monkeypatch, leadkit.builtins.renderers.markdown, "render")
    summary, out = tmp_path / "summary.md", tmp_path / "r.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    args = ["--format", "markdown", "-o", str(out), "--publish", "github-summary"]
    code, _, err = run([*args, "--audience", "team"], env=env)
    assert code == 0, err
    assert len(renders) == 1
    assert summary.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    # Without --audience the file is the lead's and the job summary the team's: two renders.
    summary.unlink()
    code, _, err = run(args, env=env)
    assert code == 0, err
    assert len(renders) == 3
    lead, team = out.read_text(encoding="utf-8"), summary.read_text(encoding="utf-8")
    assert "Check in with Tommy Lindqvist" in lead and "Check in with" not in team


def test_unwritable_summary_is_one_error_line(tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "missing" / "summary.md")}
    code, _, err = run(["--publish", "github-summary"], env=env)
    assert code == 2
    assert err.strip().startswith("leadkit: error: cannot append to the job summary ")


def test_unknown_publisher_fails_before_any_output(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    code, _, err = run(["--publish", "teams-chat", "-o", str(out)])
    assert code == 2
    assert err.strip() == (
        "leadkit: error: unknown publish target 'teams-chat' "
        "(known: github-issue, github-summary, slack)"
    )
    assert not out.exists()


PLUGIN = """
from leadkit import hookimpl

def to_file(report, context):
    text = context.render("json")
    path = context.environ["OUT"]
    with open(path, "w") as handle:
        handle.write(text)
    return f"wrote {len(report.findings)} findings to {path}"

@hookimpl
def register_publishers(register):
    register("to-file", to_file, description="test publisher")
"""


def test_a_plugin_publisher_gets_the_report_and_a_context(tmp_path: Path) -> None:
    plugin = tmp_path / "to_file.py"
    plugin.write_text(PLUGIN, encoding="utf-8")
    target = tmp_path / "published.json"
    env = {"LEADKIT_PLUGINS": str(plugin), "OUT": str(target)}
    code, _, err = run(
        ["--format", "json", "-o", str(tmp_path / "r.json"), "--publish", "to-file"], env=env
    )
    assert code == 0, err
    assert f"findings to {target}" in err and "leadkit: to-file: wrote " in err
    # The file --output wrote is the lead's; what the publisher sends, the team's.
    published = json.loads(target.read_text(encoding="utf-8"))
    written = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (written["audience"], published["audience"]) == ("lead", "team")
    # For one audience, the text --output wrote is the text published (rendered once).
    args = ["--format", "json", "-o", str(tmp_path / "t.json"), "--audience", "team"]
    code, _, err = run([*args, "--publish", "to-file"], env=env)
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == (tmp_path / "t.json").read_text(encoding="utf-8")


def test_publish_api_reuses_rendered_text() -> None:
    session = Session.open(RunOptions(demo=True, now=DEMO_NOW, environ={}))
    session.rendered[("markdown", "lead")] = "cached"
    assert session.render("markdown") == "cached"
    assert session.render("markdown", audience="team") != "cached"
    assert session.render("json") is session.render("json")
    targets = session.publishers(["github-summary", "github-summary"])
    assert len(targets) == 1
    assert session.publish(targets) == [
        "github-summary: skipped: GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions)"
    ]
