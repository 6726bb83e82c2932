"""The JQL leadkit sends: the configured scope, bounded by ``updated``, in a stable order."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

from leadkit.api import Selection
from leadkit_jira.settings import JiraSettings

UNKNOWN_ZONE_MARGIN = timedelta(hours=14)
"""JQL reads dates in the Jira user's profile zone. With no ``timezone`` configured,
leadkit widens the bound by the largest UTC offset, so no zone can cut items off."""
INCREMENTAL_OVERLAP = timedelta(minutes=2)
"""Covers JQL's minute resolution and clock skew between leadkit and Jira."""
ORDER = "ORDER BY created ASC, key ASC"
"""Creation order never changes while paging (an ``updated`` order shifts items between
offset pages when someone edits an issue mid-crawl, and one could be skipped)."""

OPEN = "statusCategory != Done"
"""Items not done, by Jira's own status category (not by status names)."""

_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


def quote(value: str) -> str:
    """A JQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_bound(moment: datetime, tz: tzinfo | None) -> str:
    """``moment`` as a JQL date in the user's zone (or widened when that is unknown)."""
    local = (moment - UNKNOWN_ZONE_MARGIN).astimezone(UTC) if tz is None else moment.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M")


def strip_order(jql: str) -> str:
    """The JQL without its ``ORDER BY`` clause (leadkit sets the order itself)."""
    match = _ORDER_BY.search(jql)
    return (jql[: match.start()] if match else jql).strip()


def build_jql(
    settings: JiraSettings, selection: Selection, created_from: datetime | None = None
) -> str:
    """The search for ``selection`` (:mod:`leadkit.collect.selection`): configured scope, creation order.

    Items not done are kept by Jira's status category when the selection takes
    them; an incremental bound reaches back :data:`INCREMENTAL_OVERLAP` further.
    ``created_from`` carries on an interrupted search: only issues created in or
    after that minute (creation never changes, so the order a stopped search had
    still holds; the issues of that minute already stored are read again).
    """
    since = selection.since
    bound = since - INCREMENTAL_OVERLAP if selection.changed_only else since
    clauses = []
    if settings.projects:
        clauses.append(f"project in ({', '.join(quote(p) for p in settings.projects)})")
    if settings.jql:
        scope = strip_order(settings.jql)
        if scope:
            clauses.append(f"({scope})")
    updated = f"updated >= {quote(format_bound(bound, settings.timezone))}"
    clauses.append(f"({updated} OR {OPEN})" if selection.takes_open else updated)
    if created_from is not None:
        clauses.append(f"created >= {quote(format_bound(created_from, settings.timezone))}")
    return f"{' AND '.join(clauses)} {ORDER}"
