"""Identity merging: config first, then email, then login or name across trackers."""

from __future__ import annotations

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
    assert proposal == '[people.owen]\nname = "Owen Hart"\ngithub = "ohart"\njira = "5b12"'
    settled = parse_config(proposal)
    again = resolve_identities(dataset(), {**CONFIG.people, **settled.people})
    assert not uncertain_matches(again.people)


def test_resolution_is_deterministic() -> None:
    first = resolve_identities(dataset(), CONFIG.people)
    data = dataset()
    data.people.reverse()
    second = resolve_identities(data, CONFIG.people)
    assert first.people == second.people
