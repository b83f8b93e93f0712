"""Templates people write with `{name}` placeholders, filled from a fixed whitelist.

Never str.format on model objects: a template author could reach any attribute
("{customer.provider.staff...}"). Each placeholder maps to one plain value, `{{` and `}}` write
literal braces, and anything else in braces is a mistake the author is told about.
"""

import re
from collections.abc import Callable, Collection, Mapping

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_]+(?:\.[a-z_]+)?)\}")
_LONE_BRACES = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def placeholders_unknown(body: str, known: Collection[str]) -> list[str]:
    """Placeholders in `body` that are not `known`, in order of appearance."""
    seen: list[str] = []
    for match in PLACEHOLDER.finditer(body):
        name = match.group(1)
        if name and name not in known and name not in seen:
            seen.append(name)
    # A lone brace with something unexpected inside ("{Customer Name}") is also a mistake.
    for match in _LONE_BRACES.finditer(body):
        inner = match.group(1)
        if inner not in known and inner not in seen:
            seen.append(inner)
    return seen


def placeholders_fill(body: str, values: Mapping[str, Callable[[], object]]) -> str:
    """`body` with each known placeholder replaced by its value (read only when used)."""

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        value = values.get(match.group(1))
        return str(value() or "") if value is not None else token

    return PLACEHOLDER.sub(fill, body)
