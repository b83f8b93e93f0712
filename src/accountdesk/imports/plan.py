"""Checking an import file: every cell read and checked before anything is written.

`import_plan` reads the whole table against the provider's catalogues (packages, groups, device
types, custom fields) and its customers (matched by external id), and answers what each row would
create or change, and every problem, each named by its row and column. Nothing is written here; the
services write a plan only when it has no problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accountdesk.billing.models import BillingType, Cycle, Delivery, LedgerEntry, Terms
from accountdesk.core import clock
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.parse import parse_amount, parse_date, parse_decimal, parse_text
from accountdesk.customers.models import Customer, CustomerGroup, CustomerType, CustomFieldDefinition, Status
from accountdesk.customers.services.custom_fields import custom_value_clean
from accountdesk.imports.columns import (
    CONTACT_SLOTS,
    CUSTOM_PREFIX,
    EQUIPMENT_SLOTS,
    KNOWN,
    PACKAGE_SLOTS,
    REQUIRED,
    slot_prefix,
)
from accountdesk.imports.reader import Table
from accountdesk.network.addresses import InvalidAddress, normalise_ip, normalise_mac
from accountdesk.network.models import DeviceType, Equipment
from accountdesk.subscriptions.models import Package
from accountdesk.tenancy.models import Provider

# The ledger line an opening balance is written as; a second import finds it by this text.
OPENING_DESCRIPTION = "Opening balance"
IMPORTABLE_STATUSES = (Status.PROSPECT, Status.ACTIVE, Status.BLOCKED, Status.DEACTIVATED)
MAX_EXTERNAL_ID = Customer._meta.get_field("external_id").max_length or 100
LOOKUP_CHUNK = 5000


@dataclass(frozen=True)
class Problem:
    row: int  # the file's row number: 1 is the header
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


@dataclass
class NewSubscription:
    package: Package
    price: Decimal
    started_on: dt.date


@dataclass
class Device:
    name: str
    device_type: DeviceType | None
    mac: str
    ip: str | None


@dataclass
class RowPlan:
    line: int
    external_id: str
    customer: Customer | None  # the customer it updates; None: a new one
    fields: dict[str, Any] = field(default_factory=dict)
    custom: dict[int, tuple[CustomFieldDefinition, str]] = field(default_factory=dict)
    # One per contact slot the file has: the contact's fields, or None when its cells are empty.
    contacts: dict[int, dict[str, str] | None] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    opening: Decimal | None = None  # None: nothing to write (absent, zero, or imported already)
    opening_due: dt.date | None = None
    subscriptions: list[NewSubscription] = field(default_factory=list)
    equipment: list[Device] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.customer is None


@dataclass
class ImportPlan:
    header: list[str]
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def creates(self) -> int:
        return sum(1 for r in self.rows if r.is_new)

    @property
    def updates(self) -> int:
        return sum(1 for r in self.rows if not r.is_new)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})


class _Cell(Exception):
    """A cell's problem, raised by a reader below and turned into a Problem."""


def _message(error: ValidationFailed) -> str:
    return next(iter(error.fields.values()), error.message) if error.fields else error.message


def _text(max_length: int, *, required: bool = False) -> Callable[[str], str]:
    def read(raw: str) -> str:
        try:
            return parse_text(raw, field="value", max_length=max_length, single_line=True, required=required)
        except ValidationFailed as error:
            raise _Cell(_message(error)) from None

    return read


def _token(raw: str) -> str:
    """ "Due on receipt", "NET30", "due-on-receipt" -> the stored code."""
    return "_".join(raw.strip().lower().replace("-", " ").split())


def _choice(values, *, allowed=None) -> Callable[[str], str]:
    allowed = list(allowed or values)

    def read(raw: str) -> str:
        code = _token(raw)
        if code not in allowed:
            raise _Cell(f"Choose one of: {', '.join(allowed)}.")
        return code

    return read


def _date(raw: str) -> dt.date:
    try:
        return parse_date(raw, field="value")
    except ValidationFailed as error:
        raise _Cell(_message(error)) from None


def _email(raw: str) -> str:
    if len(raw) > 254:
        raise _Cell("At most 254 characters.")
    try:
        validate_email(raw)
    except ValidationError:
        raise _Cell("Enter a valid email address.") from None
    return raw


def _country(raw: str) -> str:
    code = raw.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise _Cell("Enter a two-letter ISO country code, such as US.")
    return code


