from ninja import Router, Status

from accountdesk.api.idempotency import idempotent
from accountdesk.core.permissions import require
from accountdesk.customers.api import customer_for
from accountdesk.dunning import selectors, services
from accountdesk.dunning.schemas import (
    CollectionsOut,
    PolicyIn,
    PolicyOut,
    PromiseIn,
    collections_out,
    policy_out,
)

router = Router(tags=["collections"])


@router.get("/collections/policy", response=PolicyOut)
def collections_policy_get(request):
    require(request.actor, "provider.manage")
    return policy_out(*selectors.policy_get(provider=request.actor.provider))


@router.post("/collections/policy", response=PolicyOut)
@idempotent
def collections_policy_set(request, payload: PolicyIn):
    provider = request.actor.provider
    services.dunning_policy_save(
        provider=provider, enabled=payload.enabled, steps=payload.steps, actor=request.actor
    )
    return policy_out(*selectors.policy_get(provider=provider))


@router.get("/customers/{customer_id}/collections", response=CollectionsOut)
def customer_collections(request, customer_id: int):
    customer = customer_for(request, customer_id)
    require(request.actor, "billing.view")
    state = selectors.dunning_state_get(customer=customer)
    return collections_out(state, selectors.dunning_action_recent(customer=customer))


@router.post("/customers/{customer_id}/promise-to-pay", response={201: CollectionsOut})
@idempotent
def promise_to_pay(request, customer_id: int, payload: PromiseIn):
    customer = customer_for(request, customer_id)
    state = services.promise_to_pay_make(
        customer=customer, until=payload.until, note=payload.note, actor=request.actor
    )
    return Status(201, collections_out(state, selectors.dunning_action_recent(customer=customer)))
