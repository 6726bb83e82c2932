"""Jira issue JSON (REST v2, Cloud or Data Center) into leadkit's model.

Nothing here does I/O. A :class:`Normalizer` lives for one collection: it
remembers status categories and Data Center user keys across pages, and hands
out the people seen on each page. Missing or null fields give empty values;
a body of the wrong shape gives a :class:`DataError` naming the issue.

An issue's due date is its ``duedate`` or, when that is absent or later, the
``releaseDate`` of its earliest unreleased fix version (``due_source``
``"duedate"`` or ``"fix_version"``, with the version's name); both fields are
the same on Cloud and Data Center.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadkit.api import (
    Account,
    Assignment,
    Comment,
    DataError,
    Due,
    LeadkitError,
    Link,
    Person,
    StatusCategory,
    Transition,
    WorkItem,
    account_key,
    due_at,
    earliest_due,
    normalize_type,
    parse_datetime,
)

TRACKER = "jira"
CATEGORY_BY_KEY: dict[str, StatusCategory] = {
    "new": "todo",
    "undefined": "todo",
    "indeterminate": "in_progress",
    "done": "done",
}
_WIKI_MENTION = re.compile(r"\[~(?:accountid:)?([^\]\s|]+)\]")
_DC_SPRINT_NAME = re.compile(r"[\[,]name=([^,\]]*)")
_GENERATED_KEY = re.compile(r"JIRAUSER\d+")
"""Data Center's generated user keys (for users renamed or created since Jira 8)."""


class Malformed(Exception):
    """A part of one issue has the wrong shape; becomes a DataError naming the issue."""


