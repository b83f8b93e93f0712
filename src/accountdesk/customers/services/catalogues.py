"""Provider-level catalogues on the settings pages: customer groups and tags."""

from django.db import transaction

from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.customers.models import Customer, CustomerGroup, CustomFieldDefinition, Tag
from accountdesk.tenancy.models import Provider


def _require_manage(actor: Actor, provider: Provider) -> None:
    require(actor, "provider.manage")
    require_same_provider(actor, provider)


def _unique_name(
    model: type[CustomerGroup | Tag | CustomFieldDefinition],
    provider: Provider,
    name: str,
    *,
    exclude_pk: int | None = None,
    max_length: int,
) -> str:
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
    name = _unique_name(CustomerGroup, provider, name, exclude_pk=group.pk if group else None, max_length=100)
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
        old=None if old is None else {"name": old},
        new=None if new is None else {"name": new},
    )


@transaction.atomic
def tag_save(*, provider: Provider, name: str, tag: Tag | None = None, actor: Actor) -> Tag:
    _require_manage(actor, provider)
    name = _unique_name(Tag, provider, name, exclude_pk=tag.pk if tag else None, max_length=60)
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
