import pytest
from django.core import mail

from accountdesk.activity.models import Activity
from accountdesk.contracts.models import Contract, ContractTemplate
from accountdesk.contracts.services import (
    contract_mark_signed,
    contract_queue,
    contract_send,
    contract_template_create,
    contract_template_update,
    contract_void,
)
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ModuleNotEnabled, PermissionDenied, ValidationFailed
from accountdesk.messaging.models import Message
from tests.contracts.factories import ContractTemplateFactory
from tests.factories import ContactFactory, CustomerFactory


@pytest.fixture
def template(provider):
    return ContractTemplateFactory(provider=provider, body="I, {contact.name}, for {customer.name}.")


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="Ada Lovelace")


def test_it_queues_a_rendered_contract_for_a_contact(actor_as, customer, template, contact, agent):
    contract = contract_queue(
        customer=customer, template=template.pk, contact=contact.pk, actor=actor_as("agent")
    )
    assert contract.status == "queued" and contract.body == "I, Ada Lovelace, for Grace Hopper."
    event = Activity.objects.get(kind="contract.queued")
    assert event.group == "contracts" and event.actor_id == agent.pk


def test_it_keeps_the_queued_text_when_the_template_changes(actor_as, customer, template, contact):
    contract = contract_queue(customer=customer, template=template, contact=contact, actor=actor_as("agent"))
    contract_template_update(
        template=template, name=template.name, body="New {customer.name}", actor=actor_as("admin")
    )
    contract.refresh_from_db()
    assert contract.body == "I, Ada Lovelace, for Grace Hopper."


def test_it_refuses_a_contact_of_another_customer(actor_as, customer, provider, template):
    neighbour = ContactFactory(customer=CustomerFactory(provider=provider))
    with pytest.raises(ValidationFailed) as err:
        contract_queue(customer=customer, template=template, contact=neighbour.pk, actor=actor_as("agent"))
    assert "contact" in err.value.fields and not Contract.objects.exists()


def test_it_refuses_a_template_of_another_provider_or_retired(
    actor_as, customer, other_provider, contact, template
):
    foreign = ContractTemplateFactory(provider=other_provider)
    template.is_active = False
    template.save()
    for tpl in (foreign.pk, template.pk, "x", None):
        with pytest.raises(ValidationFailed) as err:
            contract_queue(customer=customer, template=tpl, contact=contact, actor=actor_as("agent"))
        assert "template" in err.value.fields
    assert not Contract.objects.exists()


@pytest.mark.parametrize("role", ["technician", "billing", "readonly"])
def test_it_refuses_contracts_to_roles_without_contracts_edit(actor_as, customer, template, contact, role):
    with pytest.raises(PermissionDenied):
        contract_queue(customer=customer, template=template, contact=contact, actor=actor_as(role))


def test_it_refuses_contracts_without_the_module(bare_customer, bare_agent):
    with pytest.raises(ModuleNotEnabled):
        contract_queue(customer=bare_customer, template=1, contact=1, actor=Actor.staff(bare_agent))


def test_it_walks_the_signing_queue_and_refuses_invalid_moves(actor_as, customer, template, contact):
    agent = actor_as("agent")
    contract = contract_queue(customer=customer, template=template, contact=contact, actor=agent)
    with pytest.raises(Conflict):
        contract_mark_signed(contract=contract, actor=agent)
    contract = contract_send(contract=contract, actor=agent)
    with pytest.raises(Conflict):
        contract_send(contract=contract, actor=agent)
    contract = contract_mark_signed(contract=contract, actor=agent)
    assert contract.status == "signed" and contract.sent_at and contract.signed_at
    with pytest.raises(Conflict):
        contract_void(contract=contract, actor=agent)
    kinds = list(Activity.objects.filter(group="contracts").order_by("id").values_list("kind", flat=True))
    assert kinds == ["contract.queued", "contract.sent", "contract.signed"]


def test_it_voids_a_queued_or_sent_contract(actor_as, customer, template, contact):
    agent = actor_as("agent")
    first = contract_queue(customer=customer, template=template, contact=contact, actor=agent)
    second = contract_send(
        contract=contract_queue(customer=customer, template=template, contact=contact, actor=agent),
        actor=agent,
    )
    assert contract_void(contract=first, actor=agent).status == "voided"
    assert contract_void(contract=second, actor=agent).voided_at is not None
    with pytest.raises(PermissionDenied):
        contract_send(contract=first, actor=actor_as("readonly"))


