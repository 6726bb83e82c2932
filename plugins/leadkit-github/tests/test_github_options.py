"""The github source's keys are declared options: ``leadkit plugins --json`` lists each with
its type, default and doc, and the core checks a config file against them, naming the key
and its line (the adapter adds only what a type cannot say: repo names, ranges, URLs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli

TOKEN = "ghp_optionsTestToken0123456789"


def test_leadkit_plugins_lists_every_github_key_with_its_default_and_doc() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    (github,) = [p for p in json.loads(result.stdout) if p.get("distribution") == "leadkit-github"]
    declared = {o["name"]: o for o in github["options"]["github"]}
    assert set(declared) == {
        "repos",
        "token_env",
        "base_url",
        "include_issues",
        "concurrency",
        "max_wait",
        "page_size",
        "timeout",
        "max_retries",
    }
    assert declared["repos"]["required"] is True and declared["repos"]["type"] == "list of strings"
    assert (declared["token_env"]["default"], declared["token_env"]["type"]) == (
        "GITHUB_TOKEN",
        "string",
    )
    assert declared["include_issues"]["default"] is True
    assert (declared["concurrency"]["default"], declared["page_size"]["default"]) == (4, 100)
    assert (declared["max_wait"]["default"], declared["max_wait"]["type"]) == (900.0, "number")
    assert (
        declared["base_url"]["default"] is None and "GITHUB_API_URL" in declared["base_url"]["doc"]
    )
    assert all(o["doc"] for o in declared.values())
    listing = CliRunner().invoke(cli, ["plugins"])
    assert '      token_env (string, default "GITHUB_TOKEN"): the environment variable' in (
        listing.stdout
    )


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        ('repo = "acme/api"', "repo", "repo is not a known option (known: base_url, "),
        ('page_size = "50"', "page_size", "page_size must be an integer, got '50'"),
        ('repos = "acme/api"', "repos", "repos must be a list of strings, got 'acme/api'"),
        ("include_issues = 1", "include_issues", "include_issues must be true or false, got 1"),
        ("page_size = 500", "page_size", "page_size must be between 1 and 100, got 500"),
        ('repos = ["acme"]', "repos", 'repos entry \'acme\' is not "owner/name" or "owner/*"'),
    ],
)
def test_a_bad_github_key_is_one_line_naming_it_and_its_line(
    tmp_path: Path, line: str, key: str, expected: str
) -> None:
    config = tmp_path / "leadkit.toml"
    table = '[[sources]]\ntype = "github"\nname = "gh"\n'
    if not line.startswith("repos ="):
        table += 'repos = ["acme/api"]\n'
    config.write_text(f'[team]\nlead = "jamie"\n\n{table}{line}\n', encoding="utf-8")
    number = config.read_text(encoding="utf-8").splitlines().index(line) + 1
    result = CliRunner().invoke(
        cli, ["config", "check", "--config", str(config)], env={"GITHUB_TOKEN": TOKEN}
    )
    assert result.exit_code == 2, result.output
    (message,) = result.output.strip().splitlines()
    assert message.startswith(f"leadkit: error: source 'gh': {key} ")
    assert expected in message
    assert message.endswith(f"leadkit.toml, line {number})")
