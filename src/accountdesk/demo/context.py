"""What the demo generator hands each app's `demo_populate(ctx)`.

Every domain app may have `accountdesk/<app>/demo.py` with `demo_populate(ctx: DemoContext)`;
the generator calls them in settings.DOMAIN_APPS order, once per provider, inside that provider's
transaction, after staff, customers, contacts, notes and status histories exist. It calls them
whatever modules the provider has: an app of a module checks `ctx.provider.has_module(...)` first
and adds nothing when it is off. An app may also have `demo_finish(ctx)`, called after every
app's demo_populate (in the same order): billing issues there the invoices of what the apps after
it bill (ctx.extra["billing_charges"]).

Each app gets its own ctx.rng and a re-seeded ctx.faker (derived from the seed, the provider and
the app), so adding records in one app never shifts another app's data. Use them, never the global
random, so a seed always gives the same data.

Time: the clock is frozen at ctx.now for the whole run, so "today" is one fixed day. Back-date what
a service records with `with ctx.at(moment): some_service(...)`; pick moments with
`ctx.moment_on(day)` or `ctx.moment_between(start, end)` (both in office hours).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from faker import Faker

from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import Provider, User


@dataclass
class DemoContext:
    provider: Provider
    customers: list[Customer]  # every status and type, oldest first
    heavy_customers: list[Customer]  # a few accounts with years of history (subset of customers)
    staff: dict[str, User]  # role -> staff member
    rng: random.Random
    faker: Faker
    today: dt.date
    now: dt.datetime  # the frozen "now" of the run; every record is at or before it
    extra: dict[str, Any] = field(default_factory=dict)  # what one app leaves for the next
    account_managers: list[User] = field(default_factory=list)  # staff who manage accounts
    password: str = ""  # every demo sign-in's password (staff and portal contacts)

    def actor(self, role: str = "agent") -> Actor:
        return Actor.staff(self.staff[role])

    def system(self) -> Actor:
        return Actor.system(self.provider)

    @contextmanager
    def at(self, moment: dt.datetime) -> Iterator[None]:
        """Services called inside record `moment` as their time; the run's "now" comes back after."""
        clock.freeze(moment)
        try:
            yield
        finally:
            clock.freeze(self.now)

    def moment_on(self, day: dt.date) -> dt.datetime:
        """A moment in office hours (08:00 to 18:00) on `day`, never after the run's "now"."""
        seconds = self.rng.randrange(8 * 3600, 18 * 3600)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds))
        return min(moment, self.now)

    def moment_between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A moment between two others, moved into office hours when that keeps it inside them."""
        if end <= start:
            return start
        moment = start + dt.timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))
        office = self.moment_on(timezone.localdate(moment))
        return office if start <= office <= end else moment

    def customer_joined_at(self, customer: Customer) -> dt.datetime:
        """When the customer's account was created (its first activity)."""
        return customer.created_at
