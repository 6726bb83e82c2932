"""The ``github`` source: pull requests, review requests, reviews, comments and issues.

Each repository is read with paginated GraphQL queries (see
:mod:`leadkit_github.graphql`) that carry 100 PRs and 100 issues per request
with their nested lists, so N items cost about ceil(N/100) requests and about
8 GraphQL points per 100 PRs. PRs whose
nested lists overflow are held back and completed at the end of the repository
in batched follow-up queries. Repositories are read concurrently in a bounded
thread pool and every page is yielded as a partial :class:`Dataset` as soon as
it arrives.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from leadkit.api import (
    CodeOwners,
    CollectContext,
    DataError,
    Dataset,
    Option,
    Page,
    Review,
    Selection,
    SourceAdapter,
    SourceConfig,
    SourceError,
    Window,
    WorkItem,
    redact,
    select,
)
from leadkit_github.graphql import (
    ISSUE_CONNECTIONS,
    MAX_PAGE,
    OWNER_FILES,
    PR_CONNECTIONS,
    STREAMS,
    FollowUp,
    follow_up_query,
    item_query,
    page_variables,
    repo_page_query,
    threads_first,
)
from leadkit_github.normalize import Normalizer, People, nodes, parse_time
from leadkit_github.transport import Forbidden, GatewayTimeout, NotFound, Transport

PUBLIC_API = "https://api.github.com"
DECLARED = (
    Option(
        "repos",
        list,
        doc='repositories to read: "owner/name", or "owner/*" for all of an owner\'s',
        required=True,
    ),
    Option("token_env", str, "GITHUB_TOKEN", "the environment variable holding the token"),
    Option(
        "base_url",
        str,
        doc="the API URL (GitHub Enterprise: https://ghe.example.com/api/v3); "
        "unset: $GITHUB_API_URL, else https://api.github.com",
    ),
    Option("include_issues", bool, True, "read GitHub issues as work items"),
    Option("concurrency", int, 4, "repositories read at once (1-16)"),
    Option("max_wait", float, 900.0, "seconds to wait out rate limits in all, then give up"),
    Option("page_size", int, MAX_PAGE, f"pull requests and issues per request (1-{MAX_PAGE})"),
    Option("timeout", int, 30, "seconds per request"),
    Option("max_retries", int, 4, "retries of a 5xx or a failed connection (0-10)"),
)
"""The ``[[sources]]`` keys of a github source; the core checks types and unknown keys."""
_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*)/(?:\*|[A-Za-z0-9._-]+)$")
FOLLOW_UP_BATCH = 50
"""Continuations per follow-up request (each up to 100 nodes; 10 threads for a thread page)."""
ITEM_RETRIES = 2
"""Times an item GitHub sent with a hole is read again, alone, before it is left out."""
MAX_SHRINKS = 8
"""Consecutive gateway timeouts tolerated on one page (100 -> 50 -> ... -> 1)."""


@dataclass(frozen=True)
class GitHubOptions:
    """A validated ``[[sources]]`` table of type ``github``."""

    repos: tuple[str, ...]
    token_env: str
    base_url: str
    include_issues: bool = True
    concurrency: int = 4
    max_wait: float = 900.0
    page_size: int = MAX_PAGE
    timeout: int = 30
    max_retries: int = 4


def parse_options(source: SourceConfig, environ: Any) -> GitHubOptions:
    """The source's keys, their values checked (a :class:`ConfigError` names the bad one)."""
    fail = source.fail  # types and unknown keys: the core, from DECLARED
    repos = source.get_list("repos")
    if not repos:
        raise fail("repos", 'is required, e.g. repos = ["org/repo", "org/*"]')
    for repo in repos:
        if not _REPO_RE.match(repo):
            raise fail("repos", f'entry {repo!r} is not "owner/name" or "owner/*"')
    token_env = source.variable("token_env", "GITHUB_TOKEN") or "GITHUB_TOKEN"
    default_url = environ.get("GITHUB_API_URL") or PUBLIC_API
    base_url = (source.get_str("base_url", default_url) or default_url).rstrip("/")
    if not re.match(r"^https?://[^/\s]+", base_url):
        raise fail(
            "base_url",
            f"must be an http(s) URL like https://ghe.example.com/api/v3, got {base_url!r}",
        )
    concurrency = source.get_int("concurrency", 4)
    if not 1 <= concurrency <= 16:
        raise fail("concurrency", f"must be between 1 and 16, got {concurrency}")
    max_wait = source.get_number("max_wait", 900.0)
    page_size = source.get_int("page_size", MAX_PAGE)
    if not 1 <= page_size <= MAX_PAGE:
        raise fail("page_size", f"must be between 1 and {MAX_PAGE}, got {page_size}")
    timeout = source.get_int("timeout", 30)
    if timeout < 1:
        raise fail("timeout", f"must be at least 1 second, got {timeout}")
    max_retries = source.get_int("max_retries", 4)
    if not 0 <= max_retries <= 10:
        raise fail("max_retries", f"must be between 0 and 10, got {max_retries}")
    return GitHubOptions(
        repos=tuple(dict.fromkeys(repos)),
        token_env=token_env,
        base_url=base_url,
        include_issues=source.get_bool("include_issues", True),
        concurrency=concurrency,
        max_wait=float(max_wait),
        page_size=page_size,
        timeout=timeout,
        max_retries=max_retries,
    )


