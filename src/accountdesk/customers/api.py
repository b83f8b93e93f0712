from typing import Literal

from ninja import Query, Router, Status

from accountdesk.activity import selectors as activity_selectors
from accountdesk.activity.kinds import GROUPS
from accountdesk.activity.schemas import ActivityOut, activity_out
from accountdesk.api.idempotency import idempotent
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.core.tenancy import get_scoped, require_module
from accountdesk.core.visibility import sees_money, shown_to
from accountdesk.customers import list_columns, selectors, services
from accountdesk.customers.models import CustomerGroup, CustomFieldDefinition, Tag
from accountdesk.customers.models import Status as CustomerStatus
from accountdesk.customers.schemas import (
    ArchiveIn,
    ContactIn,
    ContactOut,
    ContactPatchIn,
    CustomerCreateIn,
    CustomerDetailOut,
    CustomerOut,
    CustomerPatchIn,
    CustomFieldOut,
    CustomFieldValueIn,
    StatusChangeOut,
    StatusIn,
    TagsIn,
    contact_out,
    custom_field_out,
    customer_detail_out,
    customer_out,
    status_change_out,
)
from accountdesk.tenancy.models import User

router = Router(tags=["customers"])

Limit = Query(50, ge=1, le=500, description="Page size, 1 to 500.")
Cursor = Query(None, max_length=500, description="The `next_cursor` of the previous page.")


def customer_for(request, customer_id: int, *, module: str | None = None):
    """The customer by id, within the caller's provider, for a caller allowed to view customers.
    With `module`, a provider without it gets 404 module_not_enabled before any query is spent
    (the provider came with the token)."""
    if module is not None:
        require_module(request.actor.provider, module)
    require(request.actor, "customers.view")
    return selectors.customer_get(provider=request.actor.provider, pk=customer_id)


