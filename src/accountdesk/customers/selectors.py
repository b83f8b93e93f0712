from collections.abc import Callable
from typing import Any

from django.db.models import BigIntegerField, CharField, DateTimeField, Prefetch, QuerySet, Value

from accountdesk.core.bundle import Bundle, Part
from accountdesk.core.errors import NotFound, ValidationFailed
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped, scoped_pk
from accountdesk.customers.list_columns import COLUMNS, CustomerColumn
from accountdesk.customers.models import (
    AlertDefinition,
    AlertRule,
    Contact,
    ContactAddress,
    Customer,
    CustomerGroup,
    CustomFieldDefinition,
    CustomFieldValue,
    ManualAlert,
    Status,
    StatusChange,
    Tag,
)
from accountdesk.customers.search_index import search_condition
from accountdesk.tenancy.models import Provider


def customer_get(*, provider: Provider, pk: object) -> Customer:
    """The customer with its group and manager; another provider's id is not found."""
    qs = Customer.objects.select_related("group", "account_manager", "provider")
    return get_scoped(qs, provider=provider, pk=pk)


def customer_list(
    *,
    provider: Provider,
    q: str | None = None,
    status: str | None = None,
    group_id: int | None = None,
    tag_id: int | None = None,
    include_archived: bool = False,
    limit: int | None = None,
    cursor: str | None = None,
    ordering: str = "name",
    columns: tuple[CustomerColumn, ...] | list[CustomerColumn] = (),
) -> Page[Customer]:
    """A page of customers, newest first (ordering="newest") or by a column of
    customers.list_columns, ascending ("joined") or descending ("-joined"). Each of `columns`
    (another app's, e.g. the balance) comes annotated on the customers as `col_<key>`, read in the
    same query.

    Archived customers are left out unless asked for by status or include_archived."""
    qs: QuerySet[Customer] = Customer.objects.filter(provider=provider).select_related(
        "group", "account_manager"
    )
    if status:
        qs = qs.filter(status=status)
    elif not include_archived:
        qs = qs.exclude(status=Status.ARCHIVED)
    if group_id:
        qs = qs.filter(group_id=group_id)
    if tag_id:
        qs = qs.filter(tags__id=tag_id)
    if q and q.strip():
        qs = qs.filter(search_condition(provider, q))
    if columns:
        qs = qs.annotate(**{f"col_{c.key}": c.expression for c in columns})
    if ordering == "newest":
        return keyset_page(qs, ordering=("-id",), limit=limit, cursor=cursor)
    descending = ordering.startswith("-")
    column = COLUMNS.get(ordering.removeprefix("-"))
    if column is None:
        raise ValidationFailed(fields={"sort": "Unknown sort."})
    qs = qs.annotate(sort_value=column.expression)
    sign = "-" if descending else ""
    return keyset_page(
        qs, ordering=(f"{sign}sort_value", f"{sign}id"), limit=limit, cursor=cursor, key=ordering
    )


def customer_tags(*, customers: list[Customer]) -> dict[int, list[Tag]]:
    """Tags of several customers in one query."""
    result: dict[int, list[Tag]] = {c.pk: [] for c in customers}
    through = Customer.tags.through.objects.filter(customer_id__in=result).select_related("tag")
    for row in through.order_by("tag__name"):
        result[row.customer_id].append(row.tag)
    return result


def contact_list(*, customer: Customer, limit: int | None = None) -> list[Contact]:
    """Contacts, the primary first, each with its primary address prefetched."""
    qs = (
        Contact.objects.filter(provider_id=customer.provider_id, customer=customer)
        .order_by("-is_primary", "id")
        .prefetch_related(
            Prefetch(
                "addresses",
                queryset=ContactAddress.objects.filter(is_primary=True),
                to_attr="primary_addresses",
            )
        )
    )
    if limit is not None:
        qs = qs[:limit]
    return list(qs)


def contact_get(*, customer: Customer, pk: object) -> Contact:
    return get_scoped(Contact.objects.filter(customer=customer), provider=customer.provider, pk=pk)


def manual_alert_get(*, customer: Customer, pk: object) -> ManualAlert:
    return get_scoped(ManualAlert.objects.filter(customer=customer), provider=customer.provider, pk=pk)


def primary_address(contact: Contact) -> ContactAddress | None:
    addresses = getattr(contact, "primary_addresses", None)
    if addresses is None:
        return contact.addresses.filter(is_primary=True).first()
    return addresses[0] if addresses else None


