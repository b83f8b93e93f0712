import pytest
from django.core import mail

from accountdesk.contracts.models import Contract, ContractTemplate
from tests.contracts.factories import ContractFactory, ContractTemplateFactory
from tests.factories import ContactFactory


def tab(customer) -> str:
    return f"/customers/{customer.pk}/contracts/"


def test_it_shows_the_queue_with_actions_per_state(browser_client, agent, customer):
    contact = ContactFactory(customer=customer, name="Ada Signer")
    for status in ("queued", "sent", "signed", "voided"):
        ContractFactory(contact=contact, status=status)
    page = browser_client(agent).get(tab(customer)).content.decode()
    assert page.count("<td>Ada Signer</td>") == 4
    assert (
        page.count('value="send"') == 1
        and page.count('value="sign"') == 1
        and page.count('value="void"') == 2
    )


def test_it_says_so_when_the_queue_is_empty(browser_client, agent, customer):
    assert "No contracts in the queue." in browser_client(agent).get(tab(customer)).content.decode()


def test_it_queues_and_moves_a_contract_from_the_page(browser_client, agent, customer, provider):
    template = ContractTemplateFactory(provider=provider)
    contact = ContactFactory(customer=customer)
    client = browser_client(agent)
    response = client.post(tab(customer), {"action": "queue", "template": template.pk, "contact": contact.pk})
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert client.post(tab(customer), {"action": "send", "contract": contract.pk}).status_code == 302
    again = client.post(tab(customer), {"action": "send", "contract": contract.pk})
    assert again.status_code == 400 and "A sent contract cannot be sent." in again.content.decode()
    contract.refresh_from_db()
    assert contract.status == "sent"
    detail = client.get(f"{tab(customer)}{contract.pk}/")
    assert detail.status_code == 200 and customer.name in detail.content.decode()


def test_it_shows_queue_errors_and_stores_nothing(browser_client, agent, customer, provider):
    template = ContractTemplateFactory(provider=provider)
    response = browser_client(agent).post(
        tab(customer), {"action": "queue", "template": template.pk, "contact": ""}
    )
    assert (
        response.status_code == 400
        and "Choose one of this customer&#x27;s contacts." in response.content.decode()
    )
    assert not Contract.objects.exists()


def test_it_404s_another_providers_contract(browser_client, agent, customer, foreign_customer):
    foreign = ContractFactory(contact=ContactFactory(customer=foreign_customer))
    client = browser_client(agent)
    assert client.post(tab(customer), {"action": "void", "contract": foreign.pk}).status_code == 404
    assert client.get(f"{tab(customer)}{foreign.pk}/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "queued"


def test_it_hides_the_tab_without_the_module(browser_client, bare_agent, bare_customer, agent):
    from accountdesk.customers.tabs import visible_tabs

    assert browser_client(bare_agent).get(tab(bare_customer)).status_code == 404
    assert "contracts" in {t.key for t in visible_tabs(agent)}
    assert "contracts" not in {t.key for t in visible_tabs(bare_agent)}


@pytest.mark.urls("tests.contracts.urls")
def test_it_lets_admins_add_and_edit_templates(browser_client, admin, provider):
    client = browser_client(admin)
    assert "No contract templates yet." in client.get("/settings/contracts/").content.decode()
    bad = client.post("/settings/contracts/", {"name": "Broadband", "body": "Hi {customer.secret}"})
    assert bad.status_code == 400 and "Unknown placeholders" in bad.content.decode()
    assert (
        client.post("/settings/contracts/", {"name": "Broadband", "body": "Hi {customer.name}"}).status_code
        == 302
    )
    template = ContractTemplate.objects.get()
    edit = client.post(
        f"/settings/contracts/{template.pk}/", {"name": "Broadband 2", "body": "Hello {contact.name}"}
    )
    assert edit.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.is_active) == ("Broadband 2", False)


@pytest.mark.urls("tests.contracts.urls")
def test_it_keeps_template_settings_from_non_admins_and_other_providers(
    browser_client, agent, provider, other_provider
):
    foreign = ContractTemplateFactory(provider=other_provider)
    assert browser_client(agent).get("/settings/contracts/").status_code == 403
    from tests.factories import UserFactory

    admin = UserFactory(provider=provider, role="admin")
    assert browser_client(admin).get(f"/settings/contracts/{foreign.pk}/").status_code == 404


def test_it_emails_the_contract_sent_from_the_page(
    browser_client, agent, customer, django_capture_on_commit_callbacks
):
    contract = ContractFactory(
        contact=ContactFactory(customer=customer, email="ada@example.test"), body="Sign"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_client(agent).post(tab(customer), {"action": "send", "contract": contract.pk})
    assert response.status_code == 302 and [m.to for m in mail.outbox] == [["ada@example.test"]]


def test_it_explains_on_the_page_why_a_contract_was_not_sent(
    browser_client, agent, customer, django_capture_on_commit_callbacks
):
    contract = ContractFactory(contact=ContactFactory(customer=customer, name="Ada", email=""))
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_client(agent).post(tab(customer), {"action": "send", "contract": contract.pk})
    assert response.status_code == 400
    assert "Ada has no email address: add one to the contact" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == "queued" and mail.outbox == []


def test_it_404s_sending_another_providers_contract(
    browser_client, agent, customer, foreign_customer, django_capture_on_commit_callbacks
):
    foreign = ContractFactory(contact=ContactFactory(customer=foreign_customer))
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_client(agent).post(tab(customer), {"action": "send", "contract": foreign.pk})
    assert response.status_code == 404 and mail.outbox == []
    foreign.refresh_from_db()
    assert foreign.status == "queued"


def test_it_explains_an_empty_queue_dialog_and_queues_nothing(browser_client, agent, customer):
    page = browser_client(agent).get(tab(customer)).content.decode()
    assert "There are no contract templates yet." in page and "This customer has no contacts yet" in page
    response = browser_client(agent).post(tab(customer), {"action": "queue"})
    html = response.content.decode()
    assert response.status_code == 400 and "Choose one of the contract templates." in html
    assert not Contract.objects.exists()


@pytest.mark.urls("tests.contracts.urls")
def test_it_shows_template_errors_inline_and_saves_nothing(browser_client, admin, provider):
    template = ContractTemplateFactory(provider=provider, name="Broadband")
    client = browser_client(admin)
    response = client.post(
        f"/settings/contracts/{template.pk}/", {"name": "", "body": "Hi", "is_active": "on"}
    )
    assert response.status_code == 400 and "Give the template a name." in response.content.decode()
    template.refresh_from_db()
    assert template.name == "Broadband"
    page = client.get(f"/settings/contracts/{template.pk}/").content.decode()
    assert 'value="Broadband"' in page and "{customer.name} customer name" in page
