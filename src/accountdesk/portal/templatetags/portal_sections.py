"""Words of the portal's module sections: how a customer reads a person, an appointment, a contract."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accountdesk.contracts.models import Contract, ContractStatus
from accountdesk.portal.reschedule import appointment_text

register = template.Library()


@register.filter
def first_name(name: str | None) -> str:
    """A staff member as a customer meets them: by first name only."""
    return (name or "").split(" ", 1)[0]


@register.filter
def appointment(job) -> str:
    return appointment_text(job)


@register.simple_tag
def contract_state(contract: Contract, contact) -> SafeString:
    """A contract's state for the signed-in contact, as a badge."""
    if contract.status == ContractStatus.SIGNED:
        label, badge = "Signed", "status-active"
    elif contract.status == ContractStatus.VOIDED:
        label, badge = "Withdrawn", "status-deactivated"
    elif contract.contact_id == contact.pk:
        label, badge = "Waiting for your signature", "status-prospect"
    else:
        label, badge = f"Waiting for {contract.contact_name}", "status-prospect"
    return format_html('<span class="badge {}">{}</span>', badge, label)