def _coordinate(high: int) -> Callable[[str], Decimal]:
    def read(raw: str) -> Decimal:
        try:
            return parse_decimal(raw, field="value", places=6, low=Decimal(-high), high=Decimal(high))
        except ValidationFailed as error:
            raise _Cell(_message(error)) from None

    return read


def _amount(*, allow_negative: bool = False) -> Callable[[str], Decimal]:
    def read(raw: str) -> Decimal:
        try:
            return parse_amount(
                raw.replace(",", ""), field="value", allow_zero=True, allow_negative=allow_negative
            )
        except ValidationFailed as error:
            raise _Cell(_message(error)) from None

    return read


def _day(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 28:
        raise _Cell("Choose a day from 1 to 28.")
    return int(raw)


def _length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


_ADDRESS = {
    f"{kind}_{part}": _text(_length(Customer, f"{kind}_{part}"))
    for kind in ("billing", "service")
    for part in ("line1", "line2", "city", "region", "postcode")
}
# Customer columns: the model field each fills, and how its cell is read.
CUSTOMER_READERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "name": ("name", _text(_length(Customer, "name"), required=True)),
    "type": ("type", _choice(CustomerType.values)),
    "status": ("status", _choice(Status.values, allowed=IMPORTABLE_STATUSES)),
    "email": ("email", _email),
    "phone": ("phone", _text(_length(Customer, "phone"))),
    "joined_on": ("joined_on", _date),
    **{name: (name, read) for name, read in _ADDRESS.items()},
    "billing_country": ("billing_country", _country),
    "service_country": ("service_country", _country),
    "service_latitude": ("service_latitude", _coordinate(90)),
    "service_longitude": ("service_longitude", _coordinate(180)),
}
# Empty cells: what an existing customer's field becomes (a column in the file is what it says).
CUSTOMER_BLANKS: dict[str, Any] = {"service_latitude": None, "service_longitude": None}
PROFILE_READERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "billing_cycle": ("cycle", _choice(Cycle.values)),
    "billing_day": ("anchor_day", _day),
    "billing_terms": ("terms", _choice(Terms.values)),
    "billing_type": ("billing_type", _choice(BillingType.values)),
    "billing_delivery": ("delivery", _choice(Delivery.values)),
}
CONTACT_READERS: dict[str, Callable[[str], str]] = {
    "name": _text(150),
    "title": _text(100),
    "email": _email,
    "phone": _text(40),
}


