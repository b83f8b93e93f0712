"""Paying online: start a checkout at the gateway, settle it once with the outcome the gateway
gives (when the customer comes back, or by webhook), and take each webhook event once.

A successful payment is recorded by billing's payment_record (method "card", reference the
gateway's), by whoever started it; a declined or failed one leaves the attempt and an activity
entry. Settling locks the attempt row, and a settled attempt never changes again: a replayed
return or a webhook after the return applies nothing twice."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction

from accountdesk.activity.services import event_record
from accountdesk.billing import services as billing
from accountdesk.billing.models import PaymentMeans, PaymentMethod, PaymentMethodKind
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError, ValidationFailed
from accountdesk.core.money import money_text, to_str
from accountdesk.core.parse import parse_amount
from accountdesk.core.permissions import require
from accountdesk.customers.models import Contact, Customer
from accountdesk.payments import selectors
from accountdesk.payments.gateways import (
    CheckoutRequest,
    GatewayError,
    Outcome,
    OutcomeStatus,
    gateway_name,
    payment_gateway,
)
from accountdesk.payments.models import AttemptStatus, GatewayEvent, PaymentAttempt

logger = logging.getLogger(__name__)

GATEWAY_DOWN = "The payment service cannot be reached right now. Nothing was charged: please try again later."


def _money(amount: Decimal, customer: Customer) -> str:
    return money_text(amount, customer.currency, customer.provider.locale)


# ---------------------------------------------------------------- starting


@transaction.atomic
def _attempt_open(
    *, customer: Customer, contact: Contact, actor: Actor, amount: object, invoice_id: object, save_card: bool
) -> PaymentAttempt:
    require(actor, "billing.payment")
    options = selectors.pay_options(customer=customer, invoice_id=invoice_id)
    amount = parse_amount(amount)
    if not options.low <= amount <= options.high:
        low, high = _money(options.low, customer), _money(options.high, customer)
        message = f"Pay between {low} and {high}."
        raise ValidationFailed(message, fields={"amount": message})
    return PaymentAttempt.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        contact=contact,
        invoice=options.invoice,
        amount=amount,
        currency=customer.currency,
        gateway=gateway_name(),
        save_card=save_card,
        actor_type=actor.type,
        actor_user=actor.user,
        actor_name=actor.name,
        created_at=clock.now(),
    )


def payment_attempt_start(
    *,
    customer: Customer,
    contact: Contact,
    actor: Actor,
    amount: object,
    invoice_id: object = None,
    save_card: bool = False,
    return_url: Callable[[PaymentAttempt], str],
) -> tuple[PaymentAttempt, str]:
    """Open an attempt and a checkout at the gateway; returns the attempt and the gateway's page to
    send the customer to. `return_url(attempt)` is the absolute address the gateway sends them
    back to. Refuses (ValidationFailed) an amount outside the bounds, or when the gateway is down
    (the attempt then fails, logged)."""
    attempt = _attempt_open(
        customer=customer,
        contact=contact,
        actor=actor,
        amount=amount,
        invoice_id=invoice_id,
        save_card=save_card,
    )
    back = return_url(attempt)
    what = f"bill {attempt.invoice.number}" if attempt.invoice else f"account {customer.number}"
    request = CheckoutRequest(
        amount=attempt.amount,
        currency=attempt.currency,
        description=f"Payment for {what}",
        merchant=customer.provider.name,
        email=contact.email,
        save_card=save_card,
        success_url=back,
        cancel_url=f"{back}{'&' if '?' in back else '?'}cancelled=1",
        idempotency_key=f"accountdesk-{attempt.pk}-{secrets.token_hex(8)}",
    )
    try:
        checkout = payment_gateway(attempt.gateway).checkout_create(request)
    except GatewayError as error:
        logger.warning("payment gateway refused a checkout: %s", error)
        payment_attempt_settle(attempt=attempt, outcome=Outcome(OutcomeStatus.FAILED, reason=GATEWAY_DOWN))
        raise ValidationFailed(GATEWAY_DOWN) from None
    attempt.gateway_reference = checkout.reference
    attempt.save(update_fields=["gateway_reference"])
    return attempt, checkout.redirect_url


# ---------------------------------------------------------------- settling


def _payer(attempt: PaymentAttempt) -> Actor:
    """Who the payment is by: whoever started it. Money the gateway took is recorded even if that
    person may no longer record payments (a role changed since): then by the system."""
    contact = attempt.contact
    if attempt.actor_user is not None:
        actor = Actor.staff_for_contact(
            attempt.actor_user,
            contact_id=attempt.contact_id or 0,
            contact_name=contact.name if contact else "",
        )
    else:
        actor = Actor.customer(
            attempt.customer.provider,
            contact_id=attempt.contact_id or 0,
            name=attempt.actor_name,
            email=(contact.email or None) if contact else None,
        )
    return actor if actor.can("billing.payment") else Actor.system(attempt.customer.provider)


def _allocations(attempt: PaymentAttempt) -> dict[int, object] | None:
    """The chosen bill first, then the other open bills oldest first; None (billing's own rule,
    oldest first) when no bill was chosen. Read under the customer's lock."""
    if attempt.invoice_id is None:
        return None
    Customer.objects.select_for_update(of=("self",)).filter(pk=attempt.customer_id).first()
    invoices = selectors.open_invoices(customer=attempt.customer, limit=200)
    invoices.sort(key=lambda invoice: invoice.pk != attempt.invoice_id)
    plan: dict[int, object] = {}
    left = attempt.amount
    for invoice in invoices:
        if left <= 0:
            break
        part = min(left, invoice.balance)
        plan[invoice.pk] = part
        left -= part
    return plan or None


