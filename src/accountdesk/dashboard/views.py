"""The customer dashboard page, its one-section refreshes, and the actions taken in place.

Everything shown comes from dashboard_get(), the same read the JSON document uses. The page reads
every section once; a refresh (the notes checkbox, or after an action) reads only the sections it
renders, so an action costs the write plus the few bounded reads of what it changed.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.billing import services as billing
from accountdesk.billing.models import CreditRequest
from accountdesk.billing.schemas import instalment_out
from accountdesk.billing.views.disputes import explanation_context
from accountdesk.core import clock
from accountdesk.core.dates import datetime_field
from accountdesk.core.dialogs import Dialog, Page, bound, dialog_respond, fragment_respond
from accountdesk.core.errors import ModuleNotEnabled, NotFound, ValidationFailed
from accountdesk.core.money import money_text
from accountdesk.core.views_support import actor_for, is_htmx, require_perm
from accountdesk.customers import selectors as customers
from accountdesk.customers.page import customer_page
from accountdesk.customers.tabs import visible_tabs
from accountdesk.dashboard import forms
from accountdesk.dashboard.asof import as_of_parse, dashboard_as_of
from accountdesk.dashboard.selectors import METRICS, Dashboard, dashboard_get, dashboard_note, metric_explain
from accountdesk.fieldservice import services as fieldservice
from accountdesk.messaging import services as messaging
from accountdesk.notes import services as notes
from accountdesk.servicedesk import services as servicedesk
from accountdesk.tenancy.selectors import staff_assignable

# ---------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    template: str
    permission: str | None = None
    module: str | None = None
    # The dashboard_get() sections this card reads.
    reads: frozenset[str] = field(default_factory=frozenset)


def _section(name: str, *, permission: str | None = None, module: str | None = None, reads=None) -> Section:
    return Section(f"dashboard/_{name}.html", permission, module, frozenset(reads or {name}))


SECTIONS: dict[str, Section] = {
    "metrics": _section("metrics"),
    "summary": _section("summary"),
    "alerts": _section("alerts", module="usage"),
    "payment_method": _section("payment_method", permission="billing.view"),
    "billing": _section("billing", permission="billing.view"),
    "contacts": _section("contacts"),
    "subscriptions": _section("subscriptions"),
    "invoices": _section("invoices", permission="billing.view"),
    "instalments": _section("instalments", permission="billing.view", module="instalments"),
    "payments": _section("payments", permission="billing.view"),
    "service_requests": _section("service_requests", module="service_desk"),
    "notes": _section("notes", permission="notes.view"),
    "activity": _section("activity", permission="activity.view"),
}
SECTION_TITLES = {
    "customer": "Account",
    "metrics.open_jobs": "Open jobs",
    "payment_method": "Payment method",
    "billing": "Billing",
    "contacts": "Contacts",
    "subscriptions": "Subscriptions",
    "instalments": "Instalments",
    "service_requests": "Service requests",
}
# The product's order (product.md), split so that reading down the left column and then the
# right one is that order; on a narrow screen the two stack into one column in the same order.
LEFT = ("summary", "alerts", "payment_method", "billing", "contacts")
RIGHT = ("subscriptions", "invoices", "instalments", "payments", "service_requests")
WIDE = ("notes", "activity")


def section_visible(user, name: str) -> bool:
    spec = SECTIONS[name]
    if name == "metrics":
        # Money metrics for roles that see money, open jobs with Field Service; else nothing to show.
        return user.can("billing.view") or user.provider.has_module("field_service")
    if spec.permission and not user.can(spec.permission):
        return False
    return spec.module is None or user.provider.has_module(spec.module)


def _include_tickets(request) -> bool:
    source = request.POST if request.method == "POST" else request.GET
    return source.get("include_tickets") in ("1", "on", "true")


def _board(request, customer_id, *, include_tickets: bool, names=None) -> Dashboard:
    reads = None
    if names is not None:
        reads = set().union(*(SECTIONS[n].reads for n in names)) if names else set()
    try:
        return dashboard_get(
            user=request.user,
            customer_id=customer_id,
            include_tickets_in_notes=include_tickets,
            sections=reads,
        )
    except NotFound:
        raise Http404("No such customer") from None


def _section_context(request, board: Dashboard) -> dict:
    user = request.user
    customer = board.customer
    return {
        "customer": customer,
        "board": board,
        "currency": customer.currency,
        "instalment_rows": [instalment_out(i, board.today) for i in board.instalments or []],
        # The past is only looked at: no action is offered on it.
        "can": {name: board.as_of is None and action_allowed(user, name) for name in ACTIONS},
        "can_promise": board.as_of is None and board.shows_money and user.can("dunning.promise"),
        "has_service_desk": user.provider.has_module("service_desk"),
        "as_of": board.as_of,
    }


def _as_of_board(request, customer_id, *, include_tickets: bool) -> tuple[Dashboard | None, str]:
    """The dashboard as of the page's `as_of` day, None for today, or the reason the day is refused."""
    try:
        day = as_of_parse(request.GET.get("as_of"))
        if day is None:
            return None, ""
        board = dashboard_as_of(
            user=request.user, customer_id=customer_id, day=day, include_tickets_in_notes=include_tickets
        )
    except ValidationFailed as error:
        return None, error.fields.get("as_of", str(error))
    except NotFound:
        raise Http404("No such customer") from None
    return board, ""


