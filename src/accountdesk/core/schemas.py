"""Shared API schema helpers."""

from functools import cache

from ninja import Schema
from pydantic import create_model


@cache
def paged(item: type[Schema]) -> type[Schema]:
    """The list envelope {"items": [...], "next_cursor": ...} for one item schema."""
    return create_model(
        f"{item.__name__}Page", __base__=Schema, items=(list[item], ...), next_cursor=(str | None, None)
    )


def page_out(page, serialize) -> dict:
    return {"items": [serialize(row) for row in page.items], "next_cursor": page.next_cursor}
