"""GitHub over :mod:`leadkit.http`: GraphQL semantics, REST paging, and GitHub's error statuses.

Retries, rate limits (primary and secondary, ``Retry-After``, ``x-ratelimit-*``),
timeouts, waits through the context's clock bounded by ``max_wait``, counting
and redaction are the shared layer's (:class:`leadkit.http.HttpClient`). What
is GitHub's is here:

- a GraphQL ``RATE_LIMITED`` error in a 200 is waited out as a rate limit,
  and a GraphQL 200 whose errors say it timed out or "Something went wrong"
  is retried as a transient failure;
- a gateway timeout (502/504) on a *shrinkable* query is handed back as
  :class:`GatewayTimeout`, so the caller asks for a smaller page (after
  :meth:`Transport.backoff`);
- GraphQL errors deep inside a node keep the rest of the data (noted for the
  report, or handed back as holes to read again); 401, 403 and 404 become
  messages that name the token's variable.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from requests import PreparedRequest
from requests.auth import AuthBase

from leadkit.api import (
    Again,
    CollectContext,
    DataError,
    HttpClient,
    MaybeDone,
    Reply,
    RetryPolicy,
    SourceError,
    next_link,
    redact,
)
from leadkit_github.graphql import LIST_FIELDS

__all__ = ["Forbidden", "GatewayTimeout", "MaybeDone", "NotFound", "Reply", "Transport"]

USER_AGENT = "leadkit-github"
TRANSIENT_GRAPHQL = re.compile(r"(?i)time ?out|timed out|something went wrong")
"""GraphQL error messages (in a 200) that a retry may cure."""
SECONDARY_MIN_WAIT = 60.0
"""GitHub's advice for a secondary rate limit that names no time: wait at least a minute."""


class GatewayTimeout(Exception):
    """GitHub gave up on a query (502/504): the caller should ask for a smaller page."""


class Forbidden(SourceError):
    """GitHub refused access (403 that is not a rate limit)."""


class NotFound(Exception):
    """The requested object does not exist or the token cannot see it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Token(AuthBase):
    """``Authorization: token ...``; its repr never shows the token."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"token {self._token}"
        return request

    def __repr__(self) -> str:
        return "<github token ***>"


def graphql_url(base_url: str) -> str:
    """GitHub's GraphQL endpoint for a REST base URL (GHES: ``/api/v3`` -> ``/api/graphql``)."""
    base = base_url.rstrip("/")
    return (base.removesuffix("/v3") if base.endswith("/api/v3") else base) + "/graphql"