def status_history(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[StatusChange]:
    qs = StatusChange.objects.filter(provider_id=customer.provider_id, customer=customer)
    return keyset_page(qs, ordering=("-at", "-id"), limit=limit, cursor=cursor)


def custom_field_rows(*, customer: Customer, overview_only: bool = False) -> list[dict[str, Any]]:
    """Each definition with this customer's value (or None), in the provider's order."""
    definitions = CustomFieldDefinition.objects.filter(provider_id=customer.provider_id)
    if overview_only:
        definitions = definitions.filter(show_on_overview=True)
    values = {
        v.definition_id: v.value
        for v in CustomFieldValue.objects.filter(customer=customer, definition__in=definitions)
    }
    return [{"definition": d, "value": values.get(d.pk)} for d in definitions]


MANUAL_ALERTS_SHOWN = 10


def alert_banner_rows(*, customer: Customer) -> QuerySet[Any, tuple[Any, ...]]:
    """The provider's active rules and the customer's open manual alerts, in one UNION query, as
    (name, level, message, rule, value, manual id, created at) rows for alert_banners_from()."""
    text = CharField()
    rules = (
        AlertDefinition.objects.filter(provider_id=customer.provider_id, is_active=True)
        .order_by()
        .values_list(
            "name",
            "level",
            "message",
            "rule",
            "value",
            Value(None, output_field=BigIntegerField()),
            Value(None, output_field=DateTimeField()),
        )
    )
    manual = (
        ManualAlert.objects.filter(
            provider_id=customer.provider_id, customer=customer, dismissed_at__isnull=True
        )
        .order_by()
        .values_list(
            Value("", output_field=text),
            "level",
            "message",
            Value("", output_field=text),
            Value("", output_field=text),
            "id",
            "created_at",
        )
    )
    return rules.union(manual, all=True)


def custom_value_rows(*, customer: Customer) -> QuerySet[CustomFieldValue, tuple[str, str]]:
    """The customer's custom field values as (field name, value) rows, for the alert rules."""
    qs = CustomFieldValue.objects.filter(provider_id=customer.provider_id, customer=customer)
    return qs.order_by().values_list("definition__name", "value")


def alert_banners_from(
    rows: list[tuple[Any, ...]], *, customer: Customer, tags: list[Tag], custom_values: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The banners that the rows of alert_banner_rows() make for this customer, given its tags and
    its custom_value_rows()."""
    rule_rows = sorted((r for r in rows if r[5] is None), key=lambda r: r[0])
    manual_rows = sorted((r for r in rows if r[5] is not None), key=lambda r: (r[6], r[5]), reverse=True)
    banners: list[dict[str, Any]] = []
    if rule_rows:
        tag_names = {t.name.lower() for t in tags}
        custom = {name.lower(): value.lower() for name, value in custom_values}
        for _name, level, message, rule, value, _id, _at in rule_rows:
            if _rule_matches(rule, value, customer, tag_names, custom):
                banners.append({"level": level, "message": message, "manual_id": None})
    banners += [
        {"level": r[1], "message": r[2], "manual_id": r[5]} for r in manual_rows[:MANUAL_ALERTS_SHOWN]
    ]
    return banners


def _rule_matches(
    rule: str, value: str, customer: Customer, tag_names: set[str], custom: dict[str, str]
) -> bool:
    value = value.strip().lower()
    if rule == AlertRule.STATUS_IS:
        return customer.status == value
    if rule == AlertRule.HAS_TAG:
        return value in tag_names
    if rule == AlertRule.IN_GROUP:
        return customer.group is not None and customer.group.name.lower() == value
    if rule == AlertRule.CUSTOM_FIELD_IS:
        field, _, expected = value.partition("=")
        return custom.get(field.strip()) == expected.strip()
    return False


def group_choices(*, provider: Provider) -> list[CustomerGroup]:
    return list(CustomerGroup.objects.filter(provider=provider))


def tag_choices(*, provider: Provider) -> list[Tag]:
    return list(Tag.objects.filter(provider=provider))


# ---- The customer's frame: what every customer page shows above its tab, read in one statement.


def customer_part(query: Callable[[Customer], QuerySet[Any, Any]], **options: Any) -> Part:
    """A bundle part (core.bundle) read with a customer's ids, from a selector that takes the
    customer and returns a bounded queryset: it is given a customer carrying only its ids."""
    return Part(
        lambda provider_id, customer_id: query(Customer(pk=customer_id, provider_id=provider_id)), **options
    )


CUSTOMER_IDS = ("provider_id", "customer_id")
FRAME_PARTS = {
    "customer": customer_part(
        lambda c: Customer.objects.filter(provider_id=c.provider_id, pk=c.pk).order_by("pk")[:1],
        related=("group", "account_manager"),
    ),
    "tags": customer_part(lambda c: Tag.objects.filter(provider_id=c.provider_id, customers=c)),
    "banners": customer_part(lambda c: alert_banner_rows(customer=c)),
    "custom_values": customer_part(lambda c: custom_value_rows(customer=c)),
}
FRAME = Bundle(ids=CUSTOMER_IDS, parts=FRAME_PARTS)


def customer_frame(*, provider: Provider, pk: object) -> tuple[Customer, list[Tag], list[dict[str, Any]]]:
    """The customer (with its group and manager), its tags and its alert banners, in one
    statement; another provider's id is not found."""
    read = FRAME.read(FRAME_PARTS, provider_id=provider.pk, customer_id=scoped_pk(pk))
    customer = frame_customer(read=read, provider=provider)
    return customer, read["tags"], frame_banners(read=read, customer=customer)


def frame_banners(*, read: dict[str, list[Any]], customer: Customer) -> list[dict[str, Any]]:
    """The alert banners of a read of FRAME_PARTS' "banners", "tags" and "custom_values"."""
    return alert_banners_from(
        read["banners"], customer=customer, tags=read["tags"], custom_values=read["custom_values"]
    )


def frame_customer(*, read: dict[str, list[Any]], provider: Provider) -> Customer:
    """The customer of a read of FRAME_PARTS' "customer", or NotFound."""
    if not read["customer"]:
        raise NotFound()
    customer: Customer = read["customer"][0]
    customer.provider = provider
    return customer
