"""The billing profile: period, terms, billing type and delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from accountdesk.activity.services import changed_fields, event_record
from accountdesk.billing.models import (
    BillingProfile,
    BillingType,
    Cycle,
    Delivery,
    Terms,
)
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.parse import parse_choice, parse_date
from accountdesk.core.permissions import require
from accountdesk.customers.models import Customer


@transaction.atomic
def billing_profile_ensure(*, customer: Customer) -> BillingProfile:
    """The customer's profile, created with the defaults the first time it is needed."""
    profile, _ = BillingProfile.objects.get_or_create(
        customer=customer, defaults={"provider_id": customer.provider_id, "currency": customer.currency}
    )
    return profile


@transaction.atomic
def billing_profile_update(
    *,
    customer: Customer,
    actor: Actor,
    cycle: str | None = None,
    anchor_day: int | None = None,
    terms: str | None = None,
    billing_type: str | None = None,
    delivery: str | None = None,
    next_bill_date: dt.date | None = None,
) -> BillingProfile:
    """Edit the billing period and terms (an audited action: each changed field, old and new)."""
    require(actor, "billing.period")
    profile = billing_profile_ensure(customer=customer)
    values: dict[str, Any] = {}
    if cycle is not None:
        values["cycle"] = parse_choice(cycle, field="cycle", choices=Cycle)
    if anchor_day is not None:
        if isinstance(anchor_day, bool) or not isinstance(anchor_day, int) or not 1 <= anchor_day <= 28:
            raise ValidationFailed(
                "The billing day is 1 to 28.", fields={"anchor_day": "Choose a day from 1 to 28."}
            )
        values["anchor_day"] = anchor_day
    if terms is not None:
        values["terms"] = parse_choice(terms, field="terms", choices=Terms)
    if billing_type is not None:
        values["billing_type"] = parse_choice(billing_type, field="billing_type", choices=BillingType)
    if delivery is not None:
        values["delivery"] = parse_choice(delivery, field="delivery", choices=Delivery)
    if next_bill_date is not None:
        values["next_bill_date"] = parse_date(next_bill_date, field="next_bill_date")
    changes = changed_fields(profile, values)
    if changes:
        profile.save()
        event_record(
            customer=customer,
            actor=actor,
            kind="billing.profile_updated",
            summary="Billing period and terms edited: " + ", ".join(changes),
            subject=profile,
            details=changes,
        )
    return profile
