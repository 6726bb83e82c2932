"""The jira source's keys are declared options: ``leadkit plugins --json`` lists each with
its type, default and doc, and the core checks a config file against them, naming the key
and its line (the adapter adds only what a type cannot say: URLs, project keys, JQL,
deployment, work types, custom field ids, ranges, time zones)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli

ENV = {"JIRA_EMAIL": "jamie@acme.example", "JIRA_TOKEN": "jira-options-test-token-0123"}


def test_leadkit_plugins_lists_every_jira_key_with_its_default_and_doc() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    (jira,) = [p for p in json.loads(result.stdout) if p.get("distribution") == "leadkit-jira"]
    declared = {o["name"]: o for o in jira["options"]["jira"]}
    assert set(declared) == {
        "server",
        "deployment",
        "email_env",
        "token_env",
        "projects",
        "jql",
        "type_map",
        "blocks_link_types",
        "fields",
        "page_size",
        "max_wait",
        "max_retries",
        "timeout",
        "timezone",
    }
    assert declared["server"]["required"] is True
    assert [n for n, o in declared.items() if o["required"]] == ["server"]
    assert (declared["deployment"]["default"], declared["token_env"]["default"]) == (
        "auto",
        "JIRA_TOKEN",
    )
    assert declared["email_env"]["default"] is None
    assert declared["blocks_link_types"]["default"] == ["Blocks"]
    assert (declared["type_map"]["type"], declared["type_map"]["default"]) == ("table", {})
    assert (declared["page_size"]["default"], declared["max_wait"]["default"]) == (100, 120.0)
    assert "customfield_10016" in declared["fields"]["doc"]
    assert all(o["doc"] for o in declared.values())


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        ('projcets = ["PIPE"]', "projcets", "projcets is not a known option (known: "),
        ('page_size = "100"', "page_size", "page_size must be an integer, got '100'"),
        ('projects = "PIPE"', "projects", "projects must be a list of strings, got 'PIPE'"),
        ('type_map = "Spike"', "type_map", "type_map must be a table, got 'Spike'"),
        ('deployment = "onprem"', "deployment", 'must be "auto", "cloud" or "datacenter"'),
        ("page_size = 0", "page_size", "page_size must be between 1 and 1000, got 0"),
        ('projects = ["PIPE X"]', "projects", "has 'PIPE X', which is not a Jira project key"),
    ],
)
def test_a_bad_jira_key_is_one_line_naming_it_and_its_line(
    tmp_path: Path, line: str, key: str, expected: str
) -> None:
    config = tmp_path / "leadkit.toml"
    table = '[[sources]]\ntype = "jira"\nname = "jira"\nserver = "https://acme.atlassian.net"\n'
    if not line.startswith("projects ="):
        table += 'projects = ["PIPE"]\n'
    config.write_text(f'[team]\nlead = "jamie"\n\n{table}{line}\n', encoding="utf-8")
    number = config.read_text(encoding="utf-8").splitlines().index(line) + 1
    result = CliRunner().invoke(cli, ["config", "check", "--config", str(config)], env=ENV)
    assert result.exit_code == 2, result.output
    (message,) = result.output.strip().splitlines()
    assert message.startswith(f"leadkit: error: source 'jira': {key} ")
    assert expected in message
    assert message.endswith(f"leadkit.toml, line {number})")


def test_a_missing_server_is_required_by_the_core(tmp_path: Path) -> None:
    config = tmp_path / "leadkit.toml"
    config.write_text(
        '[team]\nlead = "jamie"\n\n[[sources]]\ntype = "jira"\nname = "jira"\nprojects = ["PIPE"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["config", "check", "--config", str(config)], env=ENV)
    assert result.exit_code == 2, result.output
    (message,) = result.output.strip().splitlines()
    assert "source 'jira': server is required" in message
