"""Demo contract templates and a signing queue with contracts in every state."""

import datetime as dt

from django.db.models import BigIntegerField, F
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from accountdesk.activity.models import Activity
from accountdesk.contracts.models import ContractTemplate
from accountdesk.contracts.services import contract_mark_signed, contract_queue, contract_send, contract_void
from accountdesk.messaging.models import Message, MessageStatus

TEMPLATES = [
    (
        "Residential service agreement",
        "This agreement is between {provider.name} and {customer.name} (account {customer.number}).\n\n"
        "Service address: {customer.service_address}.\n\n"
        "The service is billed monthly in advance. Either party may end it with 30 days' notice.\n\n"
        "Signed for the customer by {contact.name} on {today}.",
    ),
    (
        "Business service level agreement",
        "{provider.name} provides {customer.name} with business connectivity at "
        "{customer.service_address}.\n\n"
        "Faults are answered within 4 business hours. Billing contact: {contact.name} ({contact.email}).\n\n"
        "Agreed on {today}.",
    ),
    (
        "Equipment loan terms",
        "The equipment installed for {customer.name} remains the property of {provider.name} and is returned "
        "when the service ends.\n\nAccepted by {contact.name}, {today}.",
    ),
]
# Where a queued contract ends up, with how often.
OUTCOMES = [("queued", 2), ("sent", 2), ("signed", 5), ("voided", 1)]


def demo_populate(ctx) -> None:
    if not ctx.provider.has_module("contracts"):
        return
    rng = ctx.rng
    now = ctx.now
    # Templates belong to provider settings; the demo writes them directly, dated at the start.
    templates = ContractTemplate.objects.bulk_create(
        [
            ContractTemplate(provider=ctx.provider, name=n, body=b, created_at=now, updated_at=now)
            for n, b in TEMPLATES
        ]
    )
    agent = ctx.actor("agent")
    outcomes = [s for s, weight in OUTCOMES for _ in range(weight)]
    for customer in ctx.customers:
        if rng.random() > 0.4 and customer not in ctx.heavy_customers:
            continue
        contacts = list(customer.contacts.all()[:3])
        if not contacts:
            continue
        joined = ctx.customer_joined_at(customer)
        for _ in range(rng.choice([1, 1, 2]) + (2 if customer in ctx.heavy_customers else 0)):
            template = (
                templates[1] if customer.type == "business" and rng.random() < 0.6 else rng.choice(templates)
            )
            moment = ctx.moment_between(max(joined, now - dt.timedelta(days=365)), now)
            with ctx.at(moment):
                contract = contract_queue(
                    customer=customer, template=template, contact=contacts[0], actor=agent
                )
            outcome = rng.choice(outcomes)
            steps = {"queued": [], "sent": ["send"], "signed": ["send", "sign"], "voided": ["send", "void"]}
            for step in steps[outcome]:
                moment = ctx.moment_between(moment, min(moment + dt.timedelta(days=6), now))
                action = {"send": contract_send, "sign": contract_mark_signed, "void": contract_void}[step]
                with ctx.at(moment):
                    contract = action(contract=contract, actor=agent)
    _delivered(ctx.provider)


def _delivered(provider) -> None:
    """The emails that sent the demo's contracts went out when they were sent: nothing is left
    queued for a worker to mail to the demo's made-up addresses."""
    sent = Activity.objects.filter(provider=provider, kind="contract.sent").values_list(
        Cast(KeyTextTransform("message", "details"), BigIntegerField())
    )
    Message.objects.filter(provider=provider, status=MessageStatus.QUEUED, pk__in=sent).update(
        status=MessageStatus.SENT, sent_at=F("created_at"), backend="smtp"
    )
