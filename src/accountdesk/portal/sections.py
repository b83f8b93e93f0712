"""Reads of the portal's module sections (services, usage, support, appointments, contracts). Each
takes the session's customer, so another customer's id is not found (404), and reads through the
owning app's selectors where they fit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from accountdesk.contracts.models import Contract, ContractStatus
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.fieldservice import selectors as jobs
from accountdesk.fieldservice.models import Job
from accountdesk.subscriptions.models import CURRENT_STATUSES, Subscription, SubscriptionStatus
from accountdesk.subscriptions.selectors import subscription_metered_list
from accountdesk.usage import selectors as usage
from accountdesk.usage.selectors import PeriodUsage

LIST_LIMIT = 50
# A customer's services: the ones they have now, and the ones about to start.
SHOWN_SUBSCRIPTIONS = (SubscriptionStatus.PENDING, *CURRENT_STATUSES)
# Contracts a customer sees: every one sent to them (a voided one says it was withdrawn). A queued
# contract is not theirs until it is sent.
SHOWN_CONTRACTS = (ContractStatus.SENT, ContractStatus.SIGNED, ContractStatus.VOIDED)


def subscription_list(*, customer: Customer, limit: int = LIST_LIMIT) -> list[Subscription]:
    qs = Subscription.objects.filter(
        provider_id=customer.provider_id, customer=customer, status__in=SHOWN_SUBSCRIPTIONS
    ).select_related("package")
    return list(qs.order_by("-started_on", "-id")[:limit])


# ---------------------------------------------------------------- usage


@dataclass(frozen=True)
class UsagePage:
    services: list[Subscription]  # the customer's metered services; the one shown first
    periods: list[tuple[dt.date, dt.date]]
    period: PeriodUsage | None

    @property
    def subscription(self) -> Subscription | None:
        return self.services[0] if self.services else None


def usage_page(*, customer: Customer, service: int | None = None, first: dt.date | None = None) -> UsagePage:
    """A metered service's use (the one `service` names, else the latest) in the billing period
    starting on `first` (one of its last twelve, else the current one)."""
    services = subscription_metered_list(customer=customer, limit=LIST_LIMIT)
    services.sort(key=lambda s: s.pk != service)  # stable: the chosen one first, the rest in order
    if not services:
        return UsagePage([], [], None)
    subscription = services[0]
    periods = usage.usage_periods(subscription=subscription)
    chosen = next((p for p in periods if p[0] == first), periods[0])
    period = usage.usage_period(subscription=subscription, first=chosen[0], after=chosen[1])
    return UsagePage(services, periods, period)


# ---------------------------------------------------------------- appointments


def job_upcoming_list(*, customer: Customer, limit: int = LIST_LIMIT) -> list[Job]:
    """Appointments from now on, soonest first (cancelled ones left out)."""
    return jobs.job_list(customer=customer, when="future", limit=limit).items


def job_upcoming_get(*, customer: Customer, pk: object) -> Job:
    """One of the customer's upcoming appointments; a past, cancelled or another's job is not found."""
    return jobs.job_future_get(customer=customer, pk=pk)


# ---------------------------------------------------------------- contracts


def _contracts(customer: Customer) -> QuerySet[Contract]:
    return Contract.objects.filter(
        provider_id=customer.provider_id,
        customer=customer,
        status__in=SHOWN_CONTRACTS,
        sent_at__isnull=False,
    ).select_related("template")


def contract_list(
    *, customer: Customer, cursor: str | None = None, limit: int = LIST_LIMIT
) -> Page[Contract]:
    return keyset_page(_contracts(customer), ordering=("-sent_at", "-id"), limit=limit, cursor=cursor)


def contract_get(*, customer: Customer, pk: object) -> Contract:
    return get_scoped(_contracts(customer), provider=customer.provider_id, pk=pk)
