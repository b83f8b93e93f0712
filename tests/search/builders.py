"""Books for the search tests, built through the billing services so the caches are honest."""

import datetime as dt

from accountdesk.billing import services as billing


def invoice(customer, actor, amount: str, issued_on: dt.date, *, description: str = "Service"):
    return billing.invoice_issue(
        customer=customer,
        lines=[{"description": description, "unit_price": amount, "tax_rate": "0"}],
        issued_on=issued_on,
        actor=actor,
    )


def pay(customer, actor, amount: str, *, on: dt.date, invoice=None, reference: str = ""):
    allocations = {invoice.pk: amount} if invoice is not None else None
    return billing.payment_record(
        customer=customer,
        amount=amount,
        method="card",
        reference=reference,
        received_on=on,
        allocations=allocations,
        actor=actor,
    )
