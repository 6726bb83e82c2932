"""One HTTP layer for tracker adapters: retries, rate limits, waits, counting and redaction.

The GitHub and Jira adapters send every request through an :class:`HttpClient`,
and a third-party source should too. For each request it:

- sends it with a timeout (connect at most 10 s) on this thread's
  ``requests`` session (one per thread: adapters read in parallel) and counts
  it in the source's :class:`~leadkit.collect.sources.SourceStats`;
- retries **transient** failures at most ``max_retries`` times, waiting 1, 2,
  4 ... 30 s plus up to 10 % jitter: a connection error or timeout, a body cut
  off, a 2xx whose body is not JSON, 500/502/503/504, and whatever the
  adapter's ``inspect`` hook calls transient (GitHub: a GraphQL 200 whose
  errors say it timed out);
- waits out **rate limits**: a 429; a 403 with ``Retry-After``,
  ``x-ratelimit-remaining: 0`` or a body that says "rate limit" (GitHub's
  primary and secondary limits); a 503 with ``Retry-After`` (Jira); or what
  the hook flags (a GraphQL ``RATE_LIMITED`` error in a 200). It waits as long
  as ``Retry-After`` says (seconds or an HTTP date), else until
  ``x-ratelimit-reset`` (epoch seconds, plus one for their rounding, or an
  ISO time), else ``limit_wait`` doubling each time (plus jitter), at most
  ``max_limit_waits`` times;
- sleeps only through the context's ``sleep`` and reads the time only from its
  ``clock`` (tests fake both), and bounds what each thread waits in total by
  ``max_wait``: a wait that would pass it fails at once and says when the
  limit resets;
- counts retries and waited seconds in the stats, says on the progress line
  what it waits for, and passes every message through
  :func:`leadkit.secrets.redact`;
- sends nothing to another host: a URL an adapter follows (a ``Link:
  rel="next"`` page, :func:`next_link`, or any absolute URL) is requested only
  when its scheme, host and port equal the configured base URL's
  (:func:`origin`), else the run stops with one line naming both; a redirect
  to another host is followed without any credential (``Authorization``,
  ``PRIVATE-TOKEN``, any header holding a secret), and a request with a body
  (a POST, PUT, PATCH) is never sent on to another host by a 307/308
  (:class:`OneHostSession`, which the Slack publisher uses too).

It does not decide what an error status means for a tracker: a 4xx that is
not a rate limit comes back as a :class:`Reply` for the adapter to explain,
through :meth:`HttpClient.fail` so the explanation is redacted too.

Why a loop of its own rather than urllib3's ``Retry`` or tenacity: ``Retry``
runs inside the connection pool, sleeps with ``time.sleep``, never sees a
body (a GraphQL ``RATE_LIMITED`` comes in a 200) and retries the first time
without waiting; tenacity takes an injected sleep, but its waits and stops
key on one attempt counter and its own monotonic clock, while this layer
keeps separate budgets for failures and rate limits and bounds each thread's
waiting on the context's clock. Wrapping either would leave this module as
long and harder to read; the one piece that fits, urllib3's connection
pooling, is used through ``requests``.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.auth import AuthBase

from leadkit.collect.sources import CollectContext
from leadkit.errors import LeadkitError, SourceError
from leadkit.secrets import holds_secret, redact
from leadkit.timeutil import parse_datetime, parse_http_date

TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
CUT_OFF = "the response was cut off"
CONNECT_TIMEOUT = 10.0
DEFAULT_PORTS = {"http": 80, "https": 443}
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "private-token", "job-token", "cookie", "x-api-key"}
)
"""Headers that carry a credential by their name; a header whose value holds a secret
(:func:`leadkit.secrets.holds_secret`) is one too."""
BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower-case, a default port left out.

    Two URLs may share a credential only when their origins are equal: scheme,
    host and port (``http://`` against ``https://`` differs, as does another port).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return f"{scheme}://{parts.netloc.lower()}"  # never equal to a valid origin
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


_LINK = re.compile(r"<(?P<url>[^>]*)>(?P<params>[^<]*)")


def next_link(reply: Reply) -> str | None:
    """The ``rel="next"`` URL of a reply's ``Link`` header, made absolute against the
    URL the reply came from; None when there is no next page.

    Following it is safe through :meth:`HttpClient.request`, which refuses a URL on
    another host.
    """
    for match in _LINK.finditer(reply.headers.get("link") or ""):
        for param in match.group("params").split(";"):
            name, _, value = param.partition("=")
            rels = value.strip().strip('"').lower().split()
            if name.strip().lower() == "rel" and "next" in rels:
                return str(urljoin(reply.url, match.group("url").strip()))
    return None


class CrossHost(LeadkitError):
    """A redirect would have re-sent a request with a body to another host."""


class OneHostSession(requests.Session):
    """A ``requests`` session that keeps credentials on the host they were meant for.

    On a redirect to another origin (:func:`origin`) every credential header is
    dropped (``requests`` itself drops only ``Authorization``, and only when the
    host changes), and a request with a body (POST, PUT, PATCH, DELETE) that a
    307/308 would re-send there raises :class:`CrossHost` instead: a digest or a
    comment goes only where it was addressed.
    """

    def rebuild_auth(
        self, prepared_request: requests.PreparedRequest, response: requests.Response
    ) -> None:
        old, new = str(response.request.url or ""), str(prepared_request.url or "")
        if origin(old) != origin(new):
            method = (prepared_request.method or "GET").upper()
            if method not in BODYLESS:
                raise CrossHost(
                    f"a {method} to {origin(old)} was redirected (HTTP {response.status_code}) "
                    f"to another host, {origin(new)}: leadkit does not send it there"
                )
            headers = prepared_request.headers
            for name in list(headers):
                if name.lower() in CREDENTIAL_HEADERS or holds_secret(str(headers[name])):
                    del headers[name]
        # No netrc credentials are added for the new host, unlike requests' own rebuild_auth.


@dataclass(frozen=True)
class RetryPolicy:
    """How hard an :class:`HttpClient` tries before it gives up."""

    max_retries: int = 4
    """Transient failures retried per request (so ``max_retries + 1`` attempts)."""
    max_wait: float = 900.0
    """Seconds one thread may wait in total, over all its requests."""
    backoff_cap: float = 30.0
    """The longest wait between transient failures."""
    limit_wait: float = 1.0
    """The first wait for a rate limit that does not say when to retry; it doubles."""
    max_limit_waits: int = 10
    """Rate-limit waits per request."""
    jitter: float = 0.1
    """Waits the client computes (not those the server asks for) grow by up to this share."""


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status, headers (any case), body text and its JSON (None if none)."""

    status: int
    headers: Mapping[str, str]
    text: str
    data: Any = None
    response: requests.Response | None = field(default=None, repr=False, compare=False)
    """The ``requests`` response, for libraries that read one (jira's error parser)."""
    url: str = ""
    """The URL the reply came from (after any redirect): relative links resolve against it."""

    @property
    def ok(self) -> bool:
        return self.status < 400


