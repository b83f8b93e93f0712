"""Billing's words for templates."""

from django import template

from accountdesk.billing.models import PaymentMeans

register = template.Library()


@register.filter
def payment_means(code: str) -> str:
    """How a payment came, in words: "bank_transfer" -> "Bank transfer"."""
    return PaymentMeans.label_of(code)
