"""Every HTTP request the adapter makes: retries, rate limits, timeouts and counting.

Built on PyGithub's ``Requester`` (one ``Github`` client per thread, since a
requester shares one HTTP connection): its ``requestJson`` sends a request and
returns the raw status, headers and body without raising or retrying. PyGithub's
own retries are switched off (``retry=None``) and its ``graphql_query`` is not
used, because both decide on their own when to sleep and how to fail (a 429
without ``Retry-After`` is not retried, a GraphQL error body with partial data
raises and loses the data). Here every decision is leadkit's:

- every request has a timeout and is counted in the source's stats;
- 403/429 rate limits (primary and secondary) and GraphQL ``RATE_LIMITED``
  errors wait for ``Retry-After``, else ``x-ratelimit-reset`` when nothing is
  left, else a minute doubling each time, with jitter; the total wait is
  bounded by ``max_wait`` and then a :class:`SourceError` says when it resets;
- 5xx, connection errors, a response cut off mid-body, a 200 whose body is
  not JSON, and a GraphQL 200 whose errors say it timed out or "Something went
  wrong" are retried a bounded number of times with exponential backoff;
- a GraphQL gateway timeout (502/504) on a *shrinkable* query is handed back
  to the caller as :class:`GatewayTimeout` so it can ask for a smaller page
  (after :meth:`Transport.backoff`);
- the time waited is counted per thread, so a message says what that
  repository's requests really waited, not a sum over repositories read in
  parallel; ``max_wait`` bounds each thread's waiting the same way;
- every message is passed through :func:`leadkit.secrets.redact`.

All sleeps go through the injected ``sleep`` so tests fake time.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import github
from github import Auth

from leadkit.errors import DataError, SourceError
from leadkit.secrets import redact
from leadkit.sources import SourceStats
from leadkit_github.graphql import LIST_FIELDS

USER_AGENT = "leadkit-github"
TRANSIENT = frozenset({500, 502, 503, 504})
TRANSIENT_GRAPHQL = re.compile(r"(?i)time ?out|timed out|something went wrong")
"""GraphQL error messages (in a 200) that a retry may cure."""
CUT_OFF = "the response was cut off"
SECONDARY_MIN_WAIT = 60.0


class GatewayTimeout(Exception):
    """GitHub gave up on a query (502/504): the caller should ask for a smaller page."""


class Forbidden(SourceError):
    """GitHub refused access (403 that is not a rate limit)."""


class MaybeDone(SourceError):
    """A write got no clear answer (5xx, dropped connection): it may have taken effect."""


class NotFound(Exception):
    """The requested object does not exist or the token cannot see it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Reply:
    """One HTTP response: status, lower-cased headers and the parsed JSON body (or None)."""

    status: int
    headers: Mapping[str, str]
    data: Any
    text: str


