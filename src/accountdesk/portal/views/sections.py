"""The portal's module sections: Services (subscriptions), Usage, Support (tickets), Appointments
(upcoming jobs) and Contracts. A section of a module the provider does not have is not there (404,
and not in the navigation); every read takes the session's customer (portal.sections), so another
customer's id is a 404; every write goes through the owning app's service by the session's actor."""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.contracts import services as contract_services
from accountdesk.core.client import client_address
from accountdesk.core.dates import InvalidDate, parse_date
from accountdesk.core.dialogs import INLINE_TEMPLATE, Dialog, Page, bound, dialog_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.tenancy import scoped_pk
from accountdesk.core.views_support import pager_links
from accountdesk.portal import sections
from accountdesk.portal.nav import SECTIONS
from accountdesk.portal.page import found, portal_context, portal_dialog, portal_render
from accountdesk.portal.reschedule import appointment_text, job_reschedule_request
from accountdesk.portal.section_forms import (
    ContractSignForm,
    RescheduleForm,
    TicketCommentForm,
    TicketOpenForm,
)
from accountdesk.portal.sessions import portal_view
from accountdesk.servicedesk import selectors as tickets
from accountdesk.servicedesk import services as ticket_services


def section_view(key: str):
    """A page of the section `key`: a portal page that is not found when its module is off."""

    def decorate(view):
        @portal_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not SECTIONS[key].shown_for(request.portal.provider):
                raise Http404()
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


# ---------------------------------------------------------------- services and usage


@section_view("subscriptions")
@require_GET
def subscriptions(request):
    rows = sections.subscription_list(customer=request.portal.customer)
    return portal_render(request, "portal/subscriptions.html", "subscriptions", {"subscriptions": rows})


@section_view("usage")
@require_GET
def usage(request):
    try:
        first = parse_date(request.GET["period"]) if request.GET.get("period") else None
    except InvalidDate:
        first = None  # an unknown period shows the current one
    try:
        service = scoped_pk(request.GET["service"]) if request.GET.get("service") else None
    except NotFound:
        service = None  # and an unknown service the latest
    page = sections.usage_page(customer=request.portal.customer, service=service, first=first)
    return portal_render(request, "portal/usage.html", "usage", {"usage": page})


# ---------------------------------------------------------------- support


@section_view("tickets")
@require_GET
def ticket_list(request):
    customer = request.portal.customer
    page = found(tickets.ticket_list, customer=customer, limit=20, cursor=request.GET.get("cursor"))
    return portal_render(
        request, "portal/tickets.html", "tickets", {"page": page, **pager_links(request, page)}
    )


@section_view("tickets")
@require_http_methods(["GET", "POST"])
def ticket_open(request):
    portal = request.portal
    opened = {}

    def perform(data) -> str:
        opened["ticket"] = ticket_services.ticket_open(customer=portal.customer, actor=portal.actor, **data)
        return f"Thank you. Your request {opened['ticket'].number} is with our team."

    return portal_dialog(
        request,
        section="tickets",
        form=TicketOpenForm,
        perform=perform,
        title="Ask for help",
        submit="Send",
        success_url=lambda: reverse("portal:ticket", args=[opened["ticket"].pk]),
    )


@section_view("tickets")
@require_http_methods(["GET", "POST"])
def ticket_detail(request, ticket_id: int):
    """A request and its replies, with the reply box under them (its form: core.dialogs)."""
    portal = request.portal
    ticket = found(tickets.ticket_get, customer=portal.customer, pk=ticket_id)

    def perform(data) -> str:
        ticket_services.ticket_comment(ticket=ticket, body=data["body"], actor=portal.actor)
        return "Your reply is sent."

    dialog = Dialog(
        form=bound(TicketCommentForm, request),
        perform=perform,
        title="Reply",
        submit="Send reply",
        template=INLINE_TEMPLATE,
    )
    page = Page(
        "portal/ticket.html",
        lambda: {
            **portal_context(request, "tickets"),
            "ticket": ticket,
            "comments": tickets.ticket_comments(ticket=ticket, include_internal=False),
        },
    )
    return dialog_respond(request, dialog, page=page, success_url=request.path)


# ---------------------------------------------------------------- appointments


@section_view("jobs")
@require_GET
def job_list(request):
    jobs = sections.job_upcoming_list(customer=request.portal.customer)
    return portal_render(request, "portal/jobs.html", "jobs", {"jobs": jobs})


@section_view("jobs")
@require_http_methods(["GET", "POST"])
def job_reschedule(request, job_id: int):
    portal = request.portal
    job = found(sections.job_upcoming_get, customer=portal.customer, pk=job_id)

    def perform(data) -> str:
        job_reschedule_request(customer=portal.customer, job=job, actor=portal.actor, **data)
        return "Thank you. We will be in touch to agree a new time."

    return portal_dialog(
        request,
        section="jobs",
        form=RescheduleForm,
        perform=perform,
        title="Ask for another time",
        submit="Send request",
        intro=f"Booked now: {appointment_text(job)}. Your visit stays booked until we agree a new time.",
        success_url=reverse("portal:jobs"),
    )


# ---------------------------------------------------------------- contracts


@section_view("contracts")
@require_GET
def contract_list(request):
    page = found(sections.contract_list, customer=request.portal.customer, cursor=request.GET.get("cursor"))
    return portal_render(
        request, "portal/contracts.html", "contracts", {"page": page, **pager_links(request, page)}
    )


@section_view("contracts")
@require_http_methods(["GET", "POST"])
def contract_detail(request, contract_id: int):
    """A contract's text; while it waits for this contact's signature, the form to sign it."""
    portal = request.portal
    contract = found(sections.contract_get, customer=portal.customer, pk=contract_id)
    context = {"contract": contract, "signer": contract.contact_id == portal.contact.pk}
    may_sign = context["signer"] and portal.actor.can("contracts.sign")
    if request.method == "GET" and not (contract.can_sign and may_sign):
        return portal_render(request, "portal/contract.html", "contracts", context)

    def perform(data) -> str:
        contract_services.contract_sign_by_customer(
            contract=contract,
            contact=portal.contact,
            client_ip=client_address(request),
            actor=portal.actor,
            **data,
        )
        return "Thank you. The contract is signed."

    dialog = Dialog(
        form=bound(ContractSignForm, request, initial={"text_sha256": contract.text_sha256}),
        perform=perform,
        title="Sign the contract",
        submit="Sign",
        template=INLINE_TEMPLATE,
    )
    page = Page("portal/contract.html", lambda: {**portal_context(request, "contracts"), **context})
    return dialog_respond(request, dialog, page=page, success_url=request.path)