@dataclass(frozen=True)
class Again:
    """An adapter's verdict on a reply: try it again (as a rate limit when ``rate_limit``).

    ``problem`` says what went wrong in words (it ends up in the progress line
    and in the final error). ``wait`` is the seconds the tracker announced
    until a retry can succeed, when the adapter can read it where the generic
    rules cannot (a GraphQL rate-limit error with its reset time in a header
    or in the body): the client then waits exactly that, not its own 1, 2, 4 s
    backoff, still bounded by ``max_wait``, and a wait past ``max_wait`` fails
    at once naming the reset time the tracker announced.
    """

    problem: str
    rate_limit: bool = False
    wait: float | None = None


Inspect = Callable[[Reply], Again | None]
"""An adapter's look at each reply, before the generic rules (``HttpClient.request(inspect=)``).

It returns None to let the generic rules decide (rate-limit statuses and
headers, 5xx, bodies that are not JSON), an :class:`Again` to try the request
again, or raises (a :class:`~leadkit.errors.SourceError` through
:meth:`HttpClient.fail`) for an answer that is final and wrong. Trackers that
answer every request 200 and put the error in the body (GraphQL) need it.
"""


class MaybeDone(SourceError):
    """A request that must not run twice got no clear answer: it may have taken effect."""


@dataclass
class _Tries:
    """One request's failures and rate-limit waits so far."""

    failures: int = 0
    limits: int = 0


