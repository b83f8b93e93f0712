"""Custom fields: a customer's values, and the provider's definitions of them."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.core.actors import Actor
from accountdesk.core.dates import date_field
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import Customer, CustomFieldDefinition, CustomFieldKind, CustomFieldValue
from accountdesk.customers.services.accounts import _lock
from accountdesk.customers.services.catalogues import _require_manage, _unique_name
from accountdesk.tenancy.models import Provider


def custom_value_clean(definition: CustomFieldDefinition, raw: str) -> str:
    raw = (raw or "").strip()
    if raw == "":
        return ""
    if len(raw) > 500:
        raise ValidationFailed(fields={"value": "At most 500 characters."})
    if definition.kind == CustomFieldKind.NUMBER:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValidationFailed(fields={"value": "Enter a number."}) from None
        if not number.is_finite():
            raise ValidationFailed(fields={"value": "Enter a number."})
        return str(number)
    if definition.kind == CustomFieldKind.DATE:
        day = date_field(raw, "value")
        return day.isoformat() if day else ""
    if definition.kind == CustomFieldKind.CHOICE and raw not in definition.choices:
        raise ValidationFailed(fields={"value": f"Choose one of: {', '.join(definition.choices)}."})
    if definition.kind == CustomFieldKind.BOOLEAN:
        if raw.lower() not in {"yes", "no", "true", "false", "1", "0"}:
            raise ValidationFailed(fields={"value": "Answer yes or no."})
        return "yes" if raw.lower() in {"yes", "true", "1"} else "no"
    return refuse_card_number(raw, "value")


def _value_write(customer: Customer, definition: CustomFieldDefinition, clean: str, actor: Actor) -> bool:
    """Store one checked value on a locked customer, with its activity entry; False if unchanged."""
    row = CustomFieldValue.objects.filter(customer=customer, definition=definition).first()
    old = row.value if row else ""
    if old == clean:
        return False
    if clean == "":
        assert row is not None  # old != clean, so there was a value
        row.delete()
    elif row:
        row.value = clean
        row.save(update_fields=["value"])
    else:
        CustomFieldValue.objects.create(
            provider_id=customer.provider_id, customer=customer, definition=definition, value=clean
        )
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.custom_field_set",
        summary=f"{definition.name}: {clean or '(cleared)'}",
        subject=customer,
        details={definition.name: [old, clean]},
    )
    return True


def _check_definition(customer: Customer, definition: CustomFieldDefinition) -> None:
    require_same_provider(customer, definition)


@transaction.atomic
def custom_field_set(
    *, customer: Customer, definition: CustomFieldDefinition, value: str, actor: Actor
) -> None:
    require(actor, "customers.custom_fields")
    _check_definition(customer, definition)
    clean = custom_value_clean(definition, value)
    _value_write(_lock(customer), definition, clean, actor)


@transaction.atomic
def custom_field_values_set(
    *, customer: Customer, values: dict[CustomFieldDefinition, str], actor: Actor
) -> int:
    """Set several of a customer's custom fields at once, all or nothing. Only values that differ
    from the stored ones are checked and written, each with its activity entry; any invalid one
    refuses the whole change, every message under its field's `form_key`. Returns how many changed."""
    require(actor, "customers.custom_fields")
    for definition in values:
        _check_definition(customer, definition)
    customer = _lock(customer)
    stored = dict(CustomFieldValue.objects.filter(customer=customer).values_list("definition_id", "value"))
    clean, errors = {}, {}
    for definition, raw in values.items():
        if (raw or "").strip() == stored.get(definition.pk, ""):
            continue
        try:
            clean[definition] = custom_value_clean(definition, raw)
        except ValidationFailed as error:
            errors[definition.form_key] = next(iter(error.fields.values()), error.message)
    if errors:
        raise ValidationFailed(fields=errors)
    return sum(_value_write(customer, definition, value, actor) for definition, value in clean.items())


@transaction.atomic
def custom_field_definition_save(
    *, provider: Provider, data: dict[str, Any], definition: CustomFieldDefinition | None = None, actor: Actor
) -> CustomFieldDefinition:
    _require_manage(actor, provider)
    existing = definition.pk if definition else None
    name = _unique_name(
        CustomFieldDefinition, provider, data.get("name", ""), exclude_pk=existing, max_length=80
    )
    kind = data.get("kind")
    if kind not in CustomFieldKind.values:
        raise ValidationFailed(fields={"kind": "Choose a kind."})
    choices = [c.strip() for c in data.get("choices") or [] if c and c.strip()]
    if kind == CustomFieldKind.CHOICE and not choices:
        raise ValidationFailed(fields={"choices": "List the choices, one per line."})
    if definition is not None and definition.kind != kind and definition.values.exists():
        raise ValidationFailed(fields={"kind": "Customers have values for this field; keep its kind."})
    values = {
        "name": name,
        "kind": kind,
        "choices": choices if kind == CustomFieldKind.CHOICE else [],
        "show_on_overview": bool(data.get("show_on_overview")),
        "position": int(data.get("position") or 0),
    }
    before = None if definition is None else {key: getattr(definition, key) for key in values}
    if definition is None:
        definition = CustomFieldDefinition.objects.create(provider=provider, **values)
    else:
        for key, value in values.items():
            setattr(definition, key, value)
        definition.save()
    verb = "added" if before is None else "changed"
    settings_record(
        provider=provider, actor=actor, summary=f"Custom field {name} {verb}", old=before, new=values
    )
    return definition
