"""The signing queue's moves come from one table: what the model offers is what the services
accept, the API answers and the page shows, state by state."""

import re

import pytest

from accountdesk.contracts.models import TRANSITIONS, ContractAction, ContractStatus
from tests.contracts.factories import ContractFactory
from tests.factories import ContactFactory

EVERY_MOVE = [(status, action) for status in ContractStatus.values for action in ContractAction.values]


def test_it_offers_each_state_its_actions():
    offered = {status: set(actions) for status, actions in TRANSITIONS.items()}
    assert offered == {
        "queued": {"send", "void"},
        "sent": {"sign", "void"},
        "signed": set(),
        "voided": set(),
    }


@pytest.mark.parametrize(("status", "action"), EVERY_MOVE)
def test_it_names_each_allowed_action_on_the_contract(customer, status, action):
    contract = ContractFactory(contact=ContactFactory(customer=customer), status=status)
    allowed = action in TRANSITIONS[status]
    assert (action in contract.allowed_actions) is allowed
    assert getattr(contract, f"can_{action}") is allowed


@pytest.mark.parametrize(("status", "action"), EVERY_MOVE)
def test_the_api_accepts_exactly_the_allowed_actions(api_as, customer, status, action):
    contact = ContactFactory(customer=customer, email="signer@example.test")
    contract = ContractFactory(contact=contact, status=status)
    response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/contracts/{contract.pk}/{action}")
    if action in TRANSITIONS[status]:
        assert response.status_code == 200
        assert response.json()["status"] == TRANSITIONS[status][action]
    else:
        assert response.status_code == 409


def test_the_page_offers_each_row_its_allowed_actions(browser_client, agent, customer):
    contact = ContactFactory(customer=customer)
    contracts = {status: ContractFactory(contact=contact, status=status) for status in ContractStatus.values}
    page = browser_client(agent).get(f"/customers/{customer.pk}/contracts/").content.decode()
    for status, contract in contracts.items():
        # Each of the row's buttons is a form: its action, then the contract it acts on.
        pattern = rf'name="action" value="(\w+)"><input type="hidden" name="contract" value="{contract.pk}">'
        buttons = set(re.findall(pattern, page))
        assert buttons == set(TRANSITIONS[status]), status
