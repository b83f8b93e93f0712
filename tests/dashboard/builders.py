"""Accounts for dashboard tests: a new one, and one with history in every section."""

import datetime as dt
from decimal import Decimal

from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_bulk_record
from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers import services as customers
from accountdesk.customers.models import CustomFieldDefinition
from accountdesk.notes.models import Note
from accountdesk.usage.models import UsageNotification
from tests.factories import ContactFactory, CustomerFactory, TagFactory
from tests.fieldservice.factories import JobFactory
from tests.servicedesk.factories import TicketFactory
from tests.subscriptions.factories import SubscriptionFactory


def new_customer(provider):
    return CustomerFactory(provider=provider, name="New Customer")


def busy_customer(provider, staff, *, invoices: int = 12, notes: int = 20):
    """A customer with more history than any section shows, so every limit is exercised."""
    system = Actor.system(provider)
    customer = CustomerFactory(provider=provider, name="Busy Customer")
    customer.tags.add(TagFactory(provider=provider, name="vip"), TagFactory(provider=provider, name="fibre"))
    for i in range(5):
        ContactFactory(customer=customer, is_primary=(i == 2))
    definition = CustomFieldDefinition.objects.create(provider=provider, name="Router", show_on_overview=True)
    customers.custom_field_set(customer=customer, definition=definition, value="RT-1", actor=system)
    start = dt.date(2024, 1, 5)
    for i in range(invoices):
        billing.invoice_issue(
            customer=customer,
            lines=[{"description": f"Month {i}", "unit_price": "40.00", "tax_rate": "0"}],
            issued_on=start + dt.timedelta(days=20 * i),
            actor=system,
        )
    for i in range(5):
        billing.payment_record(
            customer=customer,
            amount="25.00",
            method="card",
            actor=system,
            received_on=start + dt.timedelta(days=30 * i),
        )
    billing.credit_issue(customer=customer, amount="10.00", reason="Outage", actor=system)
    billing.payment_method_add(
        customer=customer,
        kind="card",
        token="tok_visa",
        last4="4242",
        actor=system,
        expires_on=dt.date(2027, 8, 31),
    )
    for i in range(4):
        billing.instalment_create(
            customer=customer, description=f"Router {i}", total="120.00", instalments_total=12, actor=system
        )
    for _ in range(5):
        SubscriptionFactory(customer=customer)
    for _ in range(5):
        TicketFactory(customer=customer)
    for _ in range(3):
        JobFactory(customer=customer)
    now = clock.now()
    Note.objects.bulk_create(
        Note(
            provider=provider,
            customer=customer,
            created_at=now - dt.timedelta(hours=i),
            author_name="Agent",
            body=f"Note {i}",
        )
        for i in range(notes)
    )
    event_bulk_record(
        Activity(
            provider=provider,
            customer=customer,
            at=now - dt.timedelta(minutes=i),
            actor_type="system",
            actor_name="System",
            kind="note.added",
            group="notes",
            summary=f"Entry {i}",
        )
        for i in range(30)
    )
    subscription = customer.subscriptions.first()
    UsageNotification.objects.bulk_create(
        UsageNotification(
            provider=provider,
            customer=customer,
            subscription=subscription,
            period_start=dt.date(2025, 1, 1),
            threshold=t,
            channel="email",
            message=f"{t}% used",
            sent_at=now - dt.timedelta(hours=t),
        )
        for t in (50, 80, 100, 120)
    )
    return customer


def money(text: str) -> Decimal:
    return Decimal(text)
