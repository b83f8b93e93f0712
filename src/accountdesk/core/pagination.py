"""Keyset pagination: an opaque cursor names the last row seen; never OFFSET."""

import base64
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from accountdesk.core.errors import DomainError

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class BadCursor(DomainError):
    status = 400
    code = "bad_request"
    default_message = "The cursor is not valid."


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(int(limit), MAX_LIMIT))


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            moment = dt.datetime.fromisoformat(value["dt"])
            if moment.tzinfo is None:
                raise ValueError("naive datetime")
            return moment
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
        if "dec" in value:
            return Decimal(value["dec"])
        raise ValueError("unknown cursor value")
    return value


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("wrong size")
        return [_decode_value(v) for v in values]
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadCursor() from exc


def keyset_page(
    qs: QuerySet[Any, R],
    *,
    ordering: tuple[str, ...],
    limit: int | None = None,
    cursor: str | None = None,
    key: str | None = None,
) -> Page[R]:
    """One page of `qs` ordered by `ordering` (e.g. ("-created_at", "-id")), the last field unique.

    A list with several orders passes the order's name as `key`: its cursors carry it, and a
    cursor of another order is refused instead of being read as this one's values."""
    size = clamp_limit(limit)
    fields = [f.lstrip("-") for f in ordering]
    if cursor:
        values = decode_cursor(cursor, len(fields) + (1 if key else 0))
        if key:
            if values[0] != key:
                raise BadCursor()
            values = values[1:]
        condition = Q()
        for i, field in enumerate(fields):
            op = "lt" if ordering[i].startswith("-") else "gt"
            step = Q(**{f"{field}__{op}": values[i]})
            for j in range(i):
                step &= Q(**{fields[j]: values[j]})
            condition |= step
        try:
            qs = qs.filter(condition)
        except (ValueError, TypeError, ValidationError) as exc:
            # A forged cursor whose values do not fit the fields (text for an id, null ...).
            raise BadCursor() from exc
    rows = list(qs.order_by(*ordering)[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([*([key] if key else []), *(_attr(last, f) for f in fields)])
    return Page(rows, next_cursor)


def _attr(obj: Any, field: str) -> Any:
    return getattr(obj, field)
