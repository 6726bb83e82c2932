"""The GraphQL queries the adapter sends, and the follow-up query builder.

A repository is read in pages of up to 100 pull requests *and* 100 issues per
request (:func:`repo_page_query`), each with its nested lists, so that N items
cost about ceil(N/100) requests. Four streams can share a request: PRs updated
since the mark (newest first), open PRs older than the mark (oldest first),
issues updated since the mark (newest first) and open issues older than the
mark (oldest first).

The two "older than the mark" streams exist so that a full fetch also sees open
work nobody touched for months (a stalled PR, an issue assigned to the lead and
blocking someone). They are asked for only when a probe in the first request
(``oldestOpen``, ``oldestOpenIssue``: the single least recently updated open PR
or issue) finds one older than the mark, and they stop at the first item at or
after the mark, which the newer stream delivers. An incremental fetch sends no
probe and asks only for what changed, so a sync with nothing new still costs
one request per repository.

Points. GitHub charges each connection in the query text the requests needed
to fulfil it (the product of its parents' ``first``), whether or not an
``@include`` switches it off; a page of 100 PRs costs one point per list nested
in a PR, and as many points as review threads asked per PR (their comments are
a list inside a list). So each request names only the streams it needs; a PR's
review requests, reviews and conversation comments come in one ``timelineItems``
list (an issue's events and comments likewise); and the threads asked per PR
follow what the repository's PRs hold (:func:`threads_first`). A page of 100
PRs costs 8 points (82 when every list had its own connection, threads were
asked 30 at a time and switched-off streams stayed in the text).

Nested page sizes keep a full page far below GitHub's 500,000-node limit; the
rare PR whose nested list overflows is completed by :func:`follow_up_query`,
which batches many (PR, connection, cursor) continuations into one request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from leadkit.api import CODEOWNERS_PATHS

MAX_PAGE = 100
"""GitHub's largest ``first``."""

FILES_FIRST = 100
TIMELINE_FIRST = 100
THREADS_FIRST = 3
"""Review threads per PR on a repository's first page; later pages size it from what PRs
hold (:func:`threads_first`). The one nested list whose size sets a page's points."""
MAX_THREADS_FIRST = 30
THREADS_SHARE = 0.95
"""Later pages ask for as many threads as this share of the repository's PRs so far had."""
THREAD_COMMENTS_FIRST = 20
LABELS_FIRST = 20
ASSIGNEES_FIRST = 10
CLOSING_FIRST = 10
THREADS_FOLLOW_UP = 20
"""Review threads per continuation: each brings its comments, so one costs 20 requests."""

PAGE_INFO = "pageInfo { hasNextPage endCursor }"
RATE_LIMIT = "rateLimit { cost remaining resetAt }"

ACTOR = "__typename login ... on User { name email }"
MILESTONE = "milestone { dueOn title }"
"""A PR's or issue's milestone: one object, not a connection, so it costs no points."""
COMMENT = f"author {{ {ACTOR} }} createdAt body"
REVIEW = f"author {{ {ACTOR} }} state submittedAt createdAt"
REQUESTED_REVIEWER = (
    f"requestedReviewer {{ __typename ... on Actor {{ {ACTOR} }} "
    "... on Team { slug organization { login } } }"
)
EVENT = f"createdAt actor {{ {ACTOR} }}"
ASSIGNEE = f"assignee {{ ... on Actor {{ {ACTOR} }} }}"
PR_EVENT = (
    f"__typename ... on ReviewRequestedEvent {{ {EVENT} {REQUESTED_REVIEWER} }} "
    f"... on ReviewRequestRemovedEvent {{ {EVENT} {REQUESTED_REVIEWER} }} "
    f"... on PullRequestReview {{ {REVIEW} }} "
    f"... on IssueComment {{ {COMMENT} }}"
)
ISSUE_EVENT = (
    f"__typename ... on ClosedEvent {{ {EVENT} }} "
    f"... on ReopenedEvent {{ {EVENT} }} "
    f"... on AssignedEvent {{ {EVENT} {ASSIGNEE} }} "
    f"... on UnassignedEvent {{ {EVENT} {ASSIGNEE} }} "
    f"... on IssueComment {{ {COMMENT} }}"
)
PR_TIMELINE_TYPES = (
    "[REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT, PULL_REQUEST_REVIEW, ISSUE_COMMENT]"
)
"""Review requests, reviews and conversation comments: one connection instead of three."""
ISSUE_TIMELINE_TYPES = (
    "[CLOSED_EVENT, REOPENED_EVENT, ASSIGNED_EVENT, UNASSIGNED_EVENT, ISSUE_COMMENT]"
)
"""Closes, reopens, (un)assignments and comments: one connection instead of two."""


def _thread(comments_first: int) -> str:
    return f"id comments(first: {comments_first}) {{ {PAGE_INFO} nodes {{ {COMMENT} }} }}"


@dataclass(frozen=True)
class Connection:
    """A nested list that may need continuing: its field text and node selection."""

    field: str
    arguments: str
    selection: str
    follow_up_first: int = MAX_PAGE
    """Nodes per continuation: fewer where each node holds a list (its points multiply)."""


