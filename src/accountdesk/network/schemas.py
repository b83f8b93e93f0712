import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.core.schemas import DateTimeIn
from accountdesk.network.models import NAME_MAX, DeviceType, Equipment


class EquipmentOut(Schema):
    id: int
    name: str
    device_type: str | None
    mac: str | None
    ip: str | None
    status: str
    last_seen: dt.datetime | None
    device_type_id: int | None
    ip_url: str | None
    created_at: dt.datetime


def equipment_out(item: Equipment) -> dict:
    return {
        "id": item.pk,
        "name": item.name,
        "device_type": str(item.device_type) if item.device_type_id else None,
        "mac": item.mac or None,
        "ip": item.ip,
        "status": item.status,
        "last_seen": item.last_seen,
        "device_type_id": item.device_type_id,
        "ip_url": item.ip_url,
        "created_at": item.created_at,
    }


class EquipmentIn(Schema):
    name: str = Field(..., max_length=NAME_MAX)
    device_type_id: int | None = None
    # Free text on purpose: the service accepts every common notation and says what is wrong.
    mac: str | None = Field(None, max_length=40)
    ip: str | None = Field(None, max_length=60)
    status: str = Field("unknown", max_length=10)
    last_seen: DateTimeIn | None = None


class EquipmentPatch(Schema):
    name: str | None = Field(None, max_length=NAME_MAX)
    device_type_id: int | None = None
    mac: str | None = Field(None, max_length=40)
    ip: str | None = Field(None, max_length=60)
    status: str | None = Field(None, max_length=10)
    last_seen: DateTimeIn | None = None


class DeviceTypeOut(Schema):
    id: int
    name: str
    vendor: str


def device_type_out(row: DeviceType) -> dict:
    return {"id": row.pk, "name": row.name, "vendor": row.vendor}
