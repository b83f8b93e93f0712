"""The columns of a customer import file: what each one holds, and the downloadable template.

A file names its columns in its first row. `external_id` (the account's id in the system the
provider comes from) and `name` are required; every other column is optional, and a column left out
of the file leaves that part of an existing customer as it is. Custom fields are columns named
`custom:<the custom field's name>`. Contacts, subscriptions and equipment come in numbered groups:
`contact_*` is the primary contact and `contact2_*` a second one; `package`, `package2` and
`package3` are subscriptions; `equipment_*` and `equipment2_*` are two devices.
"""

from __future__ import annotations

from dataclasses import dataclass

CUSTOM_PREFIX = "custom:"


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    example: str = ""


def _group(prefix: str, fields: list[tuple[str, str, str]], count: int) -> list[Column]:
    columns = []
    for n in range(1, count + 1):
        head = prefix if n == 1 else f"{prefix}{n}"
        for suffix, help_text, example in fields:
            name = f"{head}_{suffix}" if suffix else head
            columns.append(Column(name, help_text, example if n == 1 else ""))
    return columns


CUSTOMER_COLUMNS = [
    Column(
        "external_id",
        "Required. The account's id in your previous system; matches rows on re-import.",
        "OLD-1001",
    ),
    Column("name", "Required for a new customer. The account's name.", "Dana Whitfield"),
    Column("type", "residential or business (default residential).", "residential"),
    Column("status", "prospect, active, blocked or deactivated (default active).", "active"),
    Column("email", "The account's email address.", "dana@example.com"),
    Column("phone", "The account's phone number.", "+1 720 555 0134"),
    Column("group", "The name of one of your customer groups.", ""),
    Column("joined_on", "YYYY-MM-DD, today or earlier (default today).", "2021-03-15"),
    *(
        Column(f"{kind}_{part}", f"{kind.capitalize()} address: {label}.", example)
        for kind in ("billing", "service")
        for part, label, example in (
            ("line1", "first line", "12 Elm Street"),
            ("line2", "second line", ""),
            ("city", "city", "Boulder"),
            ("region", "state or region", "CO"),
            ("postcode", "postcode", "80302"),
            ("country", "two-letter ISO country code", "US"),
        )
    ),
    Column("service_latitude", "The service address's latitude (-90 to 90).", ""),
    Column("service_longitude", "The service address's longitude (-180 to 180).", ""),
]
CONTACT_FIELDS = [
    ("name", "Contact name (the first is the primary contact).", "Dana Whitfield"),
    ("title", "Contact title.", ""),
    ("email", "Contact email.", "dana@example.com"),
    ("phone", "Contact phone.", "+1 720 555 0134"),
]
BILLING_COLUMNS = [
    Column("billing_cycle", "monthly, quarterly or annual.", "monthly"),
    Column("billing_day", "The day each billing period starts, 1 to 28.", "1"),
    Column("billing_terms", "due_on_receipt, net7, net14, net30 or net60.", "net30"),
    Column("billing_type", "residential, business or wholesale.", "residential"),
    Column("billing_delivery", "email, post or portal.", "email"),
    Column(
        "opening_balance",
        "What the account owes (a negative amount: its credit) when it moves here, e.g. 42.50. "
        "Written once as an opening ledger entry.",
        "42.50",
    ),
    Column("opening_balance_due", "YYYY-MM-DD: when an owed opening balance is due (default today).", ""),
]
PACKAGE_FIELDS = [
    ("", "A package's name in your catalogue: subscribes the customer to it.", "Fibre 100"),
    ("price", "The subscription's price (default the package's).", ""),
    ("start", "YYYY-MM-DD: the first day to bill here (default today).", "2026-12-01"),
]
EQUIPMENT_FIELDS = [
    ("name", "The device's name.", "Home router"),
    ("type", "The name of one of your device types.", ""),
    ("mac", "MAC address in any usual notation.", "AA:BB:CC:00:11:22"),
    ("ip", "IPv4 or IPv6 address.", "192.0.2.10"),
]
CONTACT_SLOTS, PACKAGE_SLOTS, EQUIPMENT_SLOTS = 2, 3, 2

COLUMNS: list[Column] = [
    *CUSTOMER_COLUMNS,
    *_group("contact", CONTACT_FIELDS, CONTACT_SLOTS),
    *BILLING_COLUMNS,
    *_group("package", PACKAGE_FIELDS, PACKAGE_SLOTS),
    *_group("equipment", EQUIPMENT_FIELDS, EQUIPMENT_SLOTS),
]
KNOWN = {c.name for c in COLUMNS}
REQUIRED = ("external_id", "name")


def slot_prefix(prefix: str, n: int) -> str:
    """`contact`, `contact2`, ...: the columns' stem for the n-th (1-based) group."""
    return prefix if n == 1 else f"{prefix}{n}"


def template_rows(custom_fields: list[str]) -> tuple[list[str], list[str]]:
    """The template's header and its example row, with a column for each of the provider's
    custom fields."""
    header = [c.name for c in COLUMNS] + [f"{CUSTOM_PREFIX}{name}" for name in custom_fields]
    example = [c.example for c in COLUMNS] + ["" for _ in custom_fields]
    return header, example