def parse_time(value: Any, what: str) -> datetime | None:
    """Jira's ``2026-11-20T09:15:00.000+0000`` as aware UTC (by :func:`parse_datetime`); None stays None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Malformed(f"{what} is {value!r}, not a time")
    try:
        return parse_datetime(value, what=what)
    except LeadkitError:
        raise Malformed(f"{what} is {value!r}, not a time") from None


def _dict(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Malformed(f"{what} is a {type(value).__name__}, not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what} is a {type(value).__name__}, not a list")
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def plain_value(value: Any) -> str | float | int | None:
    """A custom field's value as a plain scalar: numbers stay numbers, objects give a name.

    Sprints come as a list (Cloud: objects; Data Center: ``...Sprint@1[id=..,name=..]``
    strings): the last one, the most recent sprint, is kept.
    """
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        match = _DC_SPRINT_NAME.search(value) if "Sprint@" in value else None
        return match.group(1) if match else value
    if isinstance(value, list):
        plain = [v for v in (plain_value(item) for item in value) if v is not None]
        return plain[-1] if plain else None
    if isinstance(value, dict):
        for key in ("name", "value", "title", "displayName", "key", "id"):
            if value.get(key) is not None:
                return plain_value(value[key])
    return None


def walk_adf(node: Any) -> Iterator[dict[str, Any]]:
    """Every node of an Atlassian Document Format tree (v3 comment bodies)."""
    if isinstance(node, dict):
        yield node
        for child in node.get("content") or ():
            yield from walk_adf(child)
    elif isinstance(node, list):
        for child in node:
            yield from walk_adf(child)


@dataclass
class Normalizer:
    """Turns raw issues into WorkItems and collects the people they mention."""

    source: str
    server: str
    cloud: bool
    type_map: Mapping[str, str] = field(default_factory=dict)
    blocks_link_types: Iterable[str] = ("Blocks",)
    custom_fields: Mapping[str, str] = field(default_factory=dict)
    status_categories: dict[str, StatusCategory] = field(default_factory=dict)
    """By ``id:<status id>`` and ``name:<lowercased name>``."""
    status_list_loaded: bool = False
    _people: dict[str, Person] = field(default_factory=dict)
    _user_keys: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._blocks = {name.strip().lower() for name in self.blocks_link_types}

    # -- statuses ------------------------------------------------------------------

    def learn_status(self, status: Any) -> None:
        """Remember a status object's category (``{id, name, statusCategory: {key}}``)."""
        if not isinstance(status, dict):
            return
        category = CATEGORY_BY_KEY.get(str(_dict(status.get("statusCategory"), "").get("key")))
        if category is None:
            return
        if status.get("id") is not None:
            self.status_categories[f"id:{status['id']}"] = category
        if isinstance(status.get("name"), str):
            self.status_categories.setdefault(f"name:{status['name'].lower()}", category)

    def learn_status_list(self, statuses: Any) -> None:
        """Remember every status of ``GET /rest/api/2/status``."""
        for status in statuses if isinstance(statuses, list) else ():
            self.learn_status(status)
        self.status_list_loaded = True

    def learn_issues(self, issues: Iterable[Any]) -> None:
        """Learn status categories and DC user keys from a page before normalizing it."""
        for issue in issues:
            fields = issue.get("fields") if isinstance(issue, dict) else None
            if isinstance(fields, dict):
                self.learn_status(fields.get("status"))

    def unknown_statuses(self, issues: Iterable[Any]) -> set[str]:
        """Target statuses of changelog items whose category is not known yet."""
        unknown: set[str] = set()
        for issue in issues:
            for history in _histories(issue):
                for item in history.get("items") or () if isinstance(history, dict) else ():
                    if (
                        isinstance(item, dict)
                        and _is_field(item, "status")
                        and self._category(item.get("to"), item.get("toString")) is None
                    ):
                        unknown.add(str(item.get("toString") or item.get("to")))
        return unknown

    def _category(self, status_id: Any, name: Any) -> StatusCategory | None:
        if status_id is not None and f"id:{status_id}" in self.status_categories:
            return self.status_categories[f"id:{status_id}"]
        if isinstance(name, str):
            return self.status_categories.get(f"name:{name.lower()}")
        return None

    # -- people --------------------------------------------------------------------

    def person(self, user: Any) -> str | None:
        """The account key of a Jira user object, recording the person; None when absent."""
        if not isinstance(user, dict):
            return None
        if self.cloud:
            account_id = user.get("accountId")
        else:
            account_id = user.get("name") or user.get("key") or user.get("accountId")
            if user.get("key") and account_id:
                self._user_keys[str(user["key"])] = str(account_id)
        if not account_id:
            return None
        account_id = str(account_id)
        display = _text(user.get("displayName")) or account_id
        email = _text(user.get("emailAddress")) or None
        bot = user.get("accountType") == "app"  # Jira Cloud: Automation for Jira, apps
        key = account_key(TRACKER, account_id)
        known = self._people.get(key)
        if (
            known is None
            or (email and not known.emails)
            or known.name == account_id
            or (bot and not known.accounts[0].bot)
        ):
            self._people[key] = Person(
                id=key,
                name=display,
                emails=(email,) if email else (),
                accounts=(
                    Account(
                        tracker=TRACKER,
                        id=account_id,
                        name=display,
                        email=email,
                        login=self._login(account_id),
                        bot=bot,
                    ),
                ),
            )
        return key

    def _login(self, account_id: str) -> str | None:
        """The account id as a login: Data Center's user name (``jdoe``, as on GitHub), not its
        generated keys (``JIRAUSER10100``) nor Cloud's opaque account ids."""
        if self.cloud or _GENERATED_KEY.fullmatch(account_id):
            return None
        return account_id

    def referenced(self, account_id: Any, name: Any) -> str | None:
        """An account named only by id (changelog ``from``/``to``, mentions)."""
        if account_id is None or account_id == "":
            return None
        account_id = str(account_id)
        if not self.cloud:
            account_id = self._user_keys.get(account_id, account_id)
        key = account_key(TRACKER, account_id)
        if key not in self._people:
            display = _text(name) or account_id
            self._people[key] = Person(
                id=key,
                name=display,
                accounts=(
                    Account(
                        tracker=TRACKER,
                        id=account_id,
                        name=display,
                        login=self._login(account_id),
                    ),
                ),
            )
        return key

    def take_people(self) -> list[Person]:
        """People seen since the last call (one page's worth)."""
        people = list(self._people.values())
        self._people = {}
        return people

    # -- issues --------------------------------------------------------------------

    def work_item(self, issue: Any, index: int = 0) -> WorkItem:
        """One issue as a WorkItem; a wrong shape raises DataError naming the issue."""
        key = issue.get("key") if isinstance(issue, dict) else None
        label = key if isinstance(key, str) and key else f"number {index + 1} of its page"
        try:
            if not isinstance(issue, dict):
                raise Malformed(f"is a {type(issue).__name__}, not an object")
            if not isinstance(key, str) or not key.strip():
                raise Malformed("has no key")
            return self._work_item(issue, key.strip())
        except Malformed as exc:
            raise DataError(
                f"source '{self.source}': Jira issue {label} is malformed: {exc}"
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError(
                f"source '{self.source}': Jira issue {label} is malformed "
                f"({type(exc).__name__}: {exc})"
            ) from None

    def _work_item(self, issue: dict[str, Any], key: str) -> WorkItem:
        if "fields" not in issue:
            raise Malformed("has no fields")
        fields = _dict(issue.get("fields"), "fields")
        created = parse_time(fields.get("created"), "created")
        updated = parse_time(fields.get("updated"), "updated")
        if created is None and updated is None:
            raise Malformed("has neither created nor updated")
        created = created or updated
        updated = updated or created
        assert created is not None and updated is not None

        issuetype = _dict(fields.get("issuetype"), "issuetype")
        raw_type = _text(issuetype.get("name"))
        status = _dict(fields.get("status"), "status")
        self.learn_status(status)
        status_name = _text(status.get("name")) or ""
        resolved = parse_time(fields.get("resolutiondate"), "resolutiondate")
        category = CATEGORY_BY_KEY.get(
            str(_dict(status.get("statusCategory"), "status.statusCategory").get("key"))
        ) or self._category(status.get("id"), status_name)
        if category is None:
            category = "done" if resolved else "todo"

        labels = tuple(str(v) for v in _list(fields.get("labels"), "labels") if v is not None)
        components = tuple(
            str(c.get("name"))
            for c in _list(fields.get("components"), "components")
            if isinstance(c, dict) and c.get("name")
        )

        parent = _text(_dict(fields.get("parent"), "parent").get("key"))
        epic_field = self.custom_fields.get("epic_link")
        if parent is None and epic_field:
            epic = fields.get(epic_field)
            parent = _text(epic.get("key")) if isinstance(epic, dict) else _text(epic)

        extra: dict[str, str | float | int | None] = {}
        for name in ("story_points", "team", "sprint"):
            field_id = self.custom_fields.get(name)
            if field_id:
                extra[name] = plain_value(fields.get(field_id))

        transitions, assignments = self._history(issue)
        due = earliest_due(
            Due(_due_day(fields.get("duedate"), "duedate"), "duedate"),
            _release(fields.get("fixVersions")),
        )
        return WorkItem(
            source=self.source,
            key=key,
            url=f"{self.server}/browse/{key}",
            title=_text(fields.get("summary")) or "",
            type=normalize_type(raw_type, dict(self.type_map)),
            raw_type=raw_type,
            status=status_name,
            status_category=category,
            assignee=self.person(fields.get("assignee")),
            reporter=self.person(fields.get("reporter")),
            created=created,
            updated=updated,
            resolved=resolved,
            labels=labels,
            components=components,
            parent=parent or None,
            links=self._links(fields.get("issuelinks")),
            transitions=transitions,
            assignments=assignments,
            comments=self._comments(fields.get("comment")),
            fields=extra,
            due=due.at,
            due_source=due.source,
            due_name=due.name,
        )

    def _links(self, raw: Any) -> tuple[Link, ...]:
        links: dict[Link, None] = {}
        for i, link in enumerate(_list(raw, "issuelinks")):
            link = _dict(link, f"issuelinks[{i}]")
            type_name = str(_dict(link.get("type"), f"issuelinks[{i}].type").get("name") or "")
            blocks = type_name.strip().lower() in self._blocks
            outward = _dict(link.get("outwardIssue"), f"issuelinks[{i}].outwardIssue").get("key")
            inward = _dict(link.get("inwardIssue"), f"issuelinks[{i}].inwardIssue").get("key")
            if outward:
                links[Link("blocks" if blocks else "relates", str(outward))] = None
            if inward:
                links[Link("is-blocked-by" if blocks else "relates", str(inward))] = None
        return tuple(links)

    def _history(
        self, issue: dict[str, Any]
    ) -> tuple[tuple[Transition, ...], tuple[Assignment, ...]]:
        transitions: list[Transition] = []
        assignments: list[Assignment] = []
        for i, history in enumerate(_histories(issue, strict=True)):
            history = _dict(history, f"changelog history {i}")
            items = _list(history.get("items"), f"changelog history {i} items")
            relevant = [
                item
                for item in items
                if isinstance(item, dict)
                and (_is_field(item, "status") or _is_field(item, "assignee"))
            ]
            if not relevant:
                continue
            at = parse_time(history.get("created"), f"changelog history {i} created")
            if at is None:
                raise Malformed(f"changelog history {i} has no created time")
            by = self.person(history.get("author"))
            for item in relevant:
                if _is_field(item, "status"):
                    to_status = _text(item.get("toString")) or _text(item.get("to")) or ""
                    transitions.append(
                        Transition(
                            at=at,
                            to_status=to_status,
                            from_status=_text(item.get("fromString")),
                            by=by,
                            to_category=self._category(item.get("to"), to_status),
                        )
                    )
                else:
                    assignments.append(
                        Assignment(
                            at=at,
                            to=self.referenced(item.get("to"), item.get("toString")),
                            from_=self.referenced(item.get("from"), item.get("fromString")),
                            by=by,
                        )
                    )
        transitions.sort(key=lambda t: t.at)
        assignments.sort(key=lambda a: a.at)
        return tuple(transitions), tuple(assignments)

    def _comments(self, raw: Any) -> tuple[Comment, ...]:
        container = _dict(raw, "comment")
        comments = []
        for i, comment in enumerate(_list(container.get("comments"), "comment.comments")):
            comment = _dict(comment, f"comment {i}")
            at = parse_time(comment.get("created"), f"comment {i} created")
            if at is None:
                continue
            body = comment.get("body")
            if isinstance(body, dict | list):  # v3: Atlassian Document Format
                nodes = list(walk_adf(body))
                text = "".join(str(n.get("text") or "") for n in nodes if n.get("type") == "text")
                mentioned = [
                    _dict(n.get("attrs"), "mention").get("id")
                    for n in nodes
                    if n.get("type") == "mention"
                ]
            else:
                text = _text(body) or ""
                mentioned = _WIKI_MENTION.findall(text)
            mentions = tuple(
                dict.fromkeys(
                    key for key in (self.referenced(m, None) for m in mentioned if m) if key
                )
            )
            comments.append(
                Comment(
                    by=self.person(comment.get("author")),
                    at=at,
                    question="?" in text,
                    mentions=mentions,
                )
            )
        comments.sort(key=lambda c: c.at)
        return tuple(comments)


def _due_day(value: Any, what: str) -> datetime | None:
    """A Jira date (``2026-12-01``) as the model holds a due date: the end of that day, UTC."""
    day = parse_time(value, what)
    return None if day is None else due_at(day)


def _release(raw: Any) -> Due:
    """The earliest release date of the issue's unreleased fix versions (``Due()`` when none).

    A released or archived version is history, not a date the issue is heading
    for; a version without a ``releaseDate`` gives none.
    """
    candidates = []
    for i, version in enumerate(_list(raw, "fixVersions")):
        version = _dict(version, f"fixVersions[{i}]")
        if version.get("released") or version.get("archived"):
            continue
        at = _due_day(version.get("releaseDate"), f"fixVersions[{i}].releaseDate")
        candidates.append(Due(at, "fix_version", _text(version.get("name"))))
    return earliest_due(*candidates)


def _is_field(item: Mapping[str, Any], name: str) -> bool:
    return item.get("fieldId") == name or (
        item.get("fieldId") is None and str(item.get("field") or "").lower() == name
    )


def _histories(issue: Any, *, strict: bool = False) -> list[Any]:
    if not isinstance(issue, dict):
        return []
    changelog = issue.get("changelog")
    if changelog is None:
        return []
    if not isinstance(changelog, dict):
        if strict:
            raise Malformed("changelog is not an object")
        return []
    histories = changelog.get("histories")
    if histories is None:
        return []
    if not isinstance(histories, list):
        if strict:
            raise Malformed("changelog.histories is not a list")
        return []
    return histories
