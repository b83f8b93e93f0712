"""The invoice as a document: one PDF for the staff page, the portal, the API and the email sent
when an invoice is approved for a customer who takes their bills by email."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django_tasks import task

from accountdesk.activity.services import event_record
from accountdesk.billing.models import BillingProfile, Delivery, Invoice, InvoiceLine, InvoiceStatus
from accountdesk.billing.statements import billing_recipient
from accountdesk.core.actors import Actor
from accountdesk.core.money import ZERO, money_text
from accountdesk.core.pdf import html_pdf
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import Provider, ProviderLogo

# An invoice longer than this prints its first lines and says how many more it has; its totals
# come from the invoice, so they stay whole.
MAX_LINES = 2000
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_EMAILED: dict[str, str] = {
    Delivery.EMAIL: "the customer has no email address",
    Delivery.POST: "the customer takes bills by post",
    Delivery.PORTAL: "the customer reads bills in the portal",
}


@dataclass
class InvoiceDocument:
    invoice: Invoice
    customer: Customer
    provider: Provider
    lines: list[InvoiceLine]
    more_lines: int
    subtotal: Decimal
    taxes: list[tuple[Decimal, Decimal]]  # (rate, tax) for each rate with tax on it, lowest first
    logo: ProviderLogo | None

    @property
    def amount_paid(self) -> Decimal:
        """Payments and credits applied: what is no longer owed (nothing on a draft or a void)."""
        return self.invoice.total - self.invoice.balance if self.invoice.is_approved else ZERO

    @property
    def amount_due(self) -> Decimal:
        invoice = self.invoice
        if invoice.is_void:
            return ZERO
        return invoice.balance if invoice.is_approved else invoice.total

    @property
    def watermark(self) -> str:
        marks: dict[str, str] = {InvoiceStatus.DRAFT: "DRAFT", InvoiceStatus.VOID: "VOID"}
        return marks.get(self.invoice.status, "")


def invoice_document(*, invoice: Invoice) -> InvoiceDocument:
    """What the PDF prints, in four reads: the customer with its provider, the lines, their sums
    by tax rate (whole even when the lines printed are not), the logo."""
    customer = Customer.objects.select_related("provider").get(pk=invoice.customer_id)
    all_lines = InvoiceLine.objects.filter(provider_id=invoice.provider_id, invoice=invoice)
    lines = list(all_lines.order_by("position", "id")[:MAX_LINES])
    sums = list(
        all_lines.order_by()
        .values("tax_rate")
        .annotate(count=Count("id"), net=Sum("net"), tax=Sum("tax"))
        .values_list("tax_rate", "count", "net", "tax")
    )
    return InvoiceDocument(
        invoice=invoice,
        customer=customer,
        provider=customer.provider,
        lines=lines,
        more_lines=sum(count for _, count, _, _ in sums) - len(lines),
        subtotal=sum((net for _, _, net, _ in sums), ZERO),
        taxes=sorted((rate, tax) for rate, _, _, tax in sums if tax),
        logo=ProviderLogo.objects.filter(provider_id=invoice.provider_id).first(),
    )


def plain_number(value: Decimal) -> str:
    """A quantity or a percentage without trailing zeros: 1.000 -> "1", 7.50 -> "7.5"."""
    return f"{value.normalize():f}"


def invoice_context(document: InvoiceDocument) -> dict:
    currency, locale = document.customer.currency, document.provider.locale

    def money(amount: Decimal) -> str:
        return money_text(amount, currency, locale)

    # The lines' cells as text, formatted here once: a 200-line invoice is 1,200 cells, and plain
    # text in a fixed-layout table is what keeps WeasyPrint's layout short (bench/invoice_pdf.py).
    rows = [
        (line.description, plain_number(line.quantity), money(line.unit_price),
         plain_number(line.tax_rate * 100), money(line.tax), money(line.net))
        for line in document.lines
    ]  # fmt: skip
    return {
        "doc": document,
        "invoice": document.invoice,
        "customer": document.customer,
        "provider": document.provider,
        "currency": currency,
        "rows": rows,
        "taxes": [(plain_number(rate * 100), tax) for rate, tax in document.taxes],
    }


def invoice_pdf(document: InvoiceDocument) -> bytes:
    return html_pdf(render_to_string("billing/invoice_pdf.html", invoice_context(document)))


def invoice_file(*, invoice: Invoice) -> tuple[bytes, str]:
    """The PDF and its file name: what the staff page, the portal and the API answer."""
    return invoice_pdf(invoice_document(invoice=invoice)), invoice_filename(invoice)


def invoice_filename(invoice: Invoice) -> str:
    """invoice-INV-000123.pdf (a draft: invoice-draft-42.pdf); only letters, digits, . _ -."""
    label = invoice.number or f"draft-{invoice.pk}"
    return f"invoice-{_UNSAFE.sub('-', label).strip('-.') or invoice.pk}.pdf"


# ---------------------------------------------------------------- sending on approval


def invoice_delivery_queue(*, customer: Customer, invoice: Invoice, actor: Actor) -> str | None:
    """Called as an invoice is approved, inside that transaction: a customer who takes their bills
    by email (their billing profile's delivery; email when they have none) gets the PDF at the
    billing contact's address after commit. The activity log says which way it went, or why it
    was not emailed. The address, or None."""
    profile = BillingProfile.objects.filter(customer=customer).only("delivery").first()
    delivery = profile.delivery if profile else Delivery.EMAIL
    recipient = billing_recipient(customer) if delivery == Delivery.EMAIL else None
    if recipient is None:
        reason = _NOT_EMAILED.get(delivery, _NOT_EMAILED[Delivery.EMAIL])
        event_record(
            customer=customer,
            actor=actor,
            kind="invoice.not_emailed",
            summary=f"Invoice {invoice.number} not emailed: {reason}",
            subject=invoice,
            details={"delivery": delivery},
        )
        return None
    event_record(
        customer=customer,
        actor=actor,
        kind="invoice.emailed",
        summary=f"Invoice {invoice.number} emailed to {recipient}",
        subject=invoice,
        details={"to": recipient},
    )
    invoice_id = invoice.pk
    transaction.on_commit(lambda: invoice_email_task.enqueue(invoice_id, recipient))
    return recipient


@task()
def invoice_email_task(invoice_id: int, recipient: str) -> None:
    invoice = Invoice.objects.get(pk=invoice_id)
    document = invoice_document(invoice=invoice)
    context = invoice_context(document)
    message = EmailMessage(
        subject=f"{document.provider.name}: invoice {invoice.number}",
        body=render_to_string("billing/invoice_email.txt", context),
        to=[recipient],
    )
    message.attach(invoice_filename(invoice), invoice_pdf(document), "application/pdf")
    message.send()
