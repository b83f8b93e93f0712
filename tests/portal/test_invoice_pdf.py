"""The bill's PDF in the portal: the signed-in customer's own approved bills only."""

from accountdesk.billing import services as billing
from accountdesk.core.actors import Actor
from tests.portal.conftest import bill


def test_the_bill_page_links_its_pdf(portal, customer):
    invoice = bill(customer)
    page = portal.get(f"/portal/invoices/{invoice.pk}/")
    assert f'href="/portal/invoices/{invoice.pk}/pdf/"' in page.content.decode()


def test_the_customer_downloads_their_bill(portal, customer):
    invoice = bill(customer)
    response = portal.get(f"/portal/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="invoice-{invoice.number}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_another_customers_bill_and_a_draft_are_not_found(portal, customer, other_customer, foreign_customer):
    theirs = bill(other_customer)
    foreign = bill(foreign_customer)
    draft = billing.invoice_create_draft(
        customer=customer,
        actor=Actor.system(customer.provider),
        lines=[{"description": "x", "unit_price": "1"}],
    )
    for invoice in (theirs, foreign, draft):
        assert portal.get(f"/portal/invoices/{invoice.pk}/pdf/").status_code == 404


def test_it_asks_to_sign_in_first(client, customer):
    invoice = bill(customer)
    response = client.get(f"/portal/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 302 and "/portal/sign-in/" in response["Location"]