@router.get("/customers", response=paged(CustomerOut))
def customer_list(
    request,
    q: str | None = Query(
        None, max_length=200, description="Words matched in name, number, email, phone, contact names ..."
    ),
    status: CustomerStatus | None = None,
    group_id: int | None = Query(None, ge=1, le=2**63 - 1),
    tag_id: int | None = Query(None, ge=1, le=2**63 - 1),
    include_archived: bool = False,
    sort: str = Query(
        "newest",
        max_length=20,
        description="newest first (default), or by name, number, joined or balance (balance: roles that "
        "see billing), ascending (`joined`) or descending (`-joined`), by id within equal values. A "
        "cursor belongs to its sort.",
    ),
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    """Customers of your provider, newest first or in the order asked for; archived ones only when
    asked for."""
    require(request.actor, "customers.view")
    if sort != "newest":
        parsed = list_columns.sort_parse(sort, user_can=lambda p: True)
        if parsed is None:
            raise ValidationFailed(
                fields={"sort": "Use newest, name, number, joined or balance, - for descending."}
            )
        if parsed[0].permission:
            require(request.actor, parsed[0].permission)
    page = selectors.customer_list(
        provider=request.actor.provider,
        q=q,
        status=status,
        group_id=group_id,
        tag_id=tag_id,
        include_archived=include_archived,
        ordering=sort,
        limit=limit,
        cursor=cursor,
    )
    tags = selectors.customer_tags(customers=page.items)
    return page_out(page, lambda c: customer_out(c, tags[c.pk]))


def _related(provider, data: dict) -> dict:
    """Turn group_id / account_manager_id into rows of the provider (unknown ids are a 422)."""
    for field, model in (("group", CustomerGroup), ("account_manager", User)):
        key = f"{field}_id"
        if key not in data:
            continue
        pk = data.pop(key)
        if pk is None:
            data[field] = None
            continue
        row = model.objects.filter(provider=provider, pk=pk).first() if 0 < pk < 2**63 else None
        if row is None:
            raise ValidationFailed(fields={key: "Unknown id."})
        data[field] = row
    return data


def _tags_named(provider, names: list[str]) -> list[Tag]:
    wanted = {n.strip() for n in names if n.strip()}
    found = list(Tag.objects.filter(provider=provider, name__in=wanted))
    unknown = sorted(wanted - {t.name for t in found})
    if unknown:
        raise ValidationFailed(fields={"tags": f"Unknown tags: {', '.join(unknown)}."})
    return found


@router.post("/customers", response={201: CustomerDetailOut})
@idempotent
def customer_create(request, payload: CustomerCreateIn):
    """Create a customer; its number (C-000123) is assigned by the provider's sequence."""
    provider = request.actor.provider
    require(request.actor, "customers.create")
    data = payload.model_dump(exclude_unset=True)
    tags = _tags_named(provider, data.pop("tags", None) or [])
    data = _related(provider, data)
    customer = services.customer_create(provider=provider, data=data, tags=tags, actor=request.actor)
    return Status(201, customer_detail_out(selectors.customer_get(provider=provider, pk=customer.pk)))


@router.get("/customers/{customer_id}", response=CustomerDetailOut)
def customer_get(request, customer_id: int):
    return customer_detail_out(customer_for(request, customer_id))


@router.patch("/customers/{customer_id}", response=CustomerDetailOut)
@idempotent
def customer_update(request, customer_id: int, payload: CustomerPatchIn):
    """Edit account fields: send only those that change. Each change is logged with old and new."""
    customer = customer_for(request, customer_id)
    data = payload.model_dump(exclude_unset=True)
    require(request.actor, "customers.edit")
    data = _related(customer.provider, data)
    customer = services.customer_update(customer=customer, data=data, actor=request.actor)
    return customer_detail_out(customer)


@router.put("/customers/{customer_id}/tags", response=CustomerDetailOut)
@idempotent
def customer_tags_set(request, customer_id: int, payload: TagsIn):
    """Replace the customer's tags with these (tag names defined by your administrators)."""
    customer = customer_for(request, customer_id)
    require(request.actor, "customers.tags")
    tags = _tags_named(customer.provider, payload.tags)
    customer = services.customer_tags_set(customer=customer, tags=tags, actor=request.actor)
    return customer_detail_out(customer)


@router.get("/customers/{customer_id}/contacts", response=paged(ContactOut))
def contact_list(request, customer_id: int, limit: int = Limit):
    """Contacts, the primary first."""
    customer = customer_for(request, customer_id)
    contacts = selectors.contact_list(customer=customer, limit=limit)
    return {"items": [contact_out(c) for c in contacts], "next_cursor": None}


def _contact_parts(payload) -> tuple[dict, dict | None]:
    """The contact's own fields, and its primary address (None: leave it; {} : remove it)."""
    data = payload.model_dump(exclude_unset=True)
    address = data.pop("primary_address", None)
    if "primary_address" in payload.model_fields_set and address is None:
        address = {}
    return data, address


@router.post("/customers/{customer_id}/contacts", response={201: ContactOut})
@idempotent
def contact_add(request, customer_id: int, payload: ContactIn):
    """Add a contact. The first contact, or one sent with is_primary, becomes the primary."""
    customer = customer_for(request, customer_id)
    data, address = _contact_parts(payload)
    contact = services.contact_add(customer=customer, data=data, address=address, actor=request.actor)
    return Status(201, contact_out(selectors.contact_get(customer=customer, pk=contact.pk)))


@router.patch("/customers/{customer_id}/contacts/{contact_id}", response=ContactOut)
@idempotent
def contact_update(request, customer_id: int, contact_id: int, payload: ContactPatchIn):
    """Edit a contact. The primary changes by making another contact primary."""
    customer = customer_for(request, customer_id)
    contact = selectors.contact_get(customer=customer, pk=contact_id)
    data, address = _contact_parts(payload)
    services.contact_update(contact=contact, data=data, address=address, actor=request.actor)
    return contact_out(selectors.contact_get(customer=customer, pk=contact.pk))


@router.delete("/customers/{customer_id}/contacts/{contact_id}", response={204: None})
@idempotent
def contact_remove(request, customer_id: int, contact_id: int):
    """Remove a contact; when it was the primary, the oldest remaining contact becomes primary."""
    customer = customer_for(request, customer_id)
    contact = selectors.contact_get(customer=customer, pk=contact_id)
    services.contact_remove(contact=contact, actor=request.actor)
    return Status(204, None)


@router.get("/customers/{customer_id}/custom-fields", response=list[CustomFieldOut])
def custom_field_list(request, customer_id: int):
    """Every custom field your provider defines, with this customer's value (or null)."""
    customer = customer_for(request, customer_id)
    return [custom_field_out(row) for row in selectors.custom_field_rows(customer=customer)]


@router.put("/customers/{customer_id}/custom-fields/{field_id}", response=list[CustomFieldOut])
@idempotent
def custom_field_set(request, customer_id: int, field_id: int, payload: CustomFieldValueIn):
    """Set one custom field's value, checked against its kind (number, date, choice, yes/no)."""
    customer = customer_for(request, customer_id)
    require(request.actor, "customers.custom_fields")
    definition = get_scoped(CustomFieldDefinition, provider=customer.provider, pk=field_id)
    services.custom_field_set(
        customer=customer, definition=definition, value=payload.value or "", actor=request.actor
    )
    return [custom_field_out(row) for row in selectors.custom_field_rows(customer=customer)]


@router.get("/customers/{customer_id}/status-history", response=paged(StatusChangeOut))
def status_history(request, customer_id: int, limit: int = Limit, cursor: str | None = Cursor):
    """Status changes (from, to, reason, who, when), newest first."""
    customer = customer_for(request, customer_id)
    page = selectors.status_history(customer=customer, limit=limit, cursor=cursor)
    return page_out(page, status_change_out)


@router.post("/customers/{customer_id}/status", response=CustomerDetailOut)
@idempotent
def status_change(request, customer_id: int, payload: StatusIn):
    """Change the status with a reason (required to block, deactivate or archive).

    Archiving needs an administrator; use /unarchive to undo it."""
    customer = customer_for(request, customer_id)
    customer = services.customer_status_change(
        customer=customer, status=payload.status, reason=payload.reason, actor=request.actor
    )
    return customer_detail_out(customer)


@router.post("/customers/{customer_id}/archive", response=CustomerDetailOut)
@idempotent
def customer_archive(request, customer_id: int, payload: ArchiveIn):
    """Archive (administrators): hidden from lists and search, all history kept."""
    customer = customer_for(request, customer_id)
    customer = services.customer_archive(customer=customer, reason=payload.reason, actor=request.actor)
    return customer_detail_out(customer)


@router.post("/customers/{customer_id}/unarchive", response=CustomerDetailOut)
@idempotent
def customer_unarchive(request, customer_id: int):
    """Undo an archive (administrators): the status it had before comes back."""
    customer = customer_for(request, customer_id)
    customer = services.customer_unarchive(customer=customer, actor=request.actor)
    return customer_detail_out(customer)


# The customer's activity log (accountdesk.activity sits under customers, so its endpoint is here).
@router.get("/customers/{customer_id}/activity", response=paged(ActivityOut), tags=["activity"])
def activity_list(
    request,
    customer_id: int,
    group: str | None = Query(None, max_length=30),
    actor_type: Literal["staff", "system", "customer", "api"] | None = None,
    kind: str | None = Query(None, max_length=60),
    q: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = customer_for(request, customer_id)
    require(request.actor, "activity.view")
    if group and group not in GROUPS:
        raise ValidationFailed(fields={"group": f"Unknown group. Use one of: {', '.join(GROUPS)}."})
    page = activity_selectors.activity_list(
        customer=customer,
        group=group,
        actor_type=actor_type,
        kind=kind,
        q=q,
        limit=limit,
        cursor=cursor,
        shows_money=sees_money(request.actor),
    )
    return page_out(page, shown_to(activity_out, request.actor))