@pytest.mark.parametrize(
    ("name", "body", "field"),
    [
        ("", "x", "name"),
        ("T", "", "body"),
        ("T", "Dear {customer.password}", "body"),
        ("T", "Dear {Customer}", "body"),
        ("x" * 121, "x", "name"),
    ],
)
def test_it_validates_templates(actor_as, provider, name, body, field):
    with pytest.raises(ValidationFailed) as err:
        contract_template_create(provider=provider, name=name, body=body, actor=actor_as("admin"))
    assert field in err.value.fields and not ContractTemplate.objects.exists()


def test_it_leaves_templates_to_admins(actor_as, provider):
    with pytest.raises(PermissionDenied):
        contract_template_create(provider=provider, name="T", body="x", actor=actor_as("agent"))
    row = contract_template_create(
        provider=provider, name="T", body="Hi {contact.name}", actor=actor_as("admin")
    )
    with pytest.raises(ValidationFailed):
        contract_template_create(provider=provider, name="T", body="x", actor=actor_as("admin"))
    assert ContractTemplate.objects.get() == row


def test_it_emails_the_contract_to_its_signer_once_after_commit(
    actor_as, customer, template, contact, django_capture_on_commit_callbacks
):
    contract = contract_queue(customer=customer, template=template, contact=contact, actor=actor_as("agent"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contract_send(contract=contract, actor=actor_as("agent"))
    assert mail.outbox == [] and len(callbacks) == 1  # nothing leaves before the commit
    callbacks[0]()
    [email] = mail.outbox
    assert email.to == [contact.email] and email.body == "I, Ada Lovelace, for Grace Hopper."
    assert email.subject == f"Acme Telecom: {template.name}, for your signature"
    message = Message.objects.get()
    assert message.status == "sent" and message.to == contact.email and message.customer == customer


def test_it_logs_the_sent_contract_with_its_recipient(actor_as, customer, template, contact, agent):
    contract = contract_queue(customer=customer, template=template, contact=contact, actor=actor_as("agent"))
    contract_send(contract=contract, actor=actor_as("agent"))
    event = Activity.objects.get(kind="contract.sent")
    assert event.actor_id == agent.pk and event.group == "contracts"
    assert event.details["to"] == contact.email and event.details["status"] == ["queued", "sent"]
    assert contact.email in event.summary
    assert event.details["message"] == Message.objects.get().pk
    assert Activity.objects.filter(kind="message.email_sent", customer=customer).count() == 1


@pytest.mark.parametrize("email", ["", "   ", None])
def test_it_refuses_to_send_to_a_signer_without_an_email_address(
    actor_as, customer, template, contact, email, django_capture_on_commit_callbacks
):
    contract = contract_queue(customer=customer, template=template, contact=contact, actor=actor_as("agent"))
    if email is None:
        contact.delete()  # the signer removed since the contract was queued
    else:
        contact.email = email
        contact.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed) as err:
        contract_send(contract=contract, actor=actor_as("agent"))
    assert "Ada Lovelace" in err.value.message and "contact" in err.value.fields
    contract.refresh_from_db()
    assert contract.status == "queued" and contract.sent_at is None
    assert mail.outbox == [] and not Message.objects.exists()
    assert not Activity.objects.filter(kind__in=["contract.sent", "message.email_sent"]).exists()


def test_it_refuses_a_signer_whose_address_is_not_valid(actor_as, customer, template, contact):
    contract = contract_queue(customer=customer, template=template, contact=contact, actor=actor_as("agent"))
    contact.email = "ada at example"
    contact.save()
    with pytest.raises(ValidationFailed) as err:
        contract_send(contract=contract, actor=actor_as("agent"))
    assert "ada at example" in err.value.fields["contact"] and not Message.objects.exists()
    contract.refresh_from_db()
    assert contract.status == "queued"


def test_it_sends_a_contract_longer_than_a_written_email(
    actor_as, customer, contact, provider, django_capture_on_commit_callbacks
):
    long_template = ContractTemplateFactory(provider=provider, body="Clause. " * 5_000 + "End.")
    contract = contract_queue(
        customer=customer, template=long_template, contact=contact, actor=actor_as("agent")
    )
    with django_capture_on_commit_callbacks(execute=True):
        contract_send(contract=contract, actor=actor_as("agent"))
    assert len(mail.outbox[0].body) == len(contract.body) > 20_000
