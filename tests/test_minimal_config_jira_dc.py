"""Issue 19's people and membership done-when: a Jira Data Center + GitHub Enterprise team with a
minimal config (``[team] lead`` and one ``[people]`` table), through the fake Jira (Server
deployment) and the fake GitHub (an Enterprise ``/api/v3`` base URL) on 127.0.0.1.

Jira DC users come as DC gives them (``name``, ``key``, "Last, First", no ``emailAddress``).

- Jane Doe, the lead: ``jdoe`` on both trackers (the same login);
- José García: "García, José" on Jira, "Jose Garcia" on GitHub (accents, order);
- Kim Lee: "Lee, Kim" on Jira, and two GitHub Enterprise accounts under one name, a work and an
  alias email;
- Priya Shah: "Shah, Priya" on Jira, "priya shah" on GitHub (case);
- Max Moreau, the product manager: reports and comments on the team's items, assigned none;
- Lan Nguyen, support: reports bugs, nothing else;
- Ravi Nair, an SRE, and Otto Kern, another team's engineer: PRs in the team's repository
  (Ravi's four are more than ``min_samples``), none of the team's items;
- Jenkins (on both trackers) and svc-deploy: service accounts; svc-deploy opens release PRs
  and requests reviews, Jenkins comments and moves tickets.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from tests.fakes.fake_github import FakeGitHub, FakePull, FakeRepo
from tests.fakes.fake_jira import CommentSpec, FakeJira, FakeUser, IssueSpec, status_change

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
REPO = "acme/payments"


USERS = [
    # A Data Center user: name and generated key, "Last, First", no email.
    FakeUser(name, display, None, name=name, key=f"JIRAUSER{10100 + n}")
    for n, (name, display) in enumerate(
        [
            ("jdoe", "Doe, Jane"),
            ("jgarcia", "García, José"),
            ("klee", "Lee, Kim"),
            ("pshah", "Shah, Priya"),
            ("mmoreau", "Moreau, Max"),
            ("lnguyen", "Nguyen, Lan"),
            ("jenkins", "Jenkins"),
        ]
    )
]
GITHUB_USERS: dict[str, tuple[str | None, str | None]] = {
    "jdoe": ("Jane Doe", None),
    "jose-garcia": ("Jose Garcia", None),
    "kimlee": ("Kim Lee", "kim@users.acme.example"),
    "klee-corp": ("Kim Lee", "kim.lee@corp.acme.example"),
    "priya-s": ("priya shah", None),
    "ravi-n": ("Ravi Nair", None),
    "otto-k": ("Otto Kern", None),
    "svc-deploy": ("svc-deploy", None),
    "jenkins": ("Jenkins", None),
}
ENGINEERS = {"jgarcia": "jose-garcia", "klee": "kimlee", "pshah": "priya-s"}


def jira_issues() -> list[IssueSpec]:
    issues = []
    n = 0

    def add(**kwargs: Any) -> IssueSpec:
        nonlocal n
        n += 1
        spec = IssueSpec(f"PAY-{n}", kwargs.pop("summary", f"Payments work {n}"), **kwargs)
        issues.append(spec)
        return spec

    # Each engineer: three finished items and one in progress, reported by the PM or support.
    for i, who in enumerate(ENGINEERS):
        for k in range(3):
            start = NOW - (70 - 10 * k - i) * DAY
            add(
                created=start,
                updated=start + 5 * DAY,
                status="Done",
                resolved=start + 5 * DAY,
                assignee=who,
                reporter="mmoreau" if k % 2 else "lnguyen",
                components=["checkout"],
                histories=[
                    status_change(start + DAY, who, "To Do", "In Progress"),
                    status_change(start + 5 * DAY, "jenkins", "In Progress", "Done"),
                ],
                comments=[CommentSpec(start + 2 * DAY, "mmoreau", "Any update for the release?")],
            )
        add(
            created=NOW - 9 * DAY,
            updated=NOW - (1 + i) * DAY,
            status="In Progress",
            assignee=who,
            reporter="mmoreau",
            components=["checkout"],
            histories=[status_change(NOW - 8 * DAY, who, "To Do", "In Progress")],
            comments=[
                CommentSpec(NOW - (2 + i) * DAY, "mmoreau", "How is this going?"),
                CommentSpec(NOW - (1 + i) * DAY, who, "Nearly there."),
            ],
        )
    # The lead's own delegable work, in the engineers' component.
    for k in range(3):
        add(
            summary=f"Checkout retries {k}",
            created=NOW - (20 + k) * DAY,
            updated=NOW - 3 * DAY,
            type="Bug",
            status="To Do",
            assignee="jdoe",
            reporter="lnguyen",
            components=["checkout"],
            comments=[CommentSpec(NOW - 3 * DAY, "jenkins", "Build 1234 failed.")],
        )
    # Support's reports nobody has picked up yet.
    for _ in range(4):
        add(created=NOW - 5 * DAY, type="Bug", status="To Do", reporter="lnguyen")
    return issues


def github_repos() -> list[FakeRepo]:
    pulls = []
    number = 100

    def pull(author: str, days: float, *, is_open: bool = False, **kwargs: Any) -> None:
        """A PR opened ``days`` ago, merged a day later unless ``is_open``."""
        nonlocal number
        number += 1
        created = NOW - days * DAY
        merged = None if is_open else created + DAY
        kwargs.setdefault("files", ["checkout/retry.py"])
        kwargs.setdefault("title", f"Change {number}")
        title = kwargs.pop("title")
        state = "OPEN" if is_open else "MERGED"
        updated = merged or created
        pulls.append(
            FakePull(number, title, author, created, updated, state, merged, merged, **kwargs)
        )

    def approved(days: float) -> list[tuple[str, str, datetime]]:
        return [("jdoe", "APPROVED", NOW - days * DAY)]

    for i, login in enumerate(ENGINEERS.values()):
        for k in range(3):
            pull(login, 41 - 5 * k - i, reviews=approved(40.5 - 5 * k - i))
    pull("klee-corp", 12, reviews=approved(11.5))  # Kim's other account
    for k in range(4):  # the SRE's infrastructure changes
        pull("ravi-n", 30 - 6 * k, files=["deploy/k8s.yaml"], reviews=approved(29.5 - 6 * k))
    pull("otto-k", 15, files=["checkout/api.py"], reviews=approved(14.5))
    for k in range(3):  # release PRs the deploy account opens, asking the lead
        pull(
            "svc-deploy",
            3 + k,
            is_open=True,
            title=f"Release 4.{k}",
            files=["VERSION"],
            requests=[("requested", "jdoe", NOW - (3 + k) * DAY, "svc-deploy")],
        )
    # Jenkins asks the lead to review Priya's open PR.
    pull(
        "priya-s",
        2,
        is_open=True,
        title="PAY-12: checkout retry budget",
        requests=[("requested", "jdoe", NOW - 2 * DAY, "jenkins")],
        comments=[("jenkins", NOW - 2 * DAY, "Build passed.")],
    )
    return [FakeRepo(REPO, pulls=pulls)]


CONFIG = """
[team]
lead = "jdoe"

