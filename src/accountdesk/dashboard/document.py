"""The dashboard as the JSON document of api-v1.md, from the same Dashboard the page renders."""

from decimal import Decimal

from accountdesk.activity.schemas import activity_out
from accountdesk.billing.schemas import (
    billing_info_out,
    instalment_out,
    invoice_out,
    payment_method_out,
    payment_out,
)
from accountdesk.core.explain import Explanation, Line
from accountdesk.core.money import ZERO, to_str
from accountdesk.core.visibility import shown_to
from accountdesk.customers.schemas import customer_out
from accountdesk.dashboard.selectors import Dashboard
from accountdesk.servicedesk.schemas import ticket_out
from accountdesk.subscriptions.schemas import subscription_out
from accountdesk.usage.schemas import usage_notification_brief


def _contact(contact) -> dict:
    return {
        "id": contact.pk,
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
        "is_primary": contact.is_primary,
        "primary_address": contact.primary_address_text,
    }


def _metrics(board: Dashboard) -> dict:
    summary = board.summary
    metrics: dict = {}
    if board.shows_money:
        metrics = {
            "total_due": to_str(summary.total_due if summary else ZERO),
            "account_credit": to_str(summary.account_credit if summary else ZERO),
            "net_due": to_str(summary.net_due if summary else ZERO),
            "lifetime_value": to_str(summary.lifetime_value if summary else ZERO),
            "account_current": board.account_current,
        }
    metrics["open_jobs"] = board.open_jobs
    return metrics


def _note(row) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "number": row.number or None,
        "created_at": row.created_at,
        "author": row.author,
        "excerpt": row.excerpt,
    }


def dashboard_document(board: Dashboard) -> dict:
    """api-v1.md's dashboard. `null` means the provider lacks the module; the financial keys
    (payment_method, billing, recent_invoices, instalments, payments and the money metrics) are
    absent for a role that may not see money, and its subscriptions' prices and its activity's
    amounts are null and hidden (core.visibility). As of a past day the document adds `as_of`: the
    day and the sections that could not be rebuilt exactly, with the reason."""
    customer = board.customer
    doc = {
        "customer": board.customer_doc or customer_out(customer, board.tags),
        "alert_banners": [{"level": b["level"], "message": b["message"]} for b in board.banners],
        "metrics": _metrics(board),
        "alerts": None if board.alerts is None else [usage_notification_brief(n) for n in board.alerts],
        "contacts": [_contact(c) for c in board.contacts],
        "subscriptions": {
            "items": [shown_to(subscription_out, board.viewer)(s) for s in board.subscriptions],
            "total": board.subscriptions_total,
        },
        "service_requests": (
            None if board.service_requests is None else [ticket_out(t) for t in board.service_requests]
        ),
        "notes": [_note(n) for n in board.notes],
        "activity": [activity_out(a, viewer=board.viewer) for a in board.activity],
        "custom_fields": [{"name": f["name"], "value": f["value"]} for f in board.custom_fields],
    }
    if board.shows_money:
        doc["payment_method"] = payment_method_out(board.payment_method)
        doc["billing"] = billing_info_out(board.billing_profile)
        doc["recent_invoices"] = [invoice_out(i) for i in board.recent_invoices or []]
        doc["instalments"] = (
            None if board.instalments is None else [instalment_out(i, board.today) for i in board.instalments]
        )
        doc["payments"] = [payment_out(p) for p in board.payments or []]
    if board.as_of is not None:
        doc["as_of"] = {
            "date": board.as_of,
            "not_rebuilt": [{"section": s, "reason": r} for s, r in sorted(board.not_rebuilt.items())],
        }
    return doc


def _line(line: Line) -> dict:
    dispute = line.dispute
    return {
        "type": line.type,
        "id": line.id,
        "label": line.label,
        "amount": to_str(line.amount),
        "url": line.url,
        "entry_id": line.entry,
        "dispute": None
        if dispute is None
        else {
            "id": dispute.id,
            "reason": dispute.reason,
            "raised_at": dispute.raised_at,
            "raised_by": dispute.raised_by,
        },
    }


def explanation_document(explanation: Explanation) -> dict:
    """An explained figure as the API answers it: money as strings, the lines as they add up."""
    value = explanation.value
    period = explanation.period
    return {
        "metric": explanation.metric,
        "value": to_str(value) if isinstance(value, Decimal) else value,
        "as_of": explanation.as_of,
        "sentence": explanation.sentence,
        "lines": [_line(line) for line in explanation.lines],
        "period": None if period is None else {"from": period[0], "to": period[1]},
        "statement_url": explanation.statement_url,
    }
