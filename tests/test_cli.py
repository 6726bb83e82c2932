"""CLI exit codes and messages: one line and exit 2 for every user error, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit import __version__
from leadkit.cli import cli
from leadkit.model.report import REPORT_SCHEMA_VERSION
from leadkit.plugins import load_plugins

from .conftest import DEMO_NOW, PLUGIN_FILES


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("leadkit: error: ")
    return lines[0]


def test_version_and_help() -> None:
    code, out, _ = run(["--version"])
    assert code == 0
    first, *plugins = out.splitlines()
    assert first == f"leadkit {__version__}"
    # the first-party plugins, installed beside the core, are released with its version
    for name in ("leadkit-github", "leadkit-gitlab", "leadkit-jira"):
        assert f"{name} {__version__} (plugin)" in plugins
    for command in (["report"], ["plugins"], ["people"], ["config", "check"], ["export"]):
        code, out, _ = run([*command, "--help"])
        assert code == 0 and "Usage:" in out


def test_missing_config_file(in_tmp: Path) -> None:
    code, _, err = run(["report"])
    assert code == 2
    assert "no config file found" in one_error_line(err)
    code, _, err = run(["report", "--config", "missing.toml"])
    assert code == 2
    assert one_error_line(err) == "leadkit: error: config file not found: missing.toml"


def test_toml_syntax_error(in_tmp: Path) -> None:
    (in_tmp / "leadkit.toml").write_text('[team]\nlead = "jamie\n')
    code, _, err = run(["report"])
    assert code == 2
    line = one_error_line(err)
    assert "leadkit.toml: TOML syntax error" in line and "line 2" in line


def test_unknown_source_type(in_tmp: Path) -> None:
    (in_tmp / "leadkit.toml").write_text(
        '[team]\nlead = "a"\n[[sources]]\ntype = "bitbucket"\nname = "bb"\n'
    )
    code, _, err = run(["report"])
    assert code == 2
    assert "unknown source type 'bitbucket'" in one_error_line(err)


def test_missing_token_variable_names_it(in_tmp: Path) -> None:
    (in_tmp / "leadkit.toml").write_text(
        '[team]\nlead = "a"\n[plugins]\npaths = ["%s"]\n'
        '[[sources]]\ntype = "needs-token"\nname = "t"\ntoken_env = "MY_TRACKER_TOKEN"\n'
        % (PLUGIN_FILES / "token_source.py")
    )
    code, _, err = run(["report"], env={"MY_TRACKER_TOKEN": ""})
    assert code == 2
    assert one_error_line(err) == (
        "leadkit: error: environment variable MY_TRACKER_TOKEN is not set "
        "(source 't' reads it through token_env)"
    )


def test_secret_never_printed_even_with_debug(in_tmp: Path) -> None:
    (in_tmp / "leadkit.toml").write_text(
        '[team]\nlead = "a"\n[plugins]\npaths = ["%s"]\n'
        '[[sources]]\ntype = "needs-token"\nname = "t"\n' % (PLUGIN_FILES / "token_source.py")
    )
    secret = "s3cr3t-token-value-123"
    for args in (["report"], ["--debug", "report"]):
        code, out, err = run(args, env={"FAKE_TRACKER_TOKEN": secret})
        assert code == 2
        assert secret not in out + err
        assert "***" in err
    _, _, err = run(["--debug", "report"], env={"FAKE_TRACKER_TOKEN": secret})
    assert "Traceback" in err  # --debug shows it, masked


def test_bad_since_and_now(in_tmp: Path) -> None:
    code, _, err = run(["report", "--demo", "--since", "a while"])
    assert code == 2 and "--since 'a while' is neither a duration" in one_error_line(err)
    code, _, err = run(["report", "--demo", "--now", "yesterday"])
    assert code == 2 and "--now 'yesterday'" in one_error_line(err)


def test_unknown_format(in_tmp: Path) -> None:
    code, _, err = run(["report", "--demo", "--format", "pdf"])
    assert code == 2 and "unknown format 'pdf'" in one_error_line(err)


def test_output_is_written_atomically_and_a_failed_run_keeps_the_old_file(in_tmp: Path) -> None:
    target = in_tmp / "report.json"
    code, out, _ = run(["report", "--demo", "--now", DEMO_NOW, "--output", str(target)])
    assert code == 0 and out == ""
    assert (
        json.loads(target.read_text())["schema_version"] == REPORT_SCHEMA_VERSION
    )  # format from the extension
    before = target.read_text()
    code, _, _ = run(["report", "--demo", "--now", "not-a-date", "--output", str(target)])
    assert code == 2 and target.read_text() == before
    assert sorted(p.name for p in in_tmp.iterdir()) == ["report.json"]


def test_config_check(in_tmp: Path) -> None:
    (in_tmp / "data.json").write_text("{}")
    (in_tmp / "leadkit.toml").write_text(
        '[team]\nlead = "jamie"\nmembers = ["owen"]\n[people.jamie]\ngithub = "j"\n'
        '[[sources]]\ntype = "file"\nname = "rec"\npath = "data.json"\n'
    )
    code, out, _ = run(["config", "check"])
    assert code == 0, out
    assert "source rec (file, leadkit.builtins.file_source): ok" in out
    assert "'owen' of team team has no [people.owen] table" in out
    assert out.rstrip().endswith("config ok")
    (in_tmp / "leadkit.toml").write_text('[team]\nlead = "jamie"\n[[sources]]\ntype = "file"\n')
    code, _, err = run(["config", "check"])
    assert code == 2
    assert "source 'file': path is required" in one_error_line(err)


def test_people_command_on_the_demo(in_tmp: Path) -> None:
    code, out, _ = run(["people", "--demo"])
    assert code == 0
    assert "jamie  Jamie Rivera  (lead of dataflow)" in out
    assert "github:ohart" in out and "<- please confirm" in out
    assert (
        '[people.owen]\nname = "Owen Hart"\ngithub = "ohart"\njira = "5f1a0c2d9e7b4a0012ab3402"'
        in out
    )
    code, out, _ = run(["people", "--demo", "--json"])
    doc = json.loads(out)
    tommy = next(p for p in doc["people"] if p["id"] == "tommy")
    assert {a["method"] for a in tommy["accounts"]} == {"email"}


def test_export_then_replay_through_the_file_adapter(in_tmp: Path) -> None:
    code, _, _ = run(["export", "--demo", "--now", DEMO_NOW, "--output", "data.json"])
    assert code == 0
    (in_tmp / "leadkit.toml").write_text(
        (Path(__file__).resolve().parent.parent / "leadkit" / "demo" / "leadkit.toml")
        .read_text()
        .replace('path = "team.json"', 'path = "data.json"')
    )
    _, replayed, _ = run(["report", "--format", "json", "--now", DEMO_NOW])
    _, demo, _ = run(["report", "--demo", "--format", "json", "--now", DEMO_NOW])
    assert replayed == demo


def test_malformed_dataset_file(in_tmp: Path) -> None:
    (in_tmp / "data.json").write_text('{"schema_version": 1, "window": ')
    (in_tmp / "leadkit.toml").write_text(
        '[team]\nlead = "a"\n[[sources]]\ntype = "file"\nname = "rec"\npath = "data.json"\n'
    )
    code, _, err = run(["report"])
    assert code == 2
    assert "data.json: malformed JSON at line 1" in one_error_line(err)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_report_formats_run_on_the_demo(fmt: str, in_tmp: Path) -> None:
    code, out, err = run(["report", "--demo", "--now", DEMO_NOW, "--format", fmt])
    assert code == 0, err
    assert "PIPE-201" in out


def test_output_files_get_ordinary_permissions(in_tmp: Path) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        target = in_tmp / "new.md"
        assert run(["report", "--demo", "--now", DEMO_NOW, "-o", str(target)])[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        kept = in_tmp / "kept.json"
        kept.write_text("{}")
        kept.chmod(0o640)
        assert run(["report", "--demo", "--now", DEMO_NOW, "-o", str(kept)])[0] == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def test_report_help_lists_every_built_in_format_and_publisher() -> None:
    host = load_plugins(use_entry_points=False, environ={})
    names = [*host.renderers, *host.publishers]
    assert {"html", "github-issue", "slack"} <= set(names)
    help_ = CliRunner().invoke(cli, ["report", "--help"], terminal_width=400)
    text = " ".join(help_.output.split())
    for name in names:
        assert f"{name}," in text or f"{name} or an installed plugin's" in text, name


LEADKIT = Path(sys.executable).parent / "leadkit"


@pytest.mark.parametrize(
    "args", [["schema", "report"], ["report", "--demo", "--format", "html"], ["--help"]]
)
def test_a_closed_pipe_ends_the_command_quietly_with_status_141(args: list[str]) -> None:
    """``leadkit schema report | head -c 600``: the reader went away before the output."""
    run = subprocess.Popen([str(LEADKIT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    run.stdout.close()  # as head does once it has its 600 bytes
    status = run.wait(timeout=60)
    assert run.stderr.read() == b""
    assert status == 141  # 128 + SIGPIPE, as cat or grep end
