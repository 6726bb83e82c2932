"""No silent passes, no wrong numbers: what `config check`, `report` and `--check` refuse.

Every refusal is exit 2 with one line naming the key (and line) or the flag,
never a traceback, never "internal error", and never a green gate.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit import demo
from leadkit.cli import cli
from leadkit.collect.sources import SourceConfig
from leadkit.errors import ConfigError

from .conftest import DEMO_NOW
from .report_data import demo_config

PLUGIN_FILES = Path(__file__).parent / "plugin_files"
DEMO_GATES = "[gates]\nmax_review_queue = 5\nmax_interrupt_share = 0.5\n"


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def one_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("leadkit: error: ") and "internal error" not in lines[0]
    return lines[0]


def without_people_block(text: str, pid: str, replacement: str = "") -> str:
    """The config text with ``[people.<pid>]`` (up to the next blank line) replaced."""
    start = text.index(f"[people.{pid}]")
    end = text.index("\n\n", start)
    return text[:start] + replacement + text[end:]


# -- the lead must be someone leadkit can find ------------------------------------------


def test_a_lead_not_in_people_fails_config_check_report_and_check(tmp_path: Path) -> None:
    config = demo_config(tmp_path, DEMO_GATES)
    config.write_text(without_people_block(config.read_text(), "jamie"))
    out = tmp_path / "report.md"
    for args in (
        ["config", "check", "--config", str(config)],
        ["report", "--config", str(config), "--now", DEMO_NOW],
        ["report", "--config", str(config), "--now", DEMO_NOW, "--check", "-o", str(out)],
    ):
        code, _, err = run(args)
        assert code == 2, (args, err)
        assert "the lead 'jamie' is not a person in [people]" in one_error(err)
    assert not out.exists()


def test_a_lead_whose_accounts_match_nothing_never_passes_a_gate(tmp_path: Path) -> None:
    """A renamed GitHub login and an old Jira account: the lead's data is missing."""
    config = demo_config(tmp_path, "[gates]\nmax_review_queue = 100\nmax_stalled_items = 100\n")
    stale = '[people.jamie]\nname = "J. Rivera"\ngithub = "jamie-r-old"\njira = "712020:0000"'
    config.write_text(without_people_block(config.read_text(), "jamie", stale))
    code, _, err = run(["config", "check", "--config", str(config)])
    assert code == 0, err  # the config alone is fine: only the data shows the mismatch
    code, out, err = run(["report", "--config", str(config), "--now", DEMO_NOW, "--check"])
    assert (code, out) == (2, "")
    assert "the lead 'jamie' matches no tracker account in the data" in one_error(err)


# -- config check: percent shares, string members, missing files, NaN ---------------------


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "[thresholds]\ninterrupt_share_warn = 50\n",
            "line 38: thresholds.interrupt_share_warn is a share between 0 and 1 "
            "(0.5 means 50%), got 50",
        ),
        (
            "[gates]\nmax_lead_review_share = 60\n",
            "line 38: gates.max_lead_review_share is a share between 0 and 1",
        ),
        ("[thresholds]\nstalled_days = nan\n", "line 38: thresholds.stalled_days must be a finite"),
        ("[gates]\nmax_review_queue = inf\n", "line 38: gates.max_review_queue must be a finite"),
        ("[analysis]\nhistory_days = 4000\n", "analysis.history_days must be a whole number"),
        ('[analysis]\nsince = "1m"\n', "analysis.since = '1m' has an unknown unit 'm'"),
    ],
)
def test_config_check_names_the_key_and_line(tmp_path: Path, extra: str, expected: str) -> None:
    config = demo_config(tmp_path, extra)
    code, out, err = run(["config", "check", "--config", str(config)])
    assert code == 2 and "config ok" not in out
    line = one_error(err)
    assert str(config) in line and expected in line


