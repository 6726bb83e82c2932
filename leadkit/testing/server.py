"""A tiny fake HTTP server on 127.0.0.1, for end-to-end tests of a source against a fake tracker.

Subclass :class:`FakeServer` and implement :meth:`FakeServer.handle`; the base
serves every method on a free port, records what it received, and plays
scripted faults (a 429 with ``Retry-After``, a 5xx) before the real answer::

    class FakeTracker(FakeServer):
        def handle(self, method, path, headers, body):
            return 200, {}, {"items": []}

    with FakeTracker() as fake:
        fake.fail(429, headers={"Retry-After": "3"})
        ...  # point the adapter at fake.server_url

:class:`LocalServer` and :class:`FastHandler` are the lower layer, for a fake
that writes its own request handler.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, dict[str, str], Any]
"""A fake's answer: status, extra headers, and a body (JSON-able data, or str/bytes sent as is)."""


class FastHandler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1 without Nagle delays, and no request log on stderr."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
        # algorithm and the client's delayed ACK add ~40 ms to every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer:
    """Start, stop and address a fake on a free port of 127.0.0.1; usable as a context manager."""

    poll_interval = 0.02
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        """The request handler bound to this fake."""
        raise NotImplementedError

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": self.poll_interval},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def server_url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class Received:
    """One request the fake received: method, path (without the query), query, headers, body."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Fault:
    """A scripted answer served instead of the real one, ``times`` times."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    times: int = 1
    method: str = ""
    path: str = ""
    """Only requests whose path starts with this (and of this method, when set)."""


class FakeServer(LocalServer):
    """A fake tracker: :meth:`handle` answers, the base serves, records and injects faults."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Answer one request; ``path`` includes the query string, ``headers`` are lower-case."""
        raise NotImplementedError

    def fail(
        self,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        times: int = 1,
        method: str = "",
        path: str = "",
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (e.g. 429 and
        ``Retry-After``, or 502), then go back to :meth:`handle`."""
        with self._lock:
            self.faults.append(Fault(status, dict(headers or {}), body, times, method, path))

    def requests_to(self, path_prefix: str, method: str = "") -> list[Received]:
        """The requests received under ``path_prefix`` (of ``method``, when given)."""
        with self._lock:
            return [
                r
                for r in self.received
                if r.path.startswith(path_prefix) and method in ("", r.method)
            ]

    def answer(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Record the request, then serve a due fault or :meth:`handle`'s answer."""
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.received.append(Received(method, parts.path, query, headers, body))
            fault = next(
                (
                    f
                    for f in self.faults
                    if f.method in ("", method) and parts.path.startswith(f.path)
                ),
                None,
            )
            if fault is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
        if fault is not None:
            body_out = fault.body if fault.body is not None else {"message": f"HTTP {fault.status}"}
            return fault.status, fault.headers, body_out
        try:
            return self.handle(method, raw_path, headers, body)
        except Exception as exc:  # a bug in the fake: say so instead of hanging up
            return 500, {}, {"message": f"{type(self).__name__} failed: {exc!r}"}

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(FastHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra, reply = fake.answer(self.command, self.path, headers, body)
                if isinstance(reply, bytes | str):
                    data = reply.encode() if isinstance(reply, str) else reply
                    ctype = "text/plain; charset=utf-8"
                else:
                    data = json.dumps(reply).encode()
                    ctype = "application/json; charset=utf-8"
                self.send_response(status)
                if not any(k.lower() == "content-type" for k in extra):
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        return Handler
