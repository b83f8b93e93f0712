"""The customer's pages: Home, Invoices, Payments, Statement, Profile. Every read takes the
session's customer (portal.selectors), so another customer's id is a 404; every write is a dialog
(core.dialogs) over the customers, billing or usage service, by the session's actor."""

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.billing import invoice_pdf as documents
from accountdesk.billing import services as billing_services
from accountdesk.billing import statements
from accountdesk.billing.models import Delivery
from accountdesk.core import clock
from accountdesk.core.errors import DomainError
from accountdesk.core.views_support import pager_links, pdf_response
from accountdesk.customers import services as customer_services
from accountdesk.exports.services import STATEMENT_BACKGROUND_LINES as PDF_STATEMENT_LINES
from accountdesk.portal import selectors
from accountdesk.portal.forms import (
    BillingAddressForm,
    ChannelForm,
    ContactDetailsForm,
    DeliveryForm,
    StatementPeriodForm,
)
from accountdesk.portal.page import found, optional_url, portal_dialog, portal_render
from accountdesk.portal.sessions import portal_view
from accountdesk.usage import services as usage_services
from accountdesk.usage.selectors import usage_preference_channel


@portal_view
def home(request):
    home = selectors.portal_home(customer=request.portal.customer)
    return portal_render(
        request, "portal/home.html", "home", {"home": home, "pay_url": optional_url("portal:pay")}
    )


@portal_view
def invoices(request):
    page = found(selectors.invoice_list, customer=request.portal.customer, cursor=request.GET.get("cursor"))
    context = {"page": page, "today": clock.today(), **pager_links(request, page)}
    return portal_render(request, "portal/invoices.html", "invoices", context)


@portal_view
def invoice_detail(request, invoice_id: int):
    detail = found(selectors.invoice_detail, customer=request.portal.customer, pk=invoice_id)
    context = {**detail, "today": clock.today(), "pay_url": optional_url("portal:pay")}
    return portal_render(request, "portal/invoice.html", "invoices", context)


@portal_view
def invoice_pdf(request, invoice_id: int):
    """The bill as the PDF staff see (drafts are not the customer's: 404, like the page)."""
    invoice = found(selectors.invoice_get, customer=request.portal.customer, pk=invoice_id)
    return pdf_response(*documents.invoice_file(invoice=invoice), inline=True)


@portal_view
def payments(request):
    page = found(selectors.payment_list, customer=request.portal.customer, cursor=request.GET.get("cursor"))
    return portal_render(
        request, "portal/payments.html", "payments", {"page": page, **pager_links(request, page)}
    )


@portal_view
def payment_detail(request, payment_id: int):
    payment, allocations = found(selectors.payment_get, customer=request.portal.customer, pk=payment_id)
    context = {"payment": payment, "allocations": allocations}
    return portal_render(request, "portal/payment.html", "payments", context)


@portal_view
def statement(request):
    form, result = _statement(request)
    return portal_render(request, "portal/statement.html", "statement", {"form": form, "statement": result})


@portal_view
def statement_pdf(request):
    """The statement of the period asked for, as a PDF: at once, up to the lines a page request
    may render; a longer period is asked to be shortened (or printed from the page)."""
    form, result = _statement(request)
    if form.errors or len(result.lines) > PDF_STATEMENT_LINES:
        if not form.errors:
            form.add_error(
                None,
                f"This period has {len(result.lines):,} entries, more than a PDF here holds "
                f"({PDF_STATEMENT_LINES}): choose a shorter period, or print the page.",
            )
        context = {"form": form, "statement": result}
        return portal_render(request, "portal/statement.html", "statement", context, status=400)
    return pdf_response(statements.statement_pdf(result), statements.statement_filename(result), inline=True)


def _statement(request):
    """The period form (from the query string) and the statement it gives; a bad period shows its
    error beside the default period's statement."""
    form = StatementPeriodForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        result = selectors.statement(customer=request.portal.customer, start=start, end=end)
    except DomainError as error:
        form.add_error(None, error.message)
        result = selectors.statement(customer=request.portal.customer)
    if not form.is_bound:
        form = StatementPeriodForm(initial={"start": result.start, "end": result.end})
    return form, result


@portal_view
def profile(request):
    portal = request.portal
    customer = portal.customer
    usage = customer.provider.has_module("usage")
    context = {
        "billing_profile": selectors.billing_profile(customer=customer),
        "channel": usage_preference_channel(customer=customer) if usage else None,
        "can": {
            "contact": portal.actor.can("customers.contacts"),
            "address": portal.actor.can("customers.edit"),
            "delivery": portal.actor.can("billing.period"),
        },
    }
    return portal_render(request, "portal/profile.html", "profile", context)


def _profile_dialog(request, *, form, perform, title: str, submit: str, form_kwargs: dict | None = None):
    return portal_dialog(request, section="profile", form=form, perform=perform, title=title, submit=submit,
                         success_url=reverse("portal:profile"), form_kwargs=form_kwargs)  # fmt: skip


@portal_view
@require_http_methods(["GET", "POST"])
def profile_contact(request):
    portal = request.portal
    contact = portal.contact

    def perform(data):
        customer_services.contact_update(contact=contact, data=data, actor=portal.actor)
        return "Your details are saved."

    initial = {"name": contact.name, "email": contact.email, "phone": contact.phone}
    return _profile_dialog(request, form=ContactDetailsForm, perform=perform, title="Your details",
                           submit="Save", form_kwargs={"initial": initial})  # fmt: skip


@portal_view
@require_http_methods(["GET", "POST"])
def profile_address(request):
    portal = request.portal

    def perform(data):
        customer_services.customer_update(customer=portal.customer, data=data, actor=portal.actor)
        return "Your billing address is saved."

    initial = BillingAddressForm.initial_of(portal.customer)
    return _profile_dialog(request, form=BillingAddressForm, perform=perform, title="Billing address",
                           submit="Save address", form_kwargs={"initial": initial})  # fmt: skip


@portal_view
@require_http_methods(["GET", "POST"])
def profile_delivery(request):
    portal = request.portal
    current = getattr(selectors.billing_profile(customer=portal.customer), "delivery", Delivery.EMAIL)

    def perform(data):
        delivery = DeliveryForm.delivery_of(data["paperless"], current)
        billing_services.billing_profile_update(
            customer=portal.customer, delivery=delivery, actor=portal.actor
        )
        return "Paperless billing is on." if data["paperless"] else "Your bills will come by post."

    initial = {"paperless": current != Delivery.POST}
    return _profile_dialog(request, form=DeliveryForm, perform=perform, title="How your bills arrive",
                           submit="Save", form_kwargs={"initial": initial})  # fmt: skip


@portal_view
@require_http_methods(["GET", "POST"])
def profile_channel(request):
    portal = request.portal
    if not portal.provider.has_module("usage"):
        raise Http404()

    def perform(data):
        usage_services.usage_preference_set(
            customer=portal.customer, channel=data["channel"], actor=portal.actor
        )
        return "Your notification choice is saved."

    initial = {"channel": usage_preference_channel(customer=portal.customer)}
    return _profile_dialog(request, form=ChannelForm, perform=perform, title="Usage notifications",
                           submit="Save", form_kwargs={"initial": initial})  # fmt: skip