class HttpClient:
    """JSON requests to one tracker for one source, under one :class:`RetryPolicy`."""

    def __init__(
        self,
        *,
        source: str,
        service: str,
        base_url: str,
        context: CollectContext,
        policy: RetryPolicy | None = None,
        timeout: float = 30.0,
        auth: AuthBase | None = None,
        headers: Mapping[str, str] | None = None,
        describe: Callable[[Reply], str] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """``service`` names the tracker in messages ("GitHub"); ``describe`` reads its error bodies."""
        self.source = source
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.context = context
        self.policy = policy or RetryPolicy()
        self.timeout = timeout
        self.auth = auth
        self.headers = {"Accept": "application/json", **(headers or {})}
        self.describe = describe or _describe
        self.rng = rng or random.Random()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[requests.Session] = []

    def __repr__(self) -> str:
        return f"HttpClient(source={self.source!r}, base_url={self.base_url!r})"

    # -- sessions ------------------------------------------------------------------

    @property
    def session(self) -> requests.Session:
        """This thread's session (a session's connection pool is not shared across threads)."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = OneHostSession()
            session.auth = self.auth
            session.headers.update(self.headers)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every thread's connections."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()

    # -- requests ------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        retry_transient: bool = True,
        inspect: Inspect | None = None,
    ) -> Reply:
        """Send until an answer is final; ``url`` may be a path under the base URL.

        ``what`` names the request in messages ("repository acme/api").
        ``retry_transient=False`` is for a request that must not run twice
        (creating a comment): a transient failure raises :class:`MaybeDone` at
        once. Rate limits are still waited out: the tracker did not act on them.
        An absolute ``url`` (a next page a tracker named) must be on the base
        URL's origin: on another host it raises, and nothing is sent.
        """
        if not url.startswith(("http://", "https://")):
            url = self.base_url + url
        self._check_host(url, what)
        tries = _Tries()
        while True:
            reply, again = self._once(method, url, params, json, inspect)
            if again is None:
                assert reply is not None
                return reply
            if again.rate_limit:
                tries.limits += 1
                self._wait_for_limit(reply, tries.limits, what, again)
                continue
            if not retry_transient:
                raise MaybeDone(self.message(f"{again.problem} for {what}"))
            tries.failures += 1
            if tries.failures > self.policy.max_retries:
                raise self.fail(
                    f"{again.problem} for {what}, {tries.failures} attempts{self._waited_text()}"
                )
            delay = _announced(again)
            if delay is None:
                delay = self._backoff_delay(tries.failures)
            self._check_budget(delay, what, again.problem, reply=None)
            self._pause(delay, f"{again.problem} for {what}")

    def _check_host(self, url: str, what: str) -> None:
        """Raise, naming both hosts, when ``url`` is not on the base URL's origin."""
        theirs, ours = origin(url), origin(self.base_url)
        if theirs != ours:
            raise self.fail(
                f"not following {self.service}'s link for {what} to another host: {theirs} is "
                f"not the configured {ours} (leadkit sends requests and the token only to the "
                "configured host; if the other host is the right one, configure it)"
            )

    def _once(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        body: Any,
        inspect: Inspect | None,
    ) -> tuple[Reply | None, Again | None]:
        """One attempt: the reply, and whether (and how) to try again."""
        self.context.stats.add(requests=1)
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=body,
                timeout=(min(CONNECT_TIMEOUT, self.timeout), self.timeout),
            )
            text = response.text
        except CrossHost as exc:
            raise self.fail(str(exc)) from None
        except requests.RequestException as exc:
            return None, Again(self._connection_problem(exc))
        reply = Reply(
            response.status_code, response.headers, text, _json(text), response, response.url
        )
        if inspect is not None:
            verdict = inspect(reply)
            if verdict is not None:
                return reply, verdict
        return reply, self._verdict(reply)

    def _verdict(self, reply: Reply) -> Again | None:
        """The generic rules: rate limits, transient statuses, bodies that are not JSON."""
        status, headers = reply.status, reply.headers
        if status == 429 or (
            status == 403
            and (
                "retry-after" in headers
                or headers.get("x-ratelimit-remaining") == "0"
                or "rate limit" in self.describe(reply).lower()
            )
        ):
            return Again(f"{self.service} answered HTTP {status}", rate_limit=True)
        if status == 503 and "retry-after" in headers:
            return Again(f"{self.service} answered HTTP {status}", rate_limit=True)
        if status in TRANSIENT_STATUSES:
            detail = self.describe(reply)
            return Again(
                f"{self.service} answered HTTP {status}" + (f": {detail}" if detail else "")
            )
        if reply.ok and reply.data is None and reply.text.strip():
            text = reply.text.strip()
            if text[:1] in "{[" and text[-1:] not in "}]":
                return Again(CUT_OFF)
            return Again(f"{self.service} sent a reply that is not JSON (HTTP {status})")
        return None

    def _connection_problem(self, exc: requests.RequestException) -> str:
        """A connection failure in words (never just an exception class name)."""
        text = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, requests.exceptions.ChunkedEncodingError) or re.search(
            r"(?i)IncompleteRead|Connection broken|ProtocolError", text
        ):
            return CUT_OFF
        where = f"cannot reach {self.service} at {self.base_url}"
        if isinstance(exc, requests.Timeout) or re.search(r"(?i)timed? ?out", text):
            return f"{where}: the request timed out (timeout {self.timeout:g} s)"
        reason = str(exc).strip() or type(exc).__name__
        return redact(f"{where}: the connection failed ({reason[:160]})")

    # -- waiting -------------------------------------------------------------------

    def backoff(self, attempt: int, what: str) -> None:
        """Wait before try ``attempt + 1`` of something the adapter retries itself."""
        self._pause(self._backoff_delay(attempt), f"trying {what} again")

    def _backoff_delay(self, attempt: int) -> float:
        delay = min(2.0 ** (attempt - 1), self.policy.backoff_cap)
        return delay * (1 + self.rng.random() * self.policy.jitter)

    def _wait_for_limit(self, reply: Reply | None, attempt: int, what: str, again: Again) -> None:
        """Wait out a rate limit: what the adapter read (``Again.wait``), else the headers say,
        else ``limit_wait`` doubling."""
        problem = again.problem
        if attempt > self.policy.max_limit_waits:
            raise self.fail(
                f"{self.service} kept rate-limiting {what} ({problem}, {attempt} times); "
                "try again later"
            )
        announced = _announced(again)
        delay = announced if announced is not None else self._advised_delay(reply)
        if delay is None:
            delay = self.policy.limit_wait * 2.0 ** (attempt - 1)
            delay *= 1 + self.rng.random() * self.policy.jitter
        self._check_budget(delay, what, problem, reply=reply, announced=announced is not None)
        self._pause(delay, f"{self.service} rate limit on {what}")

    def _advised_delay(self, reply: Reply | None) -> float | None:
        """Seconds the tracker asks for: ``Retry-After``, else ``x-ratelimit-reset``."""
        if reply is None:
            return None
        now = self.context.clock()
        retry_after = (reply.headers.get("retry-after") or "").strip()
        if retry_after:
            seconds = _number(retry_after)
            if seconds is not None:
                return max(seconds, 0.0)
            date = parse_http_date(retry_after)
            if date is not None:
                return max(date.timestamp() - now, 0.0)
        reset = _reset_time(reply)
        if reset is not None:
            when, whole_seconds = reset
            # Epoch seconds are rounded down: the real reset may be up to one second later.
            return max(when - now, 0.0) + (1.0 if whole_seconds else 0.0)
        return None

    def _check_budget(
        self,
        delay: float,
        what: str,
        problem: str,
        *,
        reply: Reply | None,
        announced: bool = False,
    ) -> None:
        """Fail now, saying when to come back, if waiting ``delay`` would pass ``max_wait``.

        The time named is the tracker's: the adapter's announced wait from now,
        else the reply's reset header, else now plus the wait leadkit computed.
        """
        if self.waited + delay <= self.policy.max_wait:
            return
        reset = _reset_time(reply) if reply is not None and not announced else None
        when = datetime.fromtimestamp(reset[0] if reset else self.context.clock() + delay, UTC)
        cause = (
            f"{self.service} rate limit reached while reading {what}; it resets at "
            f"{when:%Y-%m-%d %H:%M:%S} UTC"
            if reply is not None
            else f"{problem} for {what}"
        )
        raise self.fail(
            f"{cause}: leadkit would have to wait {delay:.0f} s more, past max_wait = "
            f"{self.policy.max_wait:g} s ({self.waited:.0f} s waited already). "
            "Try again later, or raise max_wait"
        )

    def _pause(self, seconds: float, reason: str) -> None:
        """Sleep through the context, counting it for this thread and in the stats."""
        self._local.waited = self.waited + seconds
        self.context.stats.add(retries=1, waited_seconds=seconds)
        self.context.progress(redact(f"{self.source}: waiting {seconds:.0f} s ({reason})"))
        self.context.sleep(seconds)

    @property
    def waited(self) -> float:
        """Seconds this thread has waited (its requests run one after another: real time)."""
        return float(getattr(self._local, "waited", 0.0))

    def _waited_text(self) -> str:
        return f" (waited {self.waited:.0f} s between them)" if self.waited >= 1 else ""

    # -- errors --------------------------------------------------------------------

    def message(self, text: str) -> str:
        """``text`` as this source says it, with every secret masked."""
        return redact(f"source '{self.source}': {text}")

    def fail(self, text: str) -> SourceError:
        """A :class:`SourceError` naming the source, secrets masked."""
        return SourceError(self.message(text))


