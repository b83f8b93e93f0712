"""Reads for paying online: what a customer may pay (the bounds), their open bills, their attempts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accountdesk.billing import selectors as billing
from accountdesk.billing.models import Invoice
from accountdesk.core.money import ZERO
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.payments.models import PaymentAttempt

PAYMENT_MIN = Decimal("1.00")
# How much more than is due a customer may pay at once; the rest stays on the account as credit.
PAYMENT_AHEAD_MAX = Decimal("1000.00")


@dataclass(frozen=True)
class PayOptions:
    due: Decimal  # what the customer owes now (open bills less credit)
    invoices: list[Invoice]  # their open bills, the oldest due first
    invoice: Invoice | None  # the bill they chose to pay, if any (and still open)
    low: Decimal
    high: Decimal

    @property
    def suggested(self) -> Decimal | None:
        """The amount the form starts with: the chosen bill's balance, else what is due; none when
        nothing is."""
        amount = self.invoice.balance if self.invoice is not None else self.due
        return max(amount, self.low) if amount > 0 else None


def open_invoices(*, customer: Customer, limit: int = 50) -> list[Invoice]:
    qs = Invoice.objects.filter(provider_id=customer.provider_id, customer=customer).open()
    return list(qs.order_by("due_on", "id")[:limit])


def pay_options(*, customer: Customer, invoice_id: object = None) -> PayOptions:
    """What the pay form offers. `invoice_id` must be one of the customer's bills (else NotFound);
    a bill already paid is simply not chosen."""
    due = billing.account_metrics(customer=customer).net_due
    invoices = open_invoices(customer=customer)
    chosen = None
    if invoice_id not in (None, ""):
        invoice = get_scoped(
            Invoice.objects.filter(customer=customer), provider=customer.provider_id, pk=invoice_id
        )
        chosen = next((i for i in invoices if i.pk == invoice.pk), None)
    ceiling = max(due, chosen.balance if chosen else ZERO) + PAYMENT_AHEAD_MAX
    return PayOptions(due=due, invoices=invoices, invoice=chosen, low=PAYMENT_MIN, high=ceiling)


def attempt_get(*, customer: Customer, pk: object) -> PaymentAttempt:
    qs = PaymentAttempt.objects.filter(customer=customer).select_related("invoice", "payment")
    return get_scoped(qs, provider=customer.provider_id, pk=pk)
