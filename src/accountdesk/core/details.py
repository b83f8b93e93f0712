"""The details of a log entry (activity or security log): plain JSON, so that what is hashed into
the entry's chain is what reading it back gives."""

from typing import Any, TypeAlias

from django.db import models

Plain: TypeAlias = bool | int | float | str | list["Plain"] | dict[str, "Plain"] | None


def plain_details(value: Any) -> Plain:
    """Details are JSON: dates, decimals and model instances become their text."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain_details(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_details(v) for k, v in value.items()}
    return str(value)


def field_label(model: type[models.Model], name: str) -> str:
    """The label a log entry gives a model's field: its verbose name (a relation's name otherwise)."""
    field = model._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name