PR_CONNECTIONS: dict[str, Connection] = {
    "files": Connection("files", "", "path"),
    "reviewThreads": Connection("reviewThreads", "", _thread(MAX_PAGE), THREADS_FOLLOW_UP),
    "timelineItems": Connection("timelineItems", f"itemTypes: {PR_TIMELINE_TYPES}", PR_EVENT),
}
ISSUE_CONNECTIONS: dict[str, Connection] = {
    "timelineItems": Connection("timelineItems", f"itemTypes: {ISSUE_TIMELINE_TYPES}", ISSUE_EVENT),
}
THREAD_COMMENTS = Connection("comments", "", COMMENT)


def pr_fields(threads: int = THREADS_FIRST) -> str:
    """The PR fragment, with ``threads`` review threads per PR (the rest come in follow-ups)."""
    return f"""
fragment PullRequestFields on PullRequest {{
  number title url body createdAt updatedAt mergedAt closedAt isDraft headRefName state
  author {{ {ACTOR} }}
  {MILESTONE}
  commits(last: 1) {{ nodes {{ commit {{ committedDate }} }} }}
  closingIssuesReferences(first: {CLOSING_FIRST}) {{
    nodes {{ number repository {{ nameWithOwner }} }}
  }}
  files(first: {FILES_FIRST}) {{ {PAGE_INFO} nodes {{ path }} }}
  reviewThreads(first: {threads}) {{
    totalCount {PAGE_INFO} nodes {{ {_thread(THREAD_COMMENTS_FIRST)} }}
  }}
  timelineItems(first: {TIMELINE_FIRST}, itemTypes: {PR_TIMELINE_TYPES}) {{
    {PAGE_INFO} nodes {{ {PR_EVENT} }}
  }}
}}
"""


def threads_first(counts: list[int]) -> int:
    """Threads per PR for the next page: what :data:`THREADS_SHARE` of ``counts`` fit in.

    ``counts`` are the review-thread totals of the repository's PRs read so
    far. Each thread asked per PR costs a point per 100 PRs whether or not it
    is there, while a PR holding more costs a continuation in the batched
    follow-ups; sizing from what PRs really hold keeps both small.
    """
    if not counts:
        return THREADS_FIRST
    ranked = sorted(counts)
    wanted = ranked[max(0, math.ceil(THREADS_SHARE * len(ranked)) - 1)]
    return min(max(wanted, 1), MAX_THREADS_FIRST)


ISSUE_FIELDS = f"""
fragment IssueFields on Issue {{
  number title url body createdAt updatedAt closedAt state
  author {{ {ACTOR} }}
  {MILESTONE}
  labels(first: {LABELS_FIRST}) {{ nodes {{ name }} }}
  assignees(first: {ASSIGNEES_FIRST}) {{ nodes {{ {ACTOR} }} }}
  timelineItems(first: {TIMELINE_FIRST}, itemTypes: {ISSUE_TIMELINE_TYPES}) {{
    {PAGE_INFO} nodes {{ {ISSUE_EVENT} }}
  }}
}}
"""

STREAMS: dict[str, tuple[str, str, str]] = {
    "prs": (
        "$prAfter: String",
        "pullRequests(first: $first, after: $prAfter, "
        "orderBy: {field: UPDATED_AT, direction: DESC})",
        f"{PAGE_INFO} nodes {{ ...PullRequestFields }}",
    ),
    "stale": (
        "$staleAfter: String",
        "stalePullRequests: pullRequests(first: $first, after: $staleAfter, states: [OPEN], "
        "orderBy: {field: UPDATED_AT, direction: ASC})",
        f"{PAGE_INFO} nodes {{ ...PullRequestFields }}",
    ),
    "probe": (
        "",
        "oldestOpen: pullRequests(first: 1, states: [OPEN], "
        "orderBy: {field: UPDATED_AT, direction: ASC})",
        "nodes { updatedAt }",
    ),
    "issues": (
        "$issueAfter: String, $since: DateTime",
        "issues(first: $first, after: $issueAfter, filterBy: {since: $since}, "
        "orderBy: {field: UPDATED_AT, direction: DESC})",
        f"{PAGE_INFO} nodes {{ ...IssueFields }}",
    ),
    "staleIssues": (
        "$staleIssueAfter: String",
        "staleIssues: issues(first: $first, after: $staleIssueAfter, states: [OPEN], "
        "orderBy: {field: UPDATED_AT, direction: ASC})",
        f"{PAGE_INFO} nodes {{ ...IssueFields }}",
    ),
    "issueProbe": (
        "",
        "oldestOpenIssue: issues(first: 1, states: [OPEN], "
        "orderBy: {field: UPDATED_AT, direction: ASC})",
        "nodes { updatedAt }",
    ),
}
OWNER_FILES = {f"owners{i}": path for i, path in enumerate(CODEOWNERS_PATHS)}
"""The CODEOWNERS file at each place GitHub looks, read with a repository's first page:
a blob is no connection, so they cost no points (the first found is the one GitHub uses)."""
STREAMS.update(
    (name, ("", f'{name}: object(expression: "HEAD:{path}")', "... on Blob { text }"))
    for name, path in OWNER_FILES.items()
)
"""Each stream of a repository page: its variables, its connection, and what it selects."""
PAGED = ("prs", "stale", "issues", "staleIssues")
"""The streams that page (``$first`` and a cursor); the probes read one item once."""


