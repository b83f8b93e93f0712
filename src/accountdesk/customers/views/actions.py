"""The customer account's writes: create, status, archive, alerts, Details, Contacts, Custom fields.
Each is a dialog over one service (core.dialogs; customers.page.customer_dialog on a tab)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import Dialog, bound, dialog_respond
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.views_support import actor_for, redirect_after_write, require_perm, user_can
from accountdesk.customers import selectors, services
from accountdesk.customers.forms import (
    ContactForm,
    CustomerCreateForm,
    CustomerForm,
    CustomFieldsForm,
    ManualAlertForm,
    ReasonForm,
    StatusChangeForm,
)
from accountdesk.customers.page import customer_dialog, customer_page

# ---------- Create ----------


@login_required
@require_perm("customers.create")
@require_http_methods(["GET", "POST"])
def customer_create(request):
    """A page of its own; success opens the new customer's dashboard."""
    provider = request.user.provider
    created = []

    def perform(data) -> str:
        customer = services.customer_create(
            provider=provider,
            data=CustomerForm.account_data(data),
            tags=CustomerForm.tags_chosen(data),
            actor=actor_for(request),
        )
        created.append(customer)
        return f"Customer {customer.number} created."

    def done(message: str):
        messages.success(request, message)
        return redirect_after_write(request, reverse("tabs:dashboard", args=[created[0].pk]))

    dialog = Dialog(
        form=bound(CustomerCreateForm, request, provider=provider),
        perform=perform,
        title="New customer",
        submit="Create customer",
        template="customers/create.html",
    )
    return dialog_respond(request, dialog, done=done)


