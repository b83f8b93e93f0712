"""One HTTP POST to a webhook endpoint, with the standard library: connect and read timeouts, the
address checked as the socket connects (accountdesk.webhooks.guards), redirects never followed
(http.client does not follow them; a 3xx is a failed attempt), and only the start of the answer
read."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from accountdesk.webhooks.guards import DestinationRefused, checked_addresses, split_url
from accountdesk.webhooks.models import ERROR_MAX, RESPONSE_HEAD_MAX


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    response_head: str = ""
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300 and not self.error


def _guarded_socket(host: str, port: int) -> socket.socket:
    """A socket connected to an allowed address of `host`, with the read timeout set."""
    last_error: OSError | None = None
    for ip in checked_addresses(host, port):
        try:
            sock = socket.create_connection(
                (str(ip), port), timeout=settings.ACCOUNTDESK_WEBHOOK_CONNECT_TIMEOUT
            )
        except OSError as exc:
            last_error = exc
            continue
        sock.settimeout(settings.ACCOUNTDESK_WEBHOOK_READ_TIMEOUT)
        return sock
    raise last_error or OSError(f"could not connect to {host}")


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _guarded_socket(self.host, self.port)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _guarded_socket(self.host, self.port)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


def _short(error: BaseException) -> str:
    text = str(error) or error.__class__.__name__
    return text[:ERROR_MAX]


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url`; never raises for what the network or the endpoint does."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port = split_url(url)
    except DestinationRefused as exc:
        return Outcome(None, took(), error=_short(exc))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _HTTPSConnection if scheme == "https" else _HTTPConnection
    connection = connection_class(host, port, timeout=settings.ACCOUNTDESK_WEBHOOK_READ_TIMEOUT)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        head = response.read(RESPONSE_HEAD_MAX * 4).decode("utf-8", errors="replace")[:RESPONSE_HEAD_MAX]
        status = response.status
    except DestinationRefused as exc:
        return Outcome(None, took(), error=_short(exc))
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        return Outcome(None, took(), error=_short(exc) if str(exc) else f"{exc.__class__.__name__}")
    finally:
        connection.close()
    if 300 <= status < 400:
        where = response.getheader("Location") or "elsewhere"
        return Outcome(status, took(), head, error=f"Redirect to {where} not followed."[:ERROR_MAX])
    return Outcome(status, took(), head)
