"""The helpers adapters share from ``leadkit.api``: ``Touched`` and ``create_once``."""

from __future__ import annotations

import pytest

from leadkit.api import (
    Account,
    HostComment,
    MaybeDone,
    Person,
    SourceError,
    Touched,
    account_key,
    create_once,
)


def _person(login: str, *, bot: bool = False) -> Person:
    key = account_key("github", login)
    account = Account(tracker="github", id=login, login=login, bot=bot)
    return Person(id=key, name=login, accounts=(account,))


def test_touched_hands_each_page_only_the_people_it_referred_to() -> None:
    registry = {p.id: p for p in map(_person, ["priya", "owen-k", "tommy.w"])}
    registry["github:dependabot"] = _person("dependabot", bot=True)
    asked: list[set[str]] = []

    def people(keys: set[str]) -> list[Person]:
        asked.append(set(keys))
        return [registry[k] for k in sorted(keys) if k in registry]

    touched = Touched(people)
    assert touched.add("github:tommy.w") == "github:tommy.w"
    assert touched.add(None) is None  # a deleted ("ghost") account: nobody to list
    touched.add("github:dependabot")
    touched.add("github:tommy.w")
    touched.add("github:renamed-away")  # not in the registry: left out, not an error
    first = touched.take()
    assert [p.id for p in first] == ["github:dependabot", "github:tommy.w"]
    assert first[0].accounts[0].bot

    touched.add("github:priya")
    assert [p.id for p in touched.take()] == ["github:priya"]  # the first page's are gone
    assert touched.take() == []
    assert asked[0] == {"github:dependabot", "github:tommy.w", "github:renamed-away"}


class _Host:
    """A PR's comments as a code host keeps them; ``post`` may fail after or before saving."""

    def __init__(self, failures: list[str]) -> None:
        self.comments: list[HostComment] = [HostComment(1, "LGTM", "priya")]
        self.failures = failures  # "after": saved, then the reply lost; "before": not saved
        self.posts = 0
        self.finds = 0

    def post(self) -> HostComment:
        self.posts += 1
        failure = self.failures.pop(0) if self.failures else ""
        if failure == "before":
            raise MaybeDone("source 'gh': 502 Bad Gateway for a comment on org/repo#7")
        comment = HostComment(len(self.comments) + 1, "<!-- leadkit -->\nreport", "leadkit-bot")
        self.comments.append(comment)
        if failure == "after":
            raise MaybeDone("source 'gh': read timed out for a comment on org/repo#7")
        return comment

    def find(self) -> HostComment | None:
        self.finds += 1
        mine = (c for c in self.comments if c.author == "leadkit-bot" and "leadkit" in c.body)
        return next(mine, None)


@pytest.mark.parametrize(
    ("failures", "posts", "finds"),
    [([], 1, 0), (["after"], 1, 1), (["before"], 2, 1)],
)
def test_create_once_posts_one_comment_whatever_the_first_try_did(
    failures: list[str], posts: int, finds: int
) -> None:
    host = _Host(failures)
    made = create_once(host.post, host.find)
    assert [c.author for c in host.comments] == ["priya", "leadkit-bot"]
    assert made == host.comments[-1]
    assert (host.posts, host.finds) == (posts, finds)


def test_create_once_does_not_retry_a_clear_failure_or_a_second_unclear_one() -> None:
    host = _Host(["before", "before"])
    with pytest.raises(MaybeDone):
        create_once(host.post, host.find)
    assert (host.posts, host.finds, len(host.comments)) == (2, 1, 1)

    def refused() -> HostComment:
        raise SourceError("source 'gh': 403 Forbidden for a comment on org/repo#7")

    looked: list[int] = []

    def find() -> HostComment | None:
        looked.append(1)
        return None

    with pytest.raises(SourceError, match="403"):
        create_once(refused, find)
    assert looked == []
