"""Shared fixtures for the leadkit-jira tests: recorded data, a faked clock, adapters."""

from __future__ import annotations

import ast
import csv
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from leadkit_jira.adapter import JiraSource

from leadkit.collect.sources import CollectContext, SourceConfig, SourceStats
from leadkit.model.data import Window

DATA = Path(__file__).parent / "data"
SERVER = "https://acme.atlassian.net"
DC_SERVER = "https://jira.acme.example"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ENV = {"JIRA_EMAIL": "lead@acme.example", "JIRA_TOKEN": "tok-3f9c1d2e7a8b"}


def devlake_rows(name: str) -> list[dict[str, Any]]:
    """The JSON records of one DevLake raw-table CSV."""
    csv.field_size_limit(10**8)
    with (DATA / "devlake-raw" / name).open(newline="", encoding="utf-8") as handle:
        return [json.loads(row["data"]) for row in csv.DictReader(handle)]


def atlassian_response(name: str) -> Any:
    """A recorded body from atlassian-python-api (``responses[None] = {...}``)."""
    text = (DATA / "atlassian-python-api" / name).read_text(encoding="utf-8")
    literal = text.split("=", 1)[1]
    literal = literal.replace("true", "True").replace("false", "False").replace("null", "None")
    return ast.literal_eval(literal.strip())


class FakeClock:
    """Records sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    @property
    def total(self) -> float:
        return sum(self.sleeps)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window() -> Window:
    return Window(start=NOW - timedelta(days=28), end=NOW, history_start=NOW - timedelta(days=90))


MakeSource = Callable[..., JiraSource]


@pytest.fixture
def make_source(clock: FakeClock) -> MakeSource:
    """``make_source(**options)``: a JiraSource with a faked clock and a fresh stats counter."""

    def make(
        name: str = "jira", environ: dict[str, str] | None = None, **options: Any
    ) -> JiraSource:
        options.setdefault("server", SERVER)
        options.setdefault("projects", ["PIPE"])
        options.setdefault("deployment", "cloud")
        if options["deployment"] == "cloud":
            options.setdefault("email_env", "JIRA_EMAIL")
        context = CollectContext(
            stats=SourceStats(name), environ=ENV if environ is None else environ, sleep=clock
        )
        source = JiraSource.configured(SourceConfig(name=name, type="jira", options=options))
        return JiraSource(source, context)

    return make


def jira_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def user(account_id: str, name: str, email: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"accountId": account_id, "displayName": name, "active": True}
    if email:
        out["emailAddress"] = email
    return out


def issue(
    key: str,
    *,
    updated: datetime = NOW - timedelta(days=1),
    histories: list[dict[str, Any]] | None = None,
    changelog_total: int | None = None,
    comments: list[dict[str, Any]] | None = None,
    comment_total: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A search-result issue shaped like Jira's REST v2 answer (built, not recorded)."""
    body: dict[str, Any] = {
        "summary": f"Summary of {key}",
        "issuetype": {"id": "10002", "name": "Task"},
        "status": {
            "id": "3",
            "name": "In Progress",
            "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress"},
        },
        "assignee": user("acc-jamie", "Jamie Lead", "jamie@acme.example"),
        "reporter": user("acc-owen", "Owen Dev"),
        "created": jira_time(updated - timedelta(days=10)),
        "updated": jira_time(updated),
        "resolutiondate": None,
        "labels": [],
        "components": [],
        "issuelinks": [],
    }
    comments = comments or []
    body["comment"] = {
        "comments": comments,
        "total": len(comments) if comment_total is None else comment_total,
        "maxResults": len(comments),
        "startAt": 0,
    }
    body.update(fields)
    histories = histories or []
    return {
        "id": str(abs(hash(key)) % 100000),
        "key": key,
        "fields": body,
        "changelog": {
            "startAt": 0,
            "maxResults": len(histories),
            "total": len(histories) if changelog_total is None else changelog_total,
            "histories": histories,
        },
    }


def history(
    hid: str, at: datetime, author: dict[str, Any] | None, *items: dict[str, Any]
) -> dict[str, Any]:
    return {"id": hid, "author": author, "created": jira_time(at), "items": list(items)}


def status_item(old: str, new: str, old_id: str = "1", new_id: str = "3") -> dict[str, Any]:
    return {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": old_id,
        "fromString": old,
        "to": new_id,
        "toString": new,
    }


def assignee_item(old: str | None, old_name: str | None, new: str | None, new_name: str | None):
    return {
        "field": "assignee",
        "fieldtype": "jira",
        "fieldId": "assignee",
        "from": old,
        "fromString": old_name,
        "to": new,
        "toString": new_name,
    }


class Payloads:
    """Builders for Jira JSON, as a fixture (test modules cannot import conftest)."""

    NOW = NOW
    SERVER = SERVER
    DC_SERVER = DC_SERVER
    ENV = ENV
    issue = staticmethod(issue)
    history = staticmethod(history)
    user = staticmethod(user)
    status_item = staticmethod(status_item)
    assignee_item = staticmethod(assignee_item)
    jira_time = staticmethod(jira_time)
    devlake_rows = staticmethod(devlake_rows)
    atlassian_response = staticmethod(atlassian_response)


@pytest.fixture
def jp() -> type[Payloads]:
    return Payloads
