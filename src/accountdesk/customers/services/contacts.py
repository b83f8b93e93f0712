"""Writes on a customer's contacts and their primary addresses."""

from typing import Any

from django.db import transaction

from accountdesk.activity.services import changed_fields, event_record
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.text import refuse_card_numbers
from accountdesk.customers.models import Contact, ContactAddress, Customer
from accountdesk.customers.search_index import customer_search_refresh
from accountdesk.customers.services.accounts import CARD_CHECK_SKIP, _lock


def _validate_contact(data: dict[str, Any]) -> None:
    if not (data.get("name") or "").strip():
        raise ValidationFailed(fields={"name": "Give the contact a name."})
    refuse_card_numbers(data, skip=CARD_CHECK_SKIP)


def _save_primary_address(contact: Contact, address: dict[str, Any] | None) -> None:
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
def contact_add(
    *, customer: Customer, data: dict[str, Any], address: dict[str, Any] | None = None, actor: Actor
) -> Contact:
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
def contact_update(
    *, contact: Contact, data: dict[str, Any], address: dict[str, Any] | None = None, actor: Actor
) -> Contact:
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
