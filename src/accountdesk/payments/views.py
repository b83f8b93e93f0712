"""The test gateway's hosted payment page (a page of "the gateway", not of the portal: no portal
session, its own plain look), and the gateways' webhook endpoint."""

from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountdesk.core.money import money_text
from accountdesk.payments import services
from accountdesk.payments.forms import TestCardForm
from accountdesk.payments.gateways import WEBHOOK_GATEWAYS, Card, GatewayError, OutcomeStatus, WebhookInvalid
from accountdesk.payments.gateways.test import (
    CARD_CONFIRM,
    CARD_DECLINED,
    DECLINED_REASON,
    NOT_CONFIRMED_REASON,
    card_brand,
    checkout_amount,
    checkout_read,
    result_url,
)

CARD_SALT = "accountdesk.payments.test-gateway.card"


def _checkout(token: str) -> dict:
    checkout = checkout_read(token)
    if checkout is None:
        raise Http404()
    return checkout


def _page(request, template: str, checkout: dict, token: str, context: dict, status: int = 200):
    amount = money_text(checkout_amount(checkout), checkout["currency"])
    base = {"checkout": checkout, "amount": amount, "token": token}
    return render(request, template, {**base, **context}, status=status)


@never_cache
@sensitive_post_parameters("number", "expiry", "cvc", "name")
@require_http_methods(["GET", "POST"])
def test_checkout(request, token: str):
    """The card form. The number is checked and forgotten: only the brand and last four go back."""
    checkout = _checkout(token)
    form = TestCardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        month, year = form.cleaned_data["expiry"]
        card = Card(card_brand(number), number[-4:], month, year)
        if number == CARD_DECLINED:
            return redirect(
                result_url(checkout, status=OutcomeStatus.DECLINED, card=card, reason=DECLINED_REASON)
            )
        if number == CARD_CONFIRM:
            held = signing.dumps([card.brand, card.last4, month, year], salt=CARD_SALT)
            return _page(
                request, "payments/test_gateway_confirm.html", checkout, token, {"card": card, "held": held}
            )
        return redirect(result_url(checkout, status=OutcomeStatus.SUCCEEDED, card=card))
    status = 400 if form.is_bound else 200
    return _page(request, "payments/test_gateway.html", checkout, token, {"form": form}, status=status)


@never_cache
@require_POST
def test_confirm(request, token: str):
    """The confirmation step ("3-D Secure"): Approve takes the payment, Fail refuses it."""
    checkout = _checkout(token)
    try:
        card = Card(*signing.loads(request.POST.get("held", ""), salt=CARD_SALT, max_age=3600))
    except (signing.BadSignature, TypeError):
        return HttpResponseBadRequest("This confirmation has expired.")
    if request.POST.get("decision") == "approve":
        return redirect(result_url(checkout, status=OutcomeStatus.SUCCEEDED, card=card))
    return redirect(result_url(checkout, status=OutcomeStatus.FAILED, card=card, reason=NOT_CONFIRMED_REASON))


@require_GET
def test_cancel(request, token: str):
    return redirect(
        result_url(_checkout(token), status=OutcomeStatus.CANCELLED, reason="You left the payment page.")
    )


@csrf_exempt
@require_POST
def webhook(request, gateway: str):
    """A gateway's webhook: 400 when it is not the gateway's (nothing changes), 503 when the gateway
    cannot be asked about it now (it sends it again), else 200, the first time or not."""
    if gateway not in WEBHOOK_GATEWAYS:
        raise Http404()
    signature = request.headers.get("Stripe-Signature", "")
    try:
        services.gateway_webhook_take(gateway=gateway, payload=request.body, signature=signature)
    except WebhookInvalid:
        return HttpResponseBadRequest("Invalid signature.")
    except GatewayError:
        return HttpResponse("The payment gateway cannot be reached.", status=503)
    return HttpResponse("OK")
