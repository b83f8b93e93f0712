"""Payment methods: gateway tokens and their last four digits, one of them the default."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.billing.models import (
    PaymentMethod,
    PaymentMethodKind,
)
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.parse import parse_choice, parse_text
from accountdesk.core.permissions import require
from accountdesk.customers.models import Customer

_LONG_DIGITS = re.compile(r"\d{9,}")


def _looks_like_account_number(text: str) -> bool:
    """A run of 9+ digits (ignoring spaces and dashes) is a card or account number, not a token."""
    return bool(_LONG_DIGITS.search(re.sub(r"[\s\-.]", "", text)))


@transaction.atomic
def payment_method_add(
    *,
    customer: Customer,
    kind: str,
    token: str,
    last4: str,
    actor: Actor,
    label: str = "",
    expires_on: dt.date | None = None,
    autopay: bool = False,
    make_default: bool = False,
) -> PaymentMethod:
    """Store a gateway token and the last four digits. A full card or account number is refused."""
    require(actor, "billing.payment_methods")
    kind = parse_choice(kind, field="kind", choices=PaymentMethodKind)
    token = parse_text(token, field="token", max_length=120, required=True, single_line=True)
    label = parse_text(label, field="label", max_length=60, single_line=True)
    for field, value in (("token", token), ("label", label)):
        if _looks_like_account_number(value):
            message = "Never send a full card or account number: send the payment gateway's token."
            raise ValidationFailed(message, fields={field: message})
    if not re.fullmatch(r"\d{4}", str(last4 or "")):
        raise ValidationFailed("Give the last four digits.", fields={"last4": "Exactly four digits."})
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    has_default = PaymentMethod.objects.filter(customer=customer, is_default=True).exists()
    make_default = make_default or not has_default
    if make_default and has_default:
        PaymentMethod.objects.filter(customer=customer, is_default=True).update(is_default=False)
    method = PaymentMethod.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        kind=kind,
        label=label,
        token=token,
        last4=last4,
        expires_on=expires_on,
        autopay=bool(autopay),
        is_default=make_default,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="payment_method.added",
        summary=f"Payment method added: {method.display}" + (" (default)" if make_default else ""),
        subject=method,
        details={"autopay": method.autopay, "default": make_default},
    )
    return method


@transaction.atomic
def payment_method_default_set(
    *, method: PaymentMethod, actor: Actor, autopay: bool | None = None
) -> PaymentMethod:
    require(actor, "billing.payment_methods")
    customer = method.customer
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    PaymentMethod.objects.filter(customer=customer, is_default=True).exclude(pk=method.pk).update(
        is_default=False
    )
    method.is_default = True
    if autopay is not None:
        method.autopay = bool(autopay)
    method.save(update_fields=["is_default", "autopay"])
    event_record(
        customer=customer,
        actor=actor,
        kind="payment_method.default_set",
        summary=f"Default payment method: {method.display}",
        subject=method,
        details={"autopay": method.autopay},
    )
    return method


@transaction.atomic
def payment_method_remove(*, method: PaymentMethod, actor: Actor) -> None:
    require(actor, "billing.payment_methods")
    customer = method.customer
    display = method.display
    event_record(
        customer=customer,
        actor=actor,
        kind="payment_method.removed",
        summary=f"Payment method removed: {display}",
        details={"method": display},
    )
    method.delete()
