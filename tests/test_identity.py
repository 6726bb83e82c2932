"""Identity merging: config first, then email, then login or name across trackers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from leadkit.collect.identity import proposed_config, resolve_identities, uncertain_matches
from leadkit.config import parse_config
from leadkit.model.data import (
    Account,
    Comment,
    Dataset,
    Person,
    Review,
    ReviewRequest,
    Window,
    WorkItem,
)

NOW = datetime(2026, 11, 20, tzinfo=UTC)
WINDOW = Window(
    start=datetime(2026, 10, 23, tzinfo=UTC),
    end=NOW,
    history_start=datetime(2026, 8, 22, tzinfo=UTC),
)


def account(
    tracker: str,
    ident: str,
    name: str | None = None,
    email: str | None = None,
    login: str | None = None,
) -> Person:
    acc = Account(tracker, ident, name, email, login)
    return Person(acc.key, name or ident, (email,) if email else (), (acc,))


def dataset() -> Dataset:
    people = [
        account("github", "jrivera", "Jamie R.", login="jrivera"),
        account("jira", "5b10", "Jamie Rivera", "jamie@example.com"),
        account("github", "tommy-l", "tommy-l", "tommy@example.com", login="tommy-l"),
        account("jira", "5b11", "Tommy Lindqvist", "Tommy@Example.com"),
        account("jira", "5b12", "Owen Hart"),
        account("github", "ohart", "Owen Hart", login="ohart"),
        account("github", "priya", "Priya", login="priya"),
        account("jira", "5b13", "Sam Okafor"),
    ]
    item = WorkItem(
        source="jira",
        key="A-1",
        title="t",
        type="task",
        status="Open",
        status_category="todo",
        created=NOW,
        updated=NOW,
        assignee="jira:5b12",
        reporter="jira:5b13",
        comments=(Comment(by="jira:5b10", at=NOW, mentions=("jira:5b12", "jira:9999")),),
    )
    review = Review(
        source="github",
        repo="o/r",
        number=1,
        title="pr",
        created=NOW,
        updated=NOW,
        author="github:ohart",
        review_requests=(ReviewRequest("github:jrivera", NOW),),
    )
    return Dataset(window=WINDOW, people=people, work_items=[item], reviews=[review])


CONFIG = parse_config(
    """
[people.jamie]
name = "Jamie Rivera"
github = "jrivera"
jira = "jamie@example.com"

[people.tommy]
email = "tommy@example.com"

