"""Portal reads. Every read of account data takes the signed-in session's customer: another
customer's id is simply not found (404), whatever the provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from accountdesk.billing import selectors as billing
from accountdesk.billing import statements
from accountdesk.billing.models import Invoice, InvoiceStatus
from accountdesk.core import clock
from accountdesk.core.money import ZERO
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.portal.models import AccountStatus, PortalAccount, PortalLink, PortalSession, digest
from accountdesk.subscriptions.models import Subscription, SubscriptionStatus
from accountdesk.subscriptions.proration import charge_for
from accountdesk.tenancy.models import Provider

# Bills a customer sees: approved (and voided, so a cancelled bill does not vanish). Drafts are not
# theirs until approved.
CUSTOMER_INVOICE_STATUSES = (InvoiceStatus.APPROVED, InvoiceStatus.VOID)
PAGE_SIZE = 20


# ---------------------------------------------------------------- accounts, links, sessions


def portal_accounts_of(user, customer, contacts: list) -> dict[int, PortalAccount]:
    """The Contacts tab's portal column: each contact's account, in one query."""
    qs = PortalAccount.objects.filter(provider_id=customer.provider_id, customer=customer)
    return {a.contact_id: a for a in qs.filter(contact_id__in=[c.pk for c in contacts])[:500]}


def portal_account_of(*, contact) -> PortalAccount | None:
    return PortalAccount.objects.filter(provider_id=contact.provider_id, contact=contact).first()


def sign_in_candidates(
    *, email: str, provider: Provider | None = None, limit: int = 5
) -> list[PortalAccount]:
    """Active accounts signing in with this email (one per provider at most), most recently used first."""
    qs = PortalAccount.objects.filter(email=email, status=AccountStatus.ACTIVE)
    if provider is not None:
        qs = qs.filter(provider=provider)
    qs = qs.select_related("contact__customer__provider")
    return list(qs.order_by("-last_sign_in_at", "-id")[:limit])


def provider_by_slug(slug: str) -> Provider | None:
    return Provider.objects.filter(slug=slug[:60]).first() if slug else None


def link_valid(*, token: str, purposes: tuple[str, ...]) -> PortalLink | None:
    """The unused, unexpired link for `token`, with its account, contact and provider."""
    return (
        PortalLink.objects.select_related("account__contact__customer__provider")
        .filter(token_hash=digest(token or ""), purpose__in=purposes, used_at__isnull=True)
        .filter(expires_at__gt=clock.now())
        .exclude(account__status=AccountStatus.REVOKED)
        .first()
    )


def session_live(*, key: str) -> PortalSession | None:
    """The unexpired session for a cookie's key, with its contact, customer, provider and staff."""
    if not key:
        return None
    return (
        PortalSession.objects.select_related("contact__customer__provider", "staff_user", "account")
        .filter(key_hash=digest(key), expires_at__gt=clock.now())
        .first()
    )


# ---------------------------------------------------------------- home


@dataclass(frozen=True)
class NextBill:
    on: dt.date
    amount: Decimal | None  # what the subscriptions due then will bill, before tax; None if unknown


def next_bill(*, customer) -> NextBill | None:
    """The next bill's date (the billing profile's) and what the subscriptions starting a period on
    that day will charge, each as the billing run charges it (pro-rated where it will be)."""
    profile = billing.billing_profile_get(customer=customer)
    if profile is None or profile.next_bill_date is None:
        return None
    due = (
        Subscription.objects.filter(
            provider_id=customer.provider_id, customer=customer, next_bill_on=profile.next_bill_date
        )
        .exclude(status=SubscriptionStatus.SUSPENDED)
        .select_related("package")[:100]
    )
    anchor_day = profile.anchor_day
    amount = ZERO
    for subscription in due:
        charge = charge_for(
            subscription.price,
            months=subscription.package.months,
            bill_from=subscription.next_bill_on,
            ends_on=subscription.ends_on,
            anchor_day=anchor_day,
        )
        if charge is not None:
            amount += charge[2]
    return NextBill(profile.next_bill_date, amount if due else None)


@dataclass(frozen=True)
class Home:
    metrics: billing.AccountMetrics
    next_bill: NextBill | None
    recent_invoices: list[Invoice]
    today: dt.date

    @property
    def overdue(self) -> bool:
        return not self.metrics.account_current


def portal_home(*, customer) -> Home:
    return Home(
        metrics=billing.account_metrics(customer=customer),
        next_bill=next_bill(customer=customer),
        recent_invoices=list(billing.invoice_recent_approved(customer=customer, limit=3)),
        today=clock.today(),
    )


def billing_profile(*, customer):
    return billing.billing_profile_get(customer=customer)


# ---------------------------------------------------------------- invoices, payments, statement


def _customer_invoices(customer):
    return Invoice.objects.filter(
        provider_id=customer.provider_id, customer=customer, status__in=CUSTOMER_INVOICE_STATUSES
    )


def invoice_list(*, customer, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    return keyset_page(
        _customer_invoices(customer), ordering=("-issued_on", "-id"), limit=limit, cursor=cursor
    )


def invoice_get(*, customer, pk: object) -> Invoice:
    return get_scoped(_customer_invoices(customer), provider=customer.provider_id, pk=pk)


def invoice_detail(*, customer, pk: object) -> dict:
    invoice = invoice_get(customer=customer, pk=pk)
    return {
        "invoice": invoice,
        "lines": billing.invoice_lines(invoice=invoice),
        "applied": billing.invoice_applied(invoice=invoice),
    }


def payment_list(*, customer, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    return billing.payment_list(customer=customer, limit=limit, cursor=cursor)


def payment_get(*, customer, pk: object):
    payment = billing.payment_get(customer=customer, pk=pk)
    allocations = list(payment.allocations.select_related("invoice").order_by("id")[:100])
    return payment, allocations


def statement(*, customer, start: dt.date | None = None, end: dt.date | None = None):
    return statements.statement_build(customer=customer, start=start, end=end)
