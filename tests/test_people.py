"""People across trackers with a minimal config: one human is one person, and never their own colleague.

The dataset is what the GitHub and Jira adapters hand over: one person per
account, keyed by account key, with no ``[people]`` table to merge them.
Jamie has a GitHub login and a Jira Cloud account with the same email; Tommy's
GitHub login was renamed (older PRs carry the old login, same email); Owen's
and Priya's Jira emails are hidden, so only their display names match; an
outside contributor matches nobody; a bot on each tracker.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.model.data import (
    Account,
    Comment,
    Dataset,
    Person,
    Review,
    ReviewRequest,
    ReviewSubmission,
    Transition,
    Window,
    WorkItem,
)
from leadkit.model.interchange import dataset_to_json, dumps
from leadkit.testing import NOW, ago

FILE_SOURCE = '\n[[sources]]\ntype = "file"\nname = "trackers"\npath = "team.json"\n'


def account(
    tracker: str,
    ident: str,
    name: str,
    email: str | None = None,
    login: str | None = None,
    bot: bool = False,
) -> Person:
    acc = Account(tracker, ident, name, email, login, bot)
    return Person(acc.key, name, (email,) if email else (), (acc,))


def item(
    key: str,
    assignee: str,
    title: str,
    *,
    raw_type: str = "Task",
    type: str = "task",
    status: str = "In Progress",
    created: float = 40,
    moved: float | None = None,
    by: str | None = None,
    comments: tuple[Comment, ...] = (),
) -> WorkItem:
    transitions = ()
    if moved is not None:
        transitions = (Transition(ago(moved), status, "To Do", by or assignee, "in_progress"),)
    updated = max([ago(created), *(t.at for t in transitions), *(c.at for c in comments)])
    return WorkItem(
        source="jira",
        key=key,
        title=title,
        type=type,
        raw_type=raw_type,
        status=status,
        status_category="in_progress" if status != "To Do" else "todo",
        created=ago(created),
        updated=updated,
        url=f"https://acme.atlassian.net/browse/{key}",
        assignee=assignee,
        reporter=assignee,
        components=("pipeline",),
        transitions=transitions,
        comments=comments,
    )


def pr(
    number: int,
    author: str,
    *,
    days: float,
    merged: float | None = None,
    reviewer: str | None = None,
    waiting_on: str | None = None,
    paths: tuple[str, ...] = ("services/pipeline/runner/stage.py",),
) -> Review:
    created = ago(days)
    requests = (ReviewRequest(waiting_on, created, by=author),) if waiting_on else ()
    reviews = ()
    if reviewer and merged is not None:
        reviews = (ReviewSubmission(reviewer, "approved", ago(merged) - timedelta(hours=1)),)
    return Review(
        source="github",
        repo="acme/dataflow",
        number=number,
        title=f"Change {number}",
        created=created,
        updated=ago(merged) if merged is not None else created,
        url=f"https://github.com/acme/dataflow/pull/{number}",
        author=author,
        merged=ago(merged) if merged is not None else None,
        closed=ago(merged) if merged is not None else None,
        review_requests=requests,
        reviews=reviews,
        paths=paths,
    )


def dataset() -> Dataset:
    people = [
        account("github", "jamie", "Jamie Rivera", "jamie@acme.io", login="jamie"),
        account("jira", "5b10ac8d", "Jamie Rivera", "jamie@acme.io"),
        account("github", "ohart", "Owen Hart", login="ohart"),
        account("jira", "5b10ac90", "Owen Hart"),
        account("github", "tlind", "Tommy Lindqvist", "tommy@acme.io", login="tlind"),
        account("github", "tlindqvist", "tlindqvist", "tommy@acme.io", login="tlindqvist"),
        account("jira", "5b10ac91", "Tommy Lindqvist", "tommy@acme.io"),
        account("github", "priya-s", "Priya Shah", login="priya-s"),
        account("jira", "5b10ac92", "Priya Shah"),
        account("github", "kdev", "Kim Devereux", login="kdev"),  # an outside contributor
        account("github", "dependabot", "dependabot", login="dependabot", bot=True),
        account("jira", "557058:f5", "Automation for Jira", bot=True),
    ]
    jamie_gh, jamie_j = "github:jamie", "jira:5b10ac8d"
    work_items = [
        # Jamie's own work, in Jira: quiet for ten days, and a delegable bug.
        item("PIPE-300", jamie_j, "Multi-stage pipeline runner", created=30, moved=10),
        item(
            "PIPE-305",
            jamie_j,
            "Flaky stage timeout test",
            raw_type="Bug",
            type="bug",
            status="To Do",
            created=6,
        ),
        # Tommy's streaming work: quiet, no contact with Jamie.
        item("DATA-88", "jira:5b10ac91", "Kafka consumer rebalancing", created=45, moved=11),
        # Owen's and Priya's work, with Jamie in the conversation.
        item(
            "PIPE-310",
            "jira:5b10ac90",
            "Stage output compaction",
            moved=12,
            comments=(Comment(jamie_j, ago(1)), Comment("jira:5b10ac90", ago(0.5))),
        ),
        item(
            "DATA-90",
            "jira:5b10ac92",
            "Schema registry client",
            moved=8,
            comments=(Comment("jira:557058:f5", ago(7)), Comment(jamie_j, ago(2))),
        ),
    ]
    # Finished work: each member was assigned three of the team's items in the history window.
    for n, who in enumerate(["jira:5b10ac90", "jira:5b10ac91", "jira:5b10ac92"] * 2):
        done = item(f"PIPE-2{n:02d}", who, f"Finished work {n}", created=60 - n, moved=40 - n)
        work_items.append(
            replace(done, status="Done", status_category="done", resolved=ago(40 - n))
        )
    reviews = [
        pr(140, "github:tlindqvist", days=70, merged=69, reviewer=jamie_gh),  # before the rename
        pr(141, "github:ohart", days=2, waiting_on=jamie_gh),
        pr(142, "github:priya-s", days=1, waiting_on=jamie_gh),
        pr(143, "github:kdev", days=3, merged=2, reviewer=jamie_gh),
        pr(144, "github:dependabot", days=6, waiting_on=jamie_gh),
        pr(145, "github:ohart", days=9, merged=8, reviewer="github:priya-s"),
        pr(146, "github:priya-s", days=9, merged=7, reviewer="github:ohart"),
    ]
    window = Window(start=ago(28), end=NOW, history_start=ago(90))
    return Dataset(
        window=window, people=people, work_items=work_items, reviews=reviews, sources=["trackers"]
    )


def report(tmp_path: Path, config: str, *args: str) -> dict:
    (tmp_path / "team.json").write_text(dumps(dataset_to_json(dataset())), encoding="utf-8")
    path = tmp_path / "leadkit.toml"
    path.write_text(config + FILE_SOURCE, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["report", "--config", str(path), "--now", NOW.isoformat(), "--format", "json", *args],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


MINIMAL = '[team]\nlead = "jamie"\n\n[people.jamie]\n'
AS_ACCOUNT = '[team]\nlead = "jamie"\nmembers = ["github:ohart", "jira:5b10ac91", "github:priya-s"]\n\n[people.jamie]\ngithub = "jamie"\n'
"""The lead given by one account only; members by account keys, as `leadkit people` lists them."""


@pytest.mark.parametrize("config", [MINIMAL, AS_ACCOUNT], ids=["lead-only", "lead-as-account"])
def test_a_minimal_config_lists_each_human_once(tmp_path: Path, config: str) -> None:
    doc = report(tmp_path, config)
    people = {p["id"]: p for p in doc["people"]}
    names = [p["name"] for p in doc["people"]]
    assert len(names) == len(set(names)), names
    (team,) = doc["teams"]
    lead = team["lead"]
    assert people[lead]["name"] == "Jamie Rivera"
    assert people[lead]["accounts"] == {"github": ["jamie"], "jira": ["5b10ac8d"]}
    by_name = {p["name"]: p for p in doc["people"]}
    # Merged by email, also across the renamed GitHub login.
    assert by_name["Tommy Lindqvist"]["accounts"] == {
        "github": ["tlind", "tlindqvist"],
        "jira": ["5b10ac91"],
    }
    # Merged by display name across trackers (Jira hides their emails).
    assert by_name["Owen Hart"]["accounts"] == {"github": ["ohart"], "jira": ["5b10ac90"]}
    assert by_name["Priya Shah"]["accounts"] == {"github": ["priya-s"], "jira": ["5b10ac92"]}
    # The outside contributor (a merged PR in the team's repository, none of its items) is
    # not a member, so not in the report (leadkit people says why: see below).
    assert "Kim Devereux" not in by_name
    members = {people[m]["name"] for m in team["members"]}
    assert members == {"Owen Hart", "Tommy Lindqvist", "Priya Shah"}
    assert not {"dependabot", "Automation for Jira"} & set(names)


@pytest.mark.parametrize("config", [MINIMAL, AS_ACCOUNT], ids=["lead-only", "lead-as-account"])
def test_the_lead_is_never_told_to_check_in_with_themself(tmp_path: Path, config: str) -> None:
    doc = report(tmp_path, config)
    lead = doc["teams"][0]["lead"]
    tommy = next(p["id"] for p in doc["people"] if p["name"] == "Tommy Lindqvist")
    quiet = [f for f in doc["findings"] if f["kind"] == "quiet-work"]
    # Jamie's own PIPE-300 is as quiet as Tommy's DATA-88, but Jamie is the lead.
    assert [f["people"] for f in quiet] == [[tommy]]
    assert [q["item"] for q in quiet[0]["metrics"]["quiet"]] == ["DATA-88"]
    assert all(s["to"] != lead for s in doc["suggestions"])
    assert all(a.get("person") != lead for a in doc["actions"])
    queue = next(f for f in doc["findings"] if f["kind"] == "review-queue")
    assert [i["number"] for i in queue["items"]] == [141, 142]
    assert queue["metrics"]["bot_prs_waiting"] == 1


def test_merges_carry_their_method_and_confidence(tmp_path: Path) -> None:
    (tmp_path / "team.json").write_text(dumps(dataset_to_json(dataset())), encoding="utf-8")
    path = tmp_path / "leadkit.toml"
    path.write_text(MINIMAL + FILE_SOURCE, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["export", "--config", str(path), "--resolved", "--output", str(tmp_path / "o.json")]
    )
    assert result.exit_code == 0, result.output
    people = {
        p["id"]: p for p in json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["people"]
    }
    methods = {
        pid: {m["account"]: (m["method"], m["confidence"]) for m in p.get("matches", [])}
        for pid, p in people.items()
    }
    assert methods["jamie"] == {
        "github:jamie": ("login", 0.7),
        "jira:5b10ac8d": ("login", 0.7),
    }
    assert methods["tommy-lindqvist"]["github:tlindqvist"] == ("email", 0.95)
    assert methods["tommy-lindqvist"]["jira:5b10ac91"] == ("email", 0.95)
    assert methods["owen-hart"]["jira:5b10ac90"] == ("name", 0.6)
    assert methods["kim-devereux"] == {"github:kdev": ("unmatched", 1.0)}


@pytest.mark.parametrize("command", [["report"], ["config", "check"]])
def test_one_account_claimed_by_two_people_is_an_error_naming_both(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "leadkit.toml"
    path.write_text(
        '[team]\nlead = "jamie"\n\n[people.jamie]\ngithub = "jamie"\njira = "5b10ac8d"\n\n'
        '[people.jrivera]\nname = "J. Rivera"\njira = "5B10AC8D"\n' + FILE_SOURCE,
        encoding="utf-8",
    )
    (tmp_path / "team.json").write_text(dumps(dataset_to_json(dataset())), encoding="utf-8")
    result = CliRunner().invoke(cli, [*command, "--config", str(path)])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert "people.jrivera" in line and "people.jamie" in line and "5B10AC8D" in line
    assert "line 10:" in line and "Traceback" not in result.output


def test_leadkit_people_lists_bots_apart_with_why(tmp_path: Path) -> None:
    (tmp_path / "team.json").write_text(dumps(dataset_to_json(dataset())), encoding="utf-8")
    path = tmp_path / "leadkit.toml"
    path.write_text(
        MINIMAL + '\n[analysis]\nignore_users = ["kdev"]\n' + FILE_SOURCE, encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["people", "--config", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    bots = {b["name"]: b["reason"] for b in doc["bots"]}
    assert bots == {
        "dependabot": "the tracker marks it as a bot or app",
        "Automation for Jira": "the tracker marks it as a bot or app",
        "Kim Devereux": "listed in [analysis] ignore_users",
    }
    assert not set(bots) & {p["name"] for p in doc["people"]}
    text = CliRunner().invoke(cli, ["people", "--config", str(path)]).stdout
    people_part, bots_part = text.split("Bots and service accounts")
    assert "dependabot" not in people_part and "Automation for Jira" not in people_part
    assert (
        "    Automation for Jira (jira:557058:f5): the tracker marks it as a bot or app"
        in bots_part
    )
    assert "[analysis] ignore_users" in bots_part
