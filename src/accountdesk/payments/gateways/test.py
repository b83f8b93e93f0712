"""The test gateway: a hosted payment page served by us (payments.views) that plays a card
gateway's part and moves no money. Its state travels signed in its URLs, never in our tables,
as a real gateway's would stay on its side.

Test cards (any future expiry, any 3 digits):
- 4242 4242 4242 4242 succeeds;
- 4000 0000 0000 0002 is declined;
- 4000 0000 0000 3220 asks to confirm the payment first (Approve or Fail);
- any other valid card number succeeds.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

from accountdesk.payments.gateways import (
    Card,
    Checkout,
    CheckoutRequest,
    Outcome,
    OutcomeStatus,
    WebhookEvent,
    WebhookInvalid,
)

CARD_SUCCEEDS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_CONFIRM = "4000000000003220"

CHECKOUT_SALT = "accountdesk.payments.test-gateway.checkout"
RESULT_SALT = "accountdesk.payments.test-gateway.result"
CHECKOUT_AGE = 3600  # seconds a checkout page stays open
RESULT_AGE = 24 * 3600

DECLINED_REASON = "Your card was declined."
NOT_CONFIRMED_REASON = "The payment was not confirmed with your bank."


def _letters(n: int) -> str:
    """Random letters only: a gateway token never looks like a card number (billing refuses that)."""
    return "".join(secrets.choice(string.ascii_letters) for _ in range(n))


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "Mastercard"
    if number[:2] in {"34", "37"}:
        return "American Express"
    return "Card"


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def checkout_read(token: str) -> dict | None:
    """The checkout a hosted page's URL carries, or None when it is not ours or has expired."""
    try:
        return signing.loads(token, salt=CHECKOUT_SALT, max_age=CHECKOUT_AGE)
    except signing.BadSignature:
        return None


def _back_to(url: str, result: dict) -> str:
    token = signing.dumps(result, salt=RESULT_SALT, compress=True)
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'result': token})}"


def result_url(checkout: dict, *, status: str, card: Card | None = None, reason: str = "") -> str:
    """Where the hosted page sends the customer once the card is taken, refused or abandoned: the
    merchant's return address with the signed result."""
    result: dict = {"ref": checkout["ref"], "status": status, "reason": reason}
    if card is not None:
        result["card"] = [card.brand, card.last4, card.exp_month, card.exp_year]
        if status == OutcomeStatus.SUCCEEDED and checkout["save_card"]:
            result["token"] = f"tok_test_{_letters(24)}"
    url = checkout["cancel_url"] if status == OutcomeStatus.CANCELLED else checkout["success_url"]
    return _back_to(url, result)


class TestGateway:
    name = "test"
    label = "Test gateway"

    def checkout_create(self, request: CheckoutRequest) -> Checkout:
        reference = f"tg_{_letters(20)}"
        checkout = {
            "ref": reference,
            "amount": str(request.amount),
            "currency": request.currency,
            "merchant": request.merchant,
            "description": request.description,
            "save_card": request.save_card,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        token = signing.dumps(checkout, salt=CHECKOUT_SALT, compress=True)
        return Checkout(reference=reference, redirect_url=reverse("payments:test_checkout", args=[token]))

    def checkout_outcome(self, *, reference: str, params: Mapping[str, str]) -> Outcome:
        try:
            result = signing.loads(params.get("result", ""), salt=RESULT_SALT, max_age=RESULT_AGE)
        except signing.BadSignature:
            return Outcome(OutcomeStatus.PENDING)
        if result.get("ref") != reference:
            return Outcome(OutcomeStatus.PENDING)
        card = Card(*result["card"]) if result.get("card") else None
        return Outcome(result["status"], card=card, token=result.get("token", ""), reason=result["reason"])

    def webhook_event(self, *, payload: bytes, signature: str) -> WebhookEvent:
        raise WebhookInvalid("The test gateway sends no webhooks.")


def checkout_amount(checkout: dict) -> Decimal:
    return Decimal(checkout["amount"])
