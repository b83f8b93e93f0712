"""The one permission map that pages, services and the API all use."""

from typing import Protocol, runtime_checkable

from accountdesk.core.errors import PermissionDenied


@runtime_checkable
class Permitted(Protocol):
    """Whoever acts: an Actor or a staff user."""

    def can(self, permission: str) -> bool: ...


VIEW = {
    "customers.view",
    "activity.view",
    "notes.view",
}
FINANCE_VIEW = {"billing.view"}
AGENT = (
    VIEW
    | FINANCE_VIEW
    | {
        "customers.edit",
        "customers.change_status",
        "customers.contacts",
        "customers.tags",
        "customers.custom_fields",
        "customers.alerts",
        "notes.add",
        "billing.credit_limited",
        "billing.payment_methods",
        "billing.instalments",
        # Mark a ledger entry the customer questions (billing staff resolve it).
        "billing.dispute",
        "servicedesk.edit",
        "servicedesk.call_log",
        "messages.send",
        # Pause collections for a customer who promises to pay by a date.
        "dunning.promise",
        "fieldservice.edit",
        "network.edit",
        "contracts.edit",
        "subscriptions.edit",
        # Open the customer portal as one of the customer's contacts (audited).
        "portal.impersonate",
    }
)
BILLING = (
    VIEW
    | FINANCE_VIEW
    | {
        "customers.edit",
        "notes.add",
        "billing.credit",
        "billing.credit_limited",
        "billing.payment",
        "billing.invoice",
        "billing.period",
        "billing.statement",
        "billing.dispute",
        "billing.dispute_resolve",
        "billing.payment_methods",
        "billing.instalments",
        "subscriptions.edit",
        "messages.send",
        "dunning.promise",
        "usage.ingest",
    }
)
TECHNICIAN = VIEW | {
    "notes.add",
    "fieldservice.edit",
    "network.edit",
    "servicedesk.call_log",
}
ADMIN = (
    AGENT
    | BILLING
    | TECHNICIAN
    | {
        "customers.archive",
        "customers.create",
        # Email and SMS to an address that is not the customer's own (nor a contact's): admins only.
        # Anyone else adds the address as a contact first, which the activity log records.
        "messages.send_any",
        "provider.manage",
    }
)

# What a customer's contact may do to their own account through the portal's forms (the portal
# offers only its own fields: contact details, billing address, delivery and notification channel;
# opening and commenting on their tickets; a note asking for another appointment time; signing a
# contract sent to them; paying online, and their saved cards and autopay). "contracts.sign" is the
# customer's alone: staff mark a contract signed.
CUSTOMER_PERMISSIONS = frozenset(
    {
        "customers.edit",
        "customers.contacts",
        "billing.period",
        "billing.payment",
        "billing.payment_methods",
        "servicedesk.edit",
        "notes.add",
        "contracts.sign",
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(ADMIN),
    "billing": frozenset(BILLING),
    "agent": frozenset(AGENT | {"customers.create"}),
    "technician": frozenset(TECHNICIAN),
    "readonly": frozenset(VIEW | FINANCE_VIEW),
}


def role_has(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(actor: Permitted, permission: str) -> None:
    """Raise PermissionDenied unless the actor's role grants the permission."""
    if not actor.can(permission):
        raise PermissionDenied()
