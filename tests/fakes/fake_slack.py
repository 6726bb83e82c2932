"""A fake Slack incoming webhook on 127.0.0.1: records every JSON payload posted to its path.

Use::

    with FakeSlack() as slack:
        slack.webhook        # the URL to put in SLACK_WEBHOOK_URL
        slack.posts          # the payloads received, parsed
        slack.status = 404   # answer the next posts with this (and ``slack.reply``)
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

from leadkit.testing.server import FastHandler, LocalServer

HOOK_PATH = "/services/T0LEADKIT/B0DIGEST/s3cretHookKey0123456789"


class FakeSlack(LocalServer):
    """The fake webhook; answers ``ok`` (200) unless :attr:`status` says otherwise."""

    def __init__(self) -> None:
        self.posts: list[Any] = []
        self.status = 200
        self.reply = "ok"
        self._lock = threading.Lock()

    @property
    def webhook(self) -> str:
        return self.server_url + HOOK_PATH

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(FastHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != HOOK_PATH:
                    status, text = 404, "no_service"
                else:
                    with fake._lock:
                        fake.posts.append(json.loads(body))
                    status, text = fake.status, fake.reply
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
