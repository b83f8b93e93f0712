"""Billing: profiles, payment methods, invoices, payments, credits, the ledger and its caches.

Money is Decimal(14, 2). The ledger (LedgerEntry) is the source of truth for what a customer
owes; Invoice.balance, Credit.remaining and AccountSummary are caches that every service keeps
in step inside the same transaction, and that account_summary_verify() recomputes.

One module per concern; everything is imported from here (`from accountdesk.billing.models import
Invoice`), which is also what registers the models with Django.
"""

from accountdesk.billing.models.base import AppendOnly, money_field
from accountdesk.billing.models.disputes import Dispute
from accountdesk.billing.models.estimates import (
    ESTIMATE_MOVES,
    Agreement,
    AgreementStatus,
    Estimate,
    EstimateStatus,
)
from accountdesk.billing.models.invoices import (
    Invoice,
    InvoiceLine,
    InvoiceQuerySet,
    InvoiceStatus,
    is_past_due,
    line_amounts,
)
from accountdesk.billing.models.ledger import AccountSummary, LedgerEntry, LedgerKind, account_is_current
from accountdesk.billing.models.payments import (
    Credit,
    CreditApplication,
    CreditOrigin,
    CreditRequest,
    CreditRequestStatus,
    Payment,
    PaymentAllocation,
    PaymentKind,
)
from accountdesk.billing.models.profile import (
    CYCLE_MONTHS,
    TERMS_DAYS,
    BillingProfile,
    BillingType,
    Cycle,
    Delivery,
    PaymentMeans,
    PaymentMethod,
    PaymentMethodKind,
    Terms,
)
from accountdesk.billing.models.schedules import InstalmentPurchase, RecurringInvoice, RecurringStatus

__all__ = [
    "CYCLE_MONTHS",
    "ESTIMATE_MOVES",
    "TERMS_DAYS",
    "AccountSummary",
    "Agreement",
    "AgreementStatus",
    "AppendOnly",
    "BillingProfile",
    "BillingType",
    "Credit",
    "CreditApplication",
    "CreditOrigin",
    "CreditRequest",
    "CreditRequestStatus",
    "Cycle",
    "Delivery",
    "Dispute",
    "Estimate",
    "EstimateStatus",
    "InstalmentPurchase",
    "Invoice",
    "InvoiceLine",
    "InvoiceQuerySet",
    "InvoiceStatus",
    "LedgerEntry",
    "LedgerKind",
    "Payment",
    "PaymentAllocation",
    "PaymentKind",
    "PaymentMeans",
    "PaymentMethod",
    "PaymentMethodKind",
    "RecurringInvoice",
    "RecurringStatus",
    "Terms",
    "account_is_current",
    "is_past_due",
    "line_amounts",
    "money_field",
]
