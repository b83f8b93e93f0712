from django.db import transaction
from django.db.models.functions import Length

from accountdesk.activity.services import changed_fields, event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.dates import date_field
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_same_provider
from accountdesk.core.text import refuse_card_number, refuse_card_numbers
from accountdesk.customers.models import (
    Contact,
    ContactAddress,
    Customer,
    CustomFieldDefinition,
    CustomFieldKind,
    CustomFieldValue,
    ManualAlert,
    Status,
    StatusChange,
    Tag,
)
from accountdesk.customers.search_index import customer_search_refresh
from accountdesk.tenancy.models import Provider, Sequence, sequence_next

REASON_MAX = 500
# Which statuses a status change may lead to from each status (archive has its own service).
TRANSITIONS: dict[str, set[str]] = {
    Status.PROSPECT: {Status.ACTIVE, Status.DEACTIVATED},
    Status.ACTIVE: {Status.BLOCKED, Status.DEACTIVATED},
    Status.BLOCKED: {Status.ACTIVE, Status.DEACTIVATED},
    Status.DEACTIVATED: {Status.ACTIVE},
    Status.ARCHIVED: set(),
}
REASON_REQUIRED = {Status.BLOCKED, Status.DEACTIVATED, Status.ARCHIVED}

# Phone numbers and email addresses are not free text (a long phone number may pass Luhn by chance).
CARD_CHECK_SKIP = ("phone", "email")


def _lock(customer: Customer) -> Customer:
    """Serialise writes on one customer (a row lock on PostgreSQL).

    Only the customer's row: PostgreSQL refuses FOR UPDATE on the outer joins of the nullable
    group and manager, and they need no lock."""
    qs = Customer.objects.select_for_update(of=("self",)).select_related("group", "account_manager")
    return qs.get(pk=customer.pk)


def _record_status(customer: Customer, old: str, new: str, reason: str, actor: Actor) -> StatusChange:
    return StatusChange.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        at=clock.now(),
        old=old,
        new=new,
        reason=reason,
        actor_type=actor.type,
        actor=actor.user,
        actor_name=actor.name,
        actor_email=actor.email,
    )


def _next_customer_number(provider: Provider) -> str:
    number = f"C-{sequence_next(provider=provider, name='customer'):06d}"
    taken = Customer.objects.filter(provider=provider, number__regex=r"^C-[0-9]+$")
    if not taken.filter(number=number).exists():
        return number
    # Numbers were given outside the sequence (an import, the demo data): carry on after the
    # highest one. The zero-padded numbers sort by length, then text.
    highest = taken.order_by(Length("number").desc(), "-number").values_list("number", flat=True).first()
    assert highest is not None  # `number` itself is taken
    Sequence.objects.filter(provider=provider, name="customer").update(last_value=int(highest[2:]))
    return f"C-{sequence_next(provider=provider, name='customer'):06d}"


JOINED_IN_FUTURE = "A customer cannot join in the future."


def _check_joined(data: dict) -> None:
    """An account's join date is the day it started: today or earlier."""
    joined = data.get("joined_on")
    if joined is None and "joined_on" in data:
        raise ValidationFailed(fields={"joined_on": "Enter a date as YYYY-MM-DD."})
    if joined is not None and joined > clock.today():
        raise ValidationFailed(JOINED_IN_FUTURE, fields={"joined_on": JOINED_IN_FUTURE})


@transaction.atomic
def customer_create(
    *, provider: Provider, data: dict, tags: list[Tag] | None = None, actor: Actor
) -> Customer:
    require(actor, "customers.create")
    refuse_card_numbers(data, skip=CARD_CHECK_SKIP)
    number = _next_customer_number(provider)
    data = {"currency": provider.currency, "joined_on": clock.today(), **data}
    _check_joined(data)
    customer = Customer.objects.create(provider=provider, number=number, **data)
    if tags:
        customer.tags.set(tags)
    _record_status(customer, "", customer.status, "Account created", actor)
    customer_search_refresh(customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.created",
        summary=f"Customer {number} created",
        subject=customer,
    )
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, data: dict, actor: Actor) -> Customer:
    """Edit account fields; records each changed field's old and new value."""
    require(actor, "customers.edit")
    customer = _lock(customer)
    data = {k: v for k, v in data.items() if k not in {"status", "number", "provider", "tags"}}
    refuse_card_numbers(data, skip=CARD_CHECK_SKIP)
    _check_joined(data)
    require_same_provider(customer, data.get("account_manager"), data.get("group"))
    changes = changed_fields(customer, data)
    if not changes:
        return customer
    customer.save(update_fields=[*changes, "updated_at"])
    customer_search_refresh(customer)
    labels = ", ".join(str(Customer._meta.get_field(f).verbose_name) for f in changes)  # type: ignore[union-attr]
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.updated",
        summary=f"Account edited: {labels}",
        subject=customer,
        details=changes,
    )
    return customer


