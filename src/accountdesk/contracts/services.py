"""Contract templates (provider settings) and each customer's signing queue."""

from collections.abc import Callable
from typing import TypeVar

from django.db import models, transaction
from django.db.models import QuerySet

from accountdesk.activity.services import event_record
from accountdesk.contracts.models import (
    BODY_MAX,
    NAME_MAX,
    TRANSITIONS,
    Contract,
    ContractAction,
    ContractTemplate,
)
from accountdesk.contracts.rendering import render_contract, unknown_placeholders
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accountdesk.core.parse import parse_text
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.core.tenancy import require_module, scoped_pk
from accountdesk.core.text import CARD_NUMBER_MESSAGE, contains_card_number
from accountdesk.customers.models import Contact, Customer
from accountdesk.messaging.services import SUBJECT_MAX, message_send_email
from accountdesk.tenancy.models import Provider

M = TypeVar("M", bound=models.Model)

MODULE = "contracts"


def _clean_template(
    provider: Provider, name: str, body: str, *, except_pk: int | None = None
) -> tuple[str, str]:
    name, body = (name or "").strip(), (body or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the template a name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"At most {NAME_MAX} characters."
    elif _named(provider, name, except_pk=except_pk).exists():
        errors["name"] = "A template with this name exists."
    if not body:
        errors["body"] = "Write the contract's text."
    elif len(body) > BODY_MAX:
        errors["body"] = f"At most {BODY_MAX:,} characters."
    elif contains_card_number(body):
        errors["body"] = CARD_NUMBER_MESSAGE
    elif unknown := unknown_placeholders(body):
        listed = ", ".join("{" + u + "}" for u in unknown[:5])
        errors["body"] = f"Unknown placeholders: {listed}. Write {{{{ and }}}} for literal braces."
    if errors:
        raise ValidationFailed(fields=errors)
    return name, body


@transaction.atomic
def contract_template_create(*, provider: Provider, name: str, body: str, actor: Actor) -> ContractTemplate:
    require(actor, "provider.manage")
    require_module(provider, MODULE)
    name, body = _clean_template(provider, name, body)
    now = clock.now()
    template = ContractTemplate.objects.create(
        provider=provider, name=name, body=body, created_at=now, updated_at=now
    )
    settings_record(
        provider=provider,
        actor=actor,
        summary=f"Contract template {name} added",
        new={"name": name, "body": body, "is_active": True},
    )
    return template


@transaction.atomic
def contract_template_update(
    *, template: ContractTemplate, name: str, body: str, is_active: bool = True, actor: Actor
) -> ContractTemplate:
    """Edits apply to contracts queued from now on; queued contracts keep the text they were given."""
    require(actor, "provider.manage")
    name, body = _clean_template(template.provider, name, body, except_pk=template.pk)
    old = {"name": template.name, "body": template.body, "is_active": template.is_active}
    template.name, template.body, template.is_active = name, body, bool(is_active)
    template.updated_at = clock.now()
    template.save(update_fields=["name", "body", "is_active", "updated_at"])
    settings_record(
        provider=template.provider,
        actor=actor,
        summary=f"Contract template {old['name']} changed",
        old=old,
        new={"name": name, "body": body, "is_active": template.is_active},
    )
    return template


def _named(provider: Provider, name: str, *, except_pk: int | None) -> QuerySet[ContractTemplate]:
    """The provider's other templates of this name."""
    same = ContractTemplate.objects.filter(provider=provider, name=name)
    return same if except_pk is None else same.exclude(pk=except_pk)


def _lookup(model: type[M], qs: QuerySet[M], value: M | int | str | None, *, field: str, message: str) -> M:
    if value is None or value == "":
        raise ValidationFailed(fields={field: message})
    pk = value.pk if isinstance(value, model) else value
    try:
        found = qs.filter(pk=scoped_pk(pk)).first()
    except NotFound:
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


def _lock_for(
    contract: Contract, action: str, verb: str, actor: Actor, *, permission: str = "contracts.edit"
) -> tuple[Contract, str, str]:
    """The contract, locked, once the actor may move it and the queue allows the action; its old
    status and the one the action leads to."""
    require(actor, permission)
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("customer__provider", "template", "contact")
        .get(pk=contract.pk)
    )
    if action not in contract.allowed_actions:
        raise Conflict(f"A {contract.status} contract cannot be {verb}.")
    return contract, contract.status, TRANSITIONS[contract.status][action]


