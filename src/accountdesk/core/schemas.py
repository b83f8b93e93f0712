"""Shared API schema helpers, and the input types every schema uses for dates."""

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, create_model

from accountdesk.core.dates import check_date
from accountdesk.core.pagination import Page

# A date or date-time from a client: pydantic parses it, core.dates bounds it (422 outside
# 1900-01-01 .. 2100-12-31), so no schema can let year 9999 through to a service.
DateIn = Annotated[dt.date, AfterValidator(check_date)]
DateTimeIn = Annotated[dt.datetime, AfterValidator(check_date)]


@cache
def paged(item: type[Schema]) -> type[Schema]:
    """The list envelope {"items": [...], "next_cursor": ...} for one item schema."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        items=(list[item], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, None),
    )


def page_out(page: Page[Any], serialize: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {"items": [serialize(row) for row in page.items], "next_cursor": page.next_cursor}