@transaction.atomic
def customer_status_change(*, customer: Customer, status: str, reason: str, actor: Actor) -> Customer:
    require(actor, "customers.change_status")
    reason = refuse_card_number((reason or "").strip(), "reason")
    if status not in Status.values:
        raise ValidationFailed(fields={"status": f"Unknown status. Use one of: {', '.join(Status.values)}."})
    if status == Status.ARCHIVED:
        return customer_archive(customer=customer, reason=reason, actor=actor)
    if len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": f"At most {REASON_MAX} characters."})
    customer = _lock(customer)
    old = customer.status
    if old == status:
        raise Conflict(f"The customer is already {customer.get_status_display().lower()}.")
    if status not in TRANSITIONS[old]:
        raise Conflict(f"A {old} customer cannot become {status}.")
    if status in REASON_REQUIRED and not reason:
        raise ValidationFailed(fields={"reason": "Give a reason for this change."})
    customer.status = status
    customer.save(update_fields=["status", "updated_at"])
    change = _record_status(customer, old, status, reason, actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.status_changed",
        summary=f"Status changed from {old} to {status}" + (f": {reason}" if reason else ""),
        subject=change,
        details={"status": [old, status], "reason": reason},
    )
    return customer


@transaction.atomic
def customer_archive(*, customer: Customer, reason: str, actor: Actor) -> Customer:
    require(actor, "customers.archive")
    customer = _lock(customer)
    reason = refuse_card_number((reason or "").strip(), "reason")
    if customer.is_archived:
        raise Conflict("The customer is already archived.")
    if not reason:
        raise ValidationFailed(fields={"reason": "Give a reason for archiving."})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": f"At most {REASON_MAX} characters."})
    old = customer.status
    customer.status_before_archive = old
    customer.status = Status.ARCHIVED
    customer.save(update_fields=["status", "status_before_archive", "updated_at"])
    change = _record_status(customer, old, Status.ARCHIVED, reason, actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.archived",
        summary=f"Customer archived: {reason}",
        subject=change,
        details={"status": [old, Status.ARCHIVED], "reason": reason},
    )
    return customer


@transaction.atomic
def customer_unarchive(*, customer: Customer, actor: Actor) -> Customer:
    require(actor, "customers.archive")
    customer = _lock(customer)
    if not customer.is_archived:
        raise Conflict("The customer is not archived.")
    restored = customer.status_before_archive or Status.ACTIVE
    customer.status = restored
    customer.status_before_archive = ""
    customer.save(update_fields=["status", "status_before_archive", "updated_at"])
    change = _record_status(customer, Status.ARCHIVED, restored, "Archive undone", actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.unarchived",
        summary=f"Archive undone; status back to {restored}",
        subject=change,
        details={"status": [Status.ARCHIVED, restored]},
    )
    return customer


@transaction.atomic
def customer_tags_set(*, customer: Customer, tags: list[Tag], actor: Actor) -> Customer:
    require(actor, "customers.tags")
    require_same_provider(customer, *tags)
    customer = _lock(customer)
    old = sorted(customer.tags.values_list("name", flat=True))
    new = sorted(t.name for t in tags)
    if old == new:
        return customer
    customer.tags.set(tags)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.tags_changed",
        summary=f"Tags: {', '.join(new) or 'none'}",
        subject=customer,
        details={"tags": [old, new]},
    )
    return customer


def _validate_contact(data: dict) -> None:
    if not (data.get("name") or "").strip():
        raise ValidationFailed(fields={"name": "Give the contact a name."})
    refuse_card_numbers(data, skip=CARD_CHECK_SKIP)


def _save_primary_address(contact: Contact, address: dict | None) -> None:
    if address is None:
        return
    refuse_card_numbers(address)
    current = contact.addresses.filter(is_primary=True).first()
    if not any(address.values()):
        if current:
            current.delete()
        return
    if current:
        for k, v in address.items():
            setattr(current, k, v)
        current.save()
    else:
        ContactAddress.objects.create(contact=contact, is_primary=True, **address)


def _make_primary(contact: Contact) -> None:
    Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(pk=contact.pk).update(
        is_primary=False
    )


