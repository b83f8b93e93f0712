"""Paying online from the portal: the pay form (sends the customer to the payment gateway's page),
the return from the gateway, the result, and the saved cards with autopay. Payments, cards and
autopay go through the payments and billing services with the session's actor; staff using the
portal as a contact need their own billing.payment (and billing.payment_methods) permission."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.billing import selectors as billing_selectors
from accountdesk.billing import services as billing_services
from accountdesk.billing.models import PaymentMethodKind
from accountdesk.core.dialogs import Dialog, Page, bound, dialog_respond
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.views_support import is_htmx
from accountdesk.payments import selectors as pay_selectors
from accountdesk.payments import services as pay_services
from accountdesk.payments.gateways import gateway_name
from accountdesk.portal.page import found, portal_context, portal_render
from accountdesk.portal.pay_forms import PayForm
from accountdesk.portal.sessions import portal_view


def _cards(customer) -> list:
    methods = billing_selectors.payment_method_list(customer=customer)
    return [m for m in methods if m.kind == PaymentMethodKind.CARD]


def _go(request, url: str) -> HttpResponse:
    """To the gateway's page (another site, for a real gateway): a full-page load either way."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@portal_view
@require_http_methods(["GET", "POST"])
def pay(request):
    portal = request.portal
    customer = portal.customer
    can_pay = portal.actor.can("billing.payment")
    if request.method == "POST" and not can_pay:
        raise DjangoPermissionDenied()
    chosen = request.POST.get("invoice") if request.method == "POST" else request.GET.get("invoice")
    options = found(pay_selectors.pay_options, customer=customer, invoice_id=chosen)
    started: dict[str, str] = {}

    def perform(data: dict) -> str:
        _attempt, started["url"] = pay_services.payment_attempt_start(
            customer=customer,
            contact=portal.contact,
            actor=portal.actor,
            amount=data["amount"],
            invoice_id=data["invoice"] or None,
            save_card=data["save_card"],
            return_url=lambda attempt: request.build_absolute_uri(
                reverse("portal:pay_return", args=[attempt.pk])
            ),
        )
        return ""

    form = bound(
        PayForm, request, options=options, currency=customer.currency, locale=customer.provider.locale
    )
    dialog = Dialog(
        form=form,
        perform=perform,
        title="Pay your bill",
        submit="Continue to payment",
        template="portal/_pay_form.html",
    )
    context = {
        "options": options,
        "can_pay": can_pay,
        "test_gateway": gateway_name() == "test",
        "cards": _cards(customer),
        "can_cards": portal.actor.can("billing.payment_methods"),
    }
    page = Page("portal/pay.html", lambda: {**portal_context(request, "payments"), **context})
    return dialog_respond(request, dialog, page=page, done=lambda message: _go(request, started["url"]))


@portal_view
@require_GET
def pay_return(request, attempt_id: int):
    """Where the gateway sends the customer back: settle what the gateway says, then show it (a
    reload or a replay of this address changes nothing)."""
    attempt = found(pay_selectors.attempt_get, customer=request.portal.customer, pk=attempt_id)
    pay_services.payment_attempt_return(attempt=attempt, params=request.GET.dict())
    target = reverse("portal:pay_result", args=[attempt.pk])
    return redirect(f"{target}?left=1" if request.GET.get("cancelled") else target)


@portal_view
@require_GET
def pay_result(request, attempt_id: int):
    attempt = found(pay_selectors.attempt_get, customer=request.portal.customer, pk=attempt_id)
    context = {"attempt": attempt, "left": bool(request.GET.get("left"))}
    return portal_render(request, "portal/pay_result.html", "payments", context)


def _card_dialog(request, method_id: int, *, build):
    portal = request.portal
    if not portal.actor.can("billing.payment_methods"):
        raise DjangoPermissionDenied()
    method = found(billing_selectors.payment_method_get, customer=portal.customer, pk=method_id)
    if method.kind != PaymentMethodKind.CARD:
        raise Http404()
    return dialog_respond(
        request,
        build(method, portal.actor),
        page=Page("portal/dialog_page.html", lambda: portal_context(request, "payments")),
        success_url=reverse("portal:pay"),
    )


@portal_view
@require_http_methods(["GET", "POST"])
def card_autopay(request, method_id: int):
    def build(method, actor):
        turn_on = not method.autopay

        def perform(data):
            billing_services.payment_method_default_set(method=method, actor=actor, autopay=turn_on)
            return f"Autopay is {'on' if turn_on else 'off'} for {method.display}."

        if turn_on:
            intro = (
                f"Each new bill will be charged to {method.display} on its due date. "
                "This card becomes your main card."
            )
        else:
            intro = f"Your bills will no longer be charged to {method.display} automatically."
        return Dialog(
            form=bound(ConfirmForm, request), perform=perform, intro=intro,
            title="Turn autopay on" if turn_on else "Turn autopay off",
            submit="Turn autopay on" if turn_on else "Turn autopay off",
        )  # fmt: skip

    return _card_dialog(request, method_id, build=build)


@portal_view
@require_http_methods(["GET", "POST"])
def card_remove(request, method_id: int):
    def build(method, actor):
        def perform(data):
            billing_services.payment_method_remove(method=method, actor=actor)
            return f"{method.display} is removed."

        return Dialog(
            form=bound(ConfirmForm, request), perform=perform, title="Remove this card", submit="Remove card",
            intro=f"{method.display} will no longer be kept on your account.", danger=True,
        )  # fmt: skip

    return _card_dialog(request, method_id, build=build)
