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
import re
import time
import unicodedata
from collections.abc import Callable
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
from accountdesk.core.actors import Actor
from accountdesk.customers import services as customer_services
from accountdesk.customers.models import (
    AlertDefinition,
    Contact,
    Customer,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    Status,
    Tag,
)
from accountdesk.demo import data
from accountdesk.demo.context import DemoContext
from accountdesk.notes.models import Note
from accountdesk.notes.services import note_add
from accountdesk.tenancy.models import MODULES, Provider, User

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
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
    alert: object = None  # the manual alert a later step may dismiss


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


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def _day_month(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _pick(rng: random.Random, weighted) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights=weights)[0]


class _Fill(dict):
    """Note placeholders, each drawn only when the template asks for it."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> str:
        return self.make(key)


class ProviderBuilder:
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
        heavy_ids = {s.customer.pk for s in states if s.plan.heavy}
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

    def _person(self) -> tuple[str, str]:
        return self.faker.first_name(), self.faker.last_name()

    def _staff(self) -> tuple[dict[str, User], list[User]]:
        slug = self.spec.slug
        staff = {}
        for role in data.ROLES:
            first, last = self._person()
            staff[role] = self._user(f"{role}@{slug}.test", f"{first} {last}", role)
        managers = []
        for _ in range(self.spec.account_managers):
            first, last = self._person()
            email = f"{_ascii(first)}.{_ascii(last)}@{slug}.test"
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
        kinds = []
        for i in range(count):
            if i < len(GUARANTEED):
                kinds.append(GUARANTEED[i])
                continue
            business = rng.randrange(100) < self.spec.business_share
            kinds.append((_pick(rng, STATUS_WEIGHTS), CustomerType.BUSINESS if business else "residential"))
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
        low, high, mode = {
            Status.ACTIVE: (20, 2000, 250),
            Status.BLOCKED: (120, 2000, 500),
            Status.DEACTIVATED: (200, 2400, 800),
            Status.ARCHIVED: (450, 2600, 1200),
        }[status]
        return int(rng.triangular(low, high, mode))

    # ---- who and what ------------------------------------------------------------------------

    def _identity(self, business: bool) -> dict:
        rng, spec = self.rng, self.spec
        town = rng.choice(spec.towns)
        first, last = self._person()
        service = self._street_address(town)
        if business:
            trade = rng.choice(spec.trades)
            base = rng.choice(
                [
                    f"{last} {trade}",
                    f"{town.name} {trade}",
                    f"{rng.choice(spec.streets)} {trade}",
                    f"{last} {trade}",
                ]
            )
            suffix = rng.choice(spec.company_suffixes)
            name = f"{base} {suffix}".strip()
            domain = f"{_ascii(base)}.example.com"
            email = f"{rng.choice(['accounts', 'office', 'admin', 'hello'])}@{domain}"
            phone = self._phone(town, mobile=False)
        else:
            name = f"{first} {last}"
            domain = f"example.{rng.choice(['com', 'net', 'org'])}"
            email = self._personal_email(first, last, domain)
            phone = self._phone(town, mobile=spec.country == "AU" or rng.random() < 0.5)
        billing = dict(service)
        if rng.random() < 0.15:
            billing.update(line1=f"PO Box {rng.randint(10, 9999)}", line2="")
        jitter = 0.035
        return {
            "first": first,
            "last": last,
            "town": town,
            "domain": domain,
            "fields": {
                "name": name,
                "type": CustomerType.BUSINESS if business else CustomerType.RESIDENTIAL,
                "email": email,
                "phone": phone,
                **{f"billing_{k}": v for k, v in billing.items()},
                **{f"service_{k}": v for k, v in service.items()},
                "service_latitude": Decimal(f"{town.lat + rng.uniform(-jitter, jitter):.6f}"),
                "service_longitude": Decimal(f"{town.lon + rng.uniform(-jitter, jitter):.6f}"),
            },
        }

    def _personal_email(self, first: str, last: str, domain: str) -> str:
        rng = self.rng
        local = rng.choice([f"{_ascii(first)}.{_ascii(last)}", f"{_ascii(first)[0]}{_ascii(last)}"])
        if rng.random() < 0.3:
            local += str(rng.randint(1, 99))
        return f"{local}@{domain}"

    def _street_address(self, town: data.Town) -> dict:
        rng, spec = self.rng, self.spec
        street = f"{rng.choice(spec.streets)} {rng.choice(spec.street_types)}"
        line2 = ""
        if spec.country == "AU":
            number = str(rng.randint(1, 240))
            if rng.random() < 0.15:
                number = f"{rng.randint(1, 12)}/{number}"
        else:
            number = str(rng.randint(100, 19999))
            if rng.random() < 0.12:
                line2 = f"{rng.choice(['Apt', 'Unit', 'Suite'])} {rng.randint(1, 420)}"
        return {
            "line1": f"{number} {street}",
            "line2": line2,
            "city": town.name,
            "region": town.region,
            "postcode": rng.choice(town.postcodes),
            "country": spec.country,
        }

    def _phone(self, town: data.Town, *, mobile: bool) -> str:
        rng = self.rng
        if self.spec.country == "AU":
            if mobile:
                return f"04{rng.randint(0, 99):02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
            return f"({rng.choice(town.phone_prefixes)}) {rng.choice('5789')}{rng.randint(0, 999):03d} " + (
                f"{rng.randint(0, 9999):04d}"
            )
        return f"({rng.choice(town.phone_prefixes)}) {rng.randint(201, 989)}-{rng.randint(0, 9999):04d}"

    def _contacts(self, identity: dict, business: bool) -> list[tuple[dict, dict]]:
        """(contact fields, primary address) pairs, the primary first."""
        rng, fields = self.rng, identity["fields"]
        service = {
            k[len("service_") :]: fields[k] for k in fields if k.startswith("service_") and "itude" not in k
        }
        contacts = []
        if business:
            count = rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]
            titles = rng.sample(data.CONTACT_TITLES, count)
            for i, title in enumerate(titles):
                first, last = self._person()
                row = {
                    "name": f"{first} {last}",
                    "title": title,
                    "email": f"{_ascii(first)}@{identity['domain']}",
                    "phone": self._phone(identity["town"], mobile=rng.random() < 0.6),
                    "is_billing": title in ("Accounts Payable", "Bookkeeper") or (i == 0 and count == 1),
                }
                address = service if rng.random() < 0.7 else self._street_address(rng.choice(self.spec.towns))
                contacts.append((row, address))
        else:
            holder = {
                "name": fields["name"],
                "title": "Account holder",
                "email": fields["email"],
                "phone": fields["phone"],
                "is_billing": True,
            }
            contacts.append((holder, service))
            for title in rng.sample(
                data.HOUSEHOLD_TITLES[1:], rng.choices([0, 1, 2], weights=[55, 35, 10])[0]
            ):
                first = {"Son": self.faker.first_name_male, "Daughter": self.faker.first_name_female}.get(
                    title, self.faker.first_name
                )()
                last = identity["last"] if title in ("Partner", "Son", "Daughter") else self.faker.last_name()
                row = {
                    "name": f"{first} {last}",
                    "title": title,
                    "email": self._personal_email(first, last, f"example.{rng.choice(['com', 'net'])}"),
                    "phone": self._phone(identity["town"], mobile=True),
                    "is_billing": False,
                }
                own = title in ("Property manager",) or rng.random() < 0.2
                contacts.append((row, self._street_address(rng.choice(self.spec.towns)) if own else service))
        return contacts

    def _custom_value(self, definition: CustomFieldDefinition, joined: dt.date) -> str:
        rng, name = self.rng, definition.name
        if name == "Contract end date":
            return (joined + dt.timedelta(days=365 * rng.choice([1, 2, 3]))).isoformat()
        if definition.kind == "date":
            return (self.today - dt.timedelta(days=rng.randint(5, 700))).isoformat()
        if name == "Credit check":
            return _pick(rng, (("Passed", 80), ("Referred", 8), ("Not required", 12)))
        if definition.kind == "choice":
            return rng.choice(definition.choices)
        if name == "Static IPs":
            return str(rng.choice([1, 1, 1, 5, 8]))
        if definition.kind == "number":
            return str(rng.choice([6, 12, 12, 12, 24]))
        if definition.kind == "boolean":
            return "yes" if rng.random() < 0.6 else "no"
        if name == "Site access notes":
            return rng.choice(
                [
                    "Side gate; key in the lockbox, code with the office",
                    f"Intercom unit {rng.randint(1, 40)}; visitor parking at the rear",
                    "Shared driveway: park on the street",
                    "Access via the rear lane; ring the owner on arrival",
                    "Meter box behind the garage; dog in the backyard",
                ]
            )
        return f"#{rng.randint(1000, 9999)}"

    def _tags_for(self, business: bool) -> list[Tag]:
        rng = self.rng
        chosen = []
        for name, share in self.spec.tags:
            odds = share * (2 if name == "VIP" and business else 1)
            if name in ("Fibre", "Fixed Wireless") and any(
                t.name in ("Fibre", "Fixed Wireless") for t in chosen
            ):
                continue
            if rng.randrange(100) < odds:
                chosen.append(self.tags[name])
        return chosen

    def _group_for(self, business: bool) -> CustomerGroup | None:
        name = _pick(self.rng, self.spec.business_groups if business else self.spec.residential_groups)
        return self.groups.get(name) if name else None

    def author(self, role: str | None = None) -> User:
        role = role or _pick(self.rng, self.spec.note_authors)
        return self.rng.choice(self.agents) if role == "agent" else self.staff[role]

    def note_body(self, author: User, moment: dt.datetime, customer: Customer) -> str:
        rng = self.rng
        topic = data.TOPIC_OF_ROLE[author.role]
        template = rng.choice(self.spec.note_topics[topic])
        manager = customer.account_manager or self.staff["agent"]

        def make(key: str) -> str:
            day = timezone.localdate(moment)
            values = {
                "email": lambda: customer.email or "the billing contact",
                "past": lambda: _day_month(day - dt.timedelta(days=rng.randint(1, 12))),
                "soon": lambda: _day_month(day + dt.timedelta(days=rng.randint(2, 21))),
                "month": lambda: (timezone.localdate(moment) - dt.timedelta(days=20)).strftime("%B"),
                "amount": lambda: f"${rng.randint(2000, 40000) / 100:,.2f}",
                "small_amount": lambda: f"${rng.choice([5, 10, 15, 20, 25])}.00",
                "bank_reason": lambda: rng.choice(data.BANK_REASONS),
                "manager": lambda: manager.display_name,
                "down": lambda: str(rng.choice([48, 87, 95, 240, 470, 940])),
                "up": lambda: str(rng.choice([10, 20, 35, 40, 90])),
                "plan": lambda: rng.choice(data.PLANS),
                "price": lambda: f"${rng.choice([55, 65, 75, 89, 99, 129])}",
                "hours": lambda: str(rng.randint(2, 9)),
                "town": lambda: customer.service_city or "the area",
                "router": lambda: rng.choice(data.ROUTERS),
                "signal": lambda: str(-rng.randint(52, 74)),
                "ref": lambda: f"NF{rng.randint(100000, 999999)}",
                "code": lambda: f"{rng.randint(1000, 9999)}",
                "days": lambda: str(rng.randint(2, 10)),
                "fault": lambda: rng.choice(data.INVERTER_FAULTS),
                "years": lambda: str(rng.randint(9, 16)),
            }
            return values[key]()

        return template.format_map(_Fill(make))

    # ---- one customer's life -----------------------------------------------------------------

    def _play(self, state: CustomerState) -> None:
        """Plan the customer's events, then replay them in time order with the clock at each."""
        events: list[tuple[dt.datetime, int, Callable[[], None]]] = []

        def at(moment: dt.datetime, fn: Callable[[], None]) -> None:
            events.append((min(moment, self.now - MINUTE), len(events), fn))

        self._plan_events(state, at)
        for moment, _, fn in sorted(events, key=lambda e: (e[0], e[1])):
            clock.freeze(moment)
            fn()
            state.last_at = moment
        clock.freeze(self.now)

    def _plan_events(self, state: CustomerState, at) -> None:
        rng, plan = self.rng, state.plan
        business = plan.type == CustomerType.BUSINESS
        identity = self._identity(business)
        t0 = plan.joined_at
        creator = self._creator()
        fields = {**identity["fields"], "group": self._group_for(business)}
        if business or rng.random() < 0.15:
            fields["account_manager"] = rng.choice(self.account_managers or self.agents)
        tags = self._tags_for(business)
        if creator.type == "api" and plan.status != Status.PROSPECT:
            # The web sign-up takes the first payment and provisions at once: born active.
            fields["status"] = Status.ACTIVE

        def create() -> None:
            state.customer = customer_services.customer_create(
                provider=self.provider, data=fields, tags=tags, actor=creator
            )

        at(t0, create)
        staff_actor = creator if creator.type == "staff" else Actor.staff(rng.choice(self.agents))
        for i, (row, address) in enumerate(self._contacts(identity, business)):
            at(t0 + (i + 1) * MINUTE, self._contact_adder(state, row, address, staff_actor))
        for definition, spec in zip(self.fields, self.spec.custom_fields, strict=True):
            if rng.randrange(100) < spec.filled:
                value = self._custom_value(definition, t0.date())
                at(t0 + 8 * MINUTE, self._field_setter(state, definition, value, staff_actor))

        end = self._plan_status(state, at, born_active=fields.get("status") == Status.ACTIVE)
        if not plan.heavy:
            self._plan_notes(state, at, t0 + 10 * MINUTE, end)
            self._plan_edits(state, at, identity, t0 + DAY, end)

    def _creator(self) -> Actor:
        """Most accounts are opened by an agent; some come in through the web sign-up form (the API)."""
        who = _pick(self.rng, (("agent", 60), ("admin", 10), ("api", 30)))
        if who == "api":
            return Actor.api(self.staff["admin"])
        return Actor.staff(self.author(who))

    def _plan_status(self, state: CustomerState, at, *, born_active: bool) -> dt.datetime:
        """Schedule the status changes that lead to the planned status; return when the account went quiet."""
        rng, plan, ctx, now = self.rng, state.plan, self.ctx, self.now
        t0 = plan.joined_at
        if plan.status == Status.PROSPECT:
            return now
        if born_active:
            activated = t0
        else:
            activated = t0 + dt.timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 6))
            activated = min(activated, now - DAY)
            who = ctx.system() if rng.random() < 0.4 else Actor.staff(rng.choice(self.agents))
            at(activated, self._status_changer(state, Status.ACTIVE, rng.choice(data.ACTIVATE_REASONS), who))
        state.activated_at = activated
        end = now
        if plan.status == Status.ARCHIVED:
            archived = ctx.moment_between(max(activated + 90 * DAY, now - 400 * DAY), now - 2 * DAY)
            end = archived - dt.timedelta(days=rng.randint(30, 200))
            end = max(end, activated + DAY)
        elif plan.status == Status.DEACTIVATED:
            end = ctx.moment_between(activated + 60 * DAY, now - 2 * DAY)
        elif plan.status == Status.BLOCKED:
            end = ctx.moment_between(max(activated + DAY, now - 120 * DAY), now - 2 * MINUTE)
        if plan.heavy:
            # The heavy history owns the years between; only a recent final block is left here.
            if plan.status == Status.BLOCKED:
                end = now - dt.timedelta(days=rng.randint(1, 20))
                self._block(state, at, end)
            return end
        cycled = rng.random() < 0.15 and end - activated > 120 * DAY
        if cycled:
            blocked = ctx.moment_between(activated + 30 * DAY, end - 60 * DAY)
            self._block(state, at, blocked)
            who = Actor.staff(self.author("admin" if rng.random() < 0.2 else "agent"))
            back = blocked + dt.timedelta(days=rng.randint(2, 25))
            at(back, self._status_changer(state, Status.ACTIVE, rng.choice(data.UNBLOCK_REASONS), who))
        if plan.status == Status.BLOCKED:
            self._block(state, at, end)
        elif plan.status in (Status.DEACTIVATED, Status.ARCHIVED):
            who = Actor.staff(rng.choice(self.agents))
            at(end, self._status_changer(state, Status.DEACTIVATED, rng.choice(data.DEACTIVATE_REASONS), who))
            if plan.status == Status.ARCHIVED:
                admin = Actor.staff(self.staff["admin"])
                at(archived, self._archiver(state, rng.choice(data.ARCHIVE_REASONS), admin))
        elif not cycled and rng.random() < 0.04 and end - activated > 200 * DAY:
            gone = ctx.moment_between(activated + 60 * DAY, now - 100 * DAY)
            who = Actor.staff(rng.choice(self.agents))
            at(
                gone,
                self._status_changer(state, Status.DEACTIVATED, rng.choice(data.DEACTIVATE_REASONS), who),
            )
            back = gone + dt.timedelta(days=rng.randint(20, 90))
            at(back, self._status_changer(state, Status.ACTIVE, rng.choice(data.REACTIVATE_REASONS), who))
        return end

    def _block(self, state: CustomerState, at, moment: dt.datetime) -> None:
        rng = self.rng
        if rng.random() < 0.5:
            who, reason = self.ctx.system(), rng.choice(data.BLOCK_REASONS_SYSTEM)
        else:
            who, reason = Actor.staff(rng.choice(self.agents)), rng.choice(data.BLOCK_REASONS_STAFF)
        at(moment, self._status_changer(state, Status.BLOCKED, reason, who))

    def _plan_notes(self, state: CustomerState, at, start: dt.datetime, end: dt.datetime) -> None:
        rng = self.rng
        count = rng.choices([0, 1, 2, 3, 4, 5, 7, 10], weights=[15, 22, 20, 15, 10, 8, 6, 4])[0]
        for _ in range(count):
            moment = self.ctx.moment_between(start, end)
            author = self.author()

            def add(author=author, moment=moment) -> None:
                body = self.note_body(author, moment, state.customer)
                note_add(customer=state.customer, body=body, actor=Actor.staff(author))

            at(moment, add)

    def _plan_edits(
        self, state: CustomerState, at, identity: dict, start: dt.datetime, end: dt.datetime
    ) -> None:
        """Later changes: staff edits, self-service changes by the customer, alerts, tag changes."""
        rng, ctx = self.rng, self.ctx
        if end <= start:
            return
        town = identity["town"]
        if rng.random() < 0.12:
            phone = self._phone(town, mobile=rng.random() < 0.5)
            at(ctx.moment_between(start, end), self._updater(state, {"phone": phone}))
        if rng.random() < 0.06 and self.account_managers:
            manager = rng.choice(self.account_managers)
            at(ctx.moment_between(start, end), self._updater(state, {"account_manager": manager}))
        if rng.random() < 0.1:
            address = self._street_address(rng.choice(self.spec.towns))
            change = {f"billing_{k}": v for k, v in address.items()}
            at(ctx.moment_between(start, end), self._self_service(state, change))
        if rng.random() < 0.06:
            at(ctx.moment_between(start, end), self._contact_phone_change(state, town))
        if rng.random() < 0.05:
            level, message = rng.choice(data.MANUAL_ALERTS)
            raised = ctx.moment_between(start, end)
            at(raised, self._alert_adder(state, level, message))
            if rng.random() < 0.3:
                at(ctx.moment_between(raised + DAY, max(end, raised + 2 * DAY)), self._alert_dismisser(state))
        if rng.random() < 0.08:
            extra = rng.choice(list(self.tags.values()))
            at(ctx.moment_between(start, end), self._tag_adder(state, extra))
        if identity["fields"]["type"] == CustomerType.BUSINESS and rng.random() < 0.12:
            at(ctx.moment_between(start, end), self._contact_leaver(state))

    # Each returns the step that runs at its moment; they read the live state then, not at planning.

    def _contact_adder(self, state, row, address, actor) -> Callable[[], None]:
        def step() -> None:
            contact = customer_services.contact_add(
                customer=state.customer, data=dict(row), address=dict(address), actor=actor
            )
            state.contacts.append(contact)
            state.contact_added_at[contact.pk] = clock.now()

        return step

    def _field_setter(self, state, definition, value, actor) -> Callable[[], None]:
        def step() -> None:
            customer_services.custom_field_set(
                customer=state.customer, definition=definition, value=value, actor=actor
            )

        return step

    def _status_changer(self, state, status: str, reason: str, actor: Actor) -> Callable[[], None]:
        def step() -> None:
            state.customer = customer_services.customer_status_change(
                customer=state.customer, status=status, reason=reason, actor=actor
            )

        return step

    def _archiver(self, state, reason: str, actor: Actor) -> Callable[[], None]:
        def step() -> None:
            state.customer = customer_services.customer_archive(
                customer=state.customer, reason=reason, actor=actor
            )

        return step

    def _updater(self, state, changes: dict) -> Callable[[], None]:
        actor = Actor.staff(self.author("agent" if self.rng.random() < 0.7 else "billing"))

        def step() -> None:
            state.customer = customer_services.customer_update(
                customer=state.customer, data=changes, actor=actor
            )

        return step

    def _self_service(self, state, changes: dict) -> Callable[[], None]:
        def step() -> None:
            primary = next((c for c in state.contacts if c.is_primary), state.contacts[0])
            actor = Actor.customer(
                self.provider, contact_id=primary.pk, name=primary.name, email=primary.email
            )
            # What the portal does: the customers service, with the contact as the actor.
            state.customer = customer_services.customer_update(
                customer=state.customer, data=changes, actor=actor
            )

        return step

    def _contact_phone_change(self, state, town) -> Callable[[], None]:
        phone = self._phone(town, mobile=True)
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            live = [c for c in state.contacts if c.pk is not None]
            contact = live[-1]
            customer_services.contact_update(contact=contact, data={"phone": phone}, actor=actor)
            contact.phone = phone

        return step

    def _contact_leaver(self, state) -> Callable[[], None]:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            others = [c for c in state.contacts if not c.is_primary and c.pk is not None]
            if others:
                customer_services.contact_remove(contact=others[-1], actor=actor)
                state.contacts.remove(others[-1])

        return step

    def _alert_adder(self, state, level: str, message: str) -> Callable[[], None]:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            state.alert = customer_services.manual_alert_add(
                customer=state.customer, level=level, message=message, actor=actor
            )

        return step

    def _alert_dismisser(self, state) -> Callable[[], None]:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            customer_services.manual_alert_dismiss(alert=state.alert, actor=actor)

        return step

    def _tag_adder(self, state, tag: Tag) -> Callable[[], None]:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            current = list(state.customer.tags.all())
            if tag not in current:
                customer_services.customer_tags_set(
                    customer=state.customer, tags=[*current, tag], actor=actor
                )

        return step

    # ---- finishing ---------------------------------------------------------------------------

    def _fix_timestamps(self, states: list[CustomerState]) -> None:
        """created_at/updated_at are stamped by the database clock, not ours: put them in the story."""
        customers, contacts = [], []
        for state in states:
            customer = state.customer
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
