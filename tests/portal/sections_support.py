"""Records of the portal's module sections for one customer: a service, a metered one, a ticket,
an upcoming job and contracts (sent, signed, queued)."""

import datetime as dt

from tests.contracts.factories import ContractFactory
from tests.fieldservice.factories import JobFactory
from tests.servicedesk.factories import TicketFactory
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory

GB = 1_000_000_000
SENT_AT = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


def section_records(customer, contact=None, *, technician=None) -> dict:
    """One of each section's records for `customer` (contracts for `contact`, else a new one)."""
    package = PackageFactory(
        provider=customer.provider, usage_allowance=10 * GB, usage_unit="bytes", name=f"Mobile {customer.pk}"
    )
    contract_for = {"contact": contact} if contact is not None else {"contact__customer": customer}
    return {
        "subscription": SubscriptionFactory(customer=customer, package=package),
        "ticket": TicketFactory(customer=customer, description="The line drops at night."),
        "job": JobFactory(
            customer=customer,
            technician=technician,
            scheduled_start=dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC),
            scheduled_end=dt.datetime(2025, 3, 20, 12, 0, tzinfo=dt.UTC),
        ),
        "contract": ContractFactory(
            **contract_for,
            status="sent",
            sent_at=SENT_AT,
            body="Agreement for fibre.\n\nThe customer pays monthly.",
        ),
    }
