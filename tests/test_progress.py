"""Progress shows on a terminal and stays out of CI logs and pipes: fetching, decoding,
merging, every analysis and rendering."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.collect.sources import Progress
from leadkit.model.interchange import dataset_to_json, dumps
from leadkit.session import RunOptions, Session
from leadkit.testing import NOW, Team, ago, comment, request


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    progress = Progress(stream)
    progress("jira: 100 issues (1 pages)", force=True)
    progress.done()
    assert "jira: 100 issues" in stream.getvalue()
    assert stream.getvalue().endswith("\r\x1b[2K")  # the line is cleared when done


def test_progress_is_quiet_in_ci_and_in_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    terminal = Terminal()
    Progress(terminal)("github acme/api: 100 items", force=True)
    assert terminal.getvalue() == ""
    monkeypatch.delenv("CI")
    pipe = io.StringIO()
    Progress(pipe)("github acme/api: 100 items", force=True)
    assert pipe.getvalue() == ""


def test_progress_is_throttled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    progress = Progress(stream)
    for n in range(50):
        progress(f"{n} items")
    assert stream.getvalue().count("items") == 1


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_forced_progress_in_a_log_is_a_line_every_ten_seconds() -> None:
    clock, log = Clock(), io.StringIO()
    progress = Progress(log, enabled=True, lines=True, clock=clock)
    for at, n in ((0, 1), (4, 2), (9.9, 3), (10, 4), (15, 5), (20.5, 6), (21, 7)):
        clock.now = 100.0 + at
        progress(f"github acme/api: {n * 100} items")
    progress.done()
    assert log.getvalue() == (
        "github acme/api: 100 items\ngithub acme/api: 400 items\ngithub acme/api: 600 items\n"
    )


def test_the_flags_choose_the_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert Progress.chosen(quiet=True).enabled is False
    assert Progress.chosen().enabled is False  # a CI log stays silent unless asked
    forced = Progress.chosen(forced=True)
    assert forced.enabled and forced.lines and forced.interval == 10.0


TICKER = """
from leadkit import hookimpl
from leadkit.collect.sources import SourceAdapter
from leadkit.model.data import Dataset


class Ticker(SourceAdapter):
    type = "ticker"

    def pages(self, window, *, updated_since=None):
        for n in range(1, 4):
            self.context.progress(f"ticker: page {n}")
            yield Dataset(window=window, sources=[self.source.name])


@hookimpl
def register_sources(register):
    register(Ticker)
"""

CONFIG = """
[team]
lead = "jamie"

[people.jamie]
name = "Jamie"

[plugins]
paths = ["ticker.py"]

[[sources]]
type = "ticker"
name = "tick"
"""


def run_cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    (tmp_path / "ticker.py").write_text(TICKER, encoding="utf-8")
    config = tmp_path / "leadkit.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["export", "--config", str(config), "--now", "2026-11-20T16:00:00Z", *args]
    )
    return result.exit_code, result.stdout, result.stderr


def test_progress_flag_prints_plain_lines_in_a_log(tmp_path: Path) -> None:
    code, out, err = run_cli(tmp_path, "--progress")
    assert code == 0, err
    assert err.startswith("ticker: page 1\n")  # at once, then at most one line per 10 s
    assert "\r" not in err and "\x1b" not in err
    assert out.startswith("{")  # the export itself, on stdout
    code, _, err = run_cli(tmp_path)
    assert code == 0 and "ticker" not in err


def test_quiet_prints_errors_only(tmp_path: Path) -> None:
    summary_args = ["--demo", "--config"]  # a layered config warns; the publisher notes
    config = tmp_path / "extra.toml"
    config.write_text('[store]\npath = "x.sqlite"\n\n[gates]\nmax_review_queue = 0\n', "utf-8")
    base = [*summary_args, str(config), "--now", "2026-11-20T16:00:00Z"]
    loud = CliRunner().invoke(cli, ["report", *base, "--publish", "github-summary"])
    assert "warning" in loud.stderr and "github-summary: skipped" in loud.stderr
    quiet = CliRunner().invoke(cli, ["report", *base, "--publish", "github-summary", "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert quiet.stdout == loud.stdout  # the report itself still goes to stdout
    gated = CliRunner().invoke(cli, ["report", *base, "-q", "--check"])
    assert gated.exit_code == 1
    assert "max_review_queue" in gated.stderr and "warning" not in gated.stderr
    both = CliRunner().invoke(cli, ["report", *base, "-q", "--progress"])
    assert both.exit_code == 2
    assert both.stderr == (
        "leadkit: error: --quiet and --progress cannot be used together: pick one\n"
    )


def _team_files(tmp_path: Path) -> RunOptions:
    """A team's data as an interchange file (a Jira story and sub-task, a GitHub PR), its config."""
    team = Team()
    team.item("PIPE-12", assignee="jamie", raw_type="Story", comments=[comment("owen", ago(2))])
    team.item("PIPE-13", assignee="owen", raw_type="Sub-task", parent="PIPE-12")
    team.pr(
        141,
        author="priya",
        repo="acme/monorepo",
        paths=["services/orders/api/retry.py"],
        requests=[request("jamie", ago(3))],
        linked=["PIPE-12"],
    )
    (tmp_path / "team.json").write_text(dumps(dataset_to_json(team.dataset())), encoding="utf-8")
    lead = '\n[people.jamie]\ngithub = "jamie"\n'
    source = '\n[[sources]]\ntype = "file"\nname = "recorded"\npath = "team.json"\n'
    (tmp_path / "leadkit.toml").write_text(team.config_text() + lead + source, encoding="utf-8")
    return RunOptions(config_path=str(tmp_path / "leadkit.toml"), now=NOW.isoformat())


def test_a_report_shows_each_step_on_a_terminal_then_clears_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = Terminal()
    options = dataclasses.replace(_team_files(tmp_path), progress=Progress(terminal))
    session = Session.open(options)
    session.render("json")
    shown = terminal.getvalue()
    steps = [
        "recorded: reading team.json",
        "merging accounts into people (2 items, 1 pull requests)",
        "team core: analysing ",
        "rendering the json report",
    ]
    positions = [shown.find(step) for step in steps]
    assert -1 not in positions, shown
    assert positions == sorted(positions)  # in the order the run does them
    assert shown.count("analysing ") == len(list(session.plugins.kinds))  # every analysis
    assert shown.endswith("\r\x1b[2K")  # cleared before anything is printed


def test_a_report_from_the_store_shows_the_rows_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    options = dataclasses.replace(_team_files(tmp_path), db=str(tmp_path / "store.sqlite"))
    Session.open(options).sync(full=True, echo=lambda line: None)
    terminal = Terminal()
    offline = dataclasses.replace(options, offline=True, progress=Progress(terminal))
    Session.open(offline).report()
    assert "recorded: reading the store: 2 work items" in terminal.getvalue()
    assert "recorded: reading team.json" not in terminal.getvalue()  # nothing fetched


def test_a_report_in_a_pipe_shows_no_progress(tmp_path: Path) -> None:
    pipe = io.StringIO()
    options = dataclasses.replace(_team_files(tmp_path), progress=Progress(pipe))
    Session.open(options).render("text")
    assert pipe.getvalue() == ""
