"""The payment gateway adapter. `ACCOUNTDESK_PAYMENT_GATEWAY` picks the backend:

- `test` (default): a hosted payment page of our own (payments.views, under /payments/test-gateway/)
  that takes the test card numbers below and moves no money. For demos and development.
- `stripe`: Stripe Checkout through the official SDK (gateways.stripe_checkout), with its webhook.
- a dotted path to a class with the same methods.

Every backend sends the customer to a page of the gateway's (`checkout_create`), so a card number
never reaches our pages; it tells us how a checkout ended (`checkout_outcome`, asked when the
customer comes back and when a webhook arrives), and, if it has webhooks, verifies them
(`webhook_event`). We keep the gateway's reference, its card token and the card's last four digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

# The gateways that send webhooks, each to /payments/webhooks/<name>/.
WEBHOOK_GATEWAYS = ("stripe",)


class GatewayError(Exception):
    """The gateway could not be reached or refused the request; the text says why (for the log)."""


class WebhookInvalid(Exception):
    """A webhook that is not the gateway's: a bad or missing signature, or an unreadable body."""


class OutcomeStatus:
    PENDING = "pending"  # not finished (or not known yet): nothing to do
    SUCCEEDED = "succeeded"
    DECLINED = "declined"  # the card was refused
    FAILED = "failed"  # it did not go through for another reason (not confirmed, amount differs)
    CANCELLED = "cancelled"  # the customer left the gateway's page, or the checkout expired


@dataclass(frozen=True)
class CheckoutRequest:
    amount: Decimal
    currency: str
    description: str  # what the gateway's page says the payment is for
    merchant: str  # the provider's name
    email: str
    save_card: bool
    success_url: str  # absolute; the gateway sends the customer back here
    cancel_url: str
    idempotency_key: str


@dataclass(frozen=True)
class Checkout:
    reference: str  # the gateway's id for this checkout: unique per gateway
    redirect_url: str  # the gateway's payment page


@dataclass(frozen=True)
class Card:
    brand: str  # "Visa"
    last4: str
    exp_month: int | None = None
    exp_year: int | None = None


@dataclass(frozen=True)
class Outcome:
    status: str
    card: Card | None = None
    token: str = ""  # the gateway's token for the card, to charge it again; "" unless it was saved
    reason: str = ""  # why it did not go through, in words a customer can read
    amount: Decimal | None = None  # what the gateway says it took, when it says
    currency: str = ""


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    reference: str  # the checkout it is about; "" when it is about none of ours


class PaymentGateway(Protocol):
    name: str
    label: str

    def checkout_create(self, request: CheckoutRequest) -> Checkout: ...

    def checkout_outcome(self, *, reference: str, params: Mapping[str, str]) -> Outcome: ...

    def webhook_event(self, *, payload: bytes, signature: str) -> WebhookEvent: ...


def payment_gateway(name: str | None = None) -> PaymentGateway:
    """The backend `name` (an attempt's, so it is settled by the gateway that took it), else the
    configured one."""
    name = name or getattr(settings, "ACCOUNTDESK_PAYMENT_GATEWAY", "test") or "test"
    if name == "test":
        from accountdesk.payments.gateways.test import TestGateway

        return TestGateway()
    if name == "stripe":
        from accountdesk.payments.gateways.stripe_checkout import StripeGateway

        return StripeGateway.from_settings()
    gateway: PaymentGateway = import_string(name)()
    return gateway


def gateway_name() -> str:
    """The name new payments go through (the short name, or the dotted path)."""
    return getattr(settings, "ACCOUNTDESK_PAYMENT_GATEWAY", "test") or "test"