def _json(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _reset_time(reply: Reply) -> tuple[float, bool] | None:
    """When the limit resets (epoch seconds, and whether given in whole seconds), if nothing is left."""
    if reply.headers.get("x-ratelimit-remaining") not in (None, "0"):
        return None  # a secondary limit: the primary reset is not the point
    value = (reply.headers.get("x-ratelimit-reset") or "").strip()
    if not value:
        return None
    epoch = _number(value)
    if epoch is not None:
        return epoch, True
    try:
        return parse_datetime(value, what="x-ratelimit-reset").timestamp(), False
    except LeadkitError:
        return None


def _announced(again: Again) -> float | None:
    """The wait an adapter read from the tracker, in seconds (never negative), or None."""
    if again.wait is None:
        return None
    return again.wait if again.wait > 0 else 0.0  # NaN and negatives: retry now


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _describe(reply: Reply) -> str:
    """The tracker's own words from an error body, on one line, secrets masked."""
    data = reply.data
    message: Any = None
    if isinstance(data, dict):
        message = data.get("message")
        errors = data.get("errors") or data.get("errorMessages")
        if message is None and isinstance(errors, list) and errors:
            first = errors[0]
            message = first.get("message") if isinstance(first, dict) else first
    text = str(message) if message is not None else reply.text
    if text.lstrip().startswith("<"):
        return ""  # an HTML error page says nothing useful on one line
    return redact(" ".join(text.split()))[:300]
