"""The GraphQL queries the adapter sends, and the follow-up query builder.

One query, :data:`REPO_PAGE`, reads a repository in pages of up to 100 pull
requests *and* 100 issues per request, each with its reviews, review-request
events, comments, review threads, changed paths and last commit nested inside,
so that N items cost about ceil(N/100) requests. Four streams share a request:
PRs updated since the mark (newest first), open PRs older than the mark
(oldest first), issues updated since the mark (newest first) and open issues
older than the mark (oldest first). ``@include`` switches a finished stream off.

The two "older than the mark" streams exist so that a full fetch also sees open
work nobody touched for months (a stalled PR, an issue assigned to the lead and
blocking someone). They are switched on only when a probe in the first request
(``oldestOpen``, ``oldestOpenIssue``: the single least recently updated open PR
or issue) finds one older than the mark, and they stop at the first item at or
after the mark, which the newer stream delivers. An incremental fetch sends no
probe and asks only for what changed, so a sync with nothing new still costs
one request per repository.

Nested page sizes are chosen so that a full page stays far below GitHub's
500,000-node limit (about 90,000 nodes for 100 PRs) and typical PRs fit whole;
the rare PR whose nested list overflows is completed by :func:`follow_up_query`,
which batches many (PR, connection, cursor) continuations into one request.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAGE = 100
"""GitHub's largest ``first``."""

FILES_FIRST = 100
REVIEWS_FIRST = 50
COMMENTS_FIRST = 50
THREADS_FIRST = 30
THREAD_COMMENTS_FIRST = 20
TIMELINE_FIRST = 50
LABELS_FIRST = 20
ASSIGNEES_FIRST = 10
CLOSING_FIRST = 10

PAGE_INFO = "pageInfo { hasNextPage endCursor }"
RATE_LIMIT = "rateLimit { cost remaining resetAt }"

ACTOR = "__typename login ... on User { name email }"
COMMENT = f"author {{ {ACTOR} }} createdAt body"
REVIEW = f"author {{ {ACTOR} }} state submittedAt createdAt"
REQUESTED_REVIEWER = (
    f"requestedReviewer {{ __typename ... on Actor {{ {ACTOR} }} "
    "... on Team { slug organization { login } } }"
)
EVENT = f"createdAt actor {{ {ACTOR} }}"
ASSIGNEE = f"assignee {{ ... on Actor {{ {ACTOR} }} }}"
REVIEW_REQUEST_EVENT = (
    f"__typename ... on ReviewRequestedEvent {{ {EVENT} {REQUESTED_REVIEWER} }} "
    f"... on ReviewRequestRemovedEvent {{ {EVENT} {REQUESTED_REVIEWER} }}"
)
ISSUE_EVENT = (
    f"__typename ... on ClosedEvent {{ {EVENT} }} "
    f"... on ReopenedEvent {{ {EVENT} }} "
    f"... on AssignedEvent {{ {EVENT} {ASSIGNEE} }} "
    f"... on UnassignedEvent {{ {EVENT} {ASSIGNEE} }}"
)
PR_TIMELINE_TYPES = "[REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT]"
ISSUE_TIMELINE_TYPES = "[CLOSED_EVENT, REOPENED_EVENT, ASSIGNED_EVENT, UNASSIGNED_EVENT]"


def _thread(comments_first: int) -> str:
    return f"id comments(first: {comments_first}) {{ {PAGE_INFO} nodes {{ {COMMENT} }} }}"


@dataclass(frozen=True)
class Connection:
    """A nested list that may need continuing: its field text and node selection."""

    field: str
    arguments: str
    selection: str


PR_CONNECTIONS: dict[str, Connection] = {
    "files": Connection("files", "", "path"),
    "reviews": Connection("reviews", "", REVIEW),
    "comments": Connection("comments", "", COMMENT),
    "reviewThreads": Connection("reviewThreads", "", _thread(THREAD_COMMENTS_FIRST)),
    "timelineItems": Connection(
        "timelineItems", f"itemTypes: {PR_TIMELINE_TYPES}", REVIEW_REQUEST_EVENT
    ),
}
ISSUE_CONNECTIONS: dict[str, Connection] = {
    "comments": Connection("comments", "", COMMENT),
    "timelineItems": Connection("timelineItems", f"itemTypes: {ISSUE_TIMELINE_TYPES}", ISSUE_EVENT),
}
THREAD_COMMENTS = Connection("comments", "", COMMENT)

