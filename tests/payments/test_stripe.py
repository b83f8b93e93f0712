"""The stripe gateway against a local fake of Stripe's API: a Checkout Session per payment, its
webhook verified by signature and each event taken once, the return and the webhook together
applying the payment once."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest

from accountdesk.activity.models import Activity
from accountdesk.billing.models import Payment, PaymentMethod
from accountdesk.payments.models import GatewayEvent, PaymentAttempt
from tests.payments.flow import start
from tests.portal.conftest import bill

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_fake"


def signed(payload: bytes, secret: str = SECRET, at: int | None = None) -> str:
    at = at or int(time.time())
    signature = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={signature}"


def event(session_id: str, event_id: str = "evt_1", kind: str = "checkout.session.completed") -> bytes:
    body = {
        "id": event_id, "object": "event", "type": kind, "api_version": "2025-01-27.acacia",
        "data": {"object": {"id": session_id, "object": "checkout.session"}},
    }  # fmt: skip
    return json.dumps(body).encode()


def webhook(client, payload: bytes, signature: str | None = None):
    return client.post(
        "/payments/webhooks/stripe/", payload, content_type="application/json",
        headers={"Stripe-Signature": signature if signature is not None else signed(payload)},
    )  # fmt: skip


@pytest.fixture
def invoice(customer):
    return bill(customer, "40.00")


@pytest.fixture
def started(portal, invoice, fake_stripe):
    """A checkout started from the portal for the bill: Stripe has an open session for it."""
    response = start(portal, invoice=str(invoice.pk), amount="40.00")
    assert response.status_code == 302, response.content.decode()[:2000]
    return PaymentAttempt.objects.get()


def test_it_sends_the_customer_to_a_checkout_session_for_the_amount(portal, started, fake_stripe):
    assert started.gateway == "stripe" and started.gateway_reference == "cs_test_1"
    method, path, form = fake_stripe.requests[0]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert form["line_items[0][price_data][unit_amount]"] == ["4000"]
    assert form["line_items[0][price_data][currency]"] == ["usd"]
    assert form["success_url"][0].endswith(f"/portal/pay/{started.pk}/return/")
    assert form["cancel_url"][0].endswith(f"/portal/pay/{started.pk}/return/?cancelled=1")
    assert "payment_intent_data[setup_future_usage]" not in form


def test_the_redirect_goes_to_stripes_page(portal, invoice, fake_stripe):
    response = start(portal, invoice=str(invoice.pk), amount="40.00")
    assert response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"


def test_a_paid_session_webhook_records_the_payment_once(client, started, fake_stripe, invoice):
    fake_stripe.session_paid("cs_test_1")
    payload = event("cs_test_1")
    assert webhook(client, payload).status_code == 200
    assert webhook(client, payload).status_code == 200  # Stripe sends it again
    assert webhook(client, event("cs_test_1", "evt_2")).status_code == 200  # another event, same session
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.reference) == (Decimal("40.00"), "card", "cs_test_1")
    assert GatewayEvent.objects.filter(gateway="stripe").count() == 2
    attempt = PaymentAttempt.objects.get()
    assert (attempt.status, attempt.card_brand, attempt.card_last4) == ("succeeded", "Visa", "4242")
    invoice.refresh_from_db()
    assert invoice.balance == 0
    entry = Activity.objects.get(kind="payment.recorded")
    assert entry.actor_type == "customer" and entry.actor_name == "Bob Contact"


def test_the_return_and_the_webhook_together_apply_it_once(portal, client, started, fake_stripe):
    fake_stripe.session_paid("cs_test_1")
    back = f"/portal/pay/{started.pk}/return/"
    assert portal.get(back).status_code == 302
    assert webhook(client, event("cs_test_1")).status_code == 200
    assert portal.get(back).status_code == 302
    assert Payment.objects.count() == 1
    assert "Thank you: payment received" in portal.get(f"/portal/pay/{started.pk}/").content.decode()


def test_coming_back_before_stripe_has_the_money_waits(portal, started, fake_stripe):
    portal.get(f"/portal/pay/{started.pk}/return/")
    started.refresh_from_db()
    assert started.status == "pending" and not Payment.objects.exists()
    assert "Waiting for your payment" in portal.get(f"/portal/pay/{started.pk}/").content.decode()


@pytest.mark.parametrize(
    "signature",
    ["", "t=1,v1=00", signed(b"another body"), signed(event("cs_test_1"), secret="whsec_wrong")],
    ids=["missing", "garbage", "other-body", "wrong-secret"],
)
def test_a_bad_signature_is_400_and_changes_nothing(client, started, fake_stripe, signature):
    fake_stripe.session_paid("cs_test_1")
    asked = len(fake_stripe.requests)
    assert webhook(client, event("cs_test_1"), signature).status_code == 400
    assert not GatewayEvent.objects.exists() and not Payment.objects.exists()
    assert len(fake_stripe.requests) == asked
    started.refresh_from_db()
    assert started.status == "pending"


def test_an_old_signature_is_refused(client, started, fake_stripe):
    payload = event("cs_test_1")
    assert webhook(client, payload, signed(payload, at=int(time.time()) - 3600)).status_code == 400


def test_when_stripe_cannot_be_asked_the_event_waits_for_the_next_delivery(client, started, fake_stripe):
    fake_stripe.session_paid("cs_test_1")
    fake_stripe.down = True
    payload = event("cs_test_1")
    assert webhook(client, payload).status_code == 503
    assert not GatewayEvent.objects.exists()
    fake_stripe.down = False
    assert webhook(client, payload).status_code == 200
    assert Payment.objects.count() == 1


def test_an_expired_session_cancels_the_attempt(client, started, fake_stripe):
    fake_stripe.sessions["cs_test_1"]["status"] = "expired"
    assert webhook(client, event("cs_test_1", kind="checkout.session.expired")).status_code == 200
    started.refresh_from_db()
    assert started.status == "cancelled" and not Payment.objects.exists()


def test_an_event_about_no_attempt_of_ours_is_taken_and_ignored(client, fake_stripe):
    assert webhook(client, event("cs_unknown")).status_code == 200
    assert GatewayEvent.objects.get().attempt is None


def test_stripe_unreachable_at_the_start_fails_the_attempt_with_a_message(portal, invoice, fake_stripe):
    fake_stripe.down = True
    response = start(portal, invoice=str(invoice.pk), amount="40.00")
    assert response.status_code == 400
    assert "cannot be reached right now" in response.content.decode()
    assert PaymentAttempt.objects.get().status == "failed"
    assert Activity.objects.get(kind="payment.card_failed").actor_type == "customer"


def test_a_saved_card_keeps_stripes_payment_method_id(portal, client, invoice, fake_stripe):
    start(portal, invoice=str(invoice.pk), amount="40.00", save_card="on")
    form = fake_stripe.requests[0][2]
    assert form["payment_intent_data[setup_future_usage]"] == ["off_session"]
    fake_stripe.session_paid("cs_test_1", save_card=True)
    webhook(client, event("cs_test_1"))
    method = PaymentMethod.objects.get()
    assert (method.token, method.last4, method.label) == ("pm_test_Visa", "4242", "Visa")
    assert method.expires_on.isoformat() == "2031-08-01"


def test_the_test_gateway_has_no_webhook(client):
    assert client.post("/payments/webhooks/test/", b"{}", content_type="application/json").status_code == 404