def _stamp(
    contract: Contract,
    old: str,
    status: str,
    stamp: str,
    kind: str,
    summary: str,
    actor: Actor,
    evidence: dict[str, object] | None = None,
    **details: object,
) -> Contract:
    """Move the contract to `status` at now (`stamp`), with any `evidence` fields, and log it."""
    contract.status = status
    setattr(contract, stamp, clock.now())
    for name, value in (evidence or {}).items():
        setattr(contract, name, value)
    contract.save(update_fields=["status", stamp, *(evidence or {})])
    event_record(
        customer=contract.customer,
        actor=actor,
        kind=kind,
        summary=summary,
        subject=contract,
        details={"status": [old, status], **details},
    )
    return contract


def _move(contract: Contract, action: str, stamp: str, kind: str, verb: str, actor: Actor) -> Contract:
    contract, old, status = _lock_for(contract, action, verb, actor)
    summary = f"Contract {verb}: {contract.template.name} ({contract.contact_name})"
    return _stamp(contract, old, status, stamp, kind, summary, actor)


def _signer_address(contract: Contract) -> str:
    """The signer's email address. A contract is sent to its signer and no one else, so a signer
    without an address (or a signer since removed) is refused rather than marked sent unread."""
    signer = contract.contact
    if signer is None:
        message = (
            f"{contract.contact_name} is no longer a contact of this customer: "
            "void this contract and queue a new one."
        )
    elif not signer.email.strip():
        message = f"{signer.name} has no email address: add one to the contact, then send the contract."
    else:
        return signer.email.strip()
    raise ValidationFailed(message, fields={"contact": message})


@transaction.atomic
def contract_send(*, contract: Contract, actor: Actor) -> Contract:
    """Mark a queued contract sent and email its text to the signer, through messaging: the email
    is stored and logged now, and delivered by the task worker after commit."""
    contract, old, sent = _lock_for(contract, ContractAction.SEND, "sent", actor)
    address = _signer_address(contract)
    provider_name = contract.customer.provider.name
    subject = f"{provider_name}: {contract.template.name}, for your signature"
    try:
        message = message_send_email(
            customer=contract.customer,
            to=address,
            subject=subject[:SUBJECT_MAX],
            body=contract.body,
            actor=actor,
            body_max=None,
        )
    except ValidationFailed as exc:
        if "to" not in exc.fields:
            raise
        text = f"{contract.contact_name}'s email address ({address}) is not valid: correct the contact first."
        raise ValidationFailed(text, fields={"contact": text}) from None
    summary = f"Contract sent to {address}: {contract.template.name} ({contract.contact_name})"
    return _stamp(
        contract, old, sent, "sent_at", "contract.sent", summary, actor, to=address, message=message.pk
    )


@transaction.atomic
def contract_mark_signed(*, contract: Contract, actor: Actor) -> Contract:
    return _move(contract, ContractAction.SIGN, "signed_at", "contract.signed", "signed", actor)


@transaction.atomic
def contract_sign_by_customer(
    *,
    contract: Contract,
    contact: Contact,
    signed_name: str,
    consent: bool,
    text_sha256: str,
    client_ip: str,
    actor: Actor,
) -> Contract:
    """The signer signs in the portal: their typed name, their consent, and the hash of the text
    they read (which must be the contract's text now). Kept on the contract as evidence with the
    contact signed in, their address and the time; only the contact it was sent to may sign."""
    contract, old, signed = _lock_for(
        contract, ContractAction.SIGN, "signed", actor, permission="contracts.sign"
    )
    if contract.contact_id != contact.pk or actor.contact_id != contact.pk:
        raise PermissionDenied(f"This contract is for {contract.contact_name} to sign.")
    signed_name = parse_text(
        signed_name,
        field="signed_name",
        max_length=150,
        required=True,
        single_line=True,
        missing="Type your full name.",
    )
    if not consent:
        raise ValidationFailed(fields={"consent": "Tick the box to agree to the contract."})
    digest = contract.text_sha256
    if text_sha256 != digest:
        raise Conflict("The contract's text is not the one you read: read it again, then sign.")
    evidence = {
        "signed_name": signed_name,
        "signed_by_contact": contact,
        "signed_ip": (client_ip or "")[:45],
        "signed_text_sha256": digest,
    }
    summary = f"Contract signed by {signed_name} online: {contract.template.name}"
    details = {"signed_name": signed_name, "ip": evidence["signed_ip"], "text_sha256": digest}
    return _stamp(contract, old, signed, "signed_at", "contract.signed", summary, actor, evidence, **details)


@transaction.atomic
def contract_void(*, contract: Contract, actor: Actor) -> Contract:
    return _move(contract, ContractAction.VOID, "voided_at", "contract.voided", "voided", actor)


# What each of the queue's actions does: one table for the page and the API alike.
# A contract's moves by name (its action's value), each `(*, contract, actor) -> Contract`.
ACTIONS: dict[str, Callable[..., Contract]] = {
    ContractAction.SEND: contract_send,
    ContractAction.SIGN: contract_mark_signed,
    ContractAction.VOID: contract_void,
}
