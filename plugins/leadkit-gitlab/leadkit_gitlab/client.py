"""HTTP to one GitLab over :mod:`leadkit.http`: the token, pagination, and what errors mean.

Retries of 5xx and cut-off replies, 429 ``Retry-After`` and ``RateLimit-Reset``
waits, timeouts, waiting through the context's clock bounded by ``max_wait``,
request counting and secret redaction are the shared layer's
(:class:`leadkit.http.HttpClient`). This module adds what is GitLab's:

- the token goes in the ``PRIVATE-TOKEN`` header (personal, project and group
  access tokens alike);
- lists are read 100 at a time, following ``Link: <...>; rel="next"`` (keyset
  pagination; :func:`leadkit.api.next_link`, a next page on another host stops
  the run) or else ``x-next-page`` (offset pagination), whichever GitLab sends;
- 401 means the token was rejected, 403 that it may not read (or write) this,
  404 that the project, group or item is not there or not visible to the
  token; each is one line naming the source and the token's variable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

from leadkit.api import (
    CollectContext,
    DataError,
    HttpClient,
    MaybeDone,
    Reply,
    RetryPolicy,
    SourceError,
    next_link,
)

USER_AGENT = "leadkit-gitlab/0.1 (+https://github.com/leadkit)"
PER_PAGE = 100

__all__ = ["Forbidden", "GitLabClient", "MaybeDone", "NotFound", "project_id"]


class NotFound(SourceError):
    """GitLab answered 404: not there, or not visible to the token."""


class Forbidden(SourceError):
    """GitLab answered 403 (not a rate limit): the token may not do this."""


def project_id(path: str) -> str:
    """A project's (or group's) full path as the ``:id`` of a REST URL (``acme%2Fapi``)."""
    return quote(path, safe="")


class GitLabClient:
    """JSON requests to ``{url}/api/v4`` for one source, with GitLab's pagination and errors."""

    def __init__(
        self,
        *,
        source_name: str,
        url: str,
        token: str,
        token_env: str,
        context: CollectContext,
        timeout: float = 30.0,
        max_retries: int = 4,
        max_wait: float = 900.0,
    ) -> None:
        self.source_name = source_name
        self.url = url.rstrip("/")
        self.token_env = token_env
        self.context = context
        self.http = HttpClient(
            source=source_name,
            service="GitLab",
            base_url=f"{self.url}/api/v4",
            context=context,
            policy=RetryPolicy(max_retries=max_retries, max_wait=max_wait),
            timeout=timeout,
            headers={"PRIVATE-TOKEN": token, "User-Agent": USER_AGENT},
            describe=_describe,
        )

    def __repr__(self) -> str:
        return f"GitLabClient({self.url!r})"

    def close(self) -> None:
        self.http.close()

    # -- requests ------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None, *, what: str) -> Any:
        """GET ``path`` (under ``/api/v4``) and return its JSON."""
        return self._checked(self.http.request("GET", path, what=what, params=params), what)

    def send(
        self, method: str, path: str, body: Mapping[str, Any], *, what: str, once: bool = False
    ) -> Any:
        """POST or PUT a JSON ``body``; ``once`` for a request that must not run twice."""
        reply = self.http.request(method, path, what=what, json=body, retry_transient=not once)
        return self._checked(reply, what)

    def pages(
        self, path: str, params: Mapping[str, Any] | None = None, *, what: str
    ) -> Iterator[list[Any]]:
        """Every page of a list, 100 items each, following ``Link`` or ``x-next-page``."""
        query: dict[str, Any] | None = {**(params or {}), "per_page": PER_PAGE}
        url = path
        seen: set[str] = set()
        while True:
            reply = self.http.request("GET", url, what=what, params=query)
            data = self._checked(reply, what)
            if not isinstance(data, list):
                raise DataError(
                    self.http.message(f"GitLab sent {what} as {type(data).__name__}, not a list")
                )
            yield data
            link = next_link(reply)
            next_page = (reply.headers.get("x-next-page") or "").strip()
            if link is not None:
                url, query = link, None  # the link carries every parameter
            elif next_page and data:
                query = {**(query or {}), "page": next_page}
                url = path
            else:
                return
            mark = f"{url}?{sorted((query or {}).items())}"
            if mark in seen:
                raise DataError(
                    self.http.message(f"GitLab sent the same next page twice for {what}")
                )
            seen.add(mark)

    def items(self, path: str, params: Mapping[str, Any] | None = None, *, what: str) -> list[Any]:
        """Every item of a list, all pages read."""
        return [item for page in self.pages(path, params, what=what) for item in page]

    # -- errors --------------------------------------------------------------------

    def _checked(self, reply: Reply, what: str) -> Any:
        if reply.ok:
            return reply.data
        status = reply.status
        reason = _describe(reply)
        detail = f": {reason}" if reason else ""
        if status == 401:
            raise self.http.fail(
                f"GitLab rejected the token in {self.token_env} (HTTP 401 reading {what}); "
                "check that it is valid and not expired"
            )
        if status == 403:
            raise Forbidden(
                self.http.message(
                    f"GitLab refused {what} to the token in {self.token_env} (HTTP 403{detail}); "
                    "check its scopes (read_api to read, api to comment) and its role"
                )
            )
        if status == 404:
            raise NotFound(
                self.http.message(
                    f"{what} was not found at {self.url}, or the token in {self.token_env} "
                    "cannot see it (HTTP 404)"
                )
            )
        raise self.http.fail(f"GitLab answered HTTP {status} to {what}{detail}")


def _describe(reply: Reply) -> str:
    """GitLab's own words from an error body (``message`` or ``error``), on one line."""
    data = reply.data
    message: Any = None
    if isinstance(data, dict):
        message = data.get("message") or data.get("error_description") or data.get("error")
    text = str(message) if message is not None else reply.text
    if text.lstrip().startswith("<"):
        return ""  # an HTML error page says nothing useful on one line
    return " ".join(text.split())[:300]