def _sections(user, names) -> list[dict]:
    return [{"name": n, "template": SECTIONS[n].template} for n in names if section_visible(user, n)]


@login_required
@require_perm("customers.view")
@require_GET
def dashboard_page(request, customer_id: int):
    """/customers/<id>/: the whole dashboard, in the frame every customer tab shares."""
    user = request.user
    include_tickets = _include_tickets(request)
    past, as_of_error = _as_of_board(request, customer_id, include_tickets=include_tickets)
    board = past or _board(request, customer_id, include_tickets=include_tickets)
    context = {
        **_section_context(request, board),
        "as_of_error": as_of_error,
        "today_iso": clock.today().isoformat(),
        "as_of_value": request.GET.get("as_of", "") if as_of_error else board.today.isoformat(),
        "not_rebuilt": [
            {"section": SECTION_TITLES.get(name, name), "reason": reason}
            for name, reason in sorted(board.not_rebuilt.items())
        ],
        # tab_base.html's frame, from what dashboard_get() already read (no second customer query).
        "tabs": visible_tabs(user),
        "active_tab": "dashboard",
        "banners": board.banners,
        "show_metrics": section_visible(user, "metrics"),
        "left": _sections(user, LEFT),
        "right": _sections(user, RIGHT),
        "wide": _sections(user, WIDE),
    }
    return render(request, "dashboard/page.html", context, status=400 if as_of_error else 200)


@login_required
@require_perm("customers.view")
@require_GET
def dashboard_section(request, customer_id: int, section: str):
    """One section card, freshly read: the notes checkbox asks for this with HTMX."""
    if section not in SECTIONS or not section_visible(request.user, section):
        raise Http404("No such section")
    include_tickets = _include_tickets(request)
    board = _board(request, customer_id, include_tickets=include_tickets, names=[section])
    response = render(request, SECTIONS[section].template, _section_context(request, board))
    if section == "notes" and is_htmx(request):
        # Keep the choice in the address bar, so a reload or a shared link shows the same list.
        url = reverse("tabs:dashboard", args=[board.customer.pk])
        response["HX-Push-Url"] = url + ("?include_tickets=1" if include_tickets else "")
    return response


# ---------------------------------------------------------------- actions


@dataclass(frozen=True)
class Action:
    title: str
    submit: str
    form: type
    perform: Callable[..., str]
    # Any one of these permissions lets the role take the action (the service has the last word).
    permissions: tuple[str, ...]
    refresh: tuple[str, ...]
    module: str | None = None
    initial: Callable[..., dict] | None = None
    intro: str = ""


def _money_text(amount, customer) -> str:
    return money_text(amount, customer.currency, customer.provider.locale)


