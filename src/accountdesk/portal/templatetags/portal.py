from django import template
from django.utils.html import format_html

from accountdesk.billing.models import InvoiceStatus, PaymentMeans

register = template.Library()


@register.simple_tag
def bill_state(invoice, today):
    """A bill's state in plain words, as a badge: Cancelled, Paid, Overdue or To pay."""
    if invoice.status == InvoiceStatus.VOID:
        label, badge = "Cancelled", "status-deactivated"
    elif invoice.balance <= 0:
        label, badge = "Paid", "status-active"
    elif invoice.due_on < today:
        label, badge = "Overdue", "status-blocked"
    else:
        label, badge = "To pay", "status-prospect"
    return format_html('<span class="badge {}">{}</span>', badge, label)


@register.filter
def payment_means(code: str) -> str:
    return PaymentMeans.label_of(code)
