"""Billing writes. Each is atomic, checks the actor's permission first, locks the customer row
when money moves (see ledger.books_open), posts to the ledger and records the activity.

One module per concern; callers use this package (`from accountdesk.billing import services`)."""

from accountdesk.billing.services.credits import (
    AGENT_CREDIT_WINDOW,
    agent_credit_allowance,
    agent_credit_window_used,
    credit_apply,
    credit_issue,
    credit_request_approve,
    credit_request_decline,
)
from accountdesk.billing.services.disputes import dispute_raise, dispute_resolve
from accountdesk.billing.services.invoices import (
    invoice_add_line,
    invoice_approve,
    invoice_create_draft,
    invoice_issue,
    invoice_void,
)
from accountdesk.billing.services.payment_methods import (
    payment_method_add,
    payment_method_default_set,
    payment_method_remove,
)
from accountdesk.billing.services.payments import PAYMENT_IN_FUTURE, payment_record, payment_refund
from accountdesk.billing.services.profile import billing_profile_ensure, billing_profile_update
from accountdesk.billing.services.schedules import (
    instalment_bill,
    instalment_create,
    next_run_after,
    recurring_invoice_create,
    recurring_invoice_run,
    recurring_invoice_status_change,
)

__all__ = [
    "AGENT_CREDIT_WINDOW",
    "PAYMENT_IN_FUTURE",
    "agent_credit_allowance",
    "agent_credit_window_used",
    "billing_profile_ensure",
    "billing_profile_update",
    "credit_apply",
    "credit_issue",
    "credit_request_approve",
    "credit_request_decline",
    "dispute_raise",
    "dispute_resolve",
    "instalment_bill",
    "instalment_create",
    "invoice_add_line",
    "invoice_approve",
    "invoice_create_draft",
    "invoice_issue",
    "invoice_void",
    "next_run_after",
    "payment_method_add",
    "payment_method_default_set",
    "payment_method_remove",
    "payment_record",
    "payment_refund",
    "recurring_invoice_create",
    "recurring_invoice_run",
    "recurring_invoice_status_change",
]
