"""A fault-injecting proxy on 127.0.0.1 in front of a fake tracker, and a trap for credentials.

:class:`Trap` is a second host (another port of 127.0.0.1): it records every
request it gets and answers an empty list, so a client that follows a link there
would carry on. :class:`HostProxy` forwards every request to a fake and passes
the answer back, with the fake's own URL in ``Link`` headers rewritten to the
proxy's (the client sees one host). Scripted faults make it hostile:

- :meth:`HostProxy.divert` points the next page of matching lists at the trap
  (the ``Link`` header rewritten, or added to a list that had none), as a cache,
  a proxy or a server whose external URL names another host would;
- :meth:`HostProxy.redirect` answers matching requests with a redirect to the
  same path on the trap (a 302 for a read, a 307/308 for a write).

A test then asks the trap what reached it: :meth:`Trap.credentials` lists every
header, path or body there that carries a credential.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from leadkit.http import CREDENTIAL_HEADERS
from leadkit.testing import Answer, FakeServer, FastHandler, LocalServer, Received

HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})


class Trap(FakeServer):
    """Another host: records what it receives and answers ``[]`` (a last, empty page)."""

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        return 200, {}, []

    def credentials(self, secrets: Iterable[str]) -> list[str]:
        """What of a credential reached the trap: a credential header, or a secret anywhere."""
        found = []
        with self._lock:
            received: list[Received] = list(self.received)
        for r in received:
            for name, value in r.headers.items():
                if name in CREDENTIAL_HEADERS:
                    found.append(f"{r.method} {r.path}: header {name}")
                found += [f"{r.method} {r.path}: {name} holds it" for s in secrets if s in value]
            text = r.path + json.dumps(r.query) + r.body.decode("utf-8", "replace")
            found += [
                f"{r.method} {r.path}: the path or body holds it" for s in secrets if s in text
            ]
        return found


@dataclass
class _Rule:
    pattern: re.Pattern[str]
    method: str
    status: int = 0
    """0: divert the next page; else redirect with this status."""


class HostProxy(LocalServer):
    """Forwards to ``upstream``; :meth:`divert` and :meth:`redirect` script its faults."""

    def __init__(self, upstream: str, trap: Trap) -> None:
        self.upstream = upstream.rstrip("/")
        self.trap = trap
        self.rules: list[_Rule] = []
        self.diverted: list[str] = []
        """The paths whose next page was pointed at the trap."""
        self._lock = threading.Lock()

    def divert(self, path: str, method: str = "GET") -> None:
        """Point the next page of lists whose path matches ``path`` (a regex) at the trap."""
        self.rules.append(_Rule(re.compile(path), method))

    def redirect(self, path: str, method: str, status: int) -> None:
        """Answer ``method`` requests whose path matches ``path`` with ``status`` to the trap."""
        self.rules.append(_Rule(re.compile(path), method, status))

    def _rule(self, method: str, path: str, redirect: bool) -> _Rule | None:
        return next(
            (
                r
                for r in self.rules
                if r.method == method and r.pattern.search(path) and bool(r.status) == redirect
            ),
            None,
        )

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        parts = urlsplit(self.upstream)
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        try:
            sent = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
            conn.request(method, path, body=body or None, headers=sent)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        bare = urlsplit(path).path
        redirect = self._rule(method, bare, redirect=True)
        if redirect is not None:
            return redirect.status, [("Location", self.trap.server_url + path)], b""
        status, upstream_headers, data = self._forward(method, path, headers, body)
        out = [(k, v) for k, v in upstream_headers if k.lower() not in HOP_BY_HOP]
        if self._rule(method, bare, redirect=False) is not None and _is_list(data):
            elsewhere = f'<{self.trap.server_url}{path}>; rel="next"'
            out = [(k, v) for k, v in out if k.lower() != "link"] + [("Link", elsewhere)]
            with self._lock:
                self.diverted.append(bare)
        else:
            out = [
                (k, v.replace(self.upstream, self.server_url) if k.lower() == "link" else v)
                for k, v in out
            ]
        return status, out, data

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(FastHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = dict(self.headers.items())
                status, out, data = proxy.answer(self.command, self.path, headers, body)
                self.send_response(status)
                for key, value in out:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        return Handler


def _is_list(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data or b"null"), list)
    except ValueError:
        return False
