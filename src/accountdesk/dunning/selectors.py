"""Collections reads: the provider's policy, and a customer's stage and recent steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accountdesk.dunning.models import DunningAction, DunningPolicy, DunningState, DunningStep

if TYPE_CHECKING:
    from accountdesk.customers.models import Customer
    from accountdesk.tenancy.models import Provider


def policy_get(*, provider: Provider) -> tuple[DunningPolicy | None, list[DunningStep]]:
    """The provider's policy (None until an administrator saves one) and its steps, in order."""
    policy = DunningPolicy.objects.filter(provider=provider).first()
    if policy is None:
        return None, []
    return policy, list(DunningStep.objects.filter(provider=provider, policy=policy).order_by("position"))


def dunning_state_get(*, customer: Customer) -> DunningState | None:
    return DunningState.objects.filter(provider_id=customer.provider_id, customer=customer).first()


def dunning_action_recent(*, customer: Customer, limit: int = 10) -> list[DunningAction]:
    """The steps last taken for the customer, newest first."""
    qs = DunningAction.objects.filter(provider_id=customer.provider_id, customer=customer)
    return list(qs.order_by("-at", "-id")[:limit])
