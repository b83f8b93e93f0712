"""Signing a contract in the portal: the signer types their name and consents; the contract keeps
the evidence (the contact, the time, the address, the SHA-256 of the exact text) and staff see it."""

import datetime as dt
import hashlib

import pytest

from accountdesk.activity.models import Activity
from accountdesk.contracts import services
from accountdesk.contracts.models import Contract
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, PermissionDenied
from accountdesk.portal.services import contact_actor
from tests.contracts.factories import ContractFactory
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TEXT = "Agreement for fibre.\n\nThe customer, Grace Hopper, pays €30 monthly."


@pytest.fixture
def contract(contact):
    return ContractFactory(
        contact=contact, status="sent", sent_at=dt.datetime(2025, 3, 10, tzinfo=dt.UTC), body=TEXT
    )


def sign(portal, contract, **changes):
    data = {
        "signed_name": "Robert Contact",
        "consent": "on",
        "text_sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
        **changes,
    }
    return portal.post(f"/portal/contracts/{contract.pk}/", data, REMOTE_ADDR="203.0.113.7")


def test_the_signer_reads_the_text_and_the_form(portal, contract):
    page = portal.get(f"/portal/contracts/{contract.pk}/").content.decode()
    assert "The customer, Grace Hopper, pays €30 monthly." in page
    assert 'name="signed_name"' in page and 'name="consent"' in page
    assert hashlib.sha256(TEXT.encode()).hexdigest() in page
    assert "Waiting for your signature" in portal.get("/portal/contracts/").content.decode()


def test_signing_keeps_the_evidence_on_the_contract(portal, contract, contact):
    response = sign(portal, contract)
    assert response.status_code == 302 and response["Location"] == f"/portal/contracts/{contract.pk}/"
    contract.refresh_from_db()
    assert contract.status == "signed" and contract.signed_at == clock.now()
    assert (contract.signed_name, contract.signed_by_contact_id, contract.signed_ip) == (
        "Robert Contact",
        contact.pk,
        "203.0.113.7",
    )
    assert contract.signed_text_sha256 == hashlib.sha256(contract.body.encode("utf-8")).hexdigest()
    entry = Activity.objects.get(kind="contract.signed")
    assert (entry.actor_type, entry.actor_name) == ("customer", "Bob Contact")
    assert entry.details["status"] == ["sent", "signed"]
    assert entry.details["text_sha256"] == contract.signed_text_sha256
    page = portal.get(f"/portal/contracts/{contract.pk}/").content.decode()
    assert "Signed as</dt><dd>Robert Contact" in page and 'name="signed_name"' not in page


def test_staff_see_the_evidence_on_the_contracts_tab(portal, client, agent, customer, contract):
    sign(portal, contract)
    staff = client.__class__()
    staff.force_login(agent)
    page = staff.get(f"/customers/{customer.pk}/contracts/{contract.pk}/").content.decode()
    contract.refresh_from_db()
    assert "Signed online as</dt><dd>Robert Contact" in page
    assert "203.0.113.7" in page and contract.signed_text_sha256 in page
    assert "matches the text below" in page and "bob@example.test" in page


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"consent": ""}, "consent"),
        ({"signed_name": "   "}, "signed_name"),
        ({"text_sha256": "0" * 64}, None),
    ],
)
def test_it_refuses_without_consent_name_or_the_text_read(portal, contract, changes, field):
    response = sign(portal, contract, **changes)
    assert response.status_code == 400
    assert (b'class="field-error"' if field else b'class="form-errors"') in response.content
    contract.refresh_from_db()
    assert contract.status == "sent" and contract.signed_name == "" and contract.signed_at is None


@pytest.mark.parametrize("status", ["queued", "voided"])
def test_an_unsent_or_voided_contract_cannot_be_signed(contact, status):
    contract = ContractFactory(contact=contact, status=status, body=TEXT)
    with pytest.raises(Conflict):
        services.contract_sign_by_customer(
            contract=contract,
            contact=contact,
            signed_name="Robert Contact",
            consent=True,
            text_sha256=contract.text_sha256,
            client_ip="203.0.113.7",
            actor=contact_actor(contact),
        )
    contract.refresh_from_db()
    assert contract.status == status and contract.signed_at is None


def test_the_portal_hides_an_unsent_contract_and_refuses_a_voided_one(portal, contact, contract):
    queued = ContractFactory(contact=contact, status="queued", body=TEXT)
    assert portal.get(f"/portal/contracts/{queued.pk}/").status_code == 404
    assert sign(portal, queued).status_code == 404
    services.contract_void(contract=contract, actor=Actor.system(contact.provider))
    assert "Withdrawn" in portal.get(f"/portal/contracts/{contract.pk}/").content.decode()
    response = sign(portal, contract)
    assert response.status_code == 400 and b"A voided contract cannot be signed." in response.content
    assert Contract.objects.get(pk=contract.pk).status == "voided"


def test_only_the_contact_it_was_sent_to_signs(portal, customer, contact):
    colleague = ContactFactory(customer=customer, name="Carol Colleague")
    theirs = ContractFactory(contact=colleague, status="sent", sent_at=clock.now(), body=TEXT)
    page = portal.get(f"/portal/contracts/{theirs.pk}/").content.decode()
    assert "This contract is for Carol Colleague to sign." in page and 'name="signed_name"' not in page
    response = sign(portal, theirs)
    assert response.status_code == 400 and Contract.objects.get(pk=theirs.pk).status == "sent"


def test_staff_cannot_sign_for_the_customer(client, agent, customer, contact, contract):
    client.force_login(agent)
    client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/portal/open/")
    page = client.get(f"/portal/contracts/{contract.pk}/").content.decode()
    assert "Only Bob Contact can sign" in page and 'name="signed_name"' not in page
    assert sign(client, contract).status_code == 403
    with pytest.raises(PermissionDenied):
        services.contract_sign_by_customer(
            contract=contract, contact=contact, signed_name="x", consent=True,
            text_sha256=contract.text_sha256, client_ip="", actor=Actor.staff(agent),
        )  # fmt: skip
    assert Contract.objects.get(pk=contract.pk).status == "sent"
