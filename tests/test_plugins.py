"""Plugin discovery, isolation and registries."""

from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leadkit import hookimpl, hookspecs
from leadkit.cli import cli
from leadkit.collect.sources import SourceAdapter
from leadkit.errors import PluginError
from leadkit.plugins import DEFAULT_PLUGINS, load_plugins

from .conftest import PLUGIN_FILES

ROOT = Path(__file__).resolve().parent.parent


class InProcess:
    """A plugin object registered in-process, as a test or an embedding app would."""

    @hookimpl
    def register_analyses(self, register):  # type: ignore[no-untyped-def]
        def analyze(context):  # type: ignore[no-untyped-def]
            return []

        register("nothing", analyze, description="finds nothing")


@dataclass
class FakeDist:
    name: str
    version: str


@dataclass
class FakeEntryPoint:
    """Stands in for importlib.metadata.EntryPoint, as pluggy's own tests do."""

    name: str
    target: Any
    dist: FakeDist

    def load(self) -> Any:
        if isinstance(self.target, Exception):
            raise self.target
        return self.target


class EntryPointPlugin:
    @hookimpl
    def register_renderers(self, register):  # type: ignore[no-untyped-def]
        register("yaml-ish", lambda report, options: "kinds:\n", extension="yml")


def test_builtins_register_through_the_same_hooks() -> None:
    host = load_plugins(use_entry_points=False)
    assert "file" in host.sources
    assert {"review-queue", "delegation", "away-risk"} <= set(host.analyses)
    assert {"text", "markdown", "json"} <= set(host.renderers)
    listing = {p["name"]: p for p in host.listing()}
    assert listing["leadkit.builtins.file_source"]["registers"] == {"sources": ["file"]}
    assert listing["leadkit.builtins.file_source"]["origin"] == "built-in"
    assert not host.failures()


def test_in_process_plugin_is_registered() -> None:
    host = load_plugins(use_entry_points=False, extra=[("in-process-test", InProcess())])
    assert host.analyses["nothing"].plugin == "in-process-test"
    info = {p["name"]: p for p in host.listing()}["in-process-test"]
    assert info["hooks"] == ["register_analyses"]
    assert info["registers"] == {"analyses": ["nothing"]}


def test_local_path_plugin_from_config_and_from_environment() -> None:
    host = load_plugins(use_entry_points=False, paths=[PLUGIN_FILES / "shouting.py"])
    assert host.renderers["shout"].plugin == "shouting"
    env_host = load_plugins(
        use_entry_points=False, environ={"LEADKIT_PLUGINS": str(PLUGIN_FILES / "shouting.py")}
    )
    assert "shout" in env_host.renderers
    origin = {p["name"]: p for p in env_host.listing()}["shouting"]["origin"]
    assert origin.startswith("LEADKIT_PLUGINS")


def test_entry_point_plugins_load_one_at_a_time_and_a_broken_one_is_reported() -> None:
    eps = [
        FakeEntryPoint(
            "broken",
            ImportError("No module named 'leadkit_broken'"),
            FakeDist("leadkit-broken", "0.1"),
        ),
        FakeEntryPoint("yaml", EntryPointPlugin(), FakeDist("leadkit-yaml", "1.2.3")),
    ]
    host = load_plugins(entry_points=eps)
    assert "yaml-ish" in host.renderers
    listing = {p["name"]: p for p in host.listing()}
    assert listing["yaml"]["version"] == "1.2.3"
    assert listing["yaml"]["distribution"] == "leadkit-yaml"
    assert listing["broken"]["error"] == "ImportError: No module named 'leadkit_broken'"
    assert "text" in host.renderers  # the rest still work


def test_strict_mode_raises_on_a_broken_plugin() -> None:
    with pytest.raises(PluginError, match="broken_plugin"):
        load_plugins(use_entry_points=False, paths=[PLUGIN_FILES / "broken_plugin.py"], strict=True)


def test_disable_list_skips_a_plugin() -> None:
    host = load_plugins(
        use_entry_points=False,
        environ={"LEADKIT_DISABLE_PLUGINS": "leadkit.builtins.kinds.away_risk"},
    )
    assert "away-risk" not in host.analyses
    assert "review-queue" in host.analyses


def test_misspelled_hook_is_refused_not_silently_ignored() -> None:
    class Typo:
        @hookimpl
        def register_renderer(self, register):  # type: ignore[no-untyped-def]
            register("x", lambda r, o: "")

    host = load_plugins(use_entry_points=False, extra=[("typo", Typo())])
    error = {p["name"]: p for p in host.listing()}["typo"]["error"]
    assert "unknown hook" in error and "register_renderer" in error