# ---------- Status, archive, alerts (the top row and Details) ----------


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        changed = services.customer_status_change(
            customer=customer, status=data["status"], reason=data["reason"], actor=actor
        )
        return f"Status changed to {changed.get_status_display().lower()}."

    return customer_dialog(
        request,
        customer_id,
        tab="dashboard",
        permission="customers.change_status",
        form=StatusChangeForm,
        form_kwargs=lambda customer: {"current": customer.status},
        title="Change status",
        submit="Change status",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def customer_archive(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        services.customer_archive(customer=customer, reason=data["reason"], actor=actor)
        return "Customer archived. It no longer shows in lists and search."

    return customer_dialog(
        request,
        customer_id,
        tab="details",
        permission="customers.archive",
        form=ReasonForm,
        title="Archive customer",
        submit="Archive customer",
        intro="Archiving hides the customer from lists and search. Nothing is deleted, and an "
        "administrator can undo it.",
        danger=True,
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def customer_unarchive(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        services.customer_unarchive(customer=customer, actor=actor)
        return "Archive undone."

    return customer_dialog(
        request,
        customer_id,
        tab="details",
        permission="customers.archive",
        form=ConfirmForm,
        title="Undo the archive",
        submit="Undo archive",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_add(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        services.manual_alert_add(
            customer=customer, level=data["level"], message=data["message"], actor=actor
        )
        return "Alert added."

    return customer_dialog(
        request,
        customer_id,
        tab="details",
        permission="customers.alerts",
        form=ManualAlertForm,
        title="Add alert",
        submit="Add alert",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_dismiss(request, customer_id: int, alert_id: int):
    """The banner's Dismiss button; back to the page it was on (its `next`)."""

    def perform(customer, data, actor) -> str:
        alert = selectors.manual_alert_get(customer=customer, pk=alert_id)
        services.manual_alert_dismiss(alert=alert, actor=actor)
        return "Alert dismissed."

    return customer_dialog(
        request,
        customer_id,
        tab="dashboard",
        permission="customers.alerts",
        form=ConfirmForm,
        title="Dismiss the alert",
        submit="Dismiss",
        perform=perform,
    )


# ---------- Details tab ----------


@login_required
@require_http_methods(["GET", "POST"])
def customer_edit(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        services.customer_account_save(
            customer=customer,
            data=CustomerForm.account_data(data),
            tags=CustomerForm.tags_chosen(data),
            actor=actor,
        )
        return "Account saved."

    return customer_dialog(
        request,
        customer_id,
        tab="details",
        permission="customers.edit",
        form=CustomerForm,
        form_kwargs=lambda customer: {
            "instance": customer,
            "provider": customer.provider,
            "can_tag": user_can(request, "customers.tags"),
        },
        title="Edit the account",
        submit="Save",
        perform=perform,
        page_template="customers/edit.html",
    )


# ---------- Contacts tab ----------


def _contact_dialog(request, customer_id: int, contact_id: int | None):
    found = []

    def contact_initial(customer) -> dict:
        if contact_id is None:
            return {}
        contact = selectors.contact_get(customer=customer, pk=contact_id)
        found.append(contact)
        initial = {f: getattr(contact, f) for f in ContactForm.CONTACT}
        address = selectors.primary_address(contact)
        if address:
            initial.update({f: getattr(address, f) for f in ("line1", "line2", "city", "region", "postcode")})
            initial["country"] = address.country
        return {"initial": initial}

    def perform(customer, data, actor) -> str:
        contact, address = ContactForm.contact_data(data), ContactForm.address_data(data)
        if not found:
            services.contact_add(customer=customer, data=contact, address=address, actor=actor)
            return "Contact added."
        services.contact_update(contact=found[0], data=contact, address=address, actor=actor)
        return "Contact saved."

    return customer_dialog(
        request,
        customer_id,
        tab="contacts",
        permission="customers.contacts",
        form=ContactForm,
        form_kwargs=contact_initial,
        title="Edit the contact" if contact_id else "Add a contact",
        submit="Save" if contact_id else "Add contact",
        perform=perform,
        page_template="customers/contact_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_add(request, customer_id: int):
    return _contact_dialog(request, customer_id, None)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, customer_id: int, contact_id: int):
    return _contact_dialog(request, customer_id, contact_id)


@login_required
@require_http_methods(["GET", "POST"])
def contact_remove(request, customer_id: int, contact_id: int):
    def perform(customer, data, actor) -> str:
        contact = selectors.contact_get(customer=customer, pk=contact_id)
        services.contact_remove(contact=contact, actor=actor)
        return f"Contact {contact.name} removed."

    return customer_dialog(
        request,
        customer_id,
        tab="contacts",
        permission="customers.contacts",
        form=ConfirmForm,
        title="Remove the contact",
        submit="Remove",
        danger=True,
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_make_primary(request, customer_id: int, contact_id: int):
    def perform(customer, data, actor) -> str:
        contact = selectors.contact_get(customer=customer, pk=contact_id)
        services.contact_update(contact=contact, data={"is_primary": True}, actor=actor)
        return f"{contact.name} is now the primary contact."

    return customer_dialog(
        request,
        customer_id,
        tab="contacts",
        permission="customers.contacts",
        form=ConfirmForm,
        title="Make primary",
        submit="Make primary",
        perform=perform,
    )


# ---------- Custom fields tab ----------


@login_required
@require_http_methods(["GET", "POST"])
def custom_fields(request, customer_id: int):
    """The values as a form for who may set them (all or nothing), as a list for the others."""
    if request.method == "GET" and not user_can(request, "customers.custom_fields"):
        context = customer_page(request, customer_id, tab="custom_fields")
        context["rows"] = selectors.custom_field_rows(customer=context["customer"])
        return render(request, "customers/custom_fields.html", context)

    def perform(customer, data, actor) -> str:
        services.custom_field_values_set(customer=customer, values=data["values"], actor=actor)
        return "Custom fields saved."

    return customer_dialog(
        request,
        customer_id,
        tab="custom_fields",
        permission="customers.custom_fields",
        form=CustomFieldsForm,
        form_kwargs=lambda customer: {"rows": selectors.custom_field_rows(customer=customer)},
        title="Custom fields",
        submit="Save",
        perform=perform,
        page_template="customers/custom_fields.html",
    )
