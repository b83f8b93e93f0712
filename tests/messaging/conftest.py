"""Real servers for the messaging tests: an SMTP server and a Twilio-style SMS gateway."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


class Gateway(BaseHTTPRequestHandler):
    requests: list = []
    answer = (201, {"sid": "SM123", "status": "queued"})

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Gateway.requests.append(
            {
                "path": self.path,
                "auth": self.headers["Authorization"],
                "form": parse_qs(self.rfile.read(length).decode()),
            }
        )
        Gateway.requests[-1]["key"] = self.headers.get("Idempotency-Key")
        status, body = Gateway.answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway(settings, customer):
    Gateway.requests = []
    Gateway.answer = (201, {"sid": "SM123", "status": "queued"})
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ACCOUNTDESK_SMS_BACKEND = "rest"
    settings.ACCOUNTDESK_SMS_REST_URL = f"http://127.0.0.1:{server.server_port}/2010-04-01"
    settings.ACCOUNTDESK_SMS_ACCOUNT_SID = "AC42"
    settings.ACCOUNTDESK_SMS_AUTH_TOKEN = "secret"
    settings.ACCOUNTDESK_SMS_FROM = "+15550001111"
    customer.phone = "+1 555 0100"  # messages go to the customer's own number
    customer.save(update_fields=["phone"])
    yield Gateway
    server.shutdown()
    server.server_close()