class _Checker:
    def __init__(self, provider: Provider, table: Table) -> None:
        self.provider = provider
        self.table = table
        self.plan = ImportPlan(header=table.header)
        self.index = {name: i for i, name in enumerate(table.header)}
        self.today = clock.today()

    def problem(self, line: int, column: str, message: str) -> None:
        self.plan.problems.append(Problem(line, column, message))

    # ------------------------------------------------------------------ the header

    def check_header(self) -> bool:
        seen: set[str] = set()
        self.custom_columns: dict[str, CustomFieldDefinition] = {}
        definitions = {
            d.name.lower(): d for d in CustomFieldDefinition.objects.filter(provider=self.provider)
        }
        for position, name in enumerate(self.table.header, start=1):
            if not name:
                self.problem(1, f"#{position}", "A column without a name. Name it or remove it.")
            elif name in seen:
                self.problem(1, name, "This column is in the file twice.")
            elif name.startswith(CUSTOM_PREFIX):
                definition = definitions.get(name[len(CUSTOM_PREFIX) :].strip().lower())
                if definition is None:
                    self.problem(1, name, "No custom field has this name (Settings › Custom fields).")
                else:
                    self.custom_columns[name] = definition
            elif name not in KNOWN:
                self.problem(
                    1, name, "Unknown column. Download the template for the columns an import reads."
                )
            seen.add(name)
        for name in REQUIRED:
            if name not in seen:
                self.problem(1, name, "This column is required.")
        if not self.table.rows:
            self.problem(2, "external_id", "The file has no rows under its header.")
        return self.plan.ok

    # ------------------------------------------------------------------ the rows

    def load(self) -> None:
        p = self.provider
        ids = [row[self.index["external_id"]] for row in self.table.rows]
        wanted = sorted({i for i in ids if i})
        self.existing: dict[str, Customer] = {}
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start : start + LOOKUP_CHUNK]
            for customer in Customer.objects.filter(provider=p, external_id__in=chunk):
                self.existing[customer.external_id] = customer
        self.groups = {g.name.lower(): g for g in CustomerGroup.objects.filter(provider=p)}
        self.packages = {k.name.lower(): k for k in Package.objects.filter(provider=p)}
        self.device_types = {t.name.lower(): t for t in DeviceType.objects.filter(provider=p)}
        self.openings: dict[int, Decimal] = {}
        if self.existing and "opening_balance" in self.index:
            customer_ids = [c.pk for c in self.existing.values()]
            for start in range(0, len(customer_ids), LOOKUP_CHUNK):
                entries = LedgerEntry.objects.filter(
                    customer_id__in=customer_ids[start : start + LOOKUP_CHUNK],
                    description=OPENING_DESCRIPTION,
                ).values_list("customer_id", "amount")
                self.openings.update(entries)

    def cell(self, row: list[str], column: str) -> str | None:
        """The cell's text, or None when the file has no such column."""
        position = self.index.get(column)
        return None if position is None else row[position]

    def read(self, line: int, column: str, raw: str, reader: Callable[[str], Any]) -> Any:
        try:
            return reader(raw)
        except _Cell as error:
            self.problem(line, column, str(error))
            return None

    def check_rows(self) -> None:
        width = len(self.table.header)
        first_line: dict[str, int] = {}
        for position, row in enumerate(self.table.rows):
            line = Table.line(position)
            if len(row) > width:
                self.problem(line, f"#{width + 1}", "A cell beyond the last named column.")
                continue
            external_id = row[self.index["external_id"]]
            if not external_id:
                self.problem(line, "external_id", "Required: the account's id in your previous system.")
                continue
            if len(external_id) > MAX_EXTERNAL_ID:
                self.problem(line, "external_id", f"At most {MAX_EXTERNAL_ID} characters.")
                continue
            if external_id in first_line:
                self.problem(line, "external_id", f"{external_id} is on row {first_line[external_id]} too.")
                continue
            first_line[external_id] = line
            plan = RowPlan(line=line, external_id=external_id, customer=self.existing.get(external_id))
            self.check_customer(plan, row)
            self.check_contacts(plan, row)
            self.check_billing(plan, row)
            self.check_subscriptions(plan, row)
            self.check_equipment(plan, row)
            self.plan.rows.append(plan)
        self.check_macs()

    def check_customer(self, plan: RowPlan, row: list[str]) -> None:
        line = plan.line
        for column, (name, reader) in CUSTOMER_READERS.items():
            raw = self.cell(row, column)
            if raw is None:
                continue
            if raw == "":
                if column == "name" and plan.is_new:
                    self.problem(line, column, "Required for a new customer.")
                elif column != "name" and column not in ("type", "status", "joined_on"):
                    plan.fields[name] = CUSTOMER_BLANKS.get(name, "")
                continue
            value = self.read(line, column, raw, reader)
            if name == "joined_on" and value is not None and value > self.today:
                self.problem(line, column, "A customer cannot join in the future.")
            elif value is not None:
                plan.fields[name] = value
        group = self.cell(row, "group")
        if group is not None:
            found = self.groups.get(group.lower()) if group else None
            if group and found is None:
                self.problem(line, "group", f"No customer group named {group}.")
            plan.fields["group"] = found
        for column, definition in self.custom_columns.items():
            raw = row[self.index[column]]
            try:
                plan.custom[definition.pk] = (definition, custom_value_clean(definition, raw))
            except ValidationFailed as error:
                self.problem(line, column, _message(error))

    def check_contacts(self, plan: RowPlan, row: list[str]) -> None:
        for n in range(1, CONTACT_SLOTS + 1):
            stem = slot_prefix("contact", n)
            cells = {part: self.cell(row, f"{stem}_{part}") for part in CONTACT_READERS}
            if all(v is None for v in cells.values()):
                continue
            if not any(cells.values()):
                plan.contacts[n] = None
                continue
            contact: dict[str, str] = {}
            for part, raw in cells.items():
                if raw:
                    value = self.read(plan.line, f"{stem}_{part}", raw, CONTACT_READERS[part])
                    contact[part] = value if value is not None else ""
                elif raw is not None:
                    contact[part] = ""
            if not cells.get("name"):
                self.problem(plan.line, f"{stem}_name", "A contact needs a name.")
            plan.contacts[n] = contact

    def check_billing(self, plan: RowPlan, row: list[str]) -> None:
        for column, (name, reader) in PROFILE_READERS.items():
            raw = self.cell(row, column)
            if raw:
                value = self.read(plan.line, column, raw, reader)
                if value is not None:
                    plan.profile[name] = value
        raw = self.cell(row, "opening_balance")
        due = self.cell(row, "opening_balance_due")
        if due:
            plan.opening_due = self.read(plan.line, "opening_balance_due", due, _date)
        if not raw:
            return
        amount = self.read(plan.line, "opening_balance", raw, _amount(allow_negative=True))
        if amount is None or amount == 0:
            return
        already = self.openings.get(plan.customer.pk) if plan.customer else None
        if already is None:
            plan.opening = amount
        elif already != amount:
            self.problem(
                plan.line,
                "opening_balance",
                f"An opening balance of {already} was imported already; it cannot change by import. "
                "Record a payment, a credit or an invoice instead.",
            )

    def check_subscriptions(self, plan: RowPlan, row: list[str]) -> None:
        for n in range(1, PACKAGE_SLOTS + 1):
            stem = slot_prefix("package", n)
            name = self.cell(row, stem)
            price, start = self.cell(row, f"{stem}_price"), self.cell(row, f"{stem}_start")
            if not name:
                if price or start:
                    self.problem(plan.line, stem, "Name the package this price or start date is for.")
                continue
            package = self.packages.get(name.lower())
            if package is None:
                self.problem(plan.line, stem, f"No package named {name} in your catalogue.")
                continue
            if not package.active:
                self.problem(plan.line, stem, f"{package.name} is no longer sold.")
                continue
            amount = self.read(plan.line, f"{stem}_price", price, _amount()) if price else package.price
            day = self.read(plan.line, f"{stem}_start", start, _date) if start else self.today
            if amount is not None and day is not None:
                plan.subscriptions.append(NewSubscription(package, amount, day))

    def check_equipment(self, plan: RowPlan, row: list[str]) -> None:
        for n in range(1, EQUIPMENT_SLOTS + 1):
            stem = slot_prefix("equipment", n)
            cells = {part: self.cell(row, f"{stem}_{part}") or "" for part in ("name", "type", "mac", "ip")}
            if not any(cells.values()):
                continue
            if not self.provider.has_module("network"):
                self.problem(plan.line, f"{stem}_name", "Equipment needs the Network module (Settings).")
                continue
            device_type = None
            if cells["type"]:
                device_type = self.device_types.get(cells["type"].lower())
                if device_type is None:
                    self.problem(plan.line, f"{stem}_type", f"No device type named {cells['type']}.")
            name = self.read(plan.line, f"{stem}_name", cells["name"], _text(100)) if cells["name"] else None
            mac = ip = None
            try:
                mac = normalise_mac(cells["mac"]) if cells["mac"] else ""
            except InvalidAddress as error:
                self.problem(plan.line, f"{stem}_mac", str(error))
            try:
                ip = normalise_ip(cells["ip"]) if cells["ip"] else None
            except InvalidAddress as error:
                self.problem(plan.line, f"{stem}_ip", str(error))
            label = name or (device_type.name if device_type else "Equipment")
            if mac is not None:
                plan.equipment.append(Device(label, device_type, mac, ip))

    def check_macs(self) -> None:
        """A MAC is one device's: not twice in the file, nor on another customer already."""
        owner: dict[str, tuple[int, RowPlan]] = {}
        for plan in self.plan.rows:
            for n, device in enumerate(plan.equipment, start=1):
                if not device.mac:
                    continue
                if device.mac in owner and owner[device.mac][1] is not plan:
                    first = owner[device.mac][0]
                    column = f"{slot_prefix('equipment', n)}_mac"
                    self.problem(plan.line, column, f"{device.mac} is on row {first} too.")
                owner.setdefault(device.mac, (plan.line, plan))
        macs = sorted(owner)
        for start in range(0, len(macs), LOOKUP_CHUNK):
            found = Equipment.objects.filter(
                provider=self.provider, mac__in=macs[start : start + LOOKUP_CHUNK]
            ).values_list("mac", "customer_id", "customer__number")
            for mac, customer_id, number in found:
                line, plan = owner[mac]
                if plan.customer is None or plan.customer.pk != customer_id:
                    n = next(i for i, d in enumerate(plan.equipment, start=1) if d.mac == mac)
                    column = f"{slot_prefix('equipment', n)}_mac"
                    self.problem(line, column, f"{mac} is the equipment of customer {number} already.")


def import_plan(*, provider: Provider, table: Table) -> ImportPlan:
    """What importing `table` would do for `provider`, and every problem with it."""
    checker = _Checker(provider, table)
    if checker.check_header():
        checker.load()
        checker.check_rows()
    checker.plan.problems.sort(key=lambda p: (p.row, checker.index.get(p.column, len(checker.index))))
    return checker.plan