def _card_keep(attempt: PaymentAttempt, outcome: Outcome, actor: Actor) -> PaymentMethod | None:
    """Save the card the customer asked to keep, as a billing payment method (its token and last
    four digits); the same card saved before is not added twice. A card that cannot be kept does
    not undo the payment."""
    card = outcome.card
    if not (attempt.save_card and outcome.token and card is not None and card.last4):
        return None
    expires_on = dt.date(card.exp_year, card.exp_month, 1) if card.exp_year and card.exp_month else None
    kept = PaymentMethod.objects.filter(
        customer=attempt.customer, kind=PaymentMethodKind.CARD, label=card.brand, last4=card.last4,
        expires_on=expires_on,
    ).first()  # fmt: skip
    if kept is not None:
        return kept
    try:
        with transaction.atomic():
            return billing.payment_method_add(
                customer=attempt.customer, kind=PaymentMethodKind.CARD, token=outcome.token, last4=card.last4,
                label=card.brand, expires_on=expires_on, actor=actor,
            )  # fmt: skip
    except DomainError as error:
        logger.warning("card of payment attempt %s not kept: %s", attempt.pk, error.message)
        return None


def _not_paid_record(attempt: PaymentAttempt, outcome: Outcome, actor: Actor) -> None:
    customer = attempt.customer
    declined = outcome.status == OutcomeStatus.DECLINED
    card = f" ({attempt.card_display})" if attempt.card_display else ""
    what = "declined" if declined else "failed"
    event_record(
        customer=customer,
        actor=actor,
        kind="payment.card_declined" if declined else "payment.card_failed",
        summary=f"Card payment {what}: {_money(attempt.amount, customer)}{card}. {outcome.reason}".strip(),
        subject=attempt,
        details={
            "amount": to_str(attempt.amount),
            "gateway": attempt.gateway,
            "reference": attempt.gateway_reference or "",
            "reason": outcome.reason,
        },
    )


def payment_attempt_settle(*, attempt: PaymentAttempt, outcome: Outcome) -> PaymentAttempt:
    """Apply the gateway's outcome to the attempt, once: a pending outcome changes nothing, and an
    attempt already settled stays as it is."""
    if outcome.status == OutcomeStatus.PENDING:
        return attempt
    with transaction.atomic():
        attempt = (
            PaymentAttempt.objects.select_for_update(of=("self",))
            .select_related("customer__provider", "contact", "actor_user")
            .get(pk=attempt.pk)
        )
        if attempt.is_final:
            return attempt
        actor = _payer(attempt)
        if outcome.card is not None:
            attempt.card_brand, attempt.card_last4 = outcome.card.brand[:30], outcome.card.last4[:4]
        if outcome.status == OutcomeStatus.SUCCEEDED:
            attempt.payment = billing.payment_record(
                customer=attempt.customer,
                amount=attempt.amount,
                method=PaymentMeans.CARD,
                reference=attempt.gateway_reference or "",
                actor=actor,
                allocations=_allocations(attempt),
            )
            attempt.payment_method = _card_keep(attempt, outcome, actor)
        elif outcome.status in (OutcomeStatus.DECLINED, OutcomeStatus.FAILED):
            _not_paid_record(attempt, outcome, actor)
        attempt.status = AttemptStatus(outcome.status)
        attempt.reason = outcome.reason[:200]
        attempt.settled_at = clock.now()
        attempt.save(
            update_fields=[
                "status", "reason", "card_brand", "card_last4", "payment", "payment_method", "settled_at",
            ]
        )  # fmt: skip
    return attempt


def payment_attempt_return(*, attempt: PaymentAttempt, params: Mapping[str, str]) -> PaymentAttempt:
    """The customer is back from the gateway's page: ask the gateway how the checkout ended and
    settle it. A gateway that cannot be asked now leaves the attempt waiting (its webhook, or the
    next visit, settles it)."""
    if attempt.is_final or not attempt.gateway_reference:
        return attempt
    try:
        outcome = payment_gateway(attempt.gateway).checkout_outcome(
            reference=attempt.gateway_reference, params=params
        )
    except GatewayError as error:
        logger.warning("payment gateway could not be asked about attempt %s: %s", attempt.pk, error)
        return attempt
    return payment_attempt_settle(attempt=attempt, outcome=outcome)


# ---------------------------------------------------------------- webhooks


def gateway_webhook_take(*, gateway: str, payload: bytes, signature: str) -> bool:
    """Take a webhook: verify it (WebhookInvalid otherwise, and nothing changes), then, the first
    time its event id is seen, settle the attempt it is about with what the gateway says now.
    Returns False for an event already taken. GatewayError (the gateway cannot be asked) leaves the
    event untaken, for the gateway to send again."""
    backend = payment_gateway(gateway)
    event = backend.webhook_event(payload=payload, signature=signature)
    if GatewayEvent.objects.filter(gateway=gateway, event_id=event.id).exists():
        return False
    attempt = None
    if event.reference:
        attempt = PaymentAttempt.objects.filter(gateway=gateway, gateway_reference=event.reference).first()
    outcome = None
    if attempt is not None and not attempt.is_final:
        outcome = backend.checkout_outcome(reference=event.reference, params={"event": event.type})
    with transaction.atomic():
        try:
            with transaction.atomic():
                GatewayEvent.objects.create(
                    gateway=gateway, event_id=event.id[:255], type=event.type[:100],
                    provider_id=attempt.provider_id if attempt else None, attempt=attempt,
                    received_at=clock.now(),
                )  # fmt: skip
        except IntegrityError:
            return False  # the same event, delivered twice at once
        if attempt is not None and outcome is not None:
            payment_attempt_settle(attempt=attempt, outcome=outcome)
    return True