class Transport:
    """Sends GraphQL and REST requests to one GitHub (or GHES) host for one source."""

    def __init__(
        self,
        *,
        source_name: str,
        base_url: str,
        token: str,
        token_env: str,
        stats: SourceStats,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        timeout: int = 30,
        max_retries: int = 4,
        max_wait: float = 900.0,
        rng: random.Random | None = None,
    ) -> None:
        self.source_name = source_name
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.token_env = token_env
        self.stats = stats
        self.sleep = sleep
        self.clock = clock
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.rng = rng or random.Random()
        self._wait_lock = threading.Lock()
        self._local = threading.local()
        self.notes: list[str] = []
        self._clients: list[github.Github] = []
        self.graphql_url = self._client().requester.graphql_url

    def __repr__(self) -> str:
        return f"Transport(source={self.source_name!r}, base_url={self.base_url!r})"

    # -- clients -------------------------------------------------------------------

    def _client(self) -> github.Github:
        """This thread's PyGithub client (a requester shares one connection)."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = github.Github(
                auth=Auth.Token(self._token),
                base_url=self.base_url,
                timeout=self.timeout,
                user_agent=USER_AGENT,
                per_page=100,
                retry=None,
                seconds_between_requests=None,
                seconds_between_writes=None,
            )
            self._local.client = client
            with self._wait_lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        """Close every thread's HTTP connection (called when paging ends)."""
        with self._wait_lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()

    # -- public API ----------------------------------------------------------------

    def graphql(
        self,
        query: str,
        variables: dict[str, Any],
        *,
        what: str,
        shrinkable: bool = False,
        holes: list[list[Any]] | None = None,
    ) -> dict[str, Any]:
        """The ``data`` of a GraphQL query; errors other than NOT_FOUND on a field raise.

        A NOT_FOUND error on ``repository`` raises :class:`NotFound`. Errors deep
        inside a node (a field the token may not read) keep the rest of the data
        and are kept in :attr:`notes` for the report; any other error raises.
        When ``holes`` is given, the paths of errors that left a *list* null
        (:data:`~leadkit_github.graphql.LIST_FIELDS`: the item came incomplete,
        often a timeout deep in the query) go there instead of to the notes, so
        the caller can read those items again rather than store them short.
        """
        body = {"query": query, "variables": variables}
        reply = self._send("POST", self.graphql_url, None, body, what=what, shrinkable=shrinkable)
        data = reply.data
        if not isinstance(data, dict):
            raise DataError(self._msg(f"GitHub sent an unexpected GraphQL reply for {what}"))
        errors = data.get("errors") or []
        if not isinstance(errors, list):
            errors = [errors]
        result = data.get("data")
        cost = _dig(result, "rateLimit", "cost")
        if isinstance(cost, int):
            self.stats.add(graphql_points=cost)
        if errors:
            self._raise_graphql_errors(errors, result, what, holes)
        if not isinstance(result, dict):
            raise DataError(self._msg(f"GitHub sent a GraphQL reply without data for {what}"))
        return result

    def rest_pages(
        self, path: str, *, what: str, params: dict[str, Any] | None = None
    ) -> Iterator[list[Any]]:
        """Each page of a REST list (``per_page=100``), following ``Link: next``."""
        url: str | None = self.base_url + path
        params = {"per_page": 100, **(params or {})}
        while url:
            reply = self._send("GET", url, params, None, what=what)
            if not isinstance(reply.data, list):
                raise DataError(self._msg(f"GitHub sent an unexpected reply for {what}"))
            yield reply.data
            url, params = _next_link(reply.headers.get("link", ""))

    def rest(
        self,
        verb: str,
        path: str,
        *,
        what: str,
        body: Any = None,
        params: dict[str, Any] | None = None,
        retry_transient: bool = True,
    ) -> Reply:
        """One REST call (writes included); an empty body (204) is allowed.

        ``retry_transient=False`` for a request that must not run twice (creating
        a comment): a 5xx or dropped connection raises at once, so the caller can
        check whether it took effect. Rate-limit answers are still waited out,
        since GitHub did not act on them.
        """
        return self._send(
            verb,
            self.base_url + path,
            params,
            _redacted(body),
            what=what,
            retry_transient=retry_transient,
            allow_empty=True,
        )

    # -- the retry loop ------------------------------------------------------------

    def _send(
        self,
        verb: str,
        url: str,
        params: dict[str, Any] | None,
        body: Any,
        *,
        what: str,
        shrinkable: bool = False,
        retry_transient: bool = True,
        allow_empty: bool = False,
    ) -> Reply:
        failures = 0
        secondary = 0
        while True:
            reply = self._once(verb, url, params, body, what=what)
            if isinstance(reply, str):  # connection error or timeout
                failures += 1
                if not retry_transient:
                    raise MaybeDone(self._msg(f"{reply} for {what}"))
                self._retry_or_fail(failures, what, reply)
                continue
            status = reply.status
            if status == 401:
                raise SourceError(
                    self._msg(f"the token in {self.token_env} was rejected (401 Bad credentials)")
                )
            if status in (403, 429) and self._is_rate_limited(reply):
                secondary += 1
                self._wait_for_limit(reply, secondary, what)
                continue
            if status == 200 and _graphql_rate_limited(reply.data):
                secondary += 1
                self._wait_for_limit(reply, secondary, what)
                continue
            if status == 200 and retry_transient:
                problem = _transient_200(reply)
                if problem is not None:
                    failures += 1
                    self._retry_or_fail(failures, what, problem)
                    continue
            if status in (502, 504) and shrinkable:
                raise GatewayTimeout(what)
            if status in TRANSIENT:
                failures += 1
                if not retry_transient:
                    raise MaybeDone(
                        self._msg(f"GitHub answered {status}: {_message(reply)} for {what}")
                    )
                self._retry_or_fail(failures, what, f"GitHub answered {status}: {_message(reply)}")
                continue
            if status == 404:
                raise NotFound(
                    self._msg(
                        f"{what} was not found, or the token in "
                        f"{self.token_env} cannot see it (404)"
                    )
                )
            if status == 403:
                message = _message(reply)
                raise Forbidden(self._msg(f"GitHub refused {what} (403: {message})"))
            if status >= 400:
                message = _message(reply)
                raise SourceError(self._msg(f"GitHub refused {what} ({status}: {message})"))
            if reply.data is None and not (allow_empty and not reply.text.strip()):
                raise DataError(
                    self._msg(f"GitHub sent a reply that is not JSON for {what} (HTTP {status})")
                )
            return reply

    def _once(
        self, verb: str, url: str, params: dict[str, Any] | None, body: Any, *, what: str
    ) -> Reply | str:
        """One request; a string describes a connection error or timeout."""
        self.stats.add(requests=1)
        requester = self._client().requester
        try:
            status, headers, text = requester.requestJson(verb, url, parameters=params, input=body)
        except Exception as exc:  # connection errors of every flavour
            return _connection_problem(exc)
        headers = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
        try:
            data = json.loads(text) if text else None
        except (ValueError, TypeError):
            data = None
        return Reply(status=status, headers=headers, data=data, text=text or "")

    def _retry_or_fail(self, failures: int, what: str, problem: str) -> None:
        if failures > self.max_retries:
            raise SourceError(
                self._msg(f"{problem} for {what}, {failures} attempts{self._waited_text()}")
            )
        self.backoff(failures, what)

    def backoff(self, attempt: int, what: str) -> None:
        """Wait before try ``attempt + 1``: 1, 2, 4 ... 30 s, with jitter, through ``sleep``."""
        delay = min(2.0 ** (attempt - 1), 30.0)
        self._pause(delay * (1 + self.rng.random() * 0.25), what, retry=True)

    @property
    def waited(self) -> float:
        """Seconds this thread has waited (its requests are sequential: that is real time)."""
        return float(getattr(self._local, "waited", 0.0))

    def _waited_text(self) -> str:
        return f" (waited {self.waited:.0f} s between them)" if self.waited >= 1 else ""

    # -- rate limits ---------------------------------------------------------------

    def _is_rate_limited(self, reply: Reply) -> bool:
        if reply.status == 429:
            return True
        headers = reply.headers
        if "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0":
            return True
        return "rate limit" in _message(reply).lower()

    def _wait_for_limit(self, reply: Reply, attempt: int, what: str) -> None:
        headers = reply.headers
        reset = _float(headers.get("x-ratelimit-reset"))
        retry_after = _float(headers.get("retry-after"))
        if retry_after is not None:
            delay = retry_after
        elif headers.get("x-ratelimit-remaining") == "0" and reset is not None:
            delay = max(reset - self.clock(), 0.0) + 1.0
        else:
            # Secondary limit without advice: at least a minute, doubling each time.
            delay = SECONDARY_MIN_WAIT * 2 ** (attempt - 1)
        delay *= 1 + self.rng.random() * 0.1
        if self.waited + delay > self.max_wait:
            if reset is not None:
                when = datetime.fromtimestamp(reset, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            else:
                when = datetime.fromtimestamp(self.clock() + delay, UTC).strftime(
                    "%Y-%m-%d %H:%M:%S UTC"
                )
            raise SourceError(
                self._msg(
                    f"GitHub rate limit reached while reading {what}; it resets at {when}. "
                    f"Waited {self.waited:.0f}s of max_wait {self.max_wait:.0f}s: "
                    "try again then, or raise max_wait"
                )
            )
        self._pause(delay, what, retry=True)

    def _pause(self, seconds: float, what: str, *, retry: bool) -> None:
        self._local.waited = self.waited + seconds
        self.stats.add(retries=1 if retry else 0, waited_seconds=seconds)
        self.sleep(seconds)

    # -- errors --------------------------------------------------------------------

    def _raise_graphql_errors(
        self, errors: list[Any], result: Any, what: str, holes: list[list[Any]] | None
    ) -> None:
        for error in errors:
            if not isinstance(error, dict):
                continue
            path = error.get("path") or []
            if error.get("type") == "NOT_FOUND" and path[:1] == ["repository"]:
                raise NotFound(
                    self._msg(
                        f"{what} was not found, or the token in {self.token_env} cannot see it"
                    )
                )
        nested = isinstance(result, dict) and all(
            isinstance(e, dict) and len(e.get("path") or []) >= 3 for e in errors
        )
        if nested:
            for error in errors:
                if holes is not None and _is_hole(result, error["path"]):
                    holes.append(list(error["path"]))
                    continue
                where = ".".join(str(p) for p in error["path"])
                message = str(error.get("message", ""))[:200]
                self.note(f"GitHub did not give {where} of {what}: {message}")
            return
        first = next((e for e in errors if isinstance(e, dict)), {})
        message = str(first.get("message", errors[0]))[:300]
        kind = first.get("type")
        label = f"{kind}: " if kind else ""
        raise SourceError(self._msg(f"GitHub GraphQL error reading {what}: {label}{message}"))

    def note(self, text: str) -> None:
        """Remember something the report should say it could not read."""
        message = redact(f"{text} (source '{self.source_name}')")
        with self._wait_lock:
            if message not in self.notes:
                self.notes.append(message)

    def _msg(self, text: str) -> str:
        return redact(f"source '{self.source_name}': {text}")


def _is_hole(result: Any, path: list[Any]) -> bool:
    """Whether ``path`` in ``result`` is a list field GitHub left null."""
    value = result
    for step in path:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return False
    return value is None and path[-1] in LIST_FIELDS


def _transient_200(reply: Reply) -> str | None:
    """What is wrong with a 200 that a retry may cure, or None when it is usable."""
    if reply.data is None:
        text = reply.text.strip()
        if not text:
            return None
        if text[:1] in "{[" and text[-1:] not in "}]":
            return CUT_OFF
        return "GitHub sent a reply that is not JSON (HTTP 200)"
    if not isinstance(reply.data, dict) or "errors" not in reply.data:
        return None
    errors = reply.data.get("errors")
    if not isinstance(errors, list) or not errors:
        return None
    partial = isinstance(reply.data.get("data"), dict) and all(
        isinstance(e, dict) and len(e.get("path") or []) >= 3 for e in errors
    )
    if partial:
        return None  # data with holes: the adapter keeps what it had and retries the items
    for error in errors:
        message = str(error.get("message", "")) if isinstance(error, dict) else str(error)
        if TRANSIENT_GRAPHQL.search(message):
            return redact(f"GitHub could not finish the query ({message[:200]})")
    return None


def _connection_problem(exc: Exception) -> str:
    """A connection failure in words (never just an exception class name)."""
    text = f"{type(exc).__name__}: {exc}"
    if re.search(r"(?i)IncompleteRead|ChunkedEncoding|Connection broken|ProtocolError", text):
        return CUT_OFF
    if re.search(r"(?i)timeout|timed out", text):
        return "the request timed out"
    return redact(f"could not reach GitHub ({text})")[:300]


def _redacted(value: Any) -> Any:
    """A REST body with every string redacted: a comment leadkit writes never carries a secret."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value


def _graphql_rate_limited(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    errors = data.get("errors")
    if not isinstance(errors, list):
        return False
    return any(isinstance(e, dict) and e.get("type") == "RATE_LIMITED" for e in errors)


def _message(reply: Reply) -> str:
    if isinstance(reply.data, dict):
        message = reply.data.get("message")
        if message is None and isinstance(reply.data.get("errors"), list) and reply.data["errors"]:
            first = reply.data["errors"][0]
            message = first.get("message") if isinstance(first, dict) else first
        if message is not None:
            return redact(str(message))[:300]
    return redact(reply.text.strip())[:200] or "no message"


def _float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _next_link(header: str) -> tuple[str | None, dict[str, Any] | None]:
    """The ``rel="next"`` URL of a ``Link`` header (its query string kept in the URL)."""
    for part in header.split(","):
        section = part.split(";")
        if len(section) < 2:
            continue
        url = section[0].strip().strip("<>")
        if any(s.strip() == 'rel="next"' for s in section[1:]):
            return url, None
    return None, None
