"""The dashboard document's shape, for the OpenAPI description (items reuse each app's schema)."""

import datetime as dt

from ninja import Field, Schema

from accountdesk.activity.schemas import ActivityOut
from accountdesk.billing.schemas import InstalmentOut, InvoiceOut, PaymentOut
from accountdesk.customers.schemas import ContactOut, CustomerOut
from accountdesk.servicedesk.schemas import TicketOut
from accountdesk.subscriptions.schemas import SubscriptionOut


class BannerOut(Schema):
    level: str
    message: str


class MetricsOut(Schema):
    total_due: str | None = None
    account_credit: str | None = None
    net_due: str | None = Field(
        None, description="What to pay: total due less account credit not yet applied (never below zero)."
    )
    lifetime_value: str | None = None
    account_current: bool | None = None
    open_jobs: int | None


class AlertOut(Schema):
    id: int
    sent_at: dt.datetime
    channel: str
    message: str


class PaymentMethodOut(Schema):
    type: str
    display: str
    expires: str | None
    autopay: bool


class BillingOut(Schema):
    cycle: str | None
    billing_period: str | None
    payment_terms: str | None
    billing_type: str | None
    delivery: str | None
    next_bill_date: dt.date | None


class SubscriptionsOut(Schema):
    items: list[SubscriptionOut]
    total: int


class NoteRowOut(Schema):
    id: int
    kind: str
    number: str | None
    created_at: dt.datetime
    author: str
    excerpt: str


class CustomFieldOut(Schema):
    name: str
    value: str | None


class NotRebuiltOut(Schema):
    section: str = Field(description='A section ("metrics.open_jobs": one figure) shown as it is today.')
    reason: str


class AsOfOut(Schema):
    date: dt.date
    not_rebuilt: list[NotRebuiltOut]


class DashboardOut(Schema):
    customer: CustomerOut
    alert_banners: list[BannerOut]
    metrics: MetricsOut
    alerts: list[AlertOut] | None
    payment_method: PaymentMethodOut | None = None
    billing: BillingOut | None = None
    contacts: list[ContactOut]
    subscriptions: SubscriptionsOut
    recent_invoices: list[InvoiceOut] | None = None
    instalments: list[InstalmentOut] | None = None
    payments: list[PaymentOut] | None = None
    service_requests: list[TicketOut] | None
    notes: list[NoteRowOut]
    activity: list[ActivityOut]
    custom_fields: list[CustomFieldOut]
    as_of: AsOfOut | None = Field(
        None, description="Only when asked as of a past day: the day and what could not be rebuilt exactly."
    )


class DisputeBriefOut(Schema):
    id: int
    reason: str
    raised_at: dt.datetime
    raised_by: str


class ExplanationLineOut(Schema):
    type: str = Field(
        description="invoice, payment, refund, credit, job; or invoices, credits, payments, jobs "
        "for a line that folds the rest"
    )
    id: int | None = Field(description="The record's id (null for a line that folds several records).")
    label: str
    amount: str | None = Field(
        description='Money, as "123.40"; null for a line that is not money or a role that may not see money.'
    )
    url: str | None
    entry_id: int | None = Field(
        None, description="The ledger entry the line rests on (disputes are raised on it)."
    )
    dispute: DisputeBriefOut | None = Field(None, description="The open dispute on that entry, if any.")


class PeriodOut(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date


class ExplanationOut(Schema):
    metric: str
    value: bool | int | str | None = Field(
        description='The figure the dashboard shows: money as "123.40", account_current true/false, '
        "open_jobs a count; null for a money metric and a role that may not see money."
    )
    as_of: dt.datetime
    sentence: str
    lines: list[ExplanationLineOut] = Field(
        description="The records the figure rests on; their amounts add up to it."
    )
    period: PeriodOut | None = Field(None, description="The period whose statement shows these records.")
    statement_url: str | None = None