@cache
def repo_page_query(streams: frozenset[str], threads: int = THREADS_FIRST) -> str:
    """The query for one page of a repository, holding only ``streams`` (see :data:`STREAMS`).

    GitHub charges every connection in the text, whether or not an ``@include``
    switches it off, so each request names only the streams it needs: a
    finished stream, or the stale ones a full fetch found nothing for, cost
    nothing. The variables it declares are the ones to send
    (:func:`page_variables`). ``threads``: review threads per PR (:func:`threads_first`).
    """
    chosen = [name for name in STREAMS if name in streams]
    declared = ["$owner: String!", "$name: String!"]
    if any(name in PAGED for name in chosen):
        declared.append("$first: Int!")
    declared += [STREAMS[name][0] for name in chosen if STREAMS[name][0]]
    body = "\n    ".join(f"{STREAMS[n][1]} {{ {STREAMS[n][2]} }}" for n in chosen)
    query = (
        f"query RepoPage({', '.join(declared)}) {{\n"
        f"  repository(owner: $owner, name: $name) {{\n    {body}\n  }}\n"
        f"  {RATE_LIMIT}\n}}\n"
    )
    if "prs" in streams or "stale" in streams:
        query += pr_fields(threads)
    if "issues" in streams or "staleIssues" in streams:
        query += ISSUE_FIELDS
    return query


def page_variables(query: str, values: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``values`` that ``query`` declares (GitHub is sent nothing else)."""
    return {k: v for k, v in values.items() if f"${k}:" in query}


@cache
def item_query(kind: str) -> str:
    """One PR (``kind`` "pr") or issue read again, whole, when a page gave it with a hole."""
    field, fragment, fields = (
        ("pullRequest", "PullRequestFields", pr_fields())
        if kind == "pr"
        else ("issue", "IssueFields", ISSUE_FIELDS)
    )
    return (
        f"""
query Item($owner: String!, $name: String!, $number: Int!) {{
  repository(owner: $owner, name: $name) {{
    {field}(number: $number) {{ ...{fragment} }}
  }}
  {RATE_LIMIT}
}}
"""
        + fields
    )


LIST_FIELDS = frozenset(
    {
        *PR_CONNECTIONS,
        *ISSUE_CONNECTIONS,
        "nodes",
        "labels",
        "assignees",
        "closingIssuesReferences",
        "commits",
    }
)
"""Fields holding lists: null with an error pointing at one means the item came with a hole."""


@dataclass(frozen=True)
class FollowUp:
    """One continuation: the rest of ``connection`` on PR/issue ``number`` (or a review thread)."""

    kind: str
    """``"pr"``, ``"issue"`` or ``"thread"``."""
    number: int
    connection: str
    cursor: str | None
    thread_id: str | None = None


def follow_up_query(items: list[FollowUp]) -> tuple[str, dict[str, str | None]]:
    """One query continuing every item in ``items`` (aliases ``f0``, ``f1``...).

    Numbers are literals (validated ints); cursors and thread ids are variables.
    """
    declared = ["$owner: String!", "$name: String!"]
    variables: dict[str, str | None] = {}
    in_repo: list[str] = []
    top: list[str] = []
    for i, item in enumerate(items):
        cursor_var = f"c{i}"
        declared.append(f"${cursor_var}: String")
        variables[cursor_var] = item.cursor
        if item.kind == "thread":
            conn = THREAD_COMMENTS
            declared.append(f"$t{i}: ID!")
            variables[f"t{i}"] = item.thread_id
            top.append(
                f"f{i}: node(id: $t{i}) {{ ... on PullRequestReviewThread {{ "
                f"{_continue(conn, cursor_var)} }} }}"
            )
            continue
        table = PR_CONNECTIONS if item.kind == "pr" else ISSUE_CONNECTIONS
        conn = table[item.connection]
        field = "pullRequest" if item.kind == "pr" else "issue"
        in_repo.append(
            f"f{i}: {field}(number: {int(item.number)}) {{ {_continue(conn, cursor_var)} }}"
        )
    body = "\n    ".join(in_repo)
    query = (
        f"query FollowUp({', '.join(declared)}) {{\n"
        f"  repository(owner: $owner, name: $name) {{\n    {body or '__typename'}\n  }}\n"
        + "".join(f"  {t}\n" for t in top)
        + f"  {RATE_LIMIT}\n}}\n"
    )
    return query, variables


def _continue(conn: Connection, cursor_var: str) -> str:
    args = f"first: {conn.follow_up_first}, after: ${cursor_var}"
    if conn.arguments:
        args += f", {conn.arguments}"
    return f"{conn.field}({args}) {{ {PAGE_INFO} nodes {{ {conn.selection} }} }}"
