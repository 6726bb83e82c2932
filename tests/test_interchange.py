"""The interchange JSON: round trips, versions, and clear errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import leadkit.schemas as leadkit_schemas
from leadkit.cli import cli
from leadkit.demo import directory
from leadkit.errors import DataError
from leadkit.model.data import CodeOwners
from leadkit.model.interchange import (
    SCHEMA_VERSION,
    dataset_from_json,
    dataset_to_json,
    dumps,
    read_dataset_file,
)

from .conftest import DEMO_NOW
from .report_data import demo_config

DEMO = directory() / "team.json"


def test_demo_round_trips_byte_for_byte() -> None:
    data = read_dataset_file(DEMO)
    assert dumps(dataset_to_json(data)) == DEMO.read_text()
    assert data.window.end.tzinfo is not None
    assert {r.number for r in data.reviews} >= {139, 141, 143, 145}


def test_a_file_from_before_due_dates_reads_as_before(tmp_path: Path) -> None:
    document = json.loads(DEMO.read_text())
    for item in document["work_items"]:
        for name in ("due", "due_source", "due_name"):
            item.pop(name, None)
    older = tmp_path / "older.json"
    older.write_text(json.dumps(document))
    read = read_dataset_file(older)
    assert all(i.due is None and i.due_source is None for i in read.work_items)
    assert [i.key for i in read.work_items] == [i.key for i in read_dataset_file(DEMO).work_items]


def test_a_due_date_without_a_time_is_that_days_start_like_every_time(tmp_path: Path) -> None:
    """The docs ask for the day's end (``T23:59:59Z``), as the adapters write it; a bare date
    still names the right day."""
    document = json.loads(DEMO.read_text())
    ngx = next(i for i in document["work_items"] if i["key"] == "NGX-1")
    ngx["due"] = "2026-12-01"
    lenient = tmp_path / "lenient.json"
    lenient.write_text(json.dumps(document))
    read = next(i for i in read_dataset_file(lenient).work_items if i.key == "NGX-1")
    assert read.due is not None and read.due.date().isoformat() == "2026-12-01"
    assert read.due.hour == 0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("schema_version"), "missing schema_version"),
        (lambda d: d.update(schema_version=SCHEMA_VERSION + 1), "newer than this leadkit reads"),
        (lambda d: d.update(kind="something-else"), "is not 'leadkit-dataset'"),
        (
            lambda d: d["work_items"][0].update(created="last tuesday"),
            "work_items[0].created: 'last tuesday' is not an ISO 8601 date-time",
        ),
        (
            lambda d: d["work_items"][0].update(status_category="blocked"),
            "work_items[0].status_category: 'blocked' is not one of",
        ),
        (lambda d: d["reviews"][0].update(number="twelve"), "reviews[0].number: expected int"),
        (lambda d: d["reviews"][0].pop("repo"), "reviews[0]: missing field 'repo'"),
        (lambda d: d["people"][0].update(nickname="x"), "people[0]: unknown field 'nickname'"),
        (
            lambda d: d["work_items"][0].update(labels="bug"),
            "work_items[0].labels: expected a list",
        ),
    ],
)
def test_bad_documents_name_the_field(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(DEMO.read_text())
    mutate(document)
    with pytest.raises(DataError) as info:
        dataset_from_json(document, "team.json")
    assert message in str(info.value)
    assert str(info.value).startswith("team.json")


def test_a_bad_value_in_a_file_is_named_with_its_path(tmp_path: Path) -> None:
    document = json.loads(DEMO.read_text())
    document["reviews"][2]["reviews"] = [{"by": "github:x", "state": "lgtm", "at": "2026-11-20"}]
    bad = tmp_path / "team.json"
    bad.write_text(json.dumps(document))
    with pytest.raises(DataError) as info:
        read_dataset_file(bad)
    assert str(info.value).startswith(f"{bad}: reviews[2].reviews[0].state: 'lgtm' is not one of")


def test_a_file_with_lenient_times_reads_as_its_canonical_form(tmp_path: Path) -> None:
    document = json.loads(DEMO.read_text())
    document["window"]["history_start"] = document["window"]["history_start"][:10]  # a date
    first = document["work_items"][0]
    first["created"] = first["created"].replace("Z", "")  # no offset: UTC
    lenient = tmp_path / "lenient.json"
    lenient.write_text(json.dumps(document))
    canonical = read_dataset_file(DEMO)
    read = read_dataset_file(lenient)
    assert read.work_items == canonical.work_items
    assert read.window.history_start == canonical.window.history_start.replace(hour=0, minute=0)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="dataset file not found"):
        read_dataset_file(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(DataError, match="not UTF-8"):
        read_dataset_file(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(DataError, match="expected a JSON object"):
        read_dataset_file(bad)


def test_the_file_sources_pages_meet_the_page_contract_without_a_second_check(
    tmp_path: Path,
) -> None:
    """The file source is trusted (``decoded``) because the decoder gives what the page check
    asks: aware UTC times whatever offset the file wrote, every field of its declared type."""
    from leadkit.builtins.file_source import FileSource
    from leadkit.collect.sources import CollectContext, SourceConfig, SourceStats
    from leadkit.collect.validate import page_problems

    document = json.loads(DEMO.read_text())
    for item in document["work_items"]:
        item["created"] = item["created"].replace("Z", "+05:30")  # another offset
    (tmp_path / "team.json").write_text(json.dumps(document))
    source = SourceConfig("recorded", "file", {"path": "team.json"})
    adapter = FileSource(source, CollectContext(SourceStats("recorded"), config_dir=str(tmp_path)))
    assert adapter.decoded
    canonical = read_dataset_file(DEMO)
    (page,) = adapter.pages(canonical.window)
    assert list(page_problems(page)) == []
    assert all(i.created.utcoffset() == timedelta(0) for i in page.work_items)
    assert [i.created for i in page.work_items] == [
        i.created - timedelta(hours=5, minutes=30) for i in canonical.work_items
    ]


def _bad_files() -> list[tuple[str, Callable[[dict[str, Any]], None], str]]:
    def review_number(d: dict[str, Any]) -> None:
        d["reviews"][0]["number"] = 2**70

    return [
        (
            "version-true",
            lambda d: d.update(schema_version=True),
            "schema_version True is not valid",
        ),
        ("top-level", lambda d: d.update(extra=1), "unknown field 'extra' at the top level"),
        (
            "type",
            lambda d: d["work_items"][0].update(type="story"),
            "work_items[0].type: 'story' is not one of 'feature', 'bug'",
        ),
        ("int64", review_number, "reviews[0].number: 1180591620717411303424 is outside the 64-bit"),
        (
            "surrogate",
            lambda d: d["work_items"][0].update(title="\ud800 lone"),
            "work_items[0].title: has a lone surrogate ('\\ud800') at character 0",
        ),
        (
            "nan",
            lambda d: d["work_items"][0].update(fields={"points": float("nan")}),
            "malformed JSON: NaN is not a JSON number",
        ),
    ]


BAD_FILES = _bad_files()


@pytest.mark.parametrize(("name", "mutate", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_sync_and_report_refuse_what_the_schema_refuses_with_one_line(
    name: str, mutate: Callable[[dict[str, Any]], None], message: str, tmp_path: Path
) -> None:
    """The file source reads by the same rules as `leadkit schema interchange`: one line, exit 2."""
    document = json.loads(DEMO.read_text())
    mutate(document)
    data = tmp_path / "team.json"
    data.write_text(json.dumps(document), encoding="utf-8")  # a lone surrogate as \ud800
    if name != "nan":  # NaN is not JSON: a schema validator never gets to read it
        schema = json.loads(CliRunner().invoke(cli, ["schema", "interchange"]).stdout)
        refused = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
        assert refused or name == "surrogate"  # a lone surrogate is not Unicode text at all
    config = demo_config(tmp_path, data=data)
    for args in (["sync", "--db", str(tmp_path / "s.sqlite")], ["report", "--now", DEMO_NOW]):
        result = CliRunner().invoke(cli, [*args, "--config", str(config)])
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"leadkit: error: {data}: "), line
        assert message in line, line
        assert "internal error" not in line


def test_codeowners_round_trip_through_the_file_and_its_schema(tmp_path: Path) -> None:
    """A dataset's CODEOWNERS (per repository) is written, validated and read back."""
    data = read_dataset_file(DEMO)
    data.code_owners = [
        CodeOwners.parse("github", "acme/app", ".github/CODEOWNERS", "/pipeline/ @jamie\n")
    ]
    document = json.loads(dumps(dataset_to_json(data)))
    assert document["code_owners"] == [
        {
            "source": "github",
            "repo": "acme/app",
            "path": ".github/CODEOWNERS",
            "rules": [{"pattern": "/pipeline/", "owners": ["@jamie"]}],
        }
    ]
    schema = json.loads((Path(leadkit_schemas.__file__).parent / "interchange.json").read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    written = tmp_path / "owned.json"
    written.write_text(dumps(document))
    assert read_dataset_file(written).code_owners == data.code_owners
    assert dataset_from_json(document).code_owners == data.code_owners
    assert "code_owners" not in dataset_to_json(read_dataset_file(DEMO))