PR_FIELDS = f"""
fragment PullRequestFields on PullRequest {{
  number title url body createdAt updatedAt mergedAt closedAt isDraft headRefName state
  author {{ {ACTOR} }}
  commits(last: 1) {{ nodes {{ commit {{ committedDate }} }} }}
  closingIssuesReferences(first: {CLOSING_FIRST}) {{
    nodes {{ number repository {{ nameWithOwner }} }}
  }}
  files(first: {FILES_FIRST}) {{ {PAGE_INFO} nodes {{ path }} }}
  reviews(first: {REVIEWS_FIRST}) {{ {PAGE_INFO} nodes {{ {REVIEW} }} }}
  comments(first: {COMMENTS_FIRST}) {{ {PAGE_INFO} nodes {{ {COMMENT} }} }}
  reviewThreads(first: {THREADS_FIRST}) {{
    {PAGE_INFO} nodes {{ {_thread(THREAD_COMMENTS_FIRST)} }}
  }}
  timelineItems(first: {TIMELINE_FIRST}, itemTypes: {PR_TIMELINE_TYPES}) {{
    {PAGE_INFO} nodes {{ {REVIEW_REQUEST_EVENT} }}
  }}
}}
"""

ISSUE_FIELDS = f"""
fragment IssueFields on Issue {{
  number title url body createdAt updatedAt closedAt state
  author {{ {ACTOR} }}
  labels(first: {LABELS_FIRST}) {{ nodes {{ name }} }}
  assignees(first: {ASSIGNEES_FIRST}) {{ nodes {{ {ACTOR} }} }}
  comments(first: {COMMENTS_FIRST}) {{ {PAGE_INFO} nodes {{ {COMMENT} }} }}
  timelineItems(first: {TIMELINE_FIRST}, itemTypes: {ISSUE_TIMELINE_TYPES}) {{
    {PAGE_INFO} nodes {{ {ISSUE_EVENT} }}
  }}
}}
"""

REPO_PAGE = (
    f"""
query RepoPage(
  $owner: String!, $name: String!, $first: Int!,
  $prs: Boolean!, $prAfter: String,
  $stale: Boolean!, $staleAfter: String,
  $issues: Boolean!, $issueAfter: String, $since: DateTime,
  $staleIssues: Boolean!, $staleIssueAfter: String,
  $probe: Boolean!, $issueProbe: Boolean!
) {{
  repository(owner: $owner, name: $name) {{
    pullRequests(first: $first, after: $prAfter, orderBy: {{field: UPDATED_AT, direction: DESC}})
      @include(if: $prs) {{
      {PAGE_INFO} nodes {{ ...PullRequestFields }}
    }}
    stalePullRequests: pullRequests(
      first: $first, after: $staleAfter, states: [OPEN],
      orderBy: {{field: UPDATED_AT, direction: ASC}}
    ) @include(if: $stale) {{
      {PAGE_INFO} nodes {{ ...PullRequestFields }}
    }}
    oldestOpen: pullRequests(
      first: 1, states: [OPEN], orderBy: {{field: UPDATED_AT, direction: ASC}}
    ) @include(if: $probe) {{
      nodes {{ updatedAt }}
    }}
    issues(
      first: $first, after: $issueAfter, filterBy: {{since: $since}},
      orderBy: {{field: UPDATED_AT, direction: DESC}}
    ) @include(if: $issues) {{
      {PAGE_INFO} nodes {{ ...IssueFields }}
    }}
    staleIssues: issues(
      first: $first, after: $staleIssueAfter, states: [OPEN],
      orderBy: {{field: UPDATED_AT, direction: ASC}}
    ) @include(if: $staleIssues) {{
      {PAGE_INFO} nodes {{ ...IssueFields }}
    }}
    oldestOpenIssue: issues(
      first: 1, states: [OPEN], orderBy: {{field: UPDATED_AT, direction: ASC}}
    ) @include(if: $issueProbe) {{
      nodes {{ updatedAt }}
    }}
  }}
  {RATE_LIMIT}
}}
"""
    + PR_FIELDS
    + ISSUE_FIELDS
)


ITEM = (
    f"""
query Item($owner: String!, $name: String!, $number: Int!, $pr: Boolean!) {{
  repository(owner: $owner, name: $name) {{
    pullRequest(number: $number) @include(if: $pr) {{ ...PullRequestFields }}
    issue(number: $number) @skip(if: $pr) {{ ...IssueFields }}
  }}
  {RATE_LIMIT}
}}
"""
    + PR_FIELDS
    + ISSUE_FIELDS
)
"""One PR or issue read again, whole, when a page gave it with a hole (a list GitHub left null)."""

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
    args = f"first: {MAX_PAGE}, after: ${cursor_var}"
    if conn.arguments:
        args += f", {conn.arguments}"
    return f"{conn.field}({args}) {{ {PAGE_INFO} nodes {{ {conn.selection} }} }}"
