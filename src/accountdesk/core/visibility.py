"""Money is shown only to roles with billing.view: the one rule, and the one way to apply it.

Pages, the API, exports, the activity log and the ask box all ask `sees_money(viewer)`. What a
role without it gets:

- API: a serializer names its money fields with `@money_fields(...)`; `shown_to(serialize,
  viewer)` sends those fields as null. The keys stay (their schema is `Money`, a nullable
  string), so a document has one shape for every role and "hidden" is not mistaken for "absent
  by mistake". Whole sections that are only money (the dashboard's invoices, payments...) stay
  out of the document, and the billing endpoints answer 403, as before.
- Exports: the same serializers, with the money columns dropped (`shown_to(..., drop=True)`): a
  spreadsheet column of blanks would only invite the question.
- Text (activity summaries): `activity.rendering` fills or hides the figure.
- Ask: the money questions answer that the user may not see billing figures.
"""

from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

from pydantic import Field

MONEY_PERMISSION = "billing.view"
HIDDEN = "(amount hidden)"

# A money field of an API schema: a 2-decimal string, or null for a role without billing.view.
Money = Annotated[
    str | None,
    Field(description='Money, as "123.40"; null when the caller\'s role may not see money.'),
]


def sees_money(viewer: Any) -> bool:
    """Whether `viewer` (a staff user, an API actor, anything with can()) may see amounts."""
    return viewer is not None and bool(viewer.can(MONEY_PERMISSION))


Serializer = Callable[..., dict[str, Any]]


def money_fields(*names: str) -> Callable[[Serializer], Serializer]:
    """Declare which keys of a `<thing>_out` serializer's dict are money."""

    def mark(serialize: Serializer) -> Serializer:
        serialize.money_fields = frozenset(names)  # type: ignore[attr-defined]
        return serialize

    return mark


def for_viewer(serialize: Serializer) -> Serializer:
    """Declare a serializer that decides itself what the viewer sees: `serialize(item, viewer=...)`
    (the activity log, whose amounts are inside its text)."""
    serialize.takes_viewer = True  # type: ignore[attr-defined]
    return serialize


def shown_to(serialize: Serializer, viewer: Any, *, drop: bool = False) -> Callable[[Any], dict[str, Any]]:
    """`serialize` as `viewer` may see it: its money fields null (or, with drop, left out) for a
    role without billing.view, unchanged otherwise."""
    if getattr(serialize, "takes_viewer", False):
        return lambda item: serialize(item, viewer=viewer)
    hidden: frozenset[str] = getattr(serialize, "money_fields", frozenset())
    if not hidden or sees_money(viewer):
        return serialize

    @wraps(serialize)
    def without_money(item: Any) -> dict[str, Any]:
        row = serialize(item)
        for name in hidden:
            if drop:
                row.pop(name, None)
            else:
                row[name] = None
        return row

    return without_money
