import datetime as dt

from ninja import Schema

from accountdesk.contracts.models import Contract


class ContractOut(Schema):
    id: int
    template: str
    contact: str
    status: str
    queued_at: dt.datetime
    signed_at: dt.datetime | None
    template_id: int
    contact_id: int | None
    sent_at: dt.datetime | None
    voided_at: dt.datetime | None


def contract_out(contract: Contract) -> dict:
    return {
        "id": contract.pk,
        "template": contract.template.name,
        "contact": contract.contact_name,
        "status": contract.status,
        "queued_at": contract.queued_at,
        "signed_at": contract.signed_at,
        "template_id": contract.template_id,
        "contact_id": contract.contact_id,
        "sent_at": contract.sent_at,
        "voided_at": contract.voided_at,
    }


class ContractDetailOut(ContractOut):
    body: str


class ContractIn(Schema):
    template_id: int
    contact_id: int