def test_config_check_refuses_members_as_a_string(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    config.write_text(
        config.read_text().replace('members = ["owen", "tommy", "priya"]', 'members = "owen"')
    )
    code, _, err = run(["config", "check", "--config", str(config)])
    assert code == 2
    assert f"{config}, line 8: team.members must be a list of person ids" in one_error(err)


def test_config_check_refuses_a_file_source_that_does_not_exist(tmp_path: Path) -> None:
    config = demo_config(tmp_path, data=tmp_path / "exports" / "team.json")
    code, _, err = run(["config", "check", "--config", str(config)])
    assert code == 2
    line = one_error(err)
    assert "source 'demo': path names no file" in line and "team.json does not exist" in line
    assert f"{config}, line " in line


def test_nan_in_a_tracker_setting_is_refused_with_its_line(tmp_path: Path) -> None:
    source = '\n[[sources]]\ntype = "jira"\nname = "jira"\nserver = "https://x.atlassian.net"\n'
    config = demo_config(tmp_path, source + "max_wait = nan\n")
    code, _, err = run(["config", "check", "--config", str(config)])
    assert code == 2
    assert "line 42: sources[1].max_wait must be a finite number, got nan" in one_error(err)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_tracker_adapters_refuse_a_max_wait_that_is_not_a_number_of_seconds(
    value: float,
) -> None:
    """The same rule when a SourceConfig is built in code, not read from a file."""
    from leadkit_github.adapter import parse_options
    from leadkit_jira.settings import read_settings

    gh = SourceConfig("gh", "github", {"repos": ["acme/api"], "max_wait": value})
    jira = SourceConfig(
        "j", "jira", {"server": "https://x.atlassian.net", "projects": ["PIPE"], "max_wait": value}
    )
    with pytest.raises(ConfigError, match="source 'gh': max_wait must be a"):
        parse_options(gh, {})
    with pytest.raises(ConfigError, match="source 'j': max_wait must be a"):
        read_settings(jira)


# -- --since, --now and the other flags -------------------------------------------------


def window_days(args: list[str]) -> float:
    code, out, err = run(["report", "--demo", "--now", DEMO_NOW, "--format", "json", *args])
    assert code == 0, err
    window = json.loads(out)["window"]
    start, end = (
        datetime.fromisoformat(window[k].replace("Z", "+00:00")) for k in ("start", "end")
    )
    return (end - start).total_seconds() / 86400


def test_since_takes_hours_days_weeks_and_a_date() -> None:
    assert window_days(["--since", "36h"]) == 1.5
    assert window_days(["--since", "10d"]) == 10
    assert window_days(["--since", "2w"]) == 14
    assert window_days(["--since", "2026-11-06"]) == pytest.approx(14 + 16 / 24)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--since", "1m"], "--since '1m' has an unknown unit 'm': use h (hours), d (days) or w"),
        (["--since", "3mo"], "--since '3mo' has an unknown unit 'mo': use h (hours)"),
        (["--since", "14"], "--since '14' has no unit"),
        (["--since", "0d"], "--since '0d' is a zero-length window"),
        (["--since", DEMO_NOW], "is --now itself: a zero-length window"),
        (["--since", "100000d"], "--since '100000d' is longer than 10 years (3650 days)"),
        (["--since", "1990-01-01"], "reaches back more than 10 years"),
        (["--now", "0001-01-01"], "--now '0001-01-01' is out of range"),
        (["--now", "9999-12-31T23:59:59+00:00"], "is out of range"),
        (["--away-days", "nan"], "--away-days must be a number of days from 0 to 3650"),
        (["--away-days", "inf"], "--away-days must be a number of days from 0 to 3650"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(in_tmp: Path, args: list[str], expected: str) -> None:
    base = [] if "--now" in args else ["--now", DEMO_NOW]
    code, out, err = run(["report", "--demo", *base, *args])
    assert (code, out) == (2, "")
    assert expected in one_error(err)


def test_max_age_nan_is_refused(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    db = tmp_path / "store.sqlite"
    code, out, err = run(["report", "--config", str(config), "--db", str(db), "--max-age", "nan"])
    assert (code, out) == (2, "")
    assert "--max-age 'nan' is not a duration" in one_error(err)
    assert not db.exists()


# -- report --demo --config FILE --------------------------------------------------------


def test_demo_takes_gates_thresholds_analysis_and_plugins_from_a_file(tmp_path: Path) -> None:
    code, _, err = run(["report", "--demo", "--now", DEMO_NOW, "--check"])
    assert code == 1  # the demo's own gates fail
    shutil.copy(PLUGIN_FILES / "shouting.py", tmp_path / "shouting.py")
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[team]\nlead = "sam"\n\n'  # not used with --demo: the demo's team stays
        "[gates]\nmax_review_queue = 10\nmax_interrupt_share = 0.9\n\n"
        "[thresholds]\nstalled_days = 30\n\n"
        '[analysis]\nsince = "14d"\n\n'
        '[plugins]\npaths = ["shouting.py"]\n',
        encoding="utf-8",
    )
    base = ["report", "--demo", "--config", str(mine), "--now", DEMO_NOW]
    code, out, err = run([*base, "--check", "--format", "json"])
    assert code == 0, err
    assert "all 2 gates hold" in err
    assert "mine.toml's [team] not used" in err
    doc = json.loads(out)
    assert doc["teams"][0]["lead"] == "jamie"  # the demo team
    assert doc["window"]["start"] == "2026-11-06T16:00:00Z"  # since = 14d
    assert not any(f["kind"] == "stalled-own-work" and f["computed"] for f in doc["findings"])
    code, out, _ = run([*base, "--format", "shout"])  # the plugin, found next to FILE
    assert code == 0 and "REVIEW-QUEUE" in out


def test_demo_with_a_missing_config_file_is_exit_2(tmp_path: Path) -> None:
    code, out, err = run(
        ["report", "--demo", "--config", str(tmp_path / "nope.toml"), "--now", DEMO_NOW]
    )
    assert (code, out) == (2, "")
    assert "config file not found" in one_error(err)


def test_demo_layering_keeps_what_the_file_does_not_set() -> None:
    from leadkit.config import parse_config

    base = demo.config()
    layered, ignored = demo.layered(parse_config("[thresholds]\nquiet_days = 9\n"))
    assert ignored == []
    assert layered.thresholds["quiet_days"] == 9
    assert layered.gates == base.gates  # no [gates] in the file: the demo's stay
    assert layered.teams == base.teams and layered.people == base.people