class Transport:
    """Sends GraphQL and REST requests to one GitHub (or GHES) host for one source."""

    def __init__(
        self,
        *,
        source_name: str,
        base_url: str,
        token: str,
        token_env: str,
        context: CollectContext,
        timeout: float = 30.0,
        max_retries: int = 4,
        max_wait: float = 900.0,
    ) -> None:
        self.source_name = source_name
        self.base_url = base_url.rstrip("/")
        self.token_env = token_env
        self.stats = context.stats
        self.http = HttpClient(
            source=source_name,
            service="GitHub",
            base_url=self.base_url,
            context=context,
            policy=RetryPolicy(
                max_retries=max_retries, max_wait=max_wait, limit_wait=SECONDARY_MIN_WAIT
            ),
            timeout=timeout,
            auth=_Token(token),
            headers={"Accept": "application/vnd.github+json", "User-Agent": USER_AGENT},
            describe=_message,
        )
        self.graphql_url = graphql_url(self.base_url)
        self._lock = threading.Lock()
        self.notes: list[str] = []

    def __repr__(self) -> str:
        return f"Transport(source={self.source_name!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        """Close every thread's HTTP connection (called when paging ends)."""
        self.http.close()

    @property
    def waited(self) -> float:
        """Seconds this thread has waited (see :attr:`leadkit.http.HttpClient.waited`)."""
        return self.http.waited

    def backoff(self, attempt: int, what: str) -> None:
        """Wait before try ``attempt + 1`` (1, 2, 4 ... 30 s with jitter), through the context."""
        self.http.backoff(attempt, what)

    # -- public API ----------------------------------------------------------------

    def graphql(
        self,
        query: str,
        variables: dict[str, Any],
        *,
        what: str,
        shrinkable: bool = False,
        holes: list[list[Any]] | None = None,
        missing: list[list[Any]] | None = None,
        optional: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The ``data`` of a GraphQL query; errors other than NOT_FOUND on a field raise.

        When ``missing`` is given, the paths of NOT_FOUND errors go there and
        nothing raises for them (``config check --online`` lists what the token
        cannot see).

        A NOT_FOUND error on ``repository`` raises :class:`NotFound`. Errors deep
        inside a node (a field the token may not read) keep the rest of the data
        and are kept in :attr:`notes` for the report; any other error raises.
        When ``holes`` is given, the paths of errors that left a *list* null
        (:data:`~leadkit_github.graphql.LIST_FIELDS`: the item came incomplete,
        often a timeout deep in the query) go there instead of to the notes, so
        the caller can read those items again rather than store them short.
        ``optional``: fields of ``repository`` (alias: what it is) that may be
        refused (a token without access to files): an error there is a note.
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
        if missing is not None:
            found = [e for e in errors if isinstance(e, dict) and e.get("type") == "NOT_FOUND"]
            missing += [list(e.get("path") or []) for e in found]
            errors = [e for e in errors if e not in found]
        for error in [e for e in errors if optional and _optional(e, optional)]:
            label = (optional or {})[error["path"][1]]
            message = str(error.get("message", ""))[:200]
            self.note(f"GitHub did not give {label} of {what}: {message}")
            errors.remove(error)
        if errors:
            self._raise_graphql_errors(errors, result, what, holes)
        if not isinstance(result, dict):
            raise DataError(self._msg(f"GitHub sent a GraphQL reply without data for {what}"))
        return result

    def rest_pages(
        self, path: str, *, what: str, params: dict[str, Any] | None = None
    ) -> Iterator[list[Any]]:
        """Each page of a REST list (``per_page=100``), following ``Link: next``
        (:func:`leadkit.api.next_link`; a next page on another host stops the run)."""
        url: str | None = self.base_url + path
        params = {"per_page": 100, **(params or {})}
        while url:
            reply = self._send("GET", url, params, None, what=what)
            if not isinstance(reply.data, list):
                raise DataError(self._msg(f"GitHub sent an unexpected reply for {what}"))
            yield reply.data
            url, params = next_link(reply), None  # the link carries every parameter

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
        )

    # -- one request --------------------------------------------------------------

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
    ) -> Reply:
        """One request through the shared layer, then GitHub's meaning of its status."""

        def inspect(reply: Reply) -> Again | None:
            if reply.status == 200 and _graphql_rate_limited(reply.data):
                return Again("GitHub's GraphQL rate limit", rate_limit=True)
            if reply.status == 200:
                problem = _transient_graphql(reply.data)
                if problem is not None:
                    return Again(problem)
            if reply.status in (502, 504) and shrinkable:
                raise GatewayTimeout(what)
            return None

        reply = self.http.request(
            verb,
            url,
            what=what,
            params=params,
            json=body,
            retry_transient=retry_transient,
            inspect=inspect,
        )
        status = reply.status
        if status == 401:
            raise self.http.fail(
                f"the token in {self.token_env} was rejected (401 Bad credentials)"
            )
        if status == 404:
            raise NotFound(
                self._msg(
                    f"{what} was not found, or the token in {self.token_env} cannot see it (404)"
                )
            )
        if status == 403:
            raise Forbidden(self._msg(f"GitHub refused {what} (403: {_message(reply)})"))
        if status >= 400:
            raise self.http.fail(f"GitHub refused {what} ({status}: {_message(reply)})")
        return reply

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
        with self._lock:
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


def _transient_graphql(data: Any) -> str | None:
    """What is wrong with a GraphQL 200 that a retry may cure, or None when it is usable."""
    if not isinstance(data, dict) or "errors" not in data:
        return None
    errors = data.get("errors")
    if not isinstance(errors, list) or not errors:
        return None
    partial = isinstance(data.get("data"), dict) and all(
        isinstance(e, dict) and len(e.get("path") or []) >= 3 for e in errors
    )
    if partial:
        return None  # data with holes: the adapter keeps what it had and retries the items
    for error in errors:
        message = str(error.get("message", "")) if isinstance(error, dict) else str(error)
        if TRANSIENT_GRAPHQL.search(message):
            return redact(f"GitHub could not finish the query ({message[:200]})")
    return None


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


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _optional(error: Any, optional: Mapping[str, str]) -> bool:
    """An error on an optional field of ``repository`` (``["repository", alias]``)."""
    path = error.get("path") if isinstance(error, dict) else None
    return (
        isinstance(path, list)
        and len(path) == 2
        and path[0] == "repository"
        and (path[1] in optional)
    )