[people.owen]
name = "Owen Hart"
"""
)


def test_merging_and_methods() -> None:
    resolved = resolve_identities(dataset(), CONFIG.people)
    people = {p.id: p for p in resolved.people}
    assert {a.key for a in people["jamie"].accounts} == {"github:jrivera", "jira:5b10"}
    assert {m.method for m in people["jamie"].matches} == {"config"}
    tommy = {m.account: (m.method, m.confidence) for m in people["tommy"].matches}
    assert tommy == {"github:tommy-l": ("email", 0.95), "jira:5b11": ("email", 0.95)}
    owen = {m.account: m.method for m in people["owen"].matches}
    assert owen == {"jira:5b12": "name", "github:ohart": "name"}
    assert people["sam-okafor"].matches[0].method == "unmatched"
    assert people["priya"].accounts[0].key == "github:priya"


def test_references_are_rewritten_to_person_ids() -> None:
    resolved = resolve_identities(dataset(), CONFIG.people)
    item = resolved.work_items[0]
    assert (item.assignee, item.reporter) == ("owen", "sam-okafor")
    assert item.comments[0].by == "jamie"
    assert item.comments[0].mentions[0] == "owen"
    # An account referenced but never listed still becomes a person.
    assert any(p.id == "jira:9999" for p in resolved.people)
    review = resolved.reviews[0]
    assert (review.author, review.review_requests[0].reviewer) == ("owen", "jamie")


def test_same_name_on_one_tracker_is_not_merged() -> None:
    data = Dataset(
        window=WINDOW,
        people=[
            account("github", "alex1", "Alex Kim", login="alex1"),
            account("github", "alex2", "Alex Kim", login="alex2"),
        ],
    )
    resolved = resolve_identities(data, {})
    assert len(resolved.people) == 2


def test_uncertain_matches_get_proposed_config_lines() -> None:
    resolved = resolve_identities(dataset(), CONFIG.people)
    uncertain = {(p.id, m.account) for p, m in uncertain_matches(resolved.people)}
    assert uncertain == {("owen", "jira:5b12"), ("owen", "github:ohart")}
    proposal = proposed_config(resolved.people)
    assert proposal == (
        '[people.owen]\nname = "Owen Hart"\ngithub = "ohart"\njira = "5b12"\n'
        "# or, if these are different people:\n"
        '# [people.owen]\n# name = "Owen Hart"\n# github = "ohart"\n'
        '# [people.owen-2]\n# name = "Owen Hart"\n# jira = "5b12"'
    )
    settled = parse_config(proposal)
    again = resolve_identities(dataset(), {**CONFIG.people, **settled.people})
    assert not uncertain_matches(again.people)


def test_resolution_is_deterministic() -> None:
    first = resolve_identities(dataset(), CONFIG.people)
    data = dataset()
    data.people.reverse()
    second = resolve_identities(data, CONFIG.people)
    assert first.people == second.people


# -- shapes of the real trackers ------------------------------------------------------


def jira_dc(name: str, display: str) -> Person:
    """A Jira Data Center user as leadkit-jira reads one: ``name`` is the login, no email."""
    acc = Account("jira", name, display, None, name)
    return Person(acc.key, display, (), (acc,))


def test_minimal_config_across_jira_dc_and_github_keeps_each_human_once() -> None:
    """Same login on both trackers; "Last, First" against "First Last"; accents and case."""
    data = Dataset(
        window=WINDOW,
        people=[
            jira_dc("jdoe", "Doe, Jane"),
            account("github", "jdoe", "Jane Doe", login="jdoe"),
            jira_dc("mgarcia", "García, José"),
            account("github", "jose-g", "Jose Garcia", login="jose-g"),
            jira_dc("k.lee", "LEE, KIM (Contractor)"),
            account("github", "kimlee", "kim lee", login="kimlee"),
            jira_dc("pm.sam", "Okafor, Sam"),
        ],
    )
    resolved = resolve_identities(
        data, parse_config('[team]\nlead = "jdoe"\n[people.jdoe]\n').people
    )
    people = {p.id: p for p in resolved.people}
    by_accounts = {tuple(sorted(a.key for a in p.accounts)): p for p in resolved.people}
    jane = people["jdoe"]
    assert {a.key for a in jane.accounts} == {"jira:jdoe", "github:jdoe"}
    assert {m.method for m in jane.matches} == {"login"}
    jose = by_accounts[("github:jose-g", "jira:mgarcia")]
    assert jose.name == "Jose Garcia"  # "First Last" is preferred to "Last, First"
    # The first account is the person's own; the other joined it by name, to be confirmed.
    assert {(m.method, m.confidence) for m in jose.matches} == {("source", 1.0), ("name", 0.6)}
    kim = by_accounts[("github:kimlee", "jira:k.lee")]
    assert {m.method for m in kim.matches} == {"source", "name"}
    assert people["sam-okafor"].name == "Sam Okafor"  # "Okafor, Sam", written first-last
    assert people["kim-lee"].name == "KIM LEE (Contractor)"  # before the lower-case "kim lee"
    assert len(resolved.people) == 4


def test_a_work_and_an_alias_email_under_one_name_on_one_tracker_are_one_person() -> None:
    """Gerrit-reviewed history read from git: accounts are emails."""

    def gerrit(email: str, name: str) -> Person:
        acc = Account("gerrit", email, name, email, email.split("@")[0])
        return Person(acc.key, name, (email,), (acc,))

    data = Dataset(
        window=WINDOW,
        people=[
            gerrit("u14877@google.com", "Vera Garcia"),
            gerrit("u14877@golang.org", "Vera Garcia"),
            gerrit("u63636@google.com", "Ida Novak"),
            gerrit("u60325@golang.org", "ida novák"),
            gerrit("u1@example.org", "Ada"),  # one word: too thin to merge on
            gerrit("u2@example.org", "Ada"),
        ],
    )
    resolved = resolve_identities(data, {})
    groups = sorted(tuple(sorted(a.id for a in p.accounts)) for p in resolved.people)
    assert groups == [
        ("u14877@golang.org", "u14877@google.com"),
        ("u1@example.org",),
        ("u2@example.org",),
        ("u60325@golang.org", "u63636@google.com"),
    ]
    ida = next(p for p in resolved.people if p.name == "Ida Novak")
    assert {(m.method, m.confidence) for m in ida.matches} <= {("alias", 0.5), ("source", 1.0)}
    assert ("alias", 0.5) in {(m.method, m.confidence) for m in ida.matches}
    # Confirm or split: the proposal carries both.
    proposal = proposed_config(resolved.people)
    assert '[people.ida-novak]\nname = "Ida Novak"\ngerrit = [' in proposal
    assert "# [people.ida-novak-2]" in proposal


def test_the_real_gerrit_history_merges_exactly_its_two_aliased_people() -> None:
    """golang.org/x/net's history (tests/data/real-history): two people with two emails each."""
    from pathlib import Path

    from leadkit.model.interchange import dataset_from_json

    folder = Path(__file__).resolve().parent / "data" / "real-history"
    data = dataset_from_json(json.loads((folder / "golang-net.json").read_text(encoding="utf-8")))
    facts = json.loads((folder / "golang-net.facts.json").read_text(encoding="utf-8"))
    resolved = resolve_identities(data, {})
    merged = sorted(
        sorted(a.key for a in p.accounts) for p in resolved.people if len(p.accounts) > 1
    )
    assert merged == sorted(sorted(pair) for pair in facts["people_with_two_emails_under_one_name"])
    assert len(resolved.people) == len(data.people) - 2
    # Its one bot (the tracker says so) stays apart.
    assert [p.name for p in resolved.people if p.is_automation] == ["Ned Tanaka"]


def test_a_bot_never_merges_with_a_human_of_the_same_name() -> None:
    data = Dataset(
        window=WINDOW,
        people=[
            jira_dc("jenkins", "Jenkins"),
            account("github", "jenkins", "Jenkins", login="jenkins"),
            jira_dc("mjenkins", "Jenkins, Mary"),
            account("github", "mary-j", "Mary Jenkins", login="mary-j"),
        ],
    )
    resolved = resolve_identities(data, {})
    groups = sorted(tuple(sorted(a.key for a in p.accounts)) for p in resolved.people)
    assert groups == [("github:jenkins", "jira:jenkins"), ("github:mary-j", "jira:mjenkins")]
    bots = {p.name for p in resolved.people if p.is_automation}
    assert bots == {"Jenkins"}