class GitHubSource(SourceAdapter):
    """Reads GitHub or GitHub Enterprise Server through GraphQL (REST for orgs and teams)."""

    type = "github"
    description = "GitHub pull requests, reviews and issues (GraphQL, ~1 request per 100 items)"
    resumable = True
    declared_options = DECLARED

    def __init__(self, source: SourceConfig, context: CollectContext) -> None:
        super().__init__(source, context)
        self.options = parse_options(source, context.environ)
        self._token = source.secret("token_env", "GITHUB_TOKEN", context.environ)
        self._teams: dict[str, tuple[str, ...] | None] = {}
        self._teams_lock = threading.Lock()
        self.people = People()

    def __repr__(self) -> str:
        return f"GitHubSource(name={self.source.name!r}, repos={list(self.options.repos)!r})"

    def transport(self) -> Transport:
        """A transport for this source (waits and counts through its collect context)."""
        return Transport(
            source_name=self.source.name,
            base_url=self.options.base_url,
            token=self._token,
            token_env=self.options.token_env,
            context=self.context,
            timeout=self.options.timeout,
            max_retries=self.options.max_retries,
            max_wait=self.options.max_wait,
        )

    # -- writes (leadkit comment / apply; see leadkit.pr.code_hosts) ------------------------------

    def covers(self, repo: str) -> bool:
        """Whether ``owner/name`` is one of this source's repos (``owner/*`` included)."""
        owner = repo.partition("/")[0]
        return repo in self.options.repos or f"{owner}/*" in self.options.repos

    def review_host(self, repo: str) -> Any:
        """Comments and review requests on this source's GitHub (a ``ReviewHost``)."""
        from leadkit_github.writes import GitHubWrites

        return GitHubWrites(self.transport())

    def issue_host(self, repo: str) -> Any:
        """The report kept as an issue on this source's GitHub (an ``IssueHost``)."""
        from leadkit_github.writes import GitHubWrites

        return GitHubWrites(self.transport())

    def ticket_writer(self) -> Any:
        """Reassigning this source's issues (a ``TicketWriter``)."""
        from leadkit_github.writes import GitHubWrites

        return GitHubWrites(self.transport())

    # -- the SourceAdapter API -----------------------------------------------------------

    def check_online(self, window: Window) -> list[str]:
        """One GraphQL request: the token's account, each configured repository (and each
        ``owner/*`` owner) it can see, and the points left; nothing is written."""
        named = [r for r in self.options.repos if not r.endswith("/*")]
        owners = [r.split("/")[0] for r in self.options.repos if r.endswith("/*")]
        params = [f"$o{i}: String!, $n{i}: String!" for i in range(len(named))]
        params += [f"$w{i}: String!" for i in range(len(owners))]
        fields = ["viewer { __typename login }", "rateLimit { remaining limit }"]
        fields += [
            f"r{i}: repository(owner: $o{i}, name: $n{i}) {{ nameWithOwner }}"
            for i in range(len(named))
        ]
        fields += [
            f"w{i}: repositoryOwner(login: $w{i}) {{ login repositories {{ totalCount }} }}"
            for i in range(len(owners))
        ]
        variables: dict[str, Any] = {}
        for i, repo in enumerate(named):
            variables[f"o{i}"], variables[f"n{i}"] = repo.split("/")
        variables.update({f"w{i}": owner for i, owner in enumerate(owners)})
        head = f"({', '.join(params)})" if params else ""
        query = f"query LeadkitCheck{head} {{ {' '.join(fields)} }}"
        transport = self.transport()
        missing: list[list[Any]] = []
        try:
            data = transport.graphql(query, variables, what="the online check", missing=missing)
        finally:
            transport.close()
        viewer = data.get("viewer") or {}
        kind = "an app's bot" if viewer.get("__typename") == "Bot" else "user"
        lines = [f"the token in {self.options.token_env} runs as {kind} {viewer.get('login')}"]
        seen = [r for i, r in enumerate(named) if isinstance(data.get(f"r{i}"), dict)]
        unseen = [r for r in named if r not in seen]
        for i, owner in enumerate(owners):
            found = data.get(f"w{i}")
            if isinstance(found, dict):
                total = (found.get("repositories") or {}).get("totalCount")
                seen.append(f"{owner}/* ({total} repositories)")
            else:
                unseen.append(f"{owner}/*")
        if seen:
            lines.append(f"repositories visible: {', '.join(seen)}")
        if unseen:
            lines.append(
                f"NOT visible (missing, or the token cannot read them): {', '.join(unseen)}"
            )
        limit = data.get("rateLimit") or {}
        if isinstance(limit.get("remaining"), int):
            lines.append(
                f"GraphQL points left this hour: {limit['remaining']} of {limit.get('limit')}"
            )
        return lines

    def pages(
        self,
        window: Window,
        *,
        updated_since: datetime | None = None,
        resume: dict[str, Any] | None = None,
    ) -> Iterator[Dataset]:
        """Pages of every repository, read concurrently; ``resume`` carries on a stopped sync.

        ``resume`` maps each repository to the state its last stored page
        carried: finished repositories are not read again, the others carry on
        from their cursors.
        """
        transport = self.transport()
        resume = resume or {}
        repos = [r for r in self.expand_repos(transport) if not (resume.get(r) or {}).get("done")]
        selection = select(window, updated_since)
        results: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def work(repo: str) -> None:
            try:
                if stop.is_set():  # another repository failed: start no request
                    return
                fetcher = RepoFetcher(self, transport, repo, window, selection)
                for page in fetcher.fetch(resume.get(repo)):
                    if stop.is_set():
                        return
                    results.put(("page", page))
            except BaseException as exc:  # handed to the consumer thread
                stop.set()  # before the worker picks the next repository up
                results.put(("error", exc))
            finally:
                results.put(("done", repo))

        pool = ThreadPoolExecutor(
            max_workers=min(self.options.concurrency, max(len(repos), 1)),
            thread_name_prefix=f"leadkit-github-{self.source.name}",
        )
        try:
            for repo in repos:
                pool.submit(work, repo)
            remaining = len(repos)
            while remaining:
                kind, value = results.get()
                if kind == "done":
                    remaining -= 1
                elif kind == "error":
                    raise value
                else:
                    yield value
        finally:
            # Wait for the workers: none may send a request once this generator has ended
            # (a run that failed must not go on reading; each stops at its next page).
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            transport.close()

    # -- repositories and teams ----------------------------------------------------------

    def expand_repos(self, transport: Transport) -> list[str]:
        """The configured repositories with ``owner/*`` expanded (archived ones skipped)."""
        out: dict[str, None] = {}
        for spec in self.options.repos:
            owner, _, name = spec.partition("/")
            if name != "*":
                out[spec] = None
                continue
            for repo in self._owner_repos(transport, owner):
                out[repo] = None
        return list(out)

    def _owner_repos(self, transport: Transport, owner: str) -> list[str]:
        try:
            pages = list(
                transport.rest_pages(
                    f"/orgs/{owner}/repos",
                    what=f"the repositories of {owner}",
                    params={"type": "all"},
                )
            )
        except NotFound:
            try:
                pages = list(
                    transport.rest_pages(
                        f"/users/{owner}/repos", what=f"the repositories of {owner}"
                    )
                )
            except NotFound:
                raise SourceError(
                    redact(
                        f"source '{self.source.name}': repos entry '{owner}/*': no organization "
                        f"or user '{owner}' visible to the token in {self.options.token_env}"
                    )
                ) from None
        repos = []
        for page in pages:
            for repo in page:
                try:
                    if repo.get("archived"):
                        continue
                    repos.append(str(repo["full_name"]))
                except (KeyError, AttributeError, TypeError):
                    raise DataError(
                        f"source '{self.source.name}': unexpected repository listing for {owner}"
                    ) from None
        return sorted(repos)

    def team_members(self, transport: Transport, team: str) -> tuple[str, ...] | None:
        """Member logins of ``org/slug`` (read once per run), or None with a note if unreadable."""
        with self._teams_lock:
            if team in self._teams:
                return self._teams[team]
        org, _, slug = team.partition("/")
        members: tuple[str, ...] | None
        try:
            logins: list[str] = []
            for page in transport.rest_pages(
                f"/orgs/{org}/teams/{slug}/members", what=f"the members of team {team}"
            ):
                logins.extend(str(m["login"]) for m in page if isinstance(m, dict) and "login" in m)
            members = tuple(sorted(dict.fromkeys(logins)))
        except (NotFound, Forbidden) as exc:
            reason = str(exc).partition(": ")[2] if isinstance(exc, Forbidden) else "not visible"
            transport.note(f"could not read members of team {team}: {reason or exc}")
            members = None
        with self._teams_lock:
            self._teams.setdefault(team, members)
            return self._teams[team]


