"""Equipment on a customer's account: add, edit, remove; each change re-indexes the customer search."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accountdesk.activity.services import changed_fields, event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.core.tenancy import require_module
from accountdesk.core.text import CARD_NUMBER_MESSAGE, contains_card_number
from accountdesk.customers.models import Customer
from accountdesk.customers.search_index import customer_search_refresh
from accountdesk.network.addresses import InvalidAddress, normalise_ip, normalise_mac
from accountdesk.network.models import NAME_MAX, DeviceType, Equipment, EquipmentStatus
from accountdesk.tenancy.models import Provider

MODULE = "network"
# A device's clock may run a little ahead of ours; more than this is a wrong date.
CLOCK_SKEW = dt.timedelta(minutes=5)
EDITABLE = ("name", "device_type", "mac", "ip", "status", "last_seen")


def _clean(provider: Provider, data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate and normalise equipment fields; every problem is reported under its field name."""
    clean, errors = {}, {}
    if "name" in data or not partial:
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = "Give the equipment a name."
        elif len(name) > NAME_MAX:
            errors["name"] = f"At most {NAME_MAX} characters."
        elif contains_card_number(name):
            errors["name"] = CARD_NUMBER_MESSAGE
        clean["name"] = name
    if "device_type" in data:
        value = data["device_type"]
        if value in (None, ""):
            clean["device_type"] = None
        else:
            type_id = value.pk if isinstance(value, DeviceType) else value
            try:
                found = DeviceType.objects.filter(provider=provider, pk=int(type_id)).first()
            except (TypeError, ValueError):
                found = None
            if found is None:
                errors["device_type"] = "Unknown device type."
            clean["device_type"] = found
    for field, parse in (("mac", normalise_mac), ("ip", normalise_ip)):
        if field in data:
            raw = data[field]
            if raw in (None, ""):
                clean[field] = "" if field == "mac" else None
                continue
            try:
                clean[field] = parse(str(raw))
            except InvalidAddress as exc:
                errors[field] = str(exc)
    if "status" in data:
        if data["status"] not in EquipmentStatus.values:
            errors["status"] = f"Choose one of: {', '.join(EquipmentStatus.values)}."
        clean["status"] = data["status"]
    if "last_seen" in data:
        seen = data["last_seen"]
        if seen is not None and (not isinstance(seen, dt.datetime) or seen.tzinfo is None):
            errors["last_seen"] = "Give the time with its UTC offset."
        elif seen is not None and seen > clock.now() + CLOCK_SKEW:
            errors["last_seen"] = "Equipment cannot be seen in the future."
        clean["last_seen"] = seen
    if errors:
        raise ValidationFailed(fields=errors)
    return clean


def _ensure_mac_free(provider: Provider, mac: str, *, except_pk: int | None = None) -> None:
    if not mac:
        return
    taken = Equipment.objects.filter(provider=provider, mac=mac)
    if except_pk is not None:
        taken = taken.exclude(pk=except_pk)
    if taken.exists():
        raise Conflict(
            f"The MAC address {mac} is already on another device.", fields={"mac": "Already in use."}
        )


@transaction.atomic
def equipment_add(*, customer: Customer, data: Mapping[str, Any], actor: Actor) -> Equipment:
    """data: name (required), device_type (DeviceType or id), mac, ip, status, last_seen."""
    require(actor, "network.edit")
    require_module(customer.provider, MODULE)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(fields={f: "Unknown field." for f in sorted(unknown)})
    clean = _clean(customer.provider, {"status": EquipmentStatus.UNKNOWN, **data}, partial=False)
    _ensure_mac_free(customer.provider, clean.get("mac", ""))
    item = Equipment.objects.create(
        provider_id=customer.provider_id, customer=customer, created_at=clock.now(), **clean
    )
    customer_search_refresh(customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="equipment.added",
        summary=f"Equipment added: {item.name}" + (f" ({item.mac})" if item.mac else ""),
        subject=item,
        details={"mac": item.mac or None, "ip": item.ip, "device_type": str(item.device_type or "") or None},
    )
    return item


