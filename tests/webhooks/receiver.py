"""A webhook receiver for tests: an HTTP server on 127.0.0.1 in a thread, answering each POST with
the next status of its script (the last one repeats), verifying each with the standardwebhooks
library when it knows the secret, and keeping what it got."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str
    verified: object = None  # the parsed payload when the signature checked out, else the error text


@dataclass
class Receiver:
    statuses: list[int]
    secret: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    got: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/accountdesk"

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length).decode()
        headers = {k.lower(): v for k, v in request.headers.items()}
        verified: object = None
        if self.secret:
            try:
                verified = Webhook(self.secret).verify(body, headers)
            except WebhookVerificationError as exc:
                verified = f"refused: {exc}"
        self.got.append(Received(request.path, headers, body, verified))
        if self.delay:
            threading.Event().wait(self.delay)
        status = self.statuses[min(len(self.got) - 1, len(self.statuses) - 1)]
        text = b"ok" if status < 300 else b"receiver says no"
        request.send_response(status)
        for name, value in self.headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(text)))
        request.end_headers()
        request.wfile.write(text)


def start(receiver: Receiver) -> Receiver:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver.answer(self)

        def log_message(self, *args) -> None:
            pass

    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


def stop(receiver: Receiver) -> None:
    if receiver.server is not None:
        receiver.server.shutdown()
        receiver.server.server_close()
