"""Billing test helpers: build books through the real services so the caches stay honest."""

from decimal import Decimal

from accountdesk.billing import services
from accountdesk.core.actors import Actor


def issue_invoice(
    customer, amount="100.00", *, actor=None, issued_on=None, tax_rate="0", description="Service"
):
    actor = actor or Actor.system(customer.provider)
    return services.invoice_issue(
        customer=customer,
        lines=[{"description": description, "unit_price": str(amount), "tax_rate": tax_rate}],
        issued_on=issued_on,
        actor=actor,
    )


def pay(customer, amount="50.00", *, actor=None, **kwargs):
    actor = actor or Actor.system(customer.provider)
    return services.payment_record(
        customer=customer, amount=str(amount), method="card", actor=actor, **kwargs
    )


def D(text: str) -> Decimal:
    return Decimal(text)
