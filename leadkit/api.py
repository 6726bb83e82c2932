"""leadkit's public API: everything a plugin imports, and nothing else.

A plugin (a tracker adapter, a finding kind, a renderer, a publisher, a
command) imports from this module only::

    from leadkit.api import Dataset, SourceAdapter, WorkItem, hookimpl

The names in :data:`__all__` are stable: they keep their meaning and their
signatures within a major version, and a change to them is called out in the
changelog. Every other module of the ``leadkit`` package is private and may
change in any release, even when its names are importable. ``leadkit.testing``
is the test kit that goes with this API (stable in the same way).

What is here, by group (see docs/plugins.md for how they fit together):

- hooks: :data:`hookimpl` and the typed ``register`` callbacks;
- the model: people, accounts, work items, reviews, the dataset and window,
  and the helpers adapters use to fill them (due dates: :func:`due_at`,
  :func:`earliest_due`);
- declared options: :class:`Option` (a source's, a kind's, a renderer's or
  a publisher's config keys);
- sources: :class:`SourceAdapter`, its :class:`SourceConfig` and
  :class:`CollectContext`, resumable :class:`Page`, :func:`select`;
- findings: :class:`Finding`, :class:`Suggestion`, :class:`ItemRef`, and the
  finding-kind API (:class:`FindingKind`, :class:`Setting`, :class:`Gate`, :class:`TrendMetric`,
  :class:`ActionCandidate`, :class:`AnalysisContext`, :class:`PullRequestView`);
- reports, renderers and publishers: :class:`Report`, :class:`Chart`,
  :class:`PublishContext`, and the escapes for tracker text;
- writing back: the code-host and ticket-writer protocols;
- errors: :class:`LeadkitError` and its kinds (one line, exit 2);
- helpers: the HTTP client (retries, rate limits, request counting,
  redaction), the time parser, and secret redaction.
"""

from __future__ import annotations

from leadkit.analyze.context import AnalysisContext
from leadkit.analyze.kinds import (
    TIER_CHECK_IN,
    TIER_GROWTH,
    TIER_OVERDUE_REVIEW,
    TIER_OWN_DONE,
    TIER_REST,
    TIER_UNBLOCK,
    ActionCandidate,
    FindingKind,
    Gate,
    PullRequestView,
    Setting,
    TrendMetric,
)
from leadkit.cli import open_session
from leadkit.collect.selection import Selection, select
from leadkit.collect.sources import (
    CollectContext,
    Page,
    SourceAdapter,
    SourceConfig,
    SourceStats,
    Touched,
)
from leadkit.errors import ConfigError, DataError, LeadkitError, SourceError
from leadkit.hookspecs import (
    AnalysisRegister,
    PublisherRegister,
    RendererRegister,
    SourceRegister,
    hookimpl,
)
from leadkit.http import Again, HttpClient, Inspect, MaybeDone, Reply, RetryPolicy, next_link
from leadkit.model.data import (
    CODEOWNERS_PATHS,
    DUE_SOURCES,
    LINK_KINDS,
    REVIEW_STATES,
    STATUS_CATEGORIES,
    WORK_TYPES,
    Account,
    Assignment,
    CodeOwners,
    Comment,
    Dataset,
    Due,
    DueSource,
    Link,
    LinkKind,
    OwnerRule,
    Person,
    Review,
    ReviewRequest,
    ReviewState,
    ReviewSubmission,
    StatusCategory,
    Transition,
    Window,
    WorkItem,
    WorkType,
    account_key,
    due_at,
    earliest_due,
    find_work_item_keys,
    normalize_type,
    says_in_progress,
    split_account_key,
    utc,
)
from leadkit.model.findings import (
    OMIT_IF_NONE,
    PER_PERSON,
    WHOLE,
    Action,
    Finding,
    ItemRef,
    LeftOut,
    Suggestion,
)
from leadkit.model.report import Chart, Report
from leadkit.options import Option
from leadkit.pr.code_hosts import (
    History,
    HostComment,
    HostIssue,
    IssueHost,
    NoSuchPullRequest,
    ReviewHost,
    Revision,
    ThreadReply,
    TicketWriter,
    WriteRefused,
    create_once,
)
from leadkit.pr.comment import written_by_leadkit
from leadkit.present.escape import html, md, mermaid, plain
from leadkit.present.publish import PublishContext
from leadkit.secrets import redact
from leadkit.timeutil import parse_datetime, zone

__all__ = [
    "CODEOWNERS_PATHS",
    "DUE_SOURCES",
    "LINK_KINDS",
    "OMIT_IF_NONE",
    "PER_PERSON",
    "REVIEW_STATES",
    "STATUS_CATEGORIES",
    "TIER_CHECK_IN",
    "TIER_GROWTH",
    "TIER_OVERDUE_REVIEW",
    "TIER_OWN_DONE",
    "TIER_REST",
    "TIER_UNBLOCK",
    "WHOLE",
    "WORK_TYPES",
    "Account",
    "Action",
    "ActionCandidate",
    "Again",
    "AnalysisContext",
    "AnalysisRegister",
    "Assignment",
    "Chart",
    "CodeOwners",
    "CollectContext",
    "Comment",
    "ConfigError",
    "DataError",
    "Dataset",
    "Due",
    "DueSource",
    "Finding",
    "FindingKind",
    "Gate",
    "History",
    "HostComment",
    "HostIssue",
    "HttpClient",
    "Inspect",
    "IssueHost",
    "ItemRef",
    "LeadkitError",
    "LeftOut",
    "Link",
    "LinkKind",
    "MaybeDone",
    "NoSuchPullRequest",
    "Option",
    "OwnerRule",
    "Page",
    "Person",
    "PublishContext",
    "PublisherRegister",
    "PullRequestView",
    "RendererRegister",
    "Reply",
    "Report",
    "RetryPolicy",
    "Review",
    "ReviewHost",
    "ReviewRequest",
    "ReviewState",
    "ReviewSubmission",
    "Revision",
    "Selection",
    "Setting",
    "SourceAdapter",
    "SourceConfig",
    "SourceError",
    "SourceRegister",
    "SourceStats",
    "StatusCategory",
    "Suggestion",
    "ThreadReply",
    "TicketWriter",
    "Touched",
    "Transition",
    "TrendMetric",
    "Window",
    "WorkItem",
    "WorkType",
    "WriteRefused",
    "account_key",
    "create_once",
    "due_at",
    "earliest_due",
    "find_work_item_keys",
    "hookimpl",
    "html",
    "md",
    "mermaid",
    "next_link",
    "normalize_type",
    "open_session",
    "parse_datetime",
    "plain",
    "redact",
    "says_in_progress",
    "select",
    "split_account_key",
    "utc",
    "written_by_leadkit",
    "zone",
]
