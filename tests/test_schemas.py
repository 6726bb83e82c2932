"""``leadkit schema``: the shipped JSON Schemas, and the documents leadkit writes against them."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.testing import Team, request

from .conftest import DEMO_NOW, PLUGIN_FILES

ROOT = Path(__file__).resolve().parent.parent
Validator = jsonschema.Draft202012Validator


def schema(name: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["schema", name])
    assert result.exit_code == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def validator(name: str) -> jsonschema.protocols.Validator:
    return Validator(schema(name), format_checker=Validator.FORMAT_CHECKER)


def errors(name: str, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(document)]


def run(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", ["report", "interchange"])
def test_the_schemas_are_draft_2020_12_and_shipped_in_the_package(name: str) -> None:
    printed = schema(name)
    Validator.check_schema(printed)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    shipped = ROOT / "leadkit" / "schemas" / f"{name}.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == printed
    # installed with leadkit: tests/test_packaging.py prints it from the built wheel


def test_an_unknown_schema_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["schema", "findings"])
    assert result.exit_code == 2
    assert "'findings' is not one of 'report', 'interchange'" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--since", "1d"],  # analyses that could not judge: computed false, empty metrics
        ["--evidence", "all"],  # unbounded: bounds are null
        ["--period", "2026-10"],
        ["--until", "2026-10-15", "--since", "70d"],
        ["--audience", "team"],  # per-person fields left out
    ],
)
def test_the_demo_report_is_valid(args: list[str]) -> None:
    doc = json.loads(run("report", "--demo", "--format", "json", *args))
    assert doc["teams"][0]["trend"]  # the trend is part of what is checked
    assert errors("report", doc) == []


def test_every_json_written_with_other_formats_is_valid(tmp_path: Path) -> None:
    out = {fmt: tmp_path / f"r.{ext}" for fmt, ext in (("html", "html"), ("json", "json"))}
    args = ["report", "--demo", "--now", DEMO_NOW]
    for fmt, path in out.items():
        args += ["--format", fmt, "--output", str(path)]
    run(*args)
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    assert errors("report", doc) == []
    assert any(t["previous"] is not None for t in doc["teams"][0]["trend"])


def test_a_report_with_a_plugin_kinds_own_metrics_is_valid(in_tmp: Path) -> None:
    env = {"LEADKIT_PLUGINS": str(PLUGIN_FILES / "kind_everything.py")}
    doc = json.loads(run("report", "--demo", "--format", "json", env=env))
    (plugin,) = [f for f in doc["findings"] if f["kind"] == "open-prs"]
    assert set(plugin["metrics"]) == {"open_prs", "first", "author"}
    assert errors("report", doc) == []


def test_a_two_team_report_on_real_shaped_data_is_valid() -> None:
    team = Team(lead="jamie", members=["owen", "priya"], timezone="Europe/Berlin")
    team.add_team("platform", "kim", ["lee"])
    team.merged_pr(1, author="owen", reviewers=["jamie"], repo="acme/mono", paths=["a/b/c.py"])
    team.pr(2, author="lee", requests=[request("kim", None)])  # no request time recorded
    team.item("PLAT-7", assignee="kim", raw_type="Sub-task", status="In Review")
    assert errors("report", team.json()) == []


@pytest.mark.parametrize("resolved", [False, True])
def test_an_export_is_valid(resolved: bool) -> None:
    doc = json.loads(run("export", "--demo", *(["--resolved"] if resolved else [])))
    assert doc["work_items"] and doc["reviews"]
    assert errors("interchange", doc) == []


def test_the_demo_data_file_is_valid() -> None:
    doc = json.loads((ROOT / "leadkit" / "demo" / "team.json").read_text(encoding="utf-8"))
    assert errors("interchange", doc) == []


def _demo_report() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(run("report", "--demo", "--format", "json"))
    return doc


def _broken(doc: dict[str, Any], change: str) -> dict[str, Any]:
    bad = copy.deepcopy(doc)
    if change == "previous as text":
        bad["teams"][0]["trend"][0]["previous"] = "85%"
    elif change == "no window":
        del bad["window"]
    elif change == "unknown severity":
        bad["findings"][0]["severity"] = "critical"
    elif change == "built-in metric missing":
        queue = next(f for f in bad["findings"] if f["kind"] == "review-queue")
        del queue["metrics"]["pending"]
    elif change == "share over 1":
        share = next(f for f in bad["findings"] if f["kind"] == "review-concentration")
        share["metrics"]["lead_review_share"] = 78
    elif change == "misspelled field":
        bad["teams"][0]["trends"] = bad["teams"][0].pop("trend")
    elif change == "item with no key or PR":
        del bad["findings"][0]["items"][0]["repo"]
    elif change == "local time":
        bad["window"]["end"] = "2026-11-20 16:00"
    return bad


@pytest.mark.parametrize(
    "change",
    [
        "previous as text",
        "no window",
        "unknown severity",
        "built-in metric missing",
        "share over 1",
        "misspelled field",
        "item with no key or PR",
        "local time",
    ],
)
def test_a_wrong_report_fails_validation(change: str) -> None:
    doc = _demo_report()
    assert errors("report", doc) == []
    assert errors("report", _broken(doc, change)) != []


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("status_category", "doing"),
        ("created", "yesterday"),
        ("assignee", 7),
        ("surprise", "field"),
    ],
)
def test_a_wrong_export_fails_validation(where: str, value: Any) -> None:
    doc = json.loads(run("export", "--demo"))
    doc["work_items"][0][where] = value
    assert errors("interchange", doc) != []


def test_the_interchange_schema_follows_the_model() -> None:
    """scripts/make_schemas.py writes it from the dataclasses: rerun it after a model change."""
    spec = importlib.util.spec_from_file_location("make_schemas", ROOT / "scripts/make_schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert json.loads(module.render()) == schema("interchange")
