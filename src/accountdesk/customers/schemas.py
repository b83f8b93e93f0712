"""The customer, contact and status-change shapes of the API (and of the dashboard document)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from accountdesk.core.schemas import DateIn
from accountdesk.customers.models import Contact, Customer, CustomerType, StatusChange
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


# --- Input shapes for the writes integrators need (create, edit, contacts, tags). ---------------
# Unknown fields are refused (422) rather than ignored, so a typo or a read-only field such as
# "status" or "number" in an edit is reported instead of silently doing nothing. A field typed
# `str = Field(None)` may be left out, but an explicit null is refused.


def _clean_email(value: str | None) -> str | None:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Enter a valid email address.") from None
    return value


def _clean_country(value: str | None) -> str | None:
    if value:
        if len(value) != 2 or not value.isalpha():
            raise ValueError("Use a two-letter ISO country code, e.g. US.")
        return value.upper()
    return value


class _StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CustomerFieldsIn(_StrictIn):
    type: CustomerType = Field(None)
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=40)
    billing_line1: str = Field(None, max_length=200)
    billing_line2: str = Field(None, max_length=200)
    billing_city: str = Field(None, max_length=100)
    billing_region: str = Field(None, max_length=100)
    billing_postcode: str = Field(None, max_length=20)
    billing_country: str = Field(None, max_length=2)
    service_line1: str = Field(None, max_length=200)
    service_line2: str = Field(None, max_length=200)
    service_city: str = Field(None, max_length=100)
    service_region: str = Field(None, max_length=100)
    service_postcode: str = Field(None, max_length=20)
    service_country: str = Field(None, max_length=2)
    service_latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    service_longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)
    joined_on: DateIn = Field(None)
    group_id: int | None = Field(None, description="A customer group of your provider, or null for none.")
    account_manager_id: int | None = Field(None, description="A staff user of your provider, or null.")

    _email = field_validator("email")(_clean_email)
    _countries = field_validator("billing_country", "service_country")(_clean_country)


class CustomerCreateIn(CustomerFieldsIn):
    name: str = Field(..., min_length=1, max_length=200)
    status: Literal["prospect", "active"] = "prospect"
    currency: str = Field(None, pattern=r"^[A-Z]{3}$", description="Defaults to the provider's currency.")
    tags: list[Annotated[str, Field(max_length=60)]] = Field(None, max_length=50)


class CustomerPatchIn(CustomerFieldsIn):
    name: str = Field(None, min_length=1, max_length=200)


class TagsIn(_StrictIn):
    tags: list[Annotated[str, Field(max_length=60)]] = Field(..., max_length=50)


class AddressIn(_StrictIn):
    line1: str = Field("", max_length=200)
    line2: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    region: str = Field("", max_length=100)
    postcode: str = Field("", max_length=20)
    country: str = Field("", max_length=2)

    _country = field_validator("country")(_clean_country)


class ContactIn(_StrictIn):
    name: str = Field(..., min_length=1, max_length=150)
    title: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    is_primary: bool = False
    is_billing: bool = False
    primary_address: AddressIn | None = None

    _email = field_validator("email")(_clean_email)


class ContactPatchIn(_StrictIn):
    name: str = Field(None, min_length=1, max_length=150)
    title: str = Field(None, max_length=100)
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=40)
    is_primary: bool = Field(None, description="true makes this contact the primary one.")
    is_billing: bool = Field(None)
    primary_address: AddressIn | None = Field(None, description="null or all-empty removes it.")

    _email = field_validator("email")(_clean_email)


class ArchiveIn(Schema):
    reason: str = Field(..., max_length=500)


class CustomFieldOut(Schema):
    id: int
    name: str
    kind: str
    choices: list[str]
    show_on_overview: bool
    value: str | None


def custom_field_out(row: dict) -> dict:
    d = row["definition"]
    return {
        "id": d.pk,
        "name": d.name,
        "kind": d.kind,
        "choices": list(d.choices or []),
        "show_on_overview": d.show_on_overview,
        "value": row["value"],
    }


class CustomFieldValueIn(Schema):
    value: str | None = Field(..., max_length=500, description="null or an empty string clears it.")
