"""Pages of the customer account: the list, Details, Contacts, Custom fields,
and the status dialogs. Thin: parse, call one selector or service, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountdesk.core.errors import DomainError, NotFound, PermissionDenied
from accountdesk.core.redirects import safe_next
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import (
    actor_for,
    form_add_domain_error,
    is_htmx,
    pager_links,
    redirect_after_write,
    require_perm,
)
from accountdesk.customers import list_columns, selectors, services
from accountdesk.customers.contact_extras import contact_extras_for
from accountdesk.customers.forms import (
    ContactForm,
    CustomerCreateForm,
    CustomerForm,
    ManualAlertForm,
    ReasonForm,
    StatusChangeForm,
    custom_fields_form_class,
)
from accountdesk.customers.models import CustomFieldDefinition, ManualAlert, Status
from accountdesk.customers.page import customer_page

STATUS_HISTORY_LIMIT = 20
SEARCH_MAX = 200


def domain_errors(view):
    """Not found and permission errors from services become the usual 404 / 403 pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None
        except PermissionDenied:
            raise DjangoPermissionDenied() from None

    return wrapper


def _customer(request, customer_id):
    return selectors.customer_get(provider=request.user.provider, pk=customer_id)


def _int_or_none(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def _render_form(request, template: str, context: dict, *, full_template: str | None = None, status=200):
    """A dialog's form: the fragment for HTMX, the whole page otherwise (works without JavaScript)."""
    if is_htmx(request) or full_template is None:
        return render(request, template, context, status=status)
    return render(request, full_template, {**context, "fragment": template}, status=status)


# ---------- The list ----------


def _sort_headers(request, current: str, descending: bool) -> dict[str, dict]:
    """For each column the user may sort by: the link that sorts by it (ascending, or descending
    when it is the current ascending sort) with the other filters kept, and its aria-sort state."""
    headers = {}
    for column in list_columns.columns_for(request.user.can):
        params = request.GET.copy()
        for name in ("cursor", "back"):
            params.pop(name, None)
        is_current = column.key == current
        params["sort"] = f"-{column.key}" if is_current and not descending else column.key
        state = ("descending" if descending else "ascending") if is_current else None
        headers[column.key] = {"label": column.label, "url": "?" + params.urlencode(), "state": state,
                               "kind": column.kind}  # fmt: skip
    return headers


@login_required
@require_perm("customers.view")
@require_GET
def customer_list(request):
    provider = request.user.provider
    q = (request.GET.get("q") or "")[:SEARCH_MAX]
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    group_id = _int_or_none(request.GET.get("group"))
    tag_id = _int_or_none(request.GET.get("tag"))
    include_archived = request.GET.get("archived") == "1"
    column, descending = list_columns.sort_parse(request.GET.get("sort"), user_can=request.user.can) or (
        list_columns.COLUMNS[list_columns.DEFAULT_SORT],
        False,
    )
    sort = f"{'-' if descending else ''}{column.key}"
    extra = [c for c in list_columns.columns_for(request.user.can) if c.extra]
    options = {"provider": provider, "q": q, "status": status or None, "group_id": group_id,
               "tag_id": tag_id, "include_archived": include_archived, "limit": 50, "ordering": sort,
               "columns": extra}  # fmt: skip
    try:
        page = selectors.customer_list(**options, cursor=request.GET.get("cursor") or None)
    except DomainError:  # a damaged cursor, or one of another order: start again from the first page
        page = selectors.customer_list(**options)
    tags = selectors.customer_tags(customers=page.items)
    rows = [
        {"customer": c, "tags": tags[c.pk], "extra": [(col, getattr(c, f"col_{col.key}")) for col in extra]}
        for c in page.items
    ]
    headers = _sort_headers(request, column.key, descending)
    context = {
        "rows": rows,
        "page": page,
        "q": q,
        "status": status,
        "group_id": group_id,
        "tag_id": tag_id,
        "include_archived": include_archived,
        "sort": sort if sort != list_columns.DEFAULT_SORT else "",
        "headers": headers,
        "extra_headers": [headers[c.key] for c in extra],
        "statuses": Status.choices,
        "groups": selectors.group_choices(provider=provider),
        "tags": selectors.tag_choices(provider=provider),
        "filtered": bool(q or status or group_id or tag_id or include_archived),
        **pager_links(request, page),
    }
    template = "customers/_list_results.html" if is_htmx(request) else "customers/list.html"
    return render(request, template, context)


@login_required
@require_perm("customers.create")
@require_http_methods(["GET", "POST"])
@domain_errors
def customer_create(request):
    provider = request.user.provider
    form = CustomerCreateForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(
                provider=provider,
                data=form.account_data(),
                tags=list(form.cleaned_data["tags"]),
                actor=actor_for(request),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"Customer {customer.number} created.")
            return redirect_after_write(request, reverse("tabs:dashboard", args=[customer.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/create.html", {"form": form}, status=status)


# ---------- Status ----------


@login_required
@require_perm("customers.view")
@require_GET
@domain_errors
def status_history(request, customer_id: int):
    customer = _customer(request, customer_id)
    page = selectors.status_history(customer=customer, limit=STATUS_HISTORY_LIMIT)
    context = {"customer": customer, "changes": page.items, "more": page.next_cursor is not None}
    if is_htmx(request):
        return render(request, "customers/_status_history.html", context)
    page_context = customer_page(request, customer_id, tab="details")
    return render(request, "customers/status_history.html", {**page_context, **context})


@login_required
@require_perm("customers.change_status")
@require_http_methods(["GET", "POST"])
@domain_errors
def status_change(request, customer_id: int):
    customer = _customer(request, customer_id)
    form = StatusChangeForm(request.POST or None, current=customer.status)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_status_change(
                customer=customer,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=actor_for(request),
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            customer.refresh_from_db(fields=["status"])
            messages.success(request, f"Status changed to {customer.get_status_display().lower()}.")
            return redirect_after_write(request, reverse("tabs:dashboard", args=[customer.pk]))
    context = {"customer": customer, "form": form}
    if customer.status == Status.ARCHIVED:
        form.add_error(None, "An archived customer's status changes by un-archiving it.")
    status = 400 if request.method == "POST" else 200
    return _render_form(
        request, "customers/_status_change_form.html", context, full_template="customers/dialog_page.html",
        status=status,
    )  # fmt: skip


@login_required
@require_perm("customers.archive")
@require_http_methods(["GET", "POST"])
@domain_errors
def customer_archive(request, customer_id: int):
    customer = _customer(request, customer_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_archive(
                customer=customer, reason=form.cleaned_data["reason"], actor=actor_for(request)
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Customer archived. It no longer shows in lists and search.")
            return redirect_after_write(request, reverse("tabs:customer_details", args=[customer.pk]))
    status = 400 if request.method == "POST" else 200
    return _render_form(
        request, "customers/_archive_form.html", {"customer": customer, "form": form},
        full_template="customers/dialog_page.html", status=status,
    )  # fmt: skip


@login_required
@require_perm("customers.archive")
@require_POST
@domain_errors
def customer_unarchive(request, customer_id: int):
    customer = _customer(request, customer_id)
    try:
        services.customer_unarchive(customer=customer, actor=actor_for(request))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Archive undone.")
    return redirect_after_write(request, reverse("tabs:customer_details", args=[customer.pk]))


# ---------- Alerts ----------


@login_required
@require_perm("customers.alerts")
@require_http_methods(["GET", "POST"])
@domain_errors
def alert_add(request, customer_id: int):
    customer = _customer(request, customer_id)
    form = ManualAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_alert_add(customer=customer, actor=actor_for(request), **form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Alert added.")
            return redirect_after_write(request, reverse("tabs:customer_details", args=[customer.pk]))
    status = 400 if request.method == "POST" else 200
    return _render_form(
        request, "customers/_alert_form.html", {"customer": customer, "form": form},
        full_template="customers/dialog_page.html", status=status,
    )  # fmt: skip


@login_required
@require_perm("customers.alerts")
@require_POST
@domain_errors
def alert_dismiss(request, customer_id: int, alert_id: int):
    customer = _customer(request, customer_id)
    alert = get_scoped(
        ManualAlert.objects.filter(customer=customer), provider=customer.provider_id, pk=alert_id
    )
    try:
        services.manual_alert_dismiss(alert=alert, actor=actor_for(request))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Alert dismissed.")
    fallback = reverse("tabs:dashboard", args=[customer.pk])
    return redirect_after_write(request, safe_next(request.POST.get("next"), fallback), fallback=fallback)


# ---------- Details tab ----------


@login_required
@require_GET
def customer_details(request, customer_id: int):
    context = customer_page(request, customer_id, tab="details")
    customer = context["customer"]
    context["customer_tags"] = list(customer.tags.all())
    context["open_alerts"] = [b for b in context["banners"] if b["manual_id"]]
    return render(request, "customers/details.html", context)


@login_required
@require_perm("customers.edit")
@require_http_methods(["GET", "POST"])
@domain_errors
def customer_edit(request, customer_id: int):
    context = customer_page(request, customer_id, tab="details")
    customer = context["customer"]
    form = CustomerForm(request.POST or None, instance=customer, provider=request.user.provider)
    can_tag = request.user.can("customers.tags")
    if not can_tag:
        form.fields["tags"].disabled = True
    if request.method == "POST" and form.is_valid():
        actor = actor_for(request)
        try:
            services.customer_update(customer=customer, data=form.account_data(), actor=actor)
            if can_tag:
                services.customer_tags_set(
                    customer=customer, tags=list(form.cleaned_data["tags"]), actor=actor
                )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Account saved.")
            return redirect_after_write(request, reverse("tabs:customer_details", args=[customer.pk]))
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/edit.html", context, status=status)


# ---------- Contacts tab ----------


@login_required
@require_GET
def contact_list(request, customer_id: int):
    context = customer_page(request, customer_id, tab="contacts")
    contacts = selectors.contact_list(customer=context["customer"])
    extras = contact_extras_for(request.user, context["customer"], contacts)
    context["contacts"] = [
        {"contact": c, "address": selectors.primary_address(c), "extras": extras[c.pk]} for c in contacts
    ]
    return render(request, "customers/contacts.html", context)


def _contact_form_page(request, customer_id: int, contact_id: int | None):
    context = customer_page(request, customer_id, tab="contacts")
    customer = context["customer"]
    contact = selectors.contact_get(customer=customer, pk=contact_id) if contact_id else None
    initial = None
    if contact is not None:
        address = selectors.primary_address(contact)
        initial = {f: getattr(contact, f) for f in ContactForm.CONTACT}
        if address:
            initial.update({f: getattr(address, f) for f in ("line1", "line2", "city", "region", "postcode")})
            initial["country"] = address.country
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = actor_for(request)
        try:
            if contact is None:
                services.contact_add(
                    customer=customer, data=form.contact_data(), address=form.address_data(), actor=actor
                )
            else:
                services.contact_update(
                    contact=contact, data=form.contact_data(), address=form.address_data(), actor=actor
                )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Contact saved." if contact else "Contact added.")
            return redirect_after_write(request, reverse("tabs:contacts", args=[customer.pk]))
    context.update({"form": form, "contact": contact})
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/contact_form.html", context, status=status)


@login_required
@require_perm("customers.contacts")
@require_http_methods(["GET", "POST"])
@domain_errors
def contact_add(request, customer_id: int):
    return _contact_form_page(request, customer_id, None)


@login_required
@require_perm("customers.contacts")
@require_http_methods(["GET", "POST"])
@domain_errors
def contact_edit(request, customer_id: int, contact_id: int):
    return _contact_form_page(request, customer_id, contact_id)


@login_required
@require_perm("customers.contacts")
@require_POST
@domain_errors
def contact_remove(request, customer_id: int, contact_id: int):
    customer = _customer(request, customer_id)
    contact = selectors.contact_get(customer=customer, pk=contact_id)
    services.contact_remove(contact=contact, actor=actor_for(request))
    messages.success(request, f"Contact {contact.name} removed.")
    return redirect_after_write(request, reverse("tabs:contacts", args=[customer.pk]))


@login_required
@require_perm("customers.contacts")
@require_POST
@domain_errors
def contact_make_primary(request, customer_id: int, contact_id: int):
    customer = _customer(request, customer_id)
    contact = selectors.contact_get(customer=customer, pk=contact_id)
    services.contact_update(contact=contact, data={"is_primary": True}, actor=actor_for(request))
    messages.success(request, f"{contact.name} is now the primary contact.")
    return redirect_after_write(request, reverse("tabs:contacts", args=[customer.pk]))


# ---------- Custom fields tab ----------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def custom_fields(request, customer_id: int):
    context = customer_page(request, customer_id, tab="custom_fields")
    customer = context["customer"]
    rows = selectors.custom_field_rows(customer=customer)
    definitions = [r["definition"] for r in rows]
    form_class = custom_fields_form_class(definitions)
    initial = {f"cf_{r['definition'].pk}": r["value"] or "" for r in rows}
    can_edit = request.user.can("customers.custom_fields")
    if request.method == "POST" and not can_edit:
        raise DjangoPermissionDenied()
    form = form_class(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_custom_fields(request, customer, definitions, form, initial)
    ):
        messages.success(request, "Custom fields saved.")
        return redirect_after_write(request, reverse("tabs:custom_fields", args=[customer.pk]))
    context.update({"rows": rows, "form": form, "can_edit": can_edit})
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/custom_fields.html", context, status=status)


class _Rollback(Exception):
    pass


def _save_custom_fields(request, customer, definitions: list[CustomFieldDefinition], form, initial) -> bool:
    """Set each changed value through the service (each audited), all or nothing: one invalid
    value rolls back the others and comes back as that field's error."""
    actor = actor_for(request)
    try:
        with transaction.atomic():
            for definition in definitions:
                name = f"cf_{definition.pk}"
                value = form.cleaned_data.get(name) or ""
                if value == (initial.get(name) or ""):
                    continue
                try:
                    services.custom_field_set(
                        customer=customer, definition=definition, value=value, actor=actor
                    )
                except (NotFound, PermissionDenied):
                    raise
                except DomainError as error:
                    form.add_error(name, next(iter(error.fields.values()), error.message))
                    raise _Rollback() from None
    except _Rollback:
        return False
    return True
