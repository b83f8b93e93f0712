from typing import Literal

from ninja import Query, Router, Status

from accountdesk.contracts import selectors, services
from accountdesk.contracts.models import ContractAction
from accountdesk.contracts.schemas import ContractDetailOut, ContractIn, ContractOut, contract_out
from accountdesk.core.schemas import page_out, paged
from accountdesk.customers.api import customer_for

router = Router(tags=["contracts"])
MODULE = "contracts"


def _customer(request, customer_id: int):
    return customer_for(request, customer_id, module=MODULE)


def _contract(request, customer_id: int, contract_id: int):
    return selectors.contract_get(customer=_customer(request, customer_id), pk=contract_id)


@router.get("/customers/{customer_id}/contracts", response=paged(ContractOut))
def contract_list(
    request,
    customer_id: int,
    status: Literal["queued", "sent", "signed", "voided"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = _customer(request, customer_id)
    page = selectors.contract_list(customer=customer, status=status, limit=limit, cursor=cursor)
    return page_out(page, contract_out)


@router.post("/customers/{customer_id}/contracts", response={201: ContractOut})
def contract_queue(request, customer_id: int, payload: ContractIn):
    customer = _customer(request, customer_id)
    contract = services.contract_queue(
        customer=customer, template=payload.template_id, contact=payload.contact_id, actor=request.actor
    )
    return Status(201, contract_out(contract))


@router.get("/customers/{customer_id}/contracts/{contract_id}", response=ContractDetailOut)
def contract_get(request, customer_id: int, contract_id: int):
    contract = _contract(request, customer_id, contract_id)
    return {**contract_out(contract), "body": contract.body}


@router.post("/customers/{customer_id}/contracts/{contract_id}/{action}", response=ContractOut)
def contract_action(request, customer_id: int, contract_id: int, action: ContractAction):
    """Move a contract along the queue: send (queued), sign (sent), void (queued or sent)."""
    contract = _contract(request, customer_id, contract_id)
    return contract_out(services.ACTIONS[action](contract=contract, actor=request.actor))
