"""A contract's queue moves read in the activity as people see them."""

from accountdesk.contracts.services import contract_queue, contract_void
from tests.activity.logged import assert_logged
from tests.contracts.factories import ContractTemplateFactory
from tests.factories import ContactFactory


def test_voiding_a_queued_contract(actor_as, customer, agent):
    template = ContractTemplateFactory(provider=customer.provider, name="Fibre terms")
    signer = ContactFactory(customer=customer, name="Ada Lovelace")
    contract = contract_queue(
        customer=customer, template=template.pk, contact=signer.pk, actor=actor_as("agent")
    )
    assert_logged(
        customer, "contract.queued", "Contract queued for signing: Fibre terms (Ada Lovelace)", viewer=agent
    )
    contract_void(contract=contract, actor=actor_as("agent"))
    assert_logged(customer, "contract.voided", "Contract voided: Fibre terms (Ada Lovelace)", viewer=agent)
