import datetime as dt

import pytest

from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.dunning.services import dunning_policy_save

# The invoice every journey starts from: issued on 1 March 2025, NET30, so due on 31 March and
# overdue from 1 April.
ISSUED = dt.date(2025, 3, 1)
DUE = dt.date(2025, 3, 31)


def on(day: dt.date) -> None:
    clock.freeze(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


def days_after_due(n: int) -> dt.date:
    return DUE + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen_clock():
    on(ISSUED)
    yield
    clock.freeze(None)


@pytest.fixture
def actors(staff):
    return {role: Actor.staff(user) for role, user in staff.items()}


STEPS = [
    {
        "days": 5,
        "action": "email",
        "subject": "{customer.number}: {amount_overdue} overdue",
        "body": "Dear {customer.name}, invoice {oldest_invoice} (due {oldest_due_on}) is {days_overdue} days "
        "overdue: {amount_overdue}. {provider.name}",
    },
    {
        "days": 10,
        "action": "sms",
        "body": "{provider.name}: {amount_overdue} is {days_overdue} days overdue.",
    },
    {"days": 15, "action": "fee", "fee": "5.00"},
    {"days": 30, "action": "block"},
]


@pytest.fixture
def policy(provider, actors):
    return dunning_policy_save(provider=provider, enabled=True, steps=STEPS, actor=actors["admin"])


@pytest.fixture
def overdue_invoice(customer, actors):
    """100.00 issued on 1 March, due 31 March (NET30)."""
    invoice = billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 500, March", "unit_price": "100.00"}],
        actor=actors["billing"],
        issued_on=ISSUED,
    )
    assert invoice.due_on == DUE
    return invoice