def test_duplicate_registration_names_both_plugins() -> None:
    class Clash:
        @hookimpl
        def register_renderers(self, register):  # type: ignore[no-untyped-def]
            register("json", lambda r, o: "{}")

    host = load_plugins(use_entry_points=False, extra=[("clash", Clash())])
    error = {p["name"]: p for p in host.listing()}["clash"]["error"]
    assert "leadkit.builtins.renderers.json" in error and "clash" in error
    assert host.renderers["json"].plugin == "leadkit.builtins.renderers.json"


def test_a_hook_that_raises_is_isolated() -> None:
    class Raises:
        @hookimpl
        def register_sources(self, register):  # type: ignore[no-untyped-def]
            raise RuntimeError("cannot start")

    host = load_plugins(use_entry_points=False, extra=[("raises", Raises())])
    error = {p["name"]: p for p in host.listing()}["raises"]["error"]
    assert error == "register_sources raised RuntimeError: cannot start"
    assert "file" in host.sources


def test_registering_something_that_is_not_an_adapter_is_refused() -> None:
    class Bad:
        @hookimpl
        def register_sources(self, register):  # type: ignore[no-untyped-def]
            register(dict)

    host = load_plugins(use_entry_points=False, extra=[("bad", Bad())])
    assert "not a SourceAdapter subclass" in {p["name"]: p for p in host.listing()}["bad"]["error"]


def test_unknown_source_type_names_the_known_ones() -> None:
    host = load_plugins(use_entry_points=False)
    with pytest.raises(PluginError, match=r"unknown source type 'gitlab' \(known: file\)"):
        host.source_adapter("gitlab")


def test_plugins_command_lists_builtins_with_their_hooks(in_tmp: Path) -> None:
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    listing = {p["name"]: p for p in json.loads(result.output)}
    assert listing["leadkit.builtins.renderers.markdown"]["hooks"] == ["register_renderers"]
    assert listing["leadkit.builtins.kinds.review_queue"]["registers"] == {
        "analyses": ["review-queue"]
    }
    text = CliRunner().invoke(cli, ["plugins"])
    assert "leadkit.builtins.file_source" in text.output and "sources: file" in text.output


def test_plugins_command_lists_a_failed_plugin_with_its_error(in_tmp: Path) -> None:
    env = {"LEADKIT_PLUGINS": str(PLUGIN_FILES / "broken_plugin.py")}
    result = CliRunner().invoke(cli, ["plugins"], env=env)
    assert result.exit_code == 0
    assert "broken_plugin" in result.output
    assert (
        "FAILED: ModuleNotFoundError: No module named 'not_a_module_that_exists'" in result.output
    )


def test_every_hook_has_a_test_and_a_documented_signature() -> None:
    """Like datasette's meta-tests: a hook nobody tests or documents is a hook nobody can use."""
    tests = "".join(p.read_text() for p in Path(__file__).parent.rglob("test_*.py"))
    docs = (ROOT / "docs" / "plugins.md").read_text()
    for name in hookspecs.hook_names():
        assert name in tests, f"{name} has no test"
        signature = f"{name}{inspect.signature(getattr(hookspecs, name))}"
        signature = re.sub(r"'|\"", "", signature)
        assert signature in docs.replace("'", ""), (
            f"{signature} is not documented in docs/plugins.md"
        )


def test_register_commands_hook_adds_a_command() -> None:
    import click

    class Commands:
        @hookimpl
        def register_commands(self, cli):  # type: ignore[no-untyped-def]
            @cli.command(name="hello-test")
            def hello() -> None:
                click.echo("hello from a plugin")

    group = click.Group()
    host = load_plugins(use_entry_points=False, extra=[("cmds", Commands())])
    host.call_register_commands(group)
    result = CliRunner().invoke(group, ["hello-test"])
    assert result.output == "hello from a plugin\n"


def test_default_plugins_all_load() -> None:
    host = load_plugins(use_entry_points=False)
    names = {p["name"] for p in host.listing()}
    assert set(DEFAULT_PLUGINS) <= names
    assert all(issubclass(cls, SourceAdapter) for cls in host.sources.values())


def test_register_publishers_hook_registers_a_target() -> None:
    sent: list[str] = []

    class Chat:
        @hookimpl
        def register_publishers(self, register):  # type: ignore[no-untyped-def]
            def publish(report, context):  # type: ignore[no-untyped-def]
                sent.append(f"{len(report.findings)} findings")
                return "posted to chat"

            register("chat", publish, description="a team chat")

    host = load_plugins(use_entry_points=False, extra=[("chat", Chat())])
    publisher = host.publisher("chat")
    assert (publisher.plugin, publisher.description) == ("chat", "a team chat")
    assert publisher.function(type("R", (), {"findings": [1, 2]})(), None) == "posted to chat"
    assert sent == ["2 findings"]
    with pytest.raises(PluginError, match="unknown publish target 'fax'"):
        host.publisher("fax")
