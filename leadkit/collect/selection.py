"""What a fetch selects: one rule that the adapters, the store and ``leadkit sync`` consult.

A *full* fetch for a window takes every item updated since the window's
history start, and also every item not done, however long untouched: the
lead's oldest open ticket is often the one blocking someone. An *incremental*
fetch (a sync with a stored mark) takes only what changed since the mark; the
open items are already stored. The store reads back what a full fetch would
have returned, so a report from the store and one fetched directly agree.

An adapter turns a :class:`Selection` into its tracker's query (GitHub's
newer and stale streams, Jira's JQL) and adds only its own tracker's margins
(JQL's minute resolution); nothing else decides what is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from leadkit.model.data import Window

CLOCK_SKEW = timedelta(minutes=5)
"""Subtracted from a sync mark: a tracker's clock a little behind ours loses no change."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The items one fetch takes: updated since :attr:`since`, and the open ones on a full fetch."""

    since: datetime
    """Items updated at or after this are taken."""
    changed_only: bool
    """True for an incremental fetch: only what changed since :attr:`since`."""

    @property
    def takes_open(self) -> bool:
        """Whether items not done are taken however long untouched (a full fetch)."""
        return not self.changed_only

    def takes(self, updated: datetime, is_open: bool) -> bool:
        """Whether an item updated at ``updated`` (open or not) belongs to this fetch."""
        return updated >= self.since or (is_open and self.takes_open)


def select(window: Window, updated_since: datetime | None = None) -> Selection:
    """The selection for ``window``: full, or only changes since ``updated_since``.

    An incremental fetch never reaches before the window's history start.
    """
    if updated_since is None:
        return Selection(since=window.history_start, changed_only=False)
    return Selection(since=max(window.history_start, updated_since), changed_only=True)


def covers(covered_from: datetime | None, window: Window) -> bool:
    """Whether data stored complete from ``covered_from`` reaches back to ``window``'s history."""
    return covered_from is None or covered_from <= window.history_start


def incremental_since(
    mark: datetime | None, covered_from: datetime | None, window: Window
) -> datetime | None:
    """The ``updated_since`` of a source's next sync, or None when it must fetch in full.

    Incremental from the last finished sync's mark (less :data:`CLOCK_SKEW`) when
    that sync's data reaches back to the window's history start; a longer
    look-back than the stored data has needs a full fetch.
    """
    if mark is None or not covers(covered_from, window):
        return None
    return mark - CLOCK_SKEW
