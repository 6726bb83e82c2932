"""leadkit's test kit, installed with the core: what a plugin's tests build on.

- datasets and reports: :class:`Team` (a hand-built team: people, items,
  PRs and a config), the small builders (:func:`ago`, :func:`request`,
  :func:`review`, :func:`comment`, :func:`moved`, ...), :func:`run_report`
  (a dataset and a config in, the report out) and readers of a report's JSON
  (:func:`finding`, :func:`labels`, :func:`suggestions`);
- sources: :func:`make_source` (an adapter built as a run builds it),
  :func:`source_config` and :func:`source_context` (with a
  :class:`FakeClock`: waits are recorded, never slept), :func:`make_window`,
  and :func:`check_source`, the contract every source passes;
- the local store: :func:`sync_into` (one source synced as ``leadkit sync``
  does, incremental and resumable) and :func:`open_store` (read back what it
  kept);
- a generated org: :func:`org` (seeded :class:`Member` people with a Jira
  account and a GitHub login each), :func:`org_config` (their leadkit.toml),
  :data:`AREAS` and :func:`random_ago` for a tracker's generator;
- fake trackers: :class:`FakeServer`, an HTTP server on 127.0.0.1 with
  scripted faults (429 with ``Retry-After``, 5xx).

Everything here is stable like :mod:`leadkit.api`. It imports no test
runner: use it from pytest, unittest or a script.
"""

from leadkit.testing.builders import (
    NOW,
    Team,
    ago,
    assert_no_alarm,
    at,
    blocked_by,
    blocks,
    category_of,
    comment,
    finding,
    findings,
    host,
    label,
    labels,
    moved,
    request,
    review,
    run_report,
    suggestions,
)
from leadkit.testing.org import AREAS, Member, org, org_config, random_ago
from leadkit.testing.server import Answer, FakeServer, FastHandler, Fault, LocalServer, Received
from leadkit.testing.sources import (
    FakeClock,
    SourceCheck,
    check_source,
    make_source,
    make_window,
    open_store,
    source_config,
    source_context,
    sync_into,
)

__all__ = [
    "AREAS",
    "NOW",
    "Answer",
    "FakeClock",
    "FakeServer",
    "FastHandler",
    "Fault",
    "LocalServer",
    "Member",
    "Received",
    "SourceCheck",
    "Team",
    "ago",
    "assert_no_alarm",
    "at",
    "blocked_by",
    "blocks",
    "category_of",
    "check_source",
    "comment",
    "finding",
    "findings",
    "host",
    "label",
    "labels",
    "make_source",
    "make_window",
    "moved",
    "open_store",
    "org",
    "org_config",
    "random_ago",
    "request",
    "review",
    "run_report",
    "source_config",
    "source_context",
    "suggestions",
    "sync_into",
]
