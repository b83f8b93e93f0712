"""The portal's fixtures (a customer, their contact signed in to the portal, a frozen clock) and a
local fake of Stripe's API for the stripe gateway."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from tests.portal.conftest import (  # noqa: F401  (fixtures)
    _emails_sent_on_commit,
    account,
    contact,
    frozen_clock,
    other_customer,
    portal,
)


class FakeStripe:
    """Stripe's Checkout Sessions, as much of them as the gateway uses: create and retrieve.
    `sessions` holds what a retrieve answers; `requests` what was asked; `down` answers 500."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.down = False

    def session_paid(self, session_id: str, *, save_card: bool = False) -> None:
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid")
        session["payment_intent"] = {
            "id": "pi_test_1",
            "object": "payment_intent",
            "setup_future_usage": "off_session" if save_card else None,
            "payment_method": {
                "id": "pm_test_Visa",
                "object": "payment_method",
                "card": {"brand": "visa", "last4": "4242", "exp_month": 8, "exp_year": 2031},
            },
        }

    def answer(self, method: str, path: str, form: dict) -> tuple[int, dict]:
        self.requests.append((method, path, form))
        if self.down:
            return 500, {"error": {"type": "api_error", "message": "Stripe is down"}}
        if method == "POST" and path == "/v1/checkout/sessions":
            session_id = f"cs_test_{len(self.sessions) + 1}"
            amount = int(form["line_items[0][price_data][unit_amount]"][0])
            currency = form["line_items[0][price_data][currency]"][0]
            self.sessions[session_id] = {
                "id": session_id, "object": "checkout.session", "status": "open", "payment_status": "unpaid",
                "url": f"https://checkout.stripe.test/c/pay/{session_id}", "amount_total": amount,
                "currency": currency, "payment_intent": None,
            }  # fmt: skip
            return 200, self.sessions[session_id]
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session = self.sessions.get(path.rsplit("/", 1)[1])
            if session is None:
                return 404, {"error": {"type": "invalid_request_error", "message": "No such session"}}
            return 200, session
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unknown {method} {path}"}}


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else url.query
            status, payload = fake.answer(method, url.path, parse_qs(body))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._reply("GET")

        def do_POST(self) -> None:
            self._reply("POST")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.ACCOUNTDESK_PAYMENT_GATEWAY = "stripe"
    settings.ACCOUNTDESK_STRIPE_SECRET_KEY = "sk_test_fake"
    settings.ACCOUNTDESK_STRIPE_WEBHOOK_SECRET = "whsec_test_fake"
    settings.ACCOUNTDESK_STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.ACCOUNTDESK_STRIPE_TIMEOUT = 5
    yield fake
    server.shutdown()
    server.server_close()
