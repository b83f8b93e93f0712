"""The customer list's sortable columns. Customers registers its own (name, number, joined); an app
adds a column of its figures in AppConfig.ready() (billing: the balance), so customers never imports
the apps above it.

Each sort is by the column's value then the id, in either direction, paged by keyset: the cursor
carries the sort, the value and the id of the last row (core.pagination). Every sort has an index
that serves it in both directions (customers' migrations), except one across a join, which says why
where it is registered.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.db.models.functions import Lower


@dataclass(frozen=True)
class CustomerColumn:
    key: str  # the ?sort= name ("joined"; "-joined" for descending)
    label: str
    expression: Any  # what the list is ordered by (an ORM expression on Customer)
    kind: str = "text"  # how an extra column's value is shown: "text" or "money"
    permission: str | None = None  # who may see (and sort by) the column
    extra: bool = False  # a column of another app, shown after the customer's own columns


COLUMNS: dict[str, CustomerColumn] = {}


def register_customer_column(
    key: str,
    label: str,
    expression: Any,
    *,
    kind: str = "text",
    permission: str | None = None,
    extra: bool = True,
) -> CustomerColumn:
    column = CustomerColumn(key, label, expression, kind, permission, extra)
    COLUMNS[key] = column
    return column


register_customer_column("name", "Name", Lower("name"), extra=False)  # index customer_by_name
register_customer_column("number", "Number", F("number"), extra=False)  # customer_by_number
register_customer_column("joined", "Joined", F("joined_on"), extra=False)  # customer_by_joined

DEFAULT_SORT = "name"


def columns_for(user_can) -> list[CustomerColumn]:
    """The columns a user may see, given `user_can(permission) -> bool`."""
    return [c for c in COLUMNS.values() if c.permission is None or user_can(c.permission)]


def sort_parse(raw: str | None, *, user_can) -> tuple[CustomerColumn, bool] | None:
    """("-joined") -> (the Joined column, descending=True); None for an unknown sort or a column
    the user may not see."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    column = COLUMNS.get(raw.removeprefix("-"))
    if column is None or (column.permission and not user_can(column.permission)):
        return None
    return column, descending
