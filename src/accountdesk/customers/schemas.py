"""The customer, contact and status-change shapes of the API (and of the dashboard document)."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.customers.models import Contact, Customer, StatusChange
from accountdesk.customers.selectors import primary_address


class CustomerOut(Schema):
    id: int
    number: str
    name: str
    type: str
    status: str
    group: str | None
    tags: list[str]
    account_manager: str | None
    email: str
    phone: str
    joined_on: dt.date
    currency: str


class CustomerDetailOut(CustomerOut):
    billing_address: str
    service_address: str
    service_latitude: str | None
    service_longitude: str | None


def customer_out(customer: Customer, tags: list | None = None) -> dict:
    tag_names = [t.name for t in (tags if tags is not None else customer.tags.all())]
    return {
        "id": customer.pk,
        "number": customer.number,
        "name": customer.name,
        "type": customer.type,
        "status": customer.status,
        "group": customer.group.name if customer.group_id else None,
        "tags": tag_names,
        "account_manager": customer.account_manager.display_name if customer.account_manager_id else None,
        "email": customer.email,
        "phone": customer.phone,
        "joined_on": customer.joined_on,
        "currency": customer.currency,
    }


def customer_detail_out(customer: Customer, tags: list | None = None) -> dict:
    lat, lon = customer.service_latitude, customer.service_longitude
    return {
        **customer_out(customer, tags),
        "billing_address": customer.billing_address,
        "service_address": customer.service_address,
        "service_latitude": None if lat is None else str(lat),
        "service_longitude": None if lon is None else str(lon),
    }


class ContactOut(Schema):
    id: int
    name: str
    title: str
    email: str
    phone: str
    is_primary: bool
    primary_address: str | None


def contact_out(contact: Contact) -> dict:
    address = primary_address(contact)
    return {
        "id": contact.pk,
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
        "is_primary": contact.is_primary,
        "primary_address": str(address) if address else None,
    }


class StatusChangeOut(Schema):
    id: int
    at: dt.datetime
    old: str | None
    new: str
    reason: str
    actor: str
    actor_email: str | None


def status_change_out(change: StatusChange) -> dict:
    return {
        "id": change.pk,
        "at": change.at,
        "old": change.old or None,
        "new": change.new,
        "reason": change.reason,
        "actor": change.actor_name,
        "actor_email": change.actor_email,
    }


class StatusIn(Schema):
    status: str = Field(..., max_length=20)
    reason: str = Field("", max_length=500)