@transaction.atomic
def contact_add(*, customer: Customer, data: dict, address: dict | None = None, actor: Actor) -> Contact:
    require(actor, "customers.contacts")
    _validate_contact(data)
    customer = _lock(customer)
    first = not customer.contacts.exists()
    is_primary = bool(data.pop("is_primary", False)) or first
    if is_primary:
        Contact.objects.filter(customer=customer, is_primary=True).update(is_primary=False)
    contact = Contact.objects.create(
        provider_id=customer.provider_id, customer=customer, is_primary=is_primary, **data
    )
    _save_primary_address(contact, address)
    customer_search_refresh(customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="contact.added",
        summary=f"Contact added: {contact.name}",
        subject=contact,
    )
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, data: dict, address: dict | None = None, actor: Actor) -> Contact:
    require(actor, "customers.contacts")
    _validate_contact({"name": contact.name, **data})
    customer = _lock(contact.customer)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if data.get("is_primary") is False and contact.is_primary:
        data.pop("is_primary")  # the primary changes by making another contact primary
    if data.get("is_primary"):
        _make_primary(contact)
    old_address = str(contact.addresses.filter(is_primary=True).first() or "")
    changes = changed_fields(contact, data)
    if changes:
        contact.save(update_fields=list(changes))
    _save_primary_address(contact, address)
    new_address = str(contact.addresses.filter(is_primary=True).first() or "")
    if old_address != new_address:
        changes["primary_address"] = [old_address, new_address]
    if not changes:
        return contact
    customer_search_refresh(customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="contact.updated",
        summary=f"Contact edited: {contact.name}",
        subject=contact,
        details=changes,
    )
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, actor: Actor) -> None:
    require(actor, "customers.contacts")
    customer = _lock(contact.customer)
    name, was_primary, contact_id = contact.name, contact.is_primary, contact.pk
    contact.delete()
    if was_primary:
        successor = Contact.objects.filter(customer=customer).order_by("id").first()
        if successor:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    customer_search_refresh(customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="contact.removed",
        summary=f"Contact removed: {name}",
        details={"contact_id": contact_id, "name": [name, None]},
    )


def _clean_custom_value(definition: CustomFieldDefinition, raw: str) -> str:
    from decimal import Decimal, InvalidOperation

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


@transaction.atomic
def custom_field_set(
    *, customer: Customer, definition: CustomFieldDefinition, value: str, actor: Actor
) -> None:
    require(actor, "customers.custom_fields")
    require_same_provider(customer, definition)
    clean = _clean_custom_value(definition, value)
    customer = _lock(customer)
    row = CustomFieldValue.objects.filter(customer=customer, definition=definition).first()
    old = row.value if row else ""
    if old == clean:
        return
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


@transaction.atomic
def manual_alert_add(*, customer: Customer, level: str, message: str, actor: Actor) -> ManualAlert:
    require(actor, "customers.alerts")
    message = (message or "").strip()
    if not message:
        raise ValidationFailed(fields={"message": "Write the alert's message."})
    if len(message) > 200:
        raise ValidationFailed(fields={"message": "At most 200 characters."})
    if level not in {"info", "warning", "danger"}:
        raise ValidationFailed(fields={"level": "Choose info, warning or danger."})
    alert = ManualAlert.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        level=level,
        message=message,
        created_at=clock.now(),
        created_by=actor.user,
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.alert_added",
        summary=f"Alert added: {message}",
        subject=alert,
    )
    return alert


@transaction.atomic
def manual_alert_dismiss(*, alert: ManualAlert, actor: Actor) -> None:
    require(actor, "customers.alerts")
    if alert.dismissed_at is not None:
        raise Conflict("The alert was already dismissed.")
    alert.dismissed_at = clock.now()
    alert.save(update_fields=["dismissed_at"])
    event_record(
        customer=alert.customer,
        actor=actor,
        kind="customer.alert_dismissed",
        summary=f"Alert dismissed: {alert.message}",
        subject=alert,
    )


# ---------- Provider-level catalogues (settings pages): groups, tags, custom fields, alert rules ----------
# (Imported here so this block stays one addition at the end of a file several people edit.)
from accountdesk.core.security_log import settings_record  # noqa: E402
from accountdesk.customers.models import AlertDefinition, AlertLevel, AlertRule, CustomerGroup  # noqa: E402


def _require_manage(actor: Actor, provider: Provider) -> None:
    require(actor, "provider.manage")
    require_same_provider(actor, provider)


