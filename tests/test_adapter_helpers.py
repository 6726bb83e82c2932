"""The helpers adapters share from ``leadkit.api``: ``Touched``, ``create_once``, due dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leadkit.api import (
    Account,
    Due,
    HostComment,
    MaybeDone,
    Person,
    SourceError,
    Touched,
    account_key,
    create_once,
    due_at,
    earliest_due,
    parse_datetime,
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


@pytest.mark.parametrize(
    "sent",
    [
        "2026-12-01",  # Jira duedate and releaseDate, GitLab due_date
        "2026-12-01T08:00:00Z",  # GitHub dueOn in winter: the day's start in US Pacific time
        "2026-12-01T07:00:00Z",  # ... and in summer time
    ],
)
def test_a_due_day_is_held_as_its_end_in_utc(sent: str) -> None:
    due = due_at(parse_datetime(sent))
    assert due == datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC)
    assert due.date().isoformat() == "2026-12-01"  # the day the tracker shows


def test_the_earliest_due_date_wins_and_the_first_given_wins_a_tie() -> None:
    own = Due(datetime(2026, 12, 18, 23, 59, 59, tzinfo=UTC), "duedate")
    release = Due(datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC), "fix_version", "2.4")
    assert earliest_due(own, release) == release  # planned for a release before its own date
    assert earliest_due(own, Due()) == own  # no release date
    assert earliest_due(Due(), Due()) == Due()  # nothing known: at, source and name all None
    same = Due(release.at, "duedate")
    assert earliest_due(same, release) == same
