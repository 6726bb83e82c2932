"""HTTP to one Jira site over :mod:`leadkit.http`: auth, and what Jira's error statuses mean.

Retries, 429/503 ``Retry-After`` and ``X-RateLimit-Reset`` waits, timeouts,
waits through the context's clock bounded by ``max_wait``, counting and
redaction are the shared layer's (:class:`leadkit.http.HttpClient`).

Why not ``jira.JIRA`` for the calls themselves: in jira 3.10.5 its constructor
spends two requests (``/serverInfo`` and ``/field``) before any work; on Cloud
``search_issues`` pages through ``/search/jql`` only from ``startAt == 0`` and
raises past the first page; and its ``ResilientSession`` retries 429/503 with
``time.sleep`` (``2 * Retry-After``, capped at 60 s), which leadkit can neither
fake in tests, bound in total, nor count. So leadkit calls the REST endpoints
itself, and takes from the library what fits: its bearer-token auth
(:class:`jira.client.TokenAuth`, for Data Center personal access tokens) and
its reader of Jira's error bodies (:func:`jira.resilientsession.parse_errors`),
so a bad JQL shows Jira's own words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests
from jira.client import TokenAuth
from jira.resilientsession import parse_errors

from leadkit.api import CollectContext, HttpClient, Reply, RetryPolicy, SourceError

USER_AGENT = "leadkit-jira/0.1 (+https://github.com/leadkit)"


class _BasicAuth(requests.auth.HTTPBasicAuth):
    """Basic auth whose repr never shows the token (tracebacks with locals, debuggers)."""

    def __repr__(self) -> str:
        return "<jira basic auth ***>"


class _BearerAuth(TokenAuth):
    def __repr__(self) -> str:
        return "<jira bearer token ***>"


class JiraClient:
    """JSON GET/POST/PUT against ``server``: the shared HTTP layer plus Jira's error messages."""

    def __init__(
        self,
        *,
        source_name: str,
        server: str,
        email: str | None,
        token: str,
        credential_variables: tuple[str, ...],
        context: CollectContext,
        timeout: float = 30.0,
        max_retries: int = 4,
        max_wait: float = 120.0,
    ) -> None:
        self.source_name = source_name
        self.server = server.rstrip("/")
        self.credential_variables = credential_variables
        self.http = HttpClient(
            source=source_name,
            service="Jira",
            base_url=self.server,
            context=context,
            policy=RetryPolicy(max_retries=max_retries, max_wait=max_wait),
            timeout=timeout,
            auth=_BasicAuth(email, token) if email is not None else _BearerAuth(token),
            headers={"User-Agent": USER_AGENT},
            describe=_messages,
        )

    def __repr__(self) -> str:
        return f"JiraClient({self.server!r})"

    @property
    def session(self) -> requests.Session:
        """This thread's HTTP session."""
        return self.http.session

    # -- public --------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None, *, what: str) -> Any:
        """GET ``path`` (relative to the server) and return its JSON body."""
        return self._request("GET", path, params=params, body=None, what=what)

    def post(self, path: str, body: Mapping[str, Any], *, what: str) -> Any:
        """POST a JSON ``body`` to ``path`` and return the JSON answer (used for searches)."""
        return self._request("POST", path, params=None, body=body, what=what)

    def put(self, path: str, body: Mapping[str, Any], *, what: str) -> Any:
        """PUT a JSON ``body`` to ``path``; None for an empty answer (204, used for writes)."""
        return self._request("PUT", path, params=None, body=body, what=what)

    def close(self) -> None:
        self.http.close()

    # -- internals -----------------------------------------------------------------

    def _fail(self, message: str) -> SourceError:
        return self.http.fail(message)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        what: str,
    ) -> Any:
        reply = self.http.request(method, path, what=f"the {what}", params=params, json=body)
        if not reply.ok:
            raise self._error(reply, what)
        return reply.data

    def _error(self, reply: Reply, what: str) -> SourceError:
        status = reply.status
        variables = " / ".join(self.credential_variables)
        if status == 401:
            return self._fail(
                f"Jira rejected the credentials in {variables} (HTTP 401 on the {what})"
            )
        if status == 403:
            reason = _messages(reply)
            return self._fail(
                f"Jira refused the {what} with the credentials in {variables} (HTTP 403"
                + (f": {reason}" if reason else "")
                + "); check the token and that the account may browse these projects"
            )
        if status == 400:
            return self._fail(f"Jira rejected the {what}: {_messages(reply) or 'HTTP 400'}")
        if status == 410:
            return self._fail(
                f"Jira says the endpoint for the {what} is gone (HTTP 410); "
                'this looks like Jira Cloud: set deployment = "cloud"'
            )
        if status == 404:
            reason = _messages(reply)
            return self._fail(
                f"Jira has no {what} at {self.server} (HTTP 404"
                + (f": {reason}" if reason else "")
                + "); check server and deployment"
            )
        reason = _messages(reply)
        return self._fail(
            f"Jira answered HTTP {status} to the {what}" + (f": {reason}" if reason else "")
        )


def _messages(reply: Reply) -> str:
    """Jira's own error messages from a response body, joined, on one line."""
    try:
        found = parse_errors(reply.response) if reply.response is not None else []
    except Exception:
        found = []
    text = "; ".join(str(m).strip() for m in found if str(m).strip())
    text = " ".join(text.split())
    if text.lstrip().startswith("<"):
        return ""  # an HTML error page says nothing useful on one line
    return text[:300]
