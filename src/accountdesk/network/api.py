from ninja import Query, Router, Status

from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.core.tenancy import require_module
from accountdesk.customers.api import customer_for
from accountdesk.network import selectors, services
from accountdesk.network.schemas import (
    DeviceTypeOut,
    EquipmentIn,
    EquipmentOut,
    EquipmentPatch,
    device_type_out,
    equipment_out,
)

router = Router(tags=["network"])
MODULE = "network"


def _customer(request, customer_id: int):
    return customer_for(request, customer_id, module=MODULE)


def _equipment(request, customer_id: int, equipment_id: int):
    return selectors.equipment_get(customer=_customer(request, customer_id), pk=equipment_id)


def _data(payload, *, partial: bool) -> dict:
    data = payload.dict(exclude_unset=partial)
    if "device_type_id" in data:
        data["device_type"] = data.pop("device_type_id")
    return data


@router.get("/customers/{customer_id}/equipment", response=paged(EquipmentOut))
def equipment_list(
    request,
    customer_id: int,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = _customer(request, customer_id)
    return page_out(selectors.equipment_list(customer=customer, limit=limit, cursor=cursor), equipment_out)


@router.post("/customers/{customer_id}/equipment", response={201: EquipmentOut})
def equipment_add(request, customer_id: int, payload: EquipmentIn):
    customer = _customer(request, customer_id)
    item = services.equipment_add(customer=customer, data=_data(payload, partial=False), actor=request.actor)
    return Status(201, equipment_out(item))


@router.get("/customers/{customer_id}/equipment/{equipment_id}", response=EquipmentOut)
def equipment_get(request, customer_id: int, equipment_id: int):
    return equipment_out(_equipment(request, customer_id, equipment_id))


@router.patch("/customers/{customer_id}/equipment/{equipment_id}", response=EquipmentOut)
def equipment_update(request, customer_id: int, equipment_id: int, payload: EquipmentPatch):
    item = _equipment(request, customer_id, equipment_id)
    data = _data(payload, partial=True)
    return equipment_out(services.equipment_update(equipment=item, data=data, actor=request.actor))


@router.delete("/customers/{customer_id}/equipment/{equipment_id}", response={204: None})
def equipment_remove(request, customer_id: int, equipment_id: int):
    services.equipment_remove(equipment=_equipment(request, customer_id, equipment_id), actor=request.actor)
    return Status(204, None)


@router.get("/device-types", response=list[DeviceTypeOut])
def device_type_list(request):
    """The provider's device registry: the ids to give as `device_type_id`."""
    require_module(request.actor.provider, MODULE)
    require(request.actor, "customers.view")
    return [device_type_out(d) for d in selectors.device_type_list(provider=request.actor.provider)]