def _credit(*, customer, data, actor) -> str:
    credit = billing.credit_issue(
        customer=customer, amount=data["amount"], reason=data["reason"], actor=actor
    )
    if isinstance(credit, CreditRequest):
        return credit.waiting_message
    return f"Credit of {_money_text(credit.amount, customer)} issued."


def _payment(*, customer, data, actor) -> str:
    payment = billing.payment_record(
        customer=customer,
        amount=data["amount"],
        method=data["method"],
        reference=data["reference"],
        received_on=data["received_on"] or None,
        actor=actor,
    )
    return f"Payment of {_money_text(payment.amount, customer)} recorded."


def _note(*, customer, data, actor) -> str:
    notes.note_add(customer=customer, body=data["body"], actor=actor)
    return "Note added."


def _email(*, customer, data, actor) -> str:
    message = messaging.message_send_email(
        customer=customer, to=data["to"], subject=data["subject"], body=data["body"], actor=actor
    )
    return f"Email to {message.to} queued."


def _sms(*, customer, data, actor) -> str:
    message = messaging.message_send_sms(customer=customer, to=data["to"], body=data["body"], actor=actor)
    return f"SMS to {message.to} queued."


def _ticket(*, customer, data, actor) -> str:
    ticket = servicedesk.ticket_open(
        customer=customer,
        subject=data["subject"],
        description=data["description"],
        priority=data["priority"],
        actor=actor,
    )
    return f"Ticket {ticket.number} opened."


def _job(*, customer, data, actor) -> str:
    job = fieldservice.job_create(
        customer=customer,
        kind=data["kind"],
        scheduled_start=datetime_field(data["scheduled_start"], "scheduled_start"),
        technician=data["technician"] or None,
        description=data["description"],
        completed=data["completed"],
        actor=actor,
    )
    if job.status == "completed":
        return f"{job.get_kind_display()} {job.number} recorded as completed."
    return f"{job.get_kind_display()} {job.number} booked."


ACTIONS: dict[str, Action] = {
    "credit": Action(
        "Issue credit", "Issue credit", forms.CreditForm, _credit,
        ("billing.credit", "billing.credit_limited"), ("metrics", "activity"),
    ),
    "payment": Action(
        "Record a payment", "Record payment", forms.PaymentForm, _payment,
        ("billing.payment",), ("metrics", "invoices", "payments", "activity"),
        intro="It pays the oldest open invoices first; anything left becomes account credit.",
    ),
    "note": Action("Add a note", "Add note", forms.NoteForm, _note, ("notes.add",), ("notes", "activity")),
    "email": Action(
        "Send an email", "Send email", forms.EmailForm, _email, ("messages.send",), ("activity",),
        initial=lambda customer: {"to": customer.email},
    ),
    "sms": Action(
        "Send an SMS", "Send SMS", forms.SmsForm, _sms, ("messages.send",), ("activity",),
        initial=lambda customer: {"to": customer.phone},
    ),
    "ticket": Action(
        "Open a ticket", "Open ticket", forms.TicketForm, _ticket, ("servicedesk.edit",),
        ("service_requests", "notes", "activity"), module="service_desk",
    ),
    "job": Action(
        "Book a job", "Book job", forms.JobForm, _job, ("fieldservice.edit",), ("metrics", "activity"),
        module="field_service",
    ),
}  # fmt: skip


def action_allowed(user, name: str) -> bool:
    spec = ACTIONS[name]
    if spec.module and not user.provider.has_module(spec.module):
        return False
    return any(user.can(p) for p in spec.permissions)


def _customer(request, customer_id):
    try:
        customer = customers.customer_get(provider=request.user.provider, pk=customer_id)
    except NotFound:
        raise Http404("No such customer") from None
    return customer


def _page(request, customer_id) -> Page:
    """Without JavaScript a dialog stands on a page of its own in the customer's frame."""
    return Page("customers/dialog_page.html", lambda: customer_page(request, customer_id, tab="dashboard"))


