"""Reports are bounded whatever the org's size, and every number still traces to items.

A generated org where the lead holds an eighth of everything (hundreds of
items and review requests), read from an interchange file as a user runs it:
the bounded report lists N evidence entries per list with the totals, and
suggestions for the top ``[delegation] max_items`` items; ``--evidence all``
lists everything, and the bounded report is that report cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.model.interchange import dataset_to_json, dumps
from leadkit.testing import org, org_config
from tests.fakes.generate import model_dataset

NOW = "2026-11-23T09:00:00Z"
EVIDENCE = 10
MAX_ITEMS = 20
CANDIDATES = 2
# The generated members all hold old in-progress work: at the default thresholds every
# one of them is stalled or quiet, and nobody would be suggested. Long thresholds give
# them room, so the lead gets a suggestion for hundreds of items.
SETTINGS = """
[thresholds]
stalled_days = 1000
quiet_days = 1000

[delegation]
keep_labels = ["ops"]
"""
SOURCE = '[[sources]]\ntype = "file"\nname = "org"\npath = "org.json"\n'
FORMATS = {"json": "json", "text": "txt", "markdown": "md", "html": "html"}


@dataclass
class Run:
    json: dict[str, Any]
    outputs: dict[str, str]


@dataclass
class Org:
    root: Path
    bounded: Run
    everything: Run


def run(args: list[str], root: Path) -> tuple[int, str, str]:
    env = {"XDG_CACHE_HOME": str(root / "cache"), "XDG_CONFIG_HOME": str(root / "config")}
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def report(root: Path, name: str, *extra: str) -> Run:
    """One ``leadkit report`` writing every format, as a user runs it."""
    args = ["report", "--config", str(root / "leadkit.toml"), "--now", NOW, *extra]
    for fmt, ext in FORMATS.items():
        args += ["--format", fmt, "--output", str(root / f"{name}.{ext}")]
    code, _, err = run(args, root)
    assert code == 0, err
    outputs = {fmt: (root / f"{name}.{ext}").read_text() for fmt, ext in FORMATS.items()}
    return Run(json.loads(outputs["json"]), outputs)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    root = tmp_path_factory.mktemp("org")
    members = org(8)
    (root / "org.json").write_text(
        dumps(dataset_to_json(model_dataset(2000, 1000, members=members)))
    )
    (root / "leadkit.toml").write_text(org_config(members, sources=SOURCE, extra=SETTINGS))
    yield Org(root, report(root, "bounded"), report(root, "all", "--evidence", "all"))


def bounded_lists(value: Any, path: str = "") -> Iterator[tuple[str, list[Any], int]]:
    """Every list that has a ``<name>_total`` beside it: its path, entries and total."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, list) and f"{key}_total" in value:
                yield f"{path}.{key}", inner, value[f"{key}_total"]
            yield from bounded_lists(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from bounded_lists(inner, f"{path}[{i}]")


def by_id(doc: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in doc[section]}


def test_the_lead_holds_hundreds_of_items_and_reviews(generated: Org) -> None:
    """The org is the one the bounds are for: lists far longer than N."""
    doc = generated.everything.json
    wip = by_id(doc, "findings")["lead-wip"]["metrics"]
    assert wip["lead_open"] >= 200, wip
    assert len({s["item"].get("key") or s["item"]["number"] for s in doc["suggestions"]}) > 150
    assert doc["kept_total"] > MAX_ITEMS


def test_each_list_shows_n_entries_with_its_total(generated: Org) -> None:
    doc = generated.bounded.json
    assert doc["bounds"] == {"evidence": EVIDENCE, "max_items": MAX_ITEMS}
    cut = 0
    for f in doc["findings"]:
        assert len(f["items"]) == min(f["items_total"], EVIDENCE), f["id"]
        for path, entries, total in bounded_lists(f["metrics"], f["id"]):
            assert len(entries) == min(total, EVIDENCE), path
            cut += total > EVIDENCE
    assert cut >= 3  # metrics lists (review-concentration's merged_prs, ...) were cut
    assert sum(f["items_total"] > EVIDENCE for f in doc["findings"]) >= 3
    for s in doc["suggestions"]:
        for path, entries, total in bounded_lists(s["evidence"], s["id"]):
            assert len(entries) == min(total, EVIDENCE), path


def test_evidence_all_lists_every_item_and_the_totals_agree(generated: Org) -> None:
    bounded, everything = generated.bounded.json, generated.everything.json
    assert everything["bounds"] == {"evidence": None, "max_items": None}
    full = by_id(everything, "findings")
    assert by_id(bounded, "findings").keys() == full.keys()
    for fid, f in by_id(bounded, "findings").items():
        whole = full[fid]
        assert len(whole["items"]) == whole["items_total"] == f["items_total"]
        assert f["items"] == whole["items"][:EVIDENCE]
        assert f["message"] == whole["message"]
        totals = {path: total for path, _, total in bounded_lists(f["metrics"], fid)}
        listed = {path: len(entries) for path, entries, _ in bounded_lists(whole["metrics"], fid)}
        for path, total in totals.items():
            assert listed[path] == total, path
    assert bounded["actions"] == everything["actions"]
    assert everything["suggestions_omitted"] == 0
    assert len(everything["suggestions"]) == everything["suggestions_total"]
    assert len(everything["kept"]) == everything["kept_total"]


def test_suggestions_are_the_best_for_the_leads_top_items(generated: Org) -> None:
    bounded, everything = generated.bounded.json, generated.everything.json
    listed = bounded["suggestions"]
    items = {json.dumps(s["item"], sort_keys=True) for s in listed}
    assert len(items) == MAX_ITEMS
    per_item: dict[str, int] = {}
    for s in everything["suggestions"]:
        key = json.dumps(s["item"], sort_keys=True)
        per_item[key] = per_item.get(key, 0) + 1
    assert max(per_item.values()) == CANDIDATES
    # The listed ones are the full report's, ids and all: the bounded report is it cut.
    full = by_id(everything, "suggestions")
    for s in listed:
        assert {**full[s["id"]], "evidence": s["evidence"]} == s
    assert bounded["suggestions_total"] == everything["suggestions_total"] == len(full)
    assert bounded["suggestions_omitted"] == len(full) - len(listed) > 0
    # Every action's suggestion is listed: the top items are ranked as the actions are.
    shown = {s["id"] for s in listed}
    assert all(sid in shown for a in bounded["actions"] for sid in a["suggestions"])
    assert any(a["suggestions"] for a in bounded["actions"])
    assert bounded["kept"] == everything["kept"][:MAX_ITEMS]
    assert bounded["kept_total"] == everything["kept_total"] > MAX_ITEMS


def test_text_markdown_and_html_say_how_many_more(generated: Org) -> None:
    bounded, everything = generated.bounded, generated.everything
    wip = by_id(bounded.json, "findings")["lead-wip"]
    more = f"and {wip['items_total'] - EVIDENCE:,} more ({wip['items_total']:,} in all"
    omitted = bounded.json["suggestions_omitted"]
    for fmt in FORMATS.keys() - {"json"}:
        out = bounded.outputs[fmt].replace("\\", "")  # markdown escapes the brackets
        assert more in out, fmt
        assert f"and {omitted:,} more suggestions, for " in out, fmt
        assert f"more kept with the lead ({bounded.json['kept_total']:,} in all" in out, fmt
        assert "more (" not in everything.outputs[fmt], fmt
    lines = bounded.outputs["text"].count("\n")
    assert lines < 700 and everything.outputs["text"].count("\n") > 4 * lines
    assert len(bounded.outputs["json"]) * 10 < len(everything.outputs["json"])


@pytest.mark.parametrize(
    ("setting", "error"),
    [
        ("[analysis]\nevidence = 0", 'analysis.evidence must be a whole number >= 1 or "all"'),
        ('[analysis]\nevidence = "some"', 'analysis.evidence must be a whole number >= 1 or "all"'),
        ("[delegation]\nmax_items = 0", "delegation.max_items must be a whole number >= 1"),
    ],
)
def test_bad_bounds_in_the_config_are_one_line(tmp_path: Path, setting: str, error: str) -> None:
    members = org(8)
    (tmp_path / "leadkit.toml").write_text(org_config(members, extra="\n" + setting + "\n"))
    code, _, err = run(["report", "--config", str(tmp_path / "leadkit.toml")], tmp_path)
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and error in err


@pytest.mark.parametrize("value", ["0", "ten", "-3", ""])
def test_a_bad_evidence_flag_is_one_line(tmp_path: Path, value: str) -> None:
    code, _, err = run(["report", "--demo", "--evidence", value], tmp_path)
    assert code == 2 and err.count("\n") == 1
    assert '--evidence must be a whole number >= 1 or "all"' in err


def test_the_config_sets_n(generated: Org) -> None:
    """``[analysis] evidence = 3``: three entries per list, the same totals."""
    config = generated.root / "three.toml"
    config.write_text(
        (generated.root / "leadkit.toml")
        .read_text()
        .replace("[delegation]", "[analysis]\nevidence = 3\n\n[delegation]")
    )
    code, out, err = run(
        ["report", "--config", str(config), "--now", NOW, "--format", "json"], generated.root
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["bounds"] == {"evidence": 3, "max_items": MAX_ITEMS}
    assert max(len(f["items"]) for f in doc["findings"]) == 3
    assert [f["items_total"] for f in doc["findings"]] == [
        f["items_total"] for f in generated.bounded.json["findings"]
    ]
    assert doc["suggestions_total"] == generated.bounded.json["suggestions_total"]
