"""What every page of a customer shares: the customer, its top row and its tabs; and the dialog
through which its tabs take writes."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from accountdesk.core.actors import Actor
from accountdesk.core.dialogs import Dialog, Page, bound, dialog_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.views_support import actor_for, user_can
from accountdesk.customers import selectors
from accountdesk.customers.models import Customer
from accountdesk.customers.tabs import TABS, visible_tabs


def customer_page(request, customer_id: int, *, tab: str) -> dict:
    """Context for a customer tab page: 404 for another provider's id or a disabled module's tab,
    403 when the user lacks the tab's permission. Templates extend "customers/tab_base.html"."""
    user = request.user
    try:
        customer, _tags, banners = selectors.customer_frame(provider=user.provider, pk=customer_id)
    except NotFound:
        raise Http404("No such customer") from None
    current = TABS.get(tab)
    if current is not None:
        if current.module and not user.provider.has_module(current.module):
            raise Http404("Module not enabled")
        if not user.can(current.permission):
            raise DjangoPermissionDenied()
    return {
        "customer": customer,
        "tabs": visible_tabs(user),
        "active_tab": tab,
        "banners": banners,
    }


def customer_dialog(
    request: HttpRequest,
    customer_id: int,
    *,
    tab: str,
    permission: str,
    form: type[forms.BaseForm],
    perform: Callable[[Customer, dict[str, Any], Actor], str],
    title: str,
    submit: str,
    form_kwargs: Callable[[Customer], dict[str, Any]] | None = None,
    intro: str = "",
    danger: bool = False,
    success_url: str = "",
    page_template: str = "customers/dialog_page.html",
) -> HttpResponse:
    """A write on a customer's tab, through the one dialog (core.dialogs): `perform(customer, data,
    actor)` calls the service and returns the confirmation; success returns to the tab (or to
    `success_url`). The tab's own checks apply first (404 across providers, 403 without the tab),
    then `permission`. Without JavaScript the form stands on `page_template` (a tab page that
    includes `fragment`, or one that lays the form out itself). `form_kwargs` may look up what the
    write is about (a contact, an invoice): another customer's is a 404."""
    context = customer_page(request, customer_id, tab=tab)
    if not user_can(request, permission):
        raise DjangoPermissionDenied()
    customer = context["customer"]
    actor = actor_for(request)
    try:
        kwargs = form_kwargs(customer) if form_kwargs else {}
    except NotFound:
        raise Http404() from None
    dialog = Dialog(
        form=bound(form, request, **kwargs),
        perform=lambda data: perform(customer, data, actor),
        title=title,
        submit=submit,
        intro=intro,
        danger=danger,
    )
    return dialog_respond(
        request,
        dialog,
        page=Page(page_template, lambda: context),
        success_url=success_url or reverse(TABS[tab].url_name, args=[customer_id]),
    )