@login_required
@require_perm("customers.view")
@require_http_methods(["GET", "POST"])
def dashboard_action(request, customer_id: int, action: str):
    """GET: the action's dialog. POST: take it (core.dialogs). Errors re-render the dialog (400);
    success answers with the sections it changed, swapped out of band, and an event that closes
    the dialog."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action")
    customer = _customer(request, customer_id)
    if spec.module and not request.user.provider.has_module(spec.module):
        raise Http404("Module not enabled")
    if not action_allowed(request.user, action):
        raise DjangoPermissionDenied()
    actor = actor_for(request)
    kwargs: dict[str, Any] = {"initial": spec.initial(customer) if spec.initial else None}
    if spec.form is forms.JobForm:
        kwargs["technicians"] = staff_assignable(provider=request.user.provider)
    hints = [_credit_limit_hint(customer, actor)] if action == "credit" else []
    dialog = Dialog(
        form=bound(spec.form, request, **kwargs),
        perform=lambda data: spec.perform(customer=customer, data=data, actor=actor),
        title=spec.title,
        submit=spec.submit,
        intro=spec.intro,
        template="dashboard/_action.html",
        action_url=reverse("tabs:dashboard_action", args=[customer.pk, action]),
        context={"customer": customer, "hints": [h for h in hints if h]},
    )
    return dialog_respond(
        request,
        dialog,
        page=_page(request, customer.pk),
        done=lambda message: _action_done(request, customer, spec, message),
    )


def _credit_limit_hint(customer, actor) -> str:
    allowance = billing.agent_credit_allowance(customer=customer, actor=actor)
    if allowance is None:
        return ""
    once, left = (_money_text(amount, customer) for amount in allowance)
    return (
        f"Your role may issue up to {once} at a time. You may credit this customer {left} more over "
        "30 days; above that a credit waits for a billing user's approval."
    )


def _action_done(request, customer, spec: Action, message: str):
    if not is_htmx(request):
        messages.success(request, message)
        return redirect("tabs:dashboard", customer_id=customer.pk)
    names = [n for n in spec.refresh if section_visible(request.user, n)]
    board = _board(request, customer.pk, include_tickets=_include_tickets(request), names=names)
    context = {
        **_section_context(request, board),
        "message": message,
        "refreshed": [{"name": n, "template": SECTIONS[n].template} for n in names],
        "oob": True,
    }
    response = render(request, "dashboard/_action_done.html", context)
    # After the swap has settled: dashboard.js closes the dialog and shows the confirmation.
    response["HX-Trigger-After-Settle"] = json.dumps({"dashboard-done": {"message": message}})
    return response


@login_required
@require_perm("notes.view")
@require_GET
def dashboard_note_view(request, customer_id: int, note_id: int):
    """A note in full: the notes section's note ids open it."""
    customer = _customer(request, customer_id)
    try:
        note = dashboard_note(customer=customer, note_id=note_id)
    except NotFound:
        raise Http404("No such note") from None
    context = {"customer": customer, "note": note}
    return fragment_respond(request, "dashboard/_note.html", context, page=_page(request, customer.pk))


METRIC_TITLES = {
    "total_due": "Total due",
    "account_credit": "Account credit",
    "lifetime_value": "Lifetime value",
    "account_current": "Account current",
    "open_jobs": "Open jobs",
}


@login_required
@require_perm("customers.view")
@require_GET
def dashboard_explain(request, customer_id: int, metric: str):
    """The panel behind a key metric: the figure in words, and the records it rests on, linked."""
    if metric not in METRICS:
        raise Http404("No such metric")
    customer = _customer(request, customer_id)
    try:
        explanation = metric_explain(user=request.user, customer=customer, metric=metric)
    except ModuleNotEnabled:
        raise Http404("Module not enabled") from None
    back = reverse("tabs:dashboard", args=[customer.pk])
    context = {
        **explanation_context(request, explanation, title=METRIC_TITLES[metric], back=back),
        "customer": customer,
        "currency": customer.currency,
    }
    return fragment_respond(request, "billing/_explanation.html", context, page=_page(request, customer.pk))