@transaction.atomic
def equipment_update(*, equipment: Equipment, data: Mapping[str, Any], actor: Actor) -> Equipment:
    require(actor, "network.edit")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(fields={f: "Unknown field." for f in sorted(unknown)})
    item = (
        Equipment.objects.select_for_update(of=("self",))
        .select_related("customer", "device_type")
        .get(pk=equipment.pk)
    )
    clean = _clean(item.provider, data, partial=True)
    if "mac" in clean:
        _ensure_mac_free(item.provider, clean["mac"], except_pk=item.pk)
    changes = changed_fields(item, clean)
    if not changes:
        return item
    item.save(update_fields=list(changes))
    if {"mac", "ip"} & set(changes):
        customer_search_refresh(item.customer)
    event_record(
        customer=item.customer,
        actor=actor,
        kind="equipment.updated",
        summary=f"Equipment edited: {item.name} ({', '.join(changes)})",
        subject=item,
        details=changes,
    )
    return item


@transaction.atomic
def equipment_remove(*, equipment: Equipment, actor: Actor) -> None:
    require(actor, "network.edit")
    item = Equipment.objects.select_for_update(of=("self",)).select_related("customer").get(pk=equipment.pk)
    customer, name, mac, ip, pk = item.customer, item.name, item.mac, item.ip, item.pk
    item.delete()
    customer_search_refresh(customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="equipment.removed",
        summary=f"Equipment removed: {name}",
        details={"equipment_id": pk, "name": [name, None], "mac": [mac or None, None], "ip": [ip, None]},
    )


def _clean_device_type(
    provider: Provider, name: str, vendor: str, *, except_pk: int | None = None
) -> tuple[str, str]:
    """The registry's rules, for the API and the settings page alike: a name of at most NAME_MAX
    characters, unique within the provider; an optional vendor."""
    name, vendor = (name or "").strip(), (vendor or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed(fields={"name": f"Give a name of at most {NAME_MAX} characters."})
    if len(vendor) > NAME_MAX:
        raise ValidationFailed(fields={"vendor": f"At most {NAME_MAX} characters."})
    same_name = DeviceType.objects.filter(provider=provider, name=name)
    if except_pk is not None:
        same_name = same_name.exclude(pk=except_pk)
    if same_name.exists():
        raise Conflict("A device type with this name exists.", fields={"name": "Already exists."})
    return name, vendor


@transaction.atomic
def device_type_add(*, provider: Provider, name: str, vendor: str = "", actor: Actor) -> DeviceType:
    """A model in the provider's device registry (provider settings: admins only)."""
    require(actor, "provider.manage")
    require_module(provider, MODULE)
    name, vendor = _clean_device_type(provider, name, vendor)
    row = DeviceType.objects.create(provider=provider, name=name, vendor=vendor)
    settings_record(
        provider=provider,
        actor=actor,
        summary=f"Device type {name} added",
        new={"name": name, "vendor": vendor},
    )
    return row


@transaction.atomic
def device_type_update(*, device_type: DeviceType, name: str, vendor: str = "", actor: Actor) -> DeviceType:
    """Rename a device type; the equipment of that type shows the new name."""
    require(actor, "provider.manage")
    require_module(device_type.provider, MODULE)
    row = DeviceType.objects.select_for_update().get(pk=device_type.pk)
    old = {"name": row.name, "vendor": row.vendor}
    row.name, row.vendor = _clean_device_type(row.provider, name, vendor, except_pk=row.pk)
    row.save(update_fields=["name", "vendor"])
    settings_record(
        provider=row.provider,
        actor=actor,
        summary=f"Device type {old['name']} changed",
        old=old,
        new={"name": row.name, "vendor": row.vendor},
    )
    return row
