"""Declared options: a source, a finding kind, a renderer and a publisher declare their keys;
the core checks them (naming the key and its line), fills in defaults, lists them in
``leadkit plugins``, and hands them over. A renderer's ``extension`` picks it for ``--output``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.api import Option
from leadkit.cli import cli
from leadkit.errors import ConfigError, PluginError
from leadkit.options import check_declared, read_options

from .conftest import DEMO_NOW, PLUGIN_FILES
from .report_data import demo_config

PLUGIN = PLUGIN_FILES / "declared.py"


def config_with(tmp_path: Path, extra: str) -> Path:
    """The demo's config, loading the declared-options plugin, plus ``extra`` at the end."""
    path = demo_config(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        f"[plugins]\npaths = [{json.dumps(str(PLUGIN))}]\n\n{text}\n{extra}", encoding="utf-8"
    )
    return path


def line_of(path: Path, needle: str) -> int:
    """The last line starting with ``needle`` (what the test appended)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return max(i for i, line in enumerate(lines, start=1) if line.startswith(needle))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_plugins_lists_every_declared_option(tmp_path: Path) -> None:
    config = config_with(tmp_path, "")
    code, out, err = run("plugins", "--json", "--config", str(config))
    assert code == 0, err
    (entry,) = [e for e in json.loads(out) if e["name"] == "declared"]
    assert entry["options"]["csv"] == [
        {
            "name": "delimiter",
            "type": "string",
            "default": ",",
            "doc": "the field separator",
            "required": False,
        }
    ]
    assert [o["name"] for o in entry["options"]["declared"]] == ["url", "page_size", "projects"]
    assert entry["options"]["declared"][0]["required"] is True
    assert entry["options"]["patience"][0]["type"] == "number"
    assert entry["options"]["counter"][0]["name"] == "prefix"
    code, out, _ = run("plugins", "--config", str(config))
    assert '    options of csv:\n      delimiter (string, default ","): the field separator' in out
    assert "      url (string, required): the tracker's base URL" in out


def test_output_with_a_plugin_renderers_extension_uses_it_with_its_options(
    tmp_path: Path,
) -> None:
    config = config_with(tmp_path, '[plugins.csv]\ndelimiter = ";"\n')
    out = tmp_path / "out.csv"
    code, stdout, err = run("report", "--config", str(config), "--now", DEMO_NOW, "-o", str(out))
    assert (code, stdout) == (0, ""), err
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "kind;severity"
    assert "review-queue;high" in rows
    # Without a table the declared default reaches the renderer.
    (tmp_path / "plain").mkdir()
    plain = config_with(tmp_path / "plain", "")
    code, _, err = run("report", "--config", str(plain), "--now", DEMO_NOW, "-o", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").splitlines()[0] == "kind,severity"


def test_a_kinds_and_a_publishers_options_reach_them(tmp_path: Path) -> None:
    extra = '[plugins.patience]\nmin_days = 5\n\n[plugins.counter]\nprefix = "n="\n'
    config = config_with(tmp_path, extra)
    args = ["report", "--config", str(config), "--now", DEMO_NOW, "--format", "json"]
    code, out, err = run(*args)
    assert code == 0, err
    (patience,) = [f for f in json.loads(out)["findings"] if f["kind"] == "patience"]
    assert patience["metrics"] == {"min_days": 5}
    code, out, err = run(*args, "-o", str(tmp_path / "r.json"), "--publish", "counter")
    assert code == 0, err
    assert re.search(r"^leadkit: counter: n=\d+ findings$", err, re.MULTILINE), out + err


@pytest.mark.parametrize(
    ("extra", "needle", "message"),
    [
        (
            "[plugins.csv]\ndelimiter = 3\n",
            "delimiter",
            "plugins.csv.delimiter must be a string, got 3",
        ),
        (
            "[plugins.csv]\nquote = true\n",
            "quote",
            "plugins.csv.quote is not a known option (known: delimiter)",
        ),
        (
            '[plugins.patience]\nmin_days = "soon"\n',
            "min_days",
            "plugins.patience.min_days must be a number, got 'soon'",
        ),
        (
            "[plugins.nothing-here]\nx = 1\n",
            "[plugins.nothing-here]",
            "plugins.nothing-here names no loaded analysis, renderer or publisher with options",
        ),
    ],
)
def test_a_bad_plugin_table_names_the_key_and_its_line(
    tmp_path: Path, extra: str, needle: str, message: str
) -> None:
    config = config_with(tmp_path, extra)
    code, out, err = run("report", "--config", str(config), "--now", DEMO_NOW)
    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith(f"leadkit: error: {config}, line {line_of(config, needle)}: {message}")


@pytest.mark.parametrize(
    ("body", "needle", "message"),
    [
        (
            'url = "https://t.example"\npage_size = "ten"\n',
            "page_size",
            "page_size must be an integer, got 'ten'",
        ),
        (
            'url = "https://t.example"\nprojets = ["a"]\n',
            "projets",
            "projets is not a known option (known: page_size, projects, url)",
        ),
        ("page_size = 5\n", "[[sources]]", "url is required"),
    ],
)
def test_a_bad_source_key_names_the_key_and_its_line(
    tmp_path: Path, body: str, needle: str, message: str
) -> None:
    config = config_with(tmp_path, f'[[sources]]\ntype = "declared"\nname = "d"\n{body}')
    code, out, err = run("report", "--config", str(config), "--now", DEMO_NOW)
    assert (code, out) == (2, "")
    where = f"{config}, line {line_of(config, needle)}"
    assert err.splitlines() == [f"leadkit: error: source 'd': {message} ({where})"]


def test_a_source_reads_its_declared_options_with_defaults(tmp_path: Path) -> None:
    config = config_with(tmp_path, '[[sources]]\ntype = "declared"\nurl = "https://t.example"\n')
    code, out, err = run("report", "--config", str(config), "--now", DEMO_NOW, "--format", "json")
    assert code == 0, err
    assert "declared: https://t.example 100 " in json.loads(out)["notes"]


def test_declarations_are_checked_when_a_plugin_registers() -> None:
    with pytest.raises(PluginError, match="declares option 'n' with default 'x', not an integer"):
        check_declared([Option("n", int, "x")], "renderer 'r'")
    with pytest.raises(PluginError, match="of type <class 'set'>"):
        check_declared([Option("n", set)], "renderer 'r'")
    with pytest.raises(PluginError, match=r"not a leadkit\.api\.Option"):
        check_declared([("n", int)], "renderer 'r'")


def test_read_options_fills_defaults_and_refuses_bools_as_numbers() -> None:
    declared = [Option("n", int, 3), Option("share", float, 0.5), Option("on", bool, False)]

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{key} {problem}")

    assert read_options(declared, {"share": 1}, fail) == {"share": 1, "n": 3, "on": False}
    with pytest.raises(ConfigError, match="n must be an integer, got True"):
        read_options(declared, {"n": True}, fail)
    with pytest.raises(ConfigError, match="share must be a finite number"):
        read_options(declared, {"share": float("inf")}, fail)


def test_a_hand_built_adapter_is_checked_as_a_run_checks_it() -> None:
    """``Adapter.configured(source)``: the one check a run, ``make_source`` and a test that
    builds an adapter itself all go through; None counts as absent, so it reads the same twice."""
    from leadkit.api import SourceAdapter, SourceConfig

    class Tickets(SourceAdapter):
        type = "tickets"
        declared_options = (
            Option("url", str, doc="base URL", required=True),
            Option("labels", list, ["team-a"], "labels to read"),
            Option("zone", str, doc="the tracker's zone"),
        )

    given = SourceConfig("t", "tickets", {"url": "https://t.example", "zone": None})
    filled = Tickets.configured(given)
    assert dict(filled.options) == {"url": "https://t.example", "labels": ["team-a"], "zone": None}
    assert Tickets.configured(filled) == filled
    with pytest.raises(ConfigError, match=r"^source 't': lables is not a known option \(known: "):
        Tickets.configured(SourceConfig("t", "tickets", {"url": "u", "lables": ["x"]}))
    with pytest.raises(ConfigError, match=r"^source 't': url is required"):
        Tickets.configured(SourceConfig("t", "tickets", {"url": None}))
    plain = SourceConfig("p", "plain", {"anything": 1})
    assert SourceAdapter.configured(plain) is plain