class RepoFetcher:
    """Reads one repository: paged GraphQL streams, then batched follow-ups."""

    def __init__(
        self,
        adapter: GitHubSource,
        transport: Transport,
        repo: str,
        window: Window,
        selection: Selection,
    ) -> None:
        self.adapter = adapter
        self.transport = transport
        self.repo = repo
        self.owner, _, self.name = repo.partition("/")
        self.window = window
        self.selection = selection
        self.mark = selection.since
        """Items updated since this are read newest first; older open ones oldest first."""
        self.issue_mark = parse_time(_iso(self.mark))
        """The mark as sent in ``since`` (whole seconds): where the newer issue stream starts."""
        self.source = adapter.source.name
        self.normalizer = Normalizer(
            self.source, repo, adapter.people, lambda team: adapter.team_members(transport, team)
        )
        self.deferred_prs: list[dict[str, Any]] = []
        self.deferred_issues: list[dict[str, Any]] = []
        self.pending: list[tuple[FollowUp, dict[str, Any]]] = []
        self.count = 0
        self.thread_counts: list[int] = []
        """Review threads of each PR read so far: how many the next page asks for."""
        self.holes: set[tuple[str, int]] = set()
        """``(connection alias, index)`` of this page's items that came with a hole."""
        self.incomplete_since: datetime | None = None

    def fetch(self, resume: dict[str, Any] | None = None) -> Iterator[Page]:
        """Yield one page per request, and one for the items completed by follow-ups.

        ``resume`` is the state a page of an interrupted sync carried (its
        :attr:`Page.resume` for this repository): reading carries on from its
        cursors. Each page carries the state to resume from once it is stored;
        while items of earlier pages wait for follow-ups, that state stays at
        the page before them, so an interruption never loses them.
        """
        first = self.adapter.options.page_size
        issues = self.adapter.options.include_issues
        takes_open = self.selection.takes_open  # a full fetch reads the stale streams too
        state: dict[str, Any] = {
            "prs": True,
            "stale": False,
            "issues": issues,
            "staleIssues": False,
            "probe": takes_open,
            "issueProbe": takes_open and issues,
            "prAfter": None,
            "staleAfter": None,
            "issueAfter": None,
            "staleIssueAfter": None,
            **dict.fromkeys(OWNER_FILES, True),
        }
        state.update({k: v for k, v in (resume or {}).items() if k in state})
        owners: list[CodeOwners] = []
        safe: dict[str, Any] | None = None
        """The state before the first page whose items still wait for follow-ups."""
        shrinks = 0
        what = f"repository {self.repo}"
        streams = ("prs", "stale", "issues", "staleIssues", "probe")
        while any(state[k] for k in streams):
            sent = frozenset(k for k in STREAMS if state[k])
            query = repo_page_query(sent, threads_first(self.thread_counts))
            values = {"owner": self.owner, "name": self.name, "first": first, **state}
            variables = page_variables(query, {**values, "since": _iso(self.mark)})
            holes: list[list[Any]] = []
            try:
                data = self.transport.graphql(
                    query, variables, what=what, shrinkable=True, holes=holes, optional=OWNER_FILES
                )
            except GatewayTimeout:
                shrinks += 1
                if shrinks > MAX_SHRINKS or first == 1:
                    waited = self.transport.waited
                    raise SourceError(
                        f"source '{self.source}': GitHub timed out reading {self.repo} "
                        f"even with pages of {first}"
                        + (f" (waited {waited:.0f} s between tries)" if waited >= 1 else "")
                    ) from None
                first = max(1, first // 2)
                self.transport.backoff(shrinks, what)  # a struggling server gets a breather
                continue
            except NotFound as exc:
                raise SourceError(exc.message) from None
            shrinks = 0
            first = min(self.adapter.options.page_size, first * 2)
            before = dict(state)
            deferred = len(self.deferred_prs) + len(self.deferred_issues)
            self.holes = {(h[1], h[3]) for h in holes if len(h) >= 4 and h[2] == "nodes"}
            reviews: list[Review] = []
            items: list[WorkItem] = []
            with self._shaped("a page"):
                repository = data.get("repository")
                if not isinstance(repository, dict):
                    raise SourceError(
                        f"source '{self.source}': repository {self.repo} was not found, or the "
                        f"token in {self.adapter.options.token_env} cannot see it"
                    )
                if state["probe"]:
                    state["probe"] = False
                    oldest = nodes(repository["oldestOpen"])
                    # Open PRs not updated since the mark: read them oldest first from now on.
                    state["stale"] = bool(oldest) and parse_time(oldest[0]["updatedAt"]) < self.mark
                if state["issueProbe"]:
                    state["issueProbe"] = False
                    oldest = nodes(repository["oldestOpenIssue"])
                    # Open issues not updated since the mark: likewise, oldest first.
                    state["staleIssues"] = (
                        bool(oldest) and parse_time(oldest[0]["updatedAt"]) < self.issue_mark
                    )
                if OWNER_FILES.keys() & sent:
                    owners = [self._code_owners(repository)]
                    state.update(dict.fromkeys(OWNER_FILES, False))
                if "prs" in sent:
                    more = self._take("pullRequests", repository, reviews, newer=True)
                    state["prs"], state["prAfter"] = more
                if "stale" in sent:
                    more = self._take("stalePullRequests", repository, reviews, newer=False)
                    state["stale"], state["staleAfter"] = more
                if "issues" in sent:
                    more = self._take_issues("issues", repository, items, newer=True)
                    state["issues"], state["issueAfter"] = more
                if "staleIssues" in sent:
                    more = self._take_issues("staleIssues", repository, items, newer=False)
                    state["staleIssues"], state["staleIssueAfter"] = more
            if safe is None and len(self.deferred_prs) + len(self.deferred_issues) > deferred:
                safe = before
            last = not any(state[k] for k in streams) and not self.pending and safe is None
            resume_at = {"done": True} if last else dict(safe or state)
            yield self._page(reviews, items, resume_at, owners)
            owners = []
            if last:
                return
        if self.pending:
            self._follow_up()
        reviews = [self.normalizer.review(node) for node in self.deferred_prs]
        items = [self.normalizer.work_item(node) for node in self.deferred_issues]
        yield self._page(reviews, items, {"done": True})

    # -- one page ------------------------------------------------------------------------

    def _take(
        self, alias: str, repository: Any, reviews: list[Review], *, newer: bool
    ) -> tuple[bool, str | None]:
        """Keep PRs on the right side of the mark; say whether the stream goes on."""
        go_on = True
        connection = repository[alias]
        for index, node in enumerate(nodes(connection)):
            with self._shaped("a PR", _number(node)):
                updated = parse_time(node["updatedAt"])
            if newer and updated < self.mark:
                go_on = False  # newest first: the rest are older still
                continue
            if not newer and (updated >= self.mark or node.get("state") != "OPEN"):
                go_on = False  # oldest first: from here on the newer stream has them
                continue
            whole = self._whole("pr", alias, index, node, updated)
            if whole is None:
                continue
            threads = (whole.get("reviewThreads") or {}).get("totalCount")
            if isinstance(threads, int):
                self.thread_counts.append(threads)
            overflows = self._overflows("pr", whole)
            if overflows:
                self.deferred_prs.append(whole)
                self.pending.extend(overflows)
            else:
                reviews.append(self.normalizer.review(whole))
        info = connection["pageInfo"]
        if not (go_on and info["hasNextPage"]):
            return False, None
        return True, info["endCursor"]

    def _take_issues(
        self, alias: str, repository: Any, items: list[WorkItem], *, newer: bool
    ) -> tuple[bool, str | None]:
        """Keep issues on the right side of the mark; say whether the stream goes on.

        The newer stream is already bounded by GitHub (``filterBy.since``); the
        older one (open, oldest first) stops where the newer one begins.
        """
        go_on = True
        connection = repository[alias]
        for index, node in enumerate(nodes(connection)):
            with self._shaped("an issue", _number(node)):
                updated = parse_time(node["updatedAt"])
            if not newer and (updated >= self.issue_mark or node.get("state") != "OPEN"):
                go_on = False  # oldest first: from here on the newer stream has them
                continue
            whole = self._whole("issue", alias, index, node, updated)
            if whole is None:
                continue
            overflows = self._overflows("issue", whole)
            if overflows:
                self.deferred_issues.append(whole)
                self.pending.extend(overflows)
            else:
                items.append(self.normalizer.work_item(whole))
        info = connection["pageInfo"]
        if not (go_on and info["hasNextPage"]):
            return False, None
        return True, info["endCursor"]

    def _whole(
        self, kind: str, alias: str, index: int, node: dict[str, Any], updated: datetime
    ) -> dict[str, Any] | None:
        """``node``, or when the page gave it with a hole, the item read again whole.

        A PR or issue GitHub sent with a list left null (an error pointing at
        it) is never stored short: it is read again, alone, up to
        :data:`ITEM_RETRIES` times with backoff. If it is still incomplete it
        is left out (the store keeps what it had), a note says so, and the
        page's :attr:`Page.incomplete_since` keeps the sync mark before it so
        the next sync reads it again.
        """
        if (alias, index) not in self.holes:
            return node
        number = _number(node)
        label = f"{self.repo}#{number}"
        if number is not None:
            for attempt in range(1, ITEM_RETRIES + 1):
                self.transport.backoff(attempt, label)
                holes: list[list[Any]] = []
                variables = {"owner": self.owner, "name": self.name, "number": number}
                data = self.transport.graphql(item_query(kind), variables, what=label, holes=holes)
                field = "pullRequest" if kind == "pr" else "issue"
                again = (data.get("repository") or {}).get(field)
                if isinstance(again, dict) and not holes:
                    return again
        self.transport.note(
            f"GitHub sent {label} incomplete ({ITEM_RETRIES + 1} tries): it was left out, "
            "any stored copy kept, and it is read again on the next sync"
        )
        if self.incomplete_since is None or updated < self.incomplete_since:
            self.incomplete_since = updated
        return None

    def _overflows(self, kind: str, node: dict[str, Any]) -> list[tuple[FollowUp, dict[str, Any]]]:
        """Continuations this node needs, each with the dict its nodes extend."""
        number = _number(node)
        if number is None:
            with self._shaped(f"a {kind}"):
                raise KeyError("number")
        table = PR_CONNECTIONS if kind == "pr" else ISSUE_CONNECTIONS
        out = []
        with self._shaped(f"{kind} {number}", number):
            for name in table:
                connection = node.get(name)
                if connection and connection["pageInfo"]["hasNextPage"]:
                    cursor = connection["pageInfo"]["endCursor"]
                    out.append((FollowUp(kind, number, name, cursor), connection))
            if kind == "pr":
                for thread in nodes(node.get("reviewThreads")):
                    out.extend(self._thread_overflow(number, thread))
        return out

    def _thread_overflow(
        self, number: int, thread: dict[str, Any]
    ) -> list[tuple[FollowUp, dict[str, Any]]]:
        comments = thread["comments"]
        if not comments["pageInfo"]["hasNextPage"]:
            return []
        cursor = comments["pageInfo"]["endCursor"]
        return [(FollowUp("thread", number, "comments", cursor, thread["id"]), comments)]

    def _code_owners(self, repository: dict[str, Any]) -> CodeOwners:
        """The repository's CODEOWNERS from the first page (no rules when it has none)."""
        for name, path in OWNER_FILES.items():
            blob = repository.get(name)
            if isinstance(blob, dict) and isinstance(blob.get("text"), str):
                return CodeOwners.parse(self.source, self.repo, path, blob["text"])
        return CodeOwners(self.source, self.repo, "")

    def _page(
        self,
        reviews: list[Review],
        items: list[WorkItem],
        resume: dict[str, Any],
        owners: list[CodeOwners] | None = None,
    ) -> Page:
        self.count += len(reviews) + len(items)
        self.transport.stats.add(items=len(reviews) + len(items))
        self.adapter.context.progress(f"github {self.repo}: {self.count} items")
        return Page(
            window=self.window,
            people=self.normalizer.take_people(),
            reviews=reviews,
            work_items=items,
            notes=list(self.transport.notes),
            sources=[self.source],
            resume={self.repo: resume},
            incomplete_since=self.incomplete_since,
            code_owners=owners or [],
        )

    # -- follow-ups ----------------------------------------------------------------------

    def _follow_up(self) -> None:
        """Complete every overflowing list, many continuations per request."""
        while self.pending:
            batch, self.pending = self.pending[:FOLLOW_UP_BATCH], self.pending[FOLLOW_UP_BATCH:]
            query, variables = follow_up_query([item for item, _ in batch])
            variables.update(owner=self.owner, name=self.name)
            try:
                data = self.transport.graphql(query, variables, what=f"more of {self.repo}")
            except NotFound as exc:
                raise SourceError(exc.message) from None
            for i, (item, target) in enumerate(batch):
                with self._shaped(f"{item.kind} {item.number}", item.number):
                    holder = data[f"f{i}"] if item.kind == "thread" else data["repository"][f"f{i}"]
                    connection = holder[item.connection]
                    new_nodes = nodes(connection)
                    target["nodes"].extend(new_nodes)
                    info = connection["pageInfo"]
                    if info["hasNextPage"]:
                        self.pending.append(
                            (
                                FollowUp(
                                    item.kind,
                                    item.number,
                                    item.connection,
                                    info["endCursor"],
                                    item.thread_id,
                                ),
                                target,
                            )
                        )
                    if item.kind == "pr" and item.connection == "reviewThreads":
                        for thread in new_nodes:
                            self.pending.extend(self._thread_overflow(item.number, thread))

    # -- errors --------------------------------------------------------------------------

    def _shaped(self, what: str, number: int | None = None) -> _Shaped:
        return _Shaped(self.source, self.repo, what, number)


class _Shaped:
    """Turns a KeyError/TypeError while reading GitHub JSON into a DataError naming the item."""

    def __init__(self, source: str, repo: str, what: str, number: int | None) -> None:
        self.source, self.repo, self.what, self.number = source, repo, what, number

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any
    ) -> Literal[False]:
        if exc is None or not isinstance(
            exc, KeyError | TypeError | ValueError | AttributeError | IndexError
        ):
            return False
        label = (
            f"{self.repo}#{self.number}"
            if self.number is not None
            else f"{self.what} of {self.repo}"
        )
        problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise DataError(
            redact(f"source '{self.source}': unexpected GitHub data for {label}: {problem}"[:400])
        ) from None


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(node: Any) -> int | None:
    number = node.get("number") if isinstance(node, dict) else None
    return number if isinstance(number, int) else None
