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
