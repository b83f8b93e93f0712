"""Who the demo customers are: names, addresses, phones, contacts, custom values, tags and groups,
and the words of their notes, drawn from the provider's word lists (data.py) and Faker."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from faker import Faker

from accountdesk.customers.models import (
    Customer,
    CustomerGroup,
    CustomerType,
    CustomFieldDefinition,
    Tag,
)
from accountdesk.demo import data
from accountdesk.tenancy.models import User


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def day_month(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def pick(rng: random.Random, weighted: Iterable[tuple[str, int]]) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights=weights)[0]


class _Fill(dict[str, str]):
    """Note placeholders, each drawn only when the template asks for it."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> str:
        return self.make(key)


class People:
    """ProviderBuilder's part that makes up people and what they write (rng, faker, spec and the
    provider's catalogue come from ProviderBuilder)."""

    # Set by ProviderBuilder: its seeded randomness and the provider's spec, staff and catalogue.
    spec: data.ProviderSpec
    rng: random.Random
    faker: Faker
    today: dt.date
    staff: dict[str, User]
    agents: list[User]
    groups: dict[str, CustomerGroup]
    tags: dict[str, Tag]

    # ---- who and what ------------------------------------------------------------------------

    def _person(self) -> tuple[str, str]:
        return self.faker.first_name(), self.faker.last_name()

    def _identity(self, business: bool) -> dict[str, Any]:
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
            domain = f"{ascii_fold(base)}.example.com"
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
        first, last = ascii_fold(first), ascii_fold(last)
        local = rng.choice([f"{first}.{last}", f"{first[0]}{last}"])
        if rng.random() < 0.3:
            local += str(rng.randint(1, 99))
        return f"{local}@{domain}"

    def _street_address(self, town: data.Town) -> dict[str, str]:
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

    def _contacts(
        self, identity: dict[str, Any], business: bool
    ) -> list[tuple[dict[str, Any], dict[str, str]]]:
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
                    "email": f"{ascii_fold(first)}@{identity['domain']}",
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
            return pick(rng, (("Passed", 80), ("Referred", 8), ("Not required", 12)))
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
        chosen: list[Tag] = []
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
        name = pick(self.rng, self.spec.business_groups if business else self.spec.residential_groups)
        return self.groups.get(name) if name else None

    def author(self, role: str | None = None) -> User:
        role = role or pick(self.rng, self.spec.note_authors)
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
                "past": lambda: day_month(day - dt.timedelta(days=rng.randint(1, 12))),
                "soon": lambda: day_month(day + dt.timedelta(days=rng.randint(2, 21))),
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
