"""Staff, from a customer's Contacts tab: grant or revoke a contact's portal access, and open the
portal as a contact. Each is a dialog (core.dialogs) over one portal service."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import Dialog, Page, bound, dialog_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.views_support import actor_for, redirect_after_write
from accountdesk.customers import selectors as customer_selectors
from accountdesk.customers.page import customer_page
from accountdesk.portal import selectors, services
from accountdesk.portal.sessions import cookie_set


def _contact_dialog(request, customer_id: int, contact_id: int, *, permission: str, dialog, done=None):
    """`dialog(contact, account, actor)` builds the Dialog once the contact is found on this
    customer of the user's provider (404 otherwise) and the user holds `permission` (403)."""
    context = customer_page(request, customer_id, tab="contacts")
    if not request.user.can(permission):
        raise DjangoPermissionDenied()
    try:
        contact = customer_selectors.contact_get(customer=context["customer"], pk=contact_id)
    except NotFound:
        raise Http404() from None
    account = selectors.portal_account_of(contact=contact)
    return dialog_respond(
        request,
        dialog(contact, account, actor_for(request)),
        page=Page("customers/dialog_page.html", lambda: context),
        success_url=reverse("tabs:contacts", args=[customer_id]),
        done=done,
    )


@login_required
@require_http_methods(["GET", "POST"])
def access_grant(request, customer_id: int, contact_id: int):
    base_url = request.build_absolute_uri("/")

    def dialog(contact, account, actor):
        def perform(data):
            services.portal_access_grant(contact=contact, actor=actor, base_url=base_url, request=request)
            return f"Portal invitation sent to {contact.email}."

        return Dialog(
            form=bound(ConfirmForm, request),
            perform=perform,
            title="Give portal access",
            submit="Send invitation",
            intro=f"{contact.name} gets an email at {contact.email or '(no email address)'} with a link "
            "to choose a password. The link works once and expires.",
        )

    return _contact_dialog(request, customer_id, contact_id, permission="customers.edit", dialog=dialog)


@login_required
@require_http_methods(["GET", "POST"])
def access_revoke(request, customer_id: int, contact_id: int):
    def dialog(contact, account, actor):
        if account is None:
            raise Http404()

        def perform(data):
            services.portal_access_revoke(account=account, actor=actor, request=request)
            return f"Portal access revoked for {contact.name}."

        return Dialog(
            form=bound(ConfirmForm, request),
            perform=perform,
            title="Revoke portal access",
            submit="Revoke access",
            intro=f"{contact.name} can no longer sign in with {account.email}; open sessions end now.",
            danger=True,
        )

    return _contact_dialog(request, customer_id, contact_id, permission="customers.edit", dialog=dialog)


@login_required
@require_http_methods(["GET", "POST"])
def open_as_contact(request, customer_id: int, contact_id: int):
    opened: dict[str, str] = {}

    def dialog(contact, account, actor):
        def perform(data):
            opened["key"] = services.portal_open_as_contact(contact=contact, actor=actor, request=request)
            return ""

        return Dialog(
            form=bound(ConfirmForm, request),
            perform=perform,
            title="Open the portal as this contact",
            submit="Open the portal",
            intro=f"You will see the portal as {contact.name} sees it. What you do there is recorded as you, "
            f"acting for {contact.name}. Opening and leaving are logged.",
        )

    def done(message):
        response = redirect_after_write(request, reverse("portal:home"))
        cookie_set(response, opened["key"])
        return response

    return _contact_dialog(
        request, customer_id, contact_id, permission="portal.impersonate", dialog=dialog, done=done
    )