def _unique_name(model, provider: Provider, name: str, *, exclude_pk=None, max_length: int) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(fields={"name": "Give it a name."})
    if len(name) > max_length:
        raise ValidationFailed(fields={"name": f"At most {max_length} characters."})
    clash = model.objects.filter(provider=provider, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationFailed(fields={"name": "That name is already used."})
    return name


@transaction.atomic
def group_save(
    *, provider: Provider, name: str, group: CustomerGroup | None = None, actor: Actor
) -> CustomerGroup:
    _require_manage(actor, provider)
    name = _unique_name(CustomerGroup, provider, name, exclude_pk=group and group.pk, max_length=100)
    if group is None:
        group = CustomerGroup.objects.create(provider=provider, name=name)
        _catalogue_record(group, actor, None, name)
        return group
    old, group.name = group.name, name
    group.save(update_fields=["name"])
    _catalogue_record(group, actor, old, name)
    return group


def _catalogue_record(item: CustomerGroup | Tag, actor: Actor, old: str | None, new: str | None) -> None:
    what = "Group" if isinstance(item, CustomerGroup) else "Tag"
    if old is None:
        summary = f"{what} {new} added"
    elif new is None:
        summary = f"{what} {old} deleted"
    else:
        summary = f"{what} {old} renamed to {new}"
    settings_record(
        provider=item.provider,
        actor=actor,
        summary=summary,
        old={"name": old} if old else None,
        new={"name": new} if new else None,
    )


@transaction.atomic
def tag_save(*, provider: Provider, name: str, tag: Tag | None = None, actor: Actor) -> Tag:
    _require_manage(actor, provider)
    name = _unique_name(Tag, provider, name, exclude_pk=tag and tag.pk, max_length=60)
    if tag is None:
        tag = Tag.objects.create(provider=provider, name=name)
        _catalogue_record(tag, actor, None, name)
        return tag
    old, tag.name = tag.name, name
    tag.save(update_fields=["name"])
    _catalogue_record(tag, actor, old, name)
    return tag


@transaction.atomic
def catalogue_delete(*, item: CustomerGroup | Tag, actor: Actor) -> None:
    """Delete a group or tag nobody uses; one in use would silently change customers' accounts."""
    _require_manage(actor, item.provider)
    in_use = (
        Customer.objects.filter(group=item).exists()
        if isinstance(item, CustomerGroup)
        else Customer.tags.through.objects.filter(tag=item).exists()
    )
    if in_use:
        raise Conflict(f"{item.name} is used by customers; it cannot be deleted.")
    item.delete()
    _catalogue_record(item, actor, item.name, None)


@transaction.atomic
def custom_field_definition_save(
    *, provider: Provider, data: dict, definition: CustomFieldDefinition | None = None, actor: Actor
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


@transaction.atomic
def alert_definition_save(
    *, provider: Provider, data: dict, definition: AlertDefinition | None = None, actor: Actor
) -> AlertDefinition:
    _require_manage(actor, provider)
    name = (data.get("name") or "").strip()
    message = refuse_card_number((data.get("message") or "").strip(), "message")
    errors = {}
    if not name:
        errors["name"] = "Give the rule a name."
    if not message:
        errors["message"] = "Write the banner's message."
    if data.get("rule") not in AlertRule.values:
        errors["rule"] = "Choose a rule."
    if data.get("level") not in AlertLevel.values:
        errors["level"] = "Choose a level."
    value = (data.get("value") or "").strip()
    if not value:
        errors["value"] = "Say what the rule matches."
    elif data.get("rule") == AlertRule.STATUS_IS and value.lower() not in Status.values:
        errors["value"] = f"Use one of: {', '.join(Status.values)}."
    elif data.get("rule") == AlertRule.CUSTOM_FIELD_IS and "=" not in value:
        errors["value"] = "Write it as field=value."
    if errors:
        raise ValidationFailed(fields=errors)
    values = {
        "name": name[:80],
        "rule": data["rule"],
        "value": value[:200],
        "level": data["level"],
        "message": message[:200],
        "is_active": bool(data.get("is_active", True)),
    }
    before = None if definition is None else {key: getattr(definition, key) for key in values}
    if definition is None:
        definition = AlertDefinition.objects.create(provider=provider, **values)
    else:
        for key, val in values.items():
            setattr(definition, key, val)
        definition.save()
    verb = "added" if before is None else "changed"
    settings_record(
        provider=provider,
        actor=actor,
        summary=f"Alert banner rule {values['name']} {verb}",
        old=before,
        new=values,
    )
    return definition
