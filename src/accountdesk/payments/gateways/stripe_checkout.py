"""Stripe Checkout through the official SDK: a Checkout Session per payment (the customer pays on
Stripe's page), its outcome read back from Stripe (never from the browser), and webhooks verified
with the endpoint's signing secret.

Settings: ACCOUNTDESK_STRIPE_SECRET_KEY (sk_...), ACCOUNTDESK_STRIPE_WEBHOOK_SECRET (whsec_...),
ACCOUNTDESK_STRIPE_API_BASE (Stripe's API unless set, e.g. to a local stripe-mock),
ACCOUNTDESK_STRIPE_TIMEOUT (seconds). The webhook endpoint is /payments/webhooks/stripe/, subscribed
to checkout.session.completed, .async_payment_succeeded, .async_payment_failed and .expired.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import stripe
from babel.numbers import get_currency_precision
from django.conf import settings

from accountdesk.payments.gateways import (
    Card,
    Checkout,
    CheckoutRequest,
    GatewayError,
    Outcome,
    OutcomeStatus,
    WebhookEvent,
    WebhookInvalid,
)

CHECKOUT_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}
BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express", "discover": "Discover"}


def minor_units(amount: Decimal, currency: str) -> int:
    """An amount in the currency's smallest unit, as Stripe counts it (cents; yen as they are)."""
    return int(amount.scaleb(get_currency_precision(currency.upper())).to_integral_value())


def from_minor_units(value: int, currency: str) -> Decimal:
    return Decimal(value).scaleb(-get_currency_precision(currency.upper()))


def _get(obj: Any, key: str) -> Any:
    """A field of a Stripe object, or None when it has none (or is an unexpanded id, a string)."""
    if obj is None or isinstance(obj, str):
        return None
    try:
        return obj[key]
    except (KeyError, TypeError):
        return None


class StripeGateway:
    name = "stripe"
    label = "Stripe"

    def __init__(self, *, secret_key: str, webhook_secret: str, api_base: str = "", timeout: float = 20.0):
        if not secret_key:
            raise GatewayError("Stripe is not configured (ACCOUNTDESK_STRIPE_SECRET_KEY).")
        self.webhook_secret = webhook_secret
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else {},
            http_client=stripe.RequestsClient(timeout=timeout),
        )

    @classmethod
    def from_settings(cls) -> StripeGateway:
        return cls(
            secret_key=settings.ACCOUNTDESK_STRIPE_SECRET_KEY,
            webhook_secret=settings.ACCOUNTDESK_STRIPE_WEBHOOK_SECRET,
            api_base=settings.ACCOUNTDESK_STRIPE_API_BASE,
            timeout=settings.ACCOUNTDESK_STRIPE_TIMEOUT,
        )

    def checkout_create(self, request: CheckoutRequest) -> Checkout:
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": minor_units(request.amount, request.currency),
                        "product_data": {"name": f"{request.merchant}: {request.description}"[:250]},
                    },
                }
            ],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "client_reference_id": request.idempotency_key,
        }
        if request.email:
            params["customer_email"] = request.email
        if request.save_card:
            params["customer_creation"] = "always"
            params["payment_intent_data"] = {"setup_future_usage": "off_session"}
        try:
            session = self.client.v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key},
            )
        except stripe.StripeError as error:
            raise GatewayError(f"Stripe refused the checkout: {error.user_message or error}") from None
        return Checkout(reference=session.id, redirect_url=session.url or "")

    def checkout_outcome(self, *, reference: str, params: Mapping[str, str]) -> Outcome:
        """The Checkout Session as Stripe has it now. `params["event"]` is the webhook's type, when a
        webhook asks."""
        try:
            session = self.client.v1.checkout.sessions.retrieve(
                reference, params={"expand": ["payment_intent.payment_method"]}
            )
        except stripe.StripeError as error:
            raise GatewayError(f"Stripe could not be asked about {reference}: {error}") from None
        currency = str(_get(session, "currency") or "").upper()
        amount = _get(session, "amount_total")
        taken = from_minor_units(amount, currency) if amount is not None and currency else None
        if _get(session, "payment_status") == "paid":
            card, token = self._card(session)
            return Outcome(OutcomeStatus.SUCCEEDED, card=card, token=token, amount=taken, currency=currency)
        if params.get("event") == "checkout.session.async_payment_failed":
            return Outcome(OutcomeStatus.FAILED, reason="The payment did not go through.")
        if _get(session, "status") == "expired":
            return Outcome(OutcomeStatus.CANCELLED, reason="The payment page expired.")
        return Outcome(OutcomeStatus.PENDING)

    @staticmethod
    def _card(session: Any) -> tuple[Card | None, str]:
        intent = _get(session, "payment_intent")
        method = _get(intent, "payment_method")
        details = _get(method, "card")
        if not details:
            return None, ""
        card = Card(
            brand=BRANDS.get(_get(details, "brand"), "Card"),
            last4=str(_get(details, "last4") or ""),
            exp_month=_get(details, "exp_month"),
            exp_year=_get(details, "exp_year"),
        )
        # The card is kept (a token to charge again) only when the checkout asked to save it.
        token = str(_get(method, "id") or "") if _get(intent, "setup_future_usage") else ""
        return card, token

    def webhook_event(self, *, payload: bytes, signature: str) -> WebhookEvent:
        if not self.webhook_secret:
            raise WebhookInvalid("No webhook signing secret is configured.")
        try:
            event = stripe.Webhook.construct_event(payload, signature, self.webhook_secret)
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise WebhookInvalid(str(error)) from None
        reference = ""
        if event.type in CHECKOUT_EVENTS:
            reference = str(_get(event.data.object, "id") or "")
        return WebhookEvent(id=event.id, type=event.type, reference=reference)
