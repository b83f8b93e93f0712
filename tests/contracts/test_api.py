import pytest
from django.core import mail

from accountdesk.contracts.models import Contract
from accountdesk.messaging.models import Message
from tests.conftest import ApiClient
from tests.contracts.factories import ContractFactory, ContractTemplateFactory
from tests.factories import ContactFactory


def url(customer, tail: str = "contracts") -> str:
    return f"/api/v1/customers/{customer.pk}/{tail}"


def test_it_lists_the_queue_newest_first_and_by_status(api_as, customer):
    contact = ContactFactory(customer=customer)
    old = ContractFactory(contact=contact, status="signed")
    new = ContractFactory(contact=contact)
    client = api_as("readonly")
    items = client.get(url(customer)).json()["items"]
    assert [c["id"] for c in items] == [new.pk, old.pk]
    assert set(items[0]) >= {"id", "template", "contact", "status", "queued_at", "signed_at"}
    assert [c["id"] for c in client.get(url(customer), status="signed").json()["items"]] == [old.pk]
    assert client.get(url(customer), status="lost").status_code == 422


def test_it_queues_sends_signs_and_shows_a_contract(api_as, customer, provider):
    template = ContractTemplateFactory(provider=provider, body="Hello {contact.name}")
    contact = ContactFactory(customer=customer, name="Ada")
    client = api_as("agent")
    response = client.post(url(customer), {"template_id": template.pk, "contact_id": contact.pk})
    assert response.status_code == 201 and response.json()["status"] == "queued"
    contract_id = response.json()["id"]
    assert client.post(url(customer, f"contracts/{contract_id}/send")).json()["status"] == "sent"
    assert client.post(url(customer, f"contracts/{contract_id}/sign")).json()["signed_at"] is not None
    assert client.get(url(customer, f"contracts/{contract_id}")).json()["body"] == "Hello Ada"
    conflict = client.post(url(customer, f"contracts/{contract_id}/void"))
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"
    assert client.post(url(customer, f"contracts/{contract_id}/explode")).status_code == 404


@pytest.mark.parametrize(
    "payload", [{}, {"template_id": "x", "contact_id": 1}, {"template_id": 999, "contact_id": 999}]
)
def test_it_rejects_bad_queue_requests(api_as, customer, payload):
    response = api_as("agent").post(url(customer), payload)
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"
    assert not Contract.objects.exists()


def test_it_rejects_another_providers_contact_and_template(api_as, customer, provider, foreign_customer):
    template = ContractTemplateFactory(provider=provider)
    foreign_template = ContractTemplateFactory(provider=foreign_customer.provider)
    contact = ContactFactory(customer=customer)
    foreign_contact = ContactFactory(customer=foreign_customer)
    client = api_as("agent")
    bad_contact = client.post(url(customer), {"template_id": template.pk, "contact_id": foreign_contact.pk})
    bad_template = client.post(url(customer), {"template_id": foreign_template.pk, "contact_id": contact.pk})
    assert "contact" in bad_contact.json()["error"]["fields"]
    assert "template" in bad_template.json()["error"]["fields"]
    assert not Contract.objects.exists()


@pytest.mark.parametrize("role", ["technician", "billing", "readonly"])
def test_it_refuses_contract_writes_by_role(api_as, customer, provider, role):
    contract = ContractFactory(contact=ContactFactory(customer=customer))
    client = api_as(role)
    responses = [
        client.post(url(customer), {"template_id": contract.template_id, "contact_id": contract.contact_id}),
        client.post(url(customer, f"contracts/{contract.pk}/send")),
        client.post(url(customer, f"contracts/{contract.pk}/void")),
    ]
    assert [r.status_code for r in responses] == [403] * 3
    contract.refresh_from_db()
    assert contract.status == "queued" and Contract.objects.count() == 1


def test_it_hides_other_providers_customers_and_contracts(api_as, customer, foreign_customer):
    foreign = ContractFactory(contact=ContactFactory(customer=foreign_customer))
    client = api_as("admin")
    responses = [
        client.get(url(foreign_customer)),
        client.post(
            url(foreign_customer), {"template_id": foreign.template_id, "contact_id": foreign.contact_id}
        ),
        client.get(url(customer, f"contracts/{foreign.pk}")),
        client.post(url(customer, f"contracts/{foreign.pk}/send")),
        client.post(url(foreign_customer, f"contracts/{foreign.pk}/void")),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    assert {r.json()["error"]["code"] for r in responses} == {"not_found"}
    foreign.refresh_from_db()
    assert foreign.status == "queued" and Contract.objects.count() == 1


def test_it_answers_module_not_enabled_without_the_module(
    bare_customer, bare_agent, django_assert_num_queries
):
    client = ApiClient(bare_agent)
    responses = [
        client.get(url(bare_customer)),
        client.post(url(bare_customer), {"template_id": 1, "contact_id": 1}),
    ]
    assert {(r.status_code, r.json()["error"]["code"]) for r in responses} == {(404, "module_not_enabled")}
    with django_assert_num_queries(1):  # the token lookup only
        client.get(url(bare_customer))


def test_it_emails_the_contract_when_sent_through_the_api(
    api_as, customer, django_capture_on_commit_callbacks
):
    contract = ContractFactory(
        contact=ContactFactory(customer=customer, email="ada@example.test"), body="Sign"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("agent").post(url(customer, f"contracts/{contract.pk}/send"))
    assert response.status_code == 200 and response.json()["status"] == "sent"
    assert [(m.to, m.body) for m in mail.outbox] == [(["ada@example.test"], "Sign")]


def test_it_refuses_to_send_to_a_signer_without_email_through_the_api(
    api_as, customer, django_capture_on_commit_callbacks
):
    contract = ContractFactory(contact=ContactFactory(customer=customer, name="Ada", email=""))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("agent").post(url(customer, f"contracts/{contract.pk}/send"))
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "validation_error"
    assert error["message"] == "Ada has no email address: add one to the contact, then send the contract."
    contract.refresh_from_db()
    assert contract.status == "queued" and mail.outbox == []


def test_it_sends_nothing_for_another_providers_contract(
    api_as, customer, foreign_customer, django_capture_on_commit_callbacks
):
    foreign = ContractFactory(contact=ContactFactory(customer=foreign_customer))
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            api_as("admin").post(url(customer, f"contracts/{foreign.pk}/send")),
            api_as("admin").post(url(foreign_customer, f"contracts/{foreign.pk}/send")),
        ]
    assert [r.status_code for r in responses] == [404, 404]
    assert mail.outbox == [] and not Message.objects.exists()
