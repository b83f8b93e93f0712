"""The demo data generator: two providers, their staff, and customers with believable histories.

Ordinary records go through the services (with the clock frozen at the moment they happened) so the
activity log and status histories are exactly what the product writes. The few heavy accounts get
years of notes and activity through bulk_create (see history.py). Everything comes from one seed:
a random.Random and a Faker per provider, never the global random.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.customers.models import (
    AlertDefinition,
    Contact,
    Customer,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    ManualAlert,
    Status,
    Tag,
)
from accountdesk.demo import data
from accountdesk.demo.context import DemoContext
from accountdesk.demo.lives import Lives
from accountdesk.demo.people import ascii_fold, pick
from accountdesk.notes.models import Note
from accountdesk.tenancy.models import MODULES, Provider, User

# The first customers cover every status and both types, whatever --customers says (from 5 up).
GUARANTEED = (
    (Status.PROSPECT, CustomerType.RESIDENTIAL),
    (Status.ACTIVE, CustomerType.BUSINESS),
    (Status.BLOCKED, CustomerType.RESIDENTIAL),
    (Status.DEACTIVATED, CustomerType.BUSINESS),
    (Status.ARCHIVED, CustomerType.RESIDENTIAL),
)
STATUS_WEIGHTS = (
    (Status.ACTIVE, 64),
    (Status.PROSPECT, 7),
    (Status.BLOCKED, 9),
    (Status.DEACTIVATED, 12),
    (Status.ARCHIVED, 8),
)


@dataclass
class ProviderSummary:
    name: str
    slug: str
    customers: int
    heavy_numbers: list[str]
    notes: int
    activity: int
    seconds: float
    app_seconds: dict[str, float]


@dataclass
class Plan:
    """What a customer will become, decided before anything is written (so numbers follow join dates)."""

    status: str
    type: str
    joined_at: dt.datetime
    heavy: bool = False


@dataclass
class CustomerState:
    """One customer while its timeline plays: the live row and what later events need."""

    plan: Plan
    customer: Customer | None = None
    contacts: list[Contact] = field(default_factory=list)
    contact_added_at: dict[int, dt.datetime] = field(default_factory=dict)
    activated_at: dt.datetime | None = None
    last_at: dt.datetime | None = None
    alert: ManualAlert | None = None  # the manual alert a later step may dismiss

    def created(self) -> Customer:
        """The customer, once its creation step has run (every later step runs after it)."""
        assert self.customer is not None, "a customer's steps run after its creation"
        return self.customer


def demo_load(*, seed: int = 42, customers: int = 300, heavy: int = 3, log=None) -> list[ProviderSummary]:
    """Create both demo providers. Each provider is one transaction: all of it or none of it."""
    previous = clock._frozen  # a test's frozen clock comes back afterwards
    now = clock.now().replace(microsecond=0)
    validate_password(data.DEMO_PASSWORD)  # the same rules as every password set in the product
    password = make_password(data.DEMO_PASSWORD)  # Argon2 is slow by design: hash once, share it
    summaries = []
    try:
        clock.freeze(now)
        for spec in data.PROVIDERS:
            started = time.perf_counter()
            with transaction.atomic():
                summary = ProviderBuilder(spec=spec, seed=seed, now=now, password=password).build(
                    customers=customers, heavy=heavy
                )
            summary.seconds = time.perf_counter() - started
            summaries.append(summary)
            if log:
                log(summary)
    finally:
        clock.freeze(previous)
    return summaries


class ProviderBuilder(Lives):
    def __init__(self, *, spec: data.ProviderSpec, seed: int, now: dt.datetime, password: str) -> None:
        self.spec = spec
        self.seed = seed
        self.now = now
        self.today = timezone.localdate(now)
        self.password = password
        self.rng = random.Random(f"accountdesk-demo:{seed}:{spec.slug}")
        self.faker = Faker(spec.locale)
        self.faker.seed_instance(f"accountdesk-demo:{seed}:{spec.slug}")
        self.emails: set[str] = set()

    # ---- setup -------------------------------------------------------------------------------

    def build(self, *, customers: int, heavy: int) -> ProviderSummary:
        self.provider = self._provider()
        self.staff, self.account_managers = self._staff()
        self.ctx = DemoContext(
            provider=self.provider,
            customers=[],
            heavy_customers=[],
            staff=self.staff,
            rng=self.rng,
            faker=self.faker,
            today=self.today,
            now=self.now,
            account_managers=self.account_managers,
            password=data.DEMO_PASSWORD,
        )
        self.agents = [self.staff["agent"], *self.account_managers]
        self._catalogue()
        states = [CustomerState(plan) for plan in self._plans(customers, heavy)]
        for state in states:
            self._play(state)
        from accountdesk.demo.history import heavy_history

        for state in states:
            if state.plan.heavy:
                heavy_history(self, state)
        self._fix_timestamps(states)
        ordered = list(Customer.objects.filter(provider=self.provider).order_by("id"))
        heavy_ids = {s.created().pk for s in states if s.plan.heavy}
        self.ctx.customers = ordered
        self.ctx.heavy_customers = [c for c in ordered if c.pk in heavy_ids]
        app_seconds = self._populate_apps()
        return ProviderSummary(
            name=self.provider.name,
            slug=self.provider.slug,
            customers=len(ordered),
            heavy_numbers=[c.number for c in self.ctx.heavy_customers],
            notes=Note.objects.filter(provider=self.provider).count(),
            activity=Activity.objects.filter(provider=self.provider).count(),
            seconds=0.0,
            app_seconds=app_seconds,
        )

    def _provider(self) -> Provider:
        spec = self.spec
        return Provider.objects.create(
            name=spec.name,
            slug=spec.slug,
            currency=spec.currency,
            locale=spec.locale,
            agent_credit_limit=Decimal(spec.agent_credit_limit),
            **{module: module in spec.modules for module in MODULES},
        )

    def _staff(self) -> tuple[dict[str, User], list[User]]:
        slug = self.spec.slug
        staff = {}
        for role in data.ROLES:
            first, last = self._person()
            staff[role] = self._user(f"{role}@{slug}.test", f"{first} {last}", role)
        managers = []
        for _ in range(self.spec.account_managers):
            first, last = self._person()
            email = f"{ascii_fold(first)}.{ascii_fold(last)}@{slug}.test"
            if email in self.emails:
                continue
            managers.append(self._user(email, f"{first} {last}", "agent"))
        return staff, managers

    def _user(self, email: str, name: str, role: str) -> User:
        self.emails.add(email)
        return User.objects.create(
            provider=self.provider, email=email, name=name, role=role, password=self.password
        )

    def _catalogue(self) -> None:
        spec, provider = self.spec, self.provider
        group_names = {n for n, _ in spec.residential_groups + spec.business_groups if n}
        self.groups = {
            g.name: g
            for g in CustomerGroup.objects.bulk_create(
                [CustomerGroup(provider=provider, name=n) for n in sorted(group_names)]
            )
        }
        self.tags = {
            t.name: t for t in Tag.objects.bulk_create([Tag(provider=provider, name=n) for n, _ in spec.tags])
        }
        self.fields = CustomFieldDefinition.objects.bulk_create(
            [
                CustomFieldDefinition(
                    provider=provider,
                    name=f.name,
                    kind=f.kind,
                    choices=list(f.choices),
                    show_on_overview=f.show_on_overview,
                    position=i,
                )
                for i, f in enumerate(spec.custom_fields)
            ]
        )
        AlertDefinition.objects.bulk_create(
            [
                AlertDefinition(
                    provider=provider,
                    name=a.name,
                    rule=a.rule,
                    value=a.value,
                    level=a.level,
                    message=a.message,
                )
                for a in spec.alerts
            ]
        )

    # ---- planning ----------------------------------------------------------------------------

    def _plans(self, count: int, heavy: int) -> list[Plan]:
        rng = self.rng
        kinds: list[tuple[str, str]] = []
        for i in range(count):
            if i < len(GUARANTEED):
                kinds.append(GUARANTEED[i])
                continue
            business = rng.randrange(100) < self.spec.business_share
            customer_type = CustomerType.BUSINESS if business else CustomerType.RESIDENTIAL
            kinds.append((pick(rng, STATUS_WEIGHTS), customer_type))
        heavy_at = self._heavy_indexes([s for s, _ in kinds], heavy)
        plans = []
        for i, (status, kind) in enumerate(kinds):
            days = self._joined_days_ago(status, heavy=i in heavy_at)
            joined = self.ctx.moment_on(self.today - dt.timedelta(days=days))
            plans.append(Plan(status=status, type=kind, joined_at=joined, heavy=i in heavy_at))
        # Numbers are handed out in creation order, so create the oldest account first.
        return sorted(plans, key=lambda p: p.joined_at)

    def _heavy_indexes(self, statuses: list[str], heavy: int) -> set[int]:
        """Mostly active long-standing accounts, one in three blocked; skip the guaranteed first five."""
        chosen: set[int] = set()
        order = [*range(len(GUARANTEED), len(statuses)), *range(min(len(GUARANTEED), len(statuses)))]
        for k in range(heavy):
            wanted = Status.BLOCKED if k % 3 == 2 else Status.ACTIVE
            pick = next((i for i in order if i not in chosen and statuses[i] == wanted), None)
            if pick is None:
                pick = next(
                    (i for i in order if i not in chosen and statuses[i] in (Status.ACTIVE, Status.BLOCKED)),
                    None,
                )
            if pick is not None:
                chosen.add(pick)
        return chosen

    def _joined_days_ago(self, status: str, *, heavy: bool) -> int:
        rng = self.rng
        if heavy:
            return rng.randint(2600, 3300)  # seven to nine years
        if status == Status.PROSPECT:
            return rng.randint(2, 45)
        ranges: dict[str, tuple[int, int, int]] = {
            Status.ACTIVE: (20, 2000, 250),
            Status.BLOCKED: (120, 2000, 500),
            Status.DEACTIVATED: (200, 2400, 800),
            Status.ARCHIVED: (450, 2600, 1200),
        }
        low, high, mode = ranges[status]
        return int(rng.triangular(low, high, mode))

    # ---- finishing ---------------------------------------------------------------------------

    def _fix_timestamps(self, states: list[CustomerState]) -> None:
        """created_at/updated_at are stamped by the database clock, not ours: put them in the story."""
        customers: list[Customer] = []
        contacts: list[Contact] = []
        for state in states:
            customer = state.created()
            customer.created_at = state.plan.joined_at
            customer.updated_at = state.last_at or state.plan.joined_at
            customers.append(customer)
            for contact in state.contacts:
                contact.created_at = state.contact_added_at[contact.pk]
                contacts.append(contact)
        Customer.objects.bulk_update(customers, ["created_at", "updated_at"], batch_size=500)
        Contact.objects.bulk_update(contacts, ["created_at"], batch_size=500)

    def _populate_apps(self) -> dict[str, float]:
        """Let every domain app with a demo.py add its records, each with its own seeded randomness;
        then let those with a `demo_finish(ctx)` complete what depends on the apps after them
        (billing issues the invoices of what the others bill)."""
        timings: dict[str, float] = {}
        finishers = []
        for app in settings.DOMAIN_APPS:
            name = f"accountdesk.{app}.demo"
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            populate = getattr(module, "demo_populate", None)
            if populate is not None:
                self._run_app(app, populate, app, timings)
            finish = getattr(module, "demo_finish", None)
            if finish is not None:
                finishers.append((app, finish))
        for app, finish in finishers:
            self._run_app(app, finish, f"{app}:finish", timings)
        return timings

    def _run_app(self, app: str, step, seed_name: str, timings: dict[str, float]) -> None:
        app_seed = f"accountdesk-demo:{self.seed}:{self.spec.slug}:{seed_name}"
        self.faker.seed_instance(app_seed)
        ctx = replace(self.ctx, rng=random.Random(app_seed))
        started = time.perf_counter()
        clock.freeze(self.now)
        step(ctx)
        clock.freeze(self.now)  # whatever the app left frozen, the next one starts from "now"
        timings[app] = timings.get(app, 0.0) + time.perf_counter() - started