[people.jdoe]

[[sources]]
type = "jira"
name = "acme-jira"
server = "{jira}"
deployment = "datacenter"
token_env = "JIRA_TOKEN"
projects = ["PAY"]
timezone = "UTC"

[[sources]]
type = "github"
name = "acme-ghe"
base_url = "{github}/api/v3"
repos = ["{repo}"]
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``leadkit report`` and ``leadkit people`` (text and JSON) over both fakes."""
    tmp = tmp_path_factory.mktemp("dc")
    env = {
        "JIRA_TOKEN": "dc-pat-1a2b3c",
        "GITHUB_TOKEN": "ghe-tok-4d5e6f",
        "GITHUB_API_URL": None,
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "LEADKIT_CONFIG": None,
        "LEADKIT_PLUGINS": None,
        "LEADKIT_DISABLE_PLUGINS": None,
    }
    out: dict[str, Any] = {}
    with (
        FakeJira(jira_issues(), USERS, deployment="Server") as jira,
        FakeGitHub(github_repos(), users=GITHUB_USERS) as github,
    ):
        config = tmp / "leadkit.toml"
        config.write_text(
            CONFIG.format(jira=jira.url, github=github.url, repo=REPO), encoding="utf-8"
        )
        base = ["--config", str(config), "--now", NOW.isoformat()]
        for name, args in (
            ("report", ["report", *base, "--format", "json"]),
            ("people", ["people", *base, "--json"]),
            ("people_text", ["people", *base]),
        ):
            result = CliRunner().invoke(cli, args, env=env)
            assert result.exit_code == 0, result.output
            out[name] = result.stdout
    return out


def _by_name(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in doc["people"]}


def test_each_human_is_one_person(runs: dict[str, Any]) -> None:
    people = json.loads(runs["people"])
    names = [p["name"] for p in people["people"]]
    assert len(names) == len(set(names)), names
    by_name = _by_name(people)

    def accounts(name: str) -> set[str]:
        return {a["account"] for a in by_name[name]["accounts"]}

    assert accounts("Jane Doe") == {"jira:jdoe", "github:jdoe"}  # the same login
    assert accounts("Jose Garcia") == {"jira:jgarcia", "github:jose-garcia"}  # "García, José"
    assert accounts("Kim Lee") == {"jira:klee", "github:kimlee", "github:klee-corp"}
    assert accounts("Priya Shah") == {"jira:pshah", "github:priya-s"}  # "priya shah"
    methods = {a["account"]: a["method"] for p in people["people"] for a in p["accounts"]}
    assert methods["github:klee-corp"] == "alias"
    assert methods["github:jose-garcia"] in {"name", "source"}
    assert len(names) == 8  # the lead, three engineers, the PM, support, the SRE, Otto


def test_members_are_the_people_assigned_the_team_s_items(runs: dict[str, Any]) -> None:
    report = json.loads(runs["report"])
    names = {p["id"]: p["name"] for p in report["people"]}
    (team,) = report["teams"]
    assert names[team["lead"]] == "Jane Doe"
    assert sorted(names[m] for m in team["members"]) == ["Jose Garcia", "Kim Lee", "Priya Shah"]


def test_no_bot_is_ever_suggested(runs: dict[str, Any]) -> None:
    report = json.loads(runs["report"])
    people = json.loads(runs["people"])
    bots = {b["id"] for b in people["bots"]}
    assert {b["name"] for b in people["bots"]} == {"Jenkins", "svc-deploy"}
    suggested = {s["to"] for s in report["suggestions"]}
    assert suggested, "the lead's checkout bugs should be offered to someone"
    assert not suggested & bots
    assert not {a.get("person") for a in report["actions"]} & bots
    (team,) = report["teams"]
    outsiders = {p["id"] for p in people["people"] if p["role"] is None}
    assert suggested <= set(team["members"]) and not suggested & outsiders


def test_leadkit_people_says_who_was_taken_and_why_and_how_to_add(runs: dict[str, Any]) -> None:
    people = json.loads(runs["people"])
    (team,) = people["teams"]
    assert team["rule"] == "assigned"
    ids = {p["name"]: p["id"] for p in people["people"]}
    why = {w["person"]: w["detail"] for w in [*team["members"], *team["left_out"]]}
    assert why[ids["Kim Lee"]] == "assigned 4 of the team's items in the last 90 days"
    assert why[ids["Max Moreau"]] == (
        "only commented 12 times, reported 6 items in the last 90 days: "
        "never assigned the team's items"
    )
    assert why[ids["Lan Nguyen"]] == (
        "only reported 13 items in the last 90 days: never assigned the team's items"
    )
    assert why[ids["Ravi Nair"]] == (
        "authored 4 PRs in the team's repositories in the last 90 days "
        "but holds none of the team's items"
    )
    assert {w["reason"] for w in team["left_out"]} == {"not_member"}
    members = sorted(w["person"] for w in team["members"])
    assert team["add_member"] == f"members = {json.dumps([*members, 'PERSON-ID'])}"
    text = runs["people_text"]
    assert "whoever was assigned at least min_samples of the team's items" in text
    assert "    not member  Ravi Nair (ravi-nair): authored 4 PRs" in text
    assert "To add someone the rule left out" in text
    _, bots = text.split("Bots and service accounts")
    assert "Jenkins (github:jenkins, jira:jenkins): 'jenkins' is a known automation account" in bots
    assert "svc-deploy (github:svc-deploy): 'svc-deploy' is named like a service account" in bots
