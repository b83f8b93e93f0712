"""Contract templates (provider settings) and each customer's signing queue."""

from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.contracts.models import BODY_MAX, NAME_MAX, Contract, ContractStatus, ContractTemplate
from accountdesk.contracts.rendering import render_contract, unknown_placeholders
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
from accountdesk.customers.models import Contact, Customer

MODULE = "contracts"
# The signing queue's only moves. Signed and voided are final.
TRANSITIONS: dict[str, set[str]] = {
    ContractStatus.QUEUED: {ContractStatus.SENT, ContractStatus.VOIDED},
    ContractStatus.SENT: {ContractStatus.SIGNED, ContractStatus.VOIDED},
    ContractStatus.SIGNED: set(),
    ContractStatus.VOIDED: set(),
}


def _clean_template(provider, name: str, body: str, *, except_pk: int | None = None) -> tuple[str, str]:
    name, body = (name or "").strip(), (body or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the template a name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"At most {NAME_MAX} characters."
    elif ContractTemplate.objects.filter(provider=provider, name=name).exclude(pk=except_pk).exists():
        errors["name"] = "A template with this name exists."
    if not body:
        errors["body"] = "Write the contract's text."
    elif len(body) > BODY_MAX:
        errors["body"] = f"At most {BODY_MAX:,} characters."
    elif unknown := unknown_placeholders(body):
        listed = ", ".join("{" + u + "}" for u in unknown[:5])
        errors["body"] = f"Unknown placeholders: {listed}. Write {{{{ and }}}} for literal braces."
    if errors:
        raise ValidationFailed(fields=errors)
    return name, body


@transaction.atomic
def contract_template_create(*, provider, name: str, body: str, actor: Actor) -> ContractTemplate:
    require(actor, "provider.manage")
    require_module(provider, MODULE)
    name, body = _clean_template(provider, name, body)
    now = clock.now()
    return ContractTemplate.objects.create(
        provider=provider, name=name, body=body, created_at=now, updated_at=now
    )


@transaction.atomic
def contract_template_update(
    *, template: ContractTemplate, name: str, body: str, is_active: bool = True, actor: Actor
) -> ContractTemplate:
    """Edits apply to contracts queued from now on; queued contracts keep the text they were given."""
    require(actor, "provider.manage")
    name, body = _clean_template(template.provider, name, body, except_pk=template.pk)
    template.name, template.body, template.is_active = name, body, bool(is_active)
    template.updated_at = clock.now()
    template.save(update_fields=["name", "body", "is_active", "updated_at"])
    return template


def _lookup(model, qs, value, *, field: str, message: str):
    if value is None or value == "":
        raise ValidationFailed(fields={field: message})
    pk = value.pk if isinstance(value, model) else value
    try:
        found = qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationFailed(fields={field: message})
    return found


@transaction.atomic
def contract_queue(
    *, customer: Customer, template: ContractTemplate | int, contact: Contact | int, actor: Actor
) -> Contract:
    """Queue a contract for signing by one of the customer's contacts, its text rendered now."""
    require(actor, "contracts.edit")
    require_module(customer.provider, MODULE)
    tpl = _lookup(
        ContractTemplate,
        ContractTemplate.objects.filter(provider_id=customer.provider_id, is_active=True),
        template,
        field="template",
        message="Choose one of the contract templates.",
    )
    signer = _lookup(
        Contact,
        Contact.objects.filter(provider_id=customer.provider_id, customer=customer),
        contact,
        field="contact",
        message="Choose one of this customer's contacts.",
    )
    contract = Contract.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        template=tpl,
        contact=signer,
        contact_name=signer.name,
        body=render_contract(tpl.body, customer=customer, contact=signer),
        queued_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="contract.queued",
        summary=f"Contract queued for signing: {tpl.name} ({signer.name})",
        subject=contract,
        details={"template": tpl.name, "contact": signer.name},
    )
    return contract


def _move(contract: Contract, status: str, stamp: str, kind: str, verb: str, actor: Actor) -> Contract:
    require(actor, "contracts.edit")
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("customer", "template")
        .get(pk=contract.pk)
    )
    old = contract.status
    if status not in TRANSITIONS[old]:
        raise Conflict(f"A {old} contract cannot be {verb}.")
    contract.status = status
    setattr(contract, stamp, clock.now())
    contract.save(update_fields=["status", stamp])
    event_record(
        customer=contract.customer,
        actor=actor,
        kind=kind,
        summary=f"Contract {verb}: {contract.template.name} ({contract.contact_name})",
        subject=contract,
        details={"status": [old, status]},
    )
    return contract


@transaction.atomic
def contract_send(*, contract: Contract, actor: Actor) -> Contract:
    return _move(contract, ContractStatus.SENT, "sent_at", "contract.sent", "sent", actor)


@transaction.atomic
def contract_mark_signed(*, contract: Contract, actor: Actor) -> Contract:
    return _move(contract, ContractStatus.SIGNED, "signed_at", "contract.signed", "signed", actor)


@transaction.atomic
def contract_void(*, contract: Contract, actor: Actor) -> Contract:
    return _move(contract, ContractStatus.VOIDED, "voided_at", "contract.voided", "voided", actor)
