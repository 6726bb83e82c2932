"""HTTP to one Jira site: auth, timeouts, bounded retries, and a count of every request.

Why not ``jira.JIRA`` for the calls themselves: in jira 3.10.5 its constructor
spends two requests (``/serverInfo`` and ``/field``) before any work; on Cloud
``search_issues`` pages through ``/search/jql`` only from ``startAt == 0`` and
raises past the first page; and its ``ResilientSession`` retries 429/503 with
``time.sleep`` (``2 * Retry-After``, capped at 60 s), which leadkit can neither
fake in tests, bound in total, nor count. So leadkit calls the REST endpoints
through a ``requests.Session`` it controls, and takes from the library what
fits: its bearer-token auth (:class:`jira.client.TokenAuth`, for Data Center
personal access tokens) and its reader of Jira's error bodies
(:func:`jira.resilientsession.parse_errors`), so a bad JQL shows Jira's own
words.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import requests
from jira.client import TokenAuth
from jira.resilientsession import parse_errors

from leadkit.errors import DataError, LeadkitError, SourceError
from leadkit.secrets import redact
from leadkit.sources import SourceStats
from leadkit.timeutil import parse_datetime, parse_http_date

log = logging.getLogger("leadkit_jira")

RETRY_STATUSES = frozenset({500, 502, 503, 504, 429})
MAX_RATE_LIMIT_RETRIES = 10
"""429/503 are retried while the total wait stays under ``max_wait``, and at most this often."""
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
USER_AGENT = "leadkit-jira/0.1 (+https://github.com/leadkit)"


class _BasicAuth(requests.auth.HTTPBasicAuth):
    """Basic auth whose repr never shows the token (tracebacks with locals, debuggers)."""

    def __repr__(self) -> str:
        return "<jira basic auth ***>"


class _BearerAuth(TokenAuth):
    def __repr__(self) -> str:
        return "<jira bearer token ***>"


class JiraClient:
    """JSON GET/POST against ``server`` with retries, a timeout and request counting.

    Every HTTP attempt counts one request into ``stats``; every wait is made
    through ``sleep`` (the collect context's, faked in tests) and counted as
    a retry and as waited seconds. Errors come out as one-line
    :class:`SourceError` / :class:`DataError` messages with secrets redacted.
    """

    def __init__(
        self,
        *,
        source_name: str,
        server: str,
        email: str | None,
        token: str,
        credential_variables: tuple[str, ...],
        stats: SourceStats,
        sleep: Callable[[float], None],
        timeout: float = 30.0,
        max_retries: int = 4,
        max_wait: float = 120.0,
        clock: Callable[[], datetime] | None = None,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.source_name = source_name
        self.server = server.rstrip("/")
        self.credential_variables = credential_variables
        self.stats = stats
        self.sleep = sleep
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.clock = clock or (lambda: datetime.now(UTC))
        self.rng = rng or random.Random()
        self.session = session or requests.Session()
        self.session.auth = _BasicAuth(email, token) if email is not None else _BearerAuth(token)
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
        self.waited = 0.0

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
        self.session.close()

    # -- internals -----------------------------------------------------------------

    def _fail(self, message: str) -> SourceError:
        return SourceError(redact(f"source '{self.source_name}': {message}"))

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        what: str,
    ) -> Any:
        url = f"{self.server}{path}"
        errors = 0
        limited = 0
        while True:
            self.stats.add(requests=1)
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=body,
                    timeout=(min(10.0, self.timeout), self.timeout),
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                kind = "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
                log.debug(redact(f"{method} {url}: {kind}"))
                if errors >= self.max_retries:
                    raise self._fail(
                        f"cannot reach Jira at {self.server} for the {what}: {kind} "
                        f"{errors + 1} times (timeout {self.timeout:g} s)"
                    ) from None
                delay = self._backoff(errors)
                errors += 1
                self._wait(delay, reason=f"{kind} on the {what}")
                continue
            except requests.RequestException as exc:
                raise self._fail(f"request for the {what} failed: {type(exc).__name__}") from None

            status = response.status_code
            log.debug(redact(f"{method} {response.url} -> {status}"))
            if status < 300:
                return self._json(response, what)
            if status in RETRY_STATUSES:
                asked = self._retry_after(response) if status in (429, 503) else None
                if status == 429 or (status == 503 and asked is not None):
                    if limited >= MAX_RATE_LIMIT_RETRIES:
                        raise self._fail(
                            f"Jira kept rate-limiting the {what} (HTTP {status}, "
                            f"{limited + 1} times); try again later"
                        )
                    delay = asked if asked is not None else self._backoff(limited)
                    limited += 1
                else:
                    if errors >= self.max_retries:
                        raise self._fail(
                            f"Jira answered HTTP {status} to the {what} {errors + 1} times; "
                            "giving up (is the server healthy?)"
                        )
                    delay = self._backoff(errors)
                    errors += 1
                self._wait(delay, reason=f"HTTP {status} on the {what}")
                continue
            raise self._error(response, what)

    def _json(self, response: requests.Response, what: str) -> Any:
        if response.status_code == 204:
            return None
        try:
            return response.json()
        except ValueError:
            start = response.text[:60].replace("\n", " ")
            raise DataError(
                redact(
                    f"source '{self.source_name}': Jira sent a body that is not JSON for the "
                    f"{what} (HTTP {response.status_code}, starts {start!r})"
                )
            ) from None

    def _error(self, response: requests.Response, what: str) -> SourceError:
        status = response.status_code
        variables = " / ".join(self.credential_variables)
        if status == 401:
            return self._fail(
                f"Jira rejected the credentials in {variables} (HTTP 401 on the {what})"
            )
        if status == 403:
            reason = _messages(response)
            return self._fail(
                f"Jira refused the {what} with the credentials in {variables} (HTTP 403"
                + (f": {reason}" if reason else "")
                + "); check the token and that the account may browse these projects"
            )
        if status == 400:
            return self._fail(f"Jira rejected the {what}: {_messages(response) or 'HTTP 400'}")
        if status == 410:
            return self._fail(
                f"Jira says the endpoint for the {what} is gone (HTTP 410); "
                'this looks like Jira Cloud: set deployment = "cloud"'
            )
        if status == 404:
            reason = _messages(response)
            return self._fail(
                f"Jira has no {what} at {self.server} (HTTP 404"
                + (f": {reason}" if reason else "")
                + "); check server and deployment"
            )
        reason = _messages(response)
        return self._fail(
            f"Jira answered HTTP {status} to the {what}" + (f": {reason}" if reason else "")
        )

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter, for failures that say nothing about when to retry."""
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt))
        return ceiling * self.rng.uniform(0.5, 1.0)

    def _retry_after(self, response: requests.Response) -> float | None:
        """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or ``X-RateLimit-Reset``."""
        now = self.clock()
        value = response.headers.get("Retry-After")
        if value:
            value = value.strip()
            try:
                return max(0.0, float(value))
            except ValueError:
                pass
            when = parse_http_date(value)
            if when is not None:
                return max(0.0, (when - now).total_seconds())
        reset = response.headers.get("X-RateLimit-Reset")
        if reset:
            try:
                when = parse_datetime(reset)
            except LeadkitError:
                return None
            return max(0.0, (when - now).total_seconds())
        return None

    def _wait(self, delay: float, *, reason: str) -> None:
        if self.waited + delay > self.max_wait:
            raise self._fail(
                f"{reason}: Jira asks leadkit to wait {delay:.0f} s more, past max_wait = "
                f"{self.max_wait:g} s ({self.waited:.0f} s waited already); try again later "
                "or raise max_wait"
            )
        log.debug("waiting %.1f s: %s", delay, reason)
        self.sleep(delay)
        self.waited += delay
        self.stats.add(retries=1, waited_seconds=delay)


def _messages(response: requests.Response) -> str:
    """Jira's own error messages from a response body, joined, on one line."""
    try:
        found = parse_errors(response)
    except Exception:
        found = []
    text = "; ".join(str(m).strip() for m in found if str(m).strip())
    text = " ".join(text.split())
    if text.lstrip().startswith("<"):
        return ""  # an HTML error page says nothing useful on one line
    return text[:300]
