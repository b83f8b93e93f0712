"""Disputes on ledger entries: raised by the agent on the phone, resolved by billing staff."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing.models import Dispute, LedgerEntry
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.dates import date_text
from accountdesk.core.errors import Conflict
from accountdesk.core.money import to_str
from accountdesk.core.parse import parse_text
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_same_provider
from accountdesk.customers.models import Customer

REASON_MAX = 500


def _what(entry: LedgerEntry) -> str:
    """The entry as a summary names it, its amount in a slot filled per viewer."""
    return f"the {entry.get_kind_display().lower()} of {amount_slot('amount')} on {date_text(entry.at)}"


@transaction.atomic
def dispute_raise(*, entry: LedgerEntry, reason: object, actor: Actor) -> Dispute:
    """Mark a ledger entry as disputed by the customer, with what they say. The entry keeps
    its amount (the ledger never changes); the dispute is shown on it until it is resolved.
    An entry already under an open dispute refuses a second one (409)."""
    require(actor, "billing.dispute")
    require_same_provider(actor, entry)
    text = parse_text(reason, field="reason", max_length=REASON_MAX, required=True)
    customer = Customer.objects.select_for_update(of=("self",)).get(pk=entry.customer_id)
    if Dispute.objects.filter(entry=entry, resolved_at__isnull=True).exists():
        raise Conflict("This entry is already disputed; resolve that dispute first.")
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                provider_id=entry.provider_id,
                customer=customer,
                entry=entry,
                reason=text,
                raised_at=clock.now(),
                raised_by=actor.user,
                raised_by_name=actor.name,
            )
    except IntegrityError:
        raise Conflict("This entry is already disputed; resolve that dispute first.") from None
    event_record(
        customer=customer,
        actor=actor,
        kind="dispute.raised",
        summary=f"Dispute raised on {_what(entry)}: {text}",
        subject=dispute,
        details={"entry": entry.pk, "amount": to_str(abs(entry.amount)), "reason": text},
    )
    return dispute


@transaction.atomic
def dispute_resolve(*, dispute: Dispute, resolution: object, actor: Actor) -> Dispute:
    """Close a dispute with what was decided; the entry is no longer marked. A dispute already
    resolved refuses (409)."""
    require(actor, "billing.dispute_resolve")
    require_same_provider(actor, dispute)
    text = parse_text(resolution, field="resolution", max_length=REASON_MAX, required=True)
    dispute = Dispute.objects.select_for_update().select_related("entry", "customer").get(pk=dispute.pk)
    if not dispute.is_open:
        raise Conflict("This dispute is already resolved.")
    dispute.resolved_at = clock.now()
    dispute.resolved_by = actor.user
    dispute.resolved_by_name = actor.name
    dispute.resolution = text
    dispute.save(update_fields=["resolved_at", "resolved_by", "resolved_by_name", "resolution"])
    entry = dispute.entry
    event_record(
        customer=dispute.customer,
        actor=actor,
        kind="dispute.resolved",
        summary=f"Dispute on {_what(entry)} resolved: {text}",
        subject=dispute,
        details={"entry": entry.pk, "amount": to_str(abs(entry.amount)), "resolution": text},
    )
    return dispute
