"""Paying from the portal through the test gateway: a card that succeeds pays the bill once, a
declined one leaves only the attempt and its entry, the confirmation step, the bounds, saved cards
and autopay, and who the payment is by."""

from decimal import Decimal

import pytest

from accountdesk.activity.models import Activity
from accountdesk.billing.models import Credit, Payment, PaymentMethod
from accountdesk.payments.models import PaymentAttempt
from tests.payments.flow import CONFIRM, DECLINED, card_post, path_of, pay, start
from tests.portal.conftest import bill

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(customer):
    return bill(customer, "40.00")


def test_the_pay_form_takes_no_card_number(portal, invoice):
    page = portal.get(f"/portal/pay/?invoice={invoice.pk}").content.decode()
    assert 'name="amount"' in page and 'value="40.00"' in page
    assert "cc-number" not in page and 'name="number"' not in page


def test_home_and_an_unpaid_bill_offer_pay_now(portal, invoice):
    assert 'href="/portal/pay/"' in portal.get("/portal/").content.decode()
    bill_page = portal.get(f"/portal/invoices/{invoice.pk}/").content.decode()
    assert f'href="/portal/pay/?invoice={invoice.pk}"' in bill_page


def test_a_card_that_succeeds_pays_the_bill_by_card_with_the_gateway_reference(portal, invoice):
    back = pay(portal, invoice=str(invoice.pk), amount="40.00")
    attempt = PaymentAttempt.objects.get()
    payment = Payment.objects.get()
    assert attempt.status == "succeeded" and attempt.payment == payment
    assert (payment.amount, payment.method) == (Decimal("40.00"), "card")
    assert payment.reference == attempt.gateway_reference
    assert attempt.gateway_reference.startswith("tg_")
    assert (attempt.card_brand, attempt.card_last4) == ("Visa", "4242")
    invoice.refresh_from_db()
    assert invoice.balance == 0
    result = portal.get(f"/portal/pay/{attempt.pk}/").content.decode()
    assert "Thank you: payment received" in result and "Paid" in result
    assert back == f"/portal/pay/{attempt.pk}/return/?" + back.split("?", 1)[1]


def test_the_payment_is_by_the_contact(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00")
    entry = Activity.objects.get(kind="payment.recorded")
    assert (entry.actor_type, entry.actor_id, entry.actor_name) == ("customer", None, "Bob Contact")
    assert "card (tg_" in entry.summary


def test_replaying_the_return_address_applies_the_payment_once(portal, invoice):
    back = pay(portal, invoice=str(invoice.pk), amount="40.00")
    for _ in range(2):
        assert portal.get(back).status_code == 302
    assert Payment.objects.count() == 1
    assert Activity.objects.filter(kind="payment.recorded").count() == 1
    invoice.refresh_from_db()
    assert invoice.balance == 0


def test_a_declined_card_leaves_only_the_attempt_and_its_entry(portal, invoice):
    back = pay(portal, DECLINED, invoice=str(invoice.pk), amount="40.00")
    portal.get(back)  # a replay logs nothing more
    attempt = PaymentAttempt.objects.get()
    assert attempt.status == "declined" and attempt.payment is None and attempt.card_last4 == "0002"
    assert not Payment.objects.exists()
    entry = Activity.objects.get(kind="payment.card_declined")
    assert entry.summary.startswith("Card payment declined: $40.00 (Visa •••• 0002)")
    assert entry.actor_type == "customer"
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("40.00")
    page = portal.get(f"/portal/pay/{attempt.pk}/").content.decode()
    assert "Your card was declined" in page and "Nothing was charged" in page


def test_the_confirmation_step_approved_pays(portal, invoice):
    response = start(portal, invoice=str(invoice.pk), amount="40.00")
    gateway_path = path_of(response)
    step = card_post(portal, gateway_path, CONFIRM)
    page = step.content.decode()
    assert step.status_code == 200 and "Confirm this payment" in page and "3220" in page
    held = page.split('name="held" value="')[1].split('"')[0]
    approved = portal.post(gateway_path + "confirm/", {"held": held, "decision": "approve"})
    portal.get(path_of(approved))
    assert PaymentAttempt.objects.get().status == "succeeded"
    assert Payment.objects.count() == 1


def test_the_confirmation_step_failed_pays_nothing(portal, invoice):
    gateway_path = path_of(start(portal, invoice=str(invoice.pk), amount="40.00"))
    page = card_post(portal, gateway_path, CONFIRM).content.decode()
    held = page.split('name="held" value="')[1].split('"')[0]
    failed = portal.post(gateway_path + "confirm/", {"held": held, "decision": "fail"})
    portal.get(path_of(failed))
    attempt = PaymentAttempt.objects.get()
    assert attempt.status == "failed" and not Payment.objects.exists()
    assert Activity.objects.get(kind="payment.card_failed").summary.startswith("Card payment failed: $40.00")


def test_leaving_the_gateway_page_pays_nothing(portal, invoice):
    gateway_path = path_of(start(portal, amount="40.00"))
    back = portal.get(gateway_path + "cancel/")
    landed = portal.get(path_of(back))
    assert PaymentAttempt.objects.get().status == "cancelled" and not Payment.objects.exists()
    result = portal.get(landed["Location"]).content.decode()
    assert "You left the payment page. Nothing was charged." in result


@pytest.mark.parametrize("amount", ["0.50", "1040.01", "-5", "abc"])
def test_an_amount_out_of_bounds_is_refused_on_the_form(portal, invoice, amount):
    response = start(portal, invoice=str(invoice.pk), amount=amount)
    assert response.status_code == 400
    assert not PaymentAttempt.objects.exists()


def test_the_highest_amount_pays_the_bill_and_the_rest_becomes_credit(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="1040.00")
    invoice.refresh_from_db()
    assert invoice.balance == 0
    assert Credit.objects.get().amount == Decimal("1000.00")


def test_a_chosen_bill_is_paid_before_older_ones(portal, customer):
    older = bill(customer, "30.00", issued_on=None)
    newer = bill(customer, "20.00")
    pay(portal, invoice=str(newer.pk), amount="25.00")
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (newer.balance, older.balance) == (Decimal("0.00"), Decimal("25.00"))


def test_without_a_chosen_bill_the_oldest_is_paid_first(portal, customer):
    first, second = bill(customer, "30.00"), bill(customer, "20.00")
    pay(portal, amount="35.00")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.balance, second.balance) == (Decimal("0.00"), Decimal("15.00"))


def test_another_customers_bill_or_attempt_is_not_found(portal, other_customer, invoice):
    theirs = bill(other_customer, "10.00")
    assert portal.get(f"/portal/pay/?invoice={theirs.pk}").status_code == 404
    assert start(portal, invoice=str(theirs.pk), amount="10.00").status_code == 404
    assert not PaymentAttempt.objects.exists()
    attempt = PaymentAttempt.objects.create(
        provider=other_customer.provider, customer=other_customer, amount=Decimal("10.00"), currency="USD",
        gateway="test", gateway_reference="tg_theirs", actor_type="customer", actor_name="Olga",
        created_at=invoice.created_at,
    )  # fmt: skip
    assert portal.get(f"/portal/pay/{attempt.pk}/").status_code == 404
    assert portal.get(f"/portal/pay/{attempt.pk}/return/").status_code == 404


def test_a_saved_card_keeps_the_token_and_last_four_only(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00", save_card="on")
    method = PaymentMethod.objects.get()
    assert (method.kind, method.label, method.last4) == ("card", "Visa", "4242")
    assert method.token.startswith("tok_test_") and "4242424242424242" not in method.token
    assert method.expires_on.isoformat() == "2030-12-01"
    assert PaymentAttempt.objects.get().payment_method == method
    entry = Activity.objects.get(kind="payment_method.added")
    assert entry.actor_type == "customer"
    assert "Visa •••• 4242" in portal.get("/portal/pay/").content.decode()


def test_a_card_not_asked_to_be_saved_is_not(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00")
    assert not PaymentMethod.objects.exists()


def test_the_card_number_is_stored_nowhere(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00", save_card="on")
    rows = [*PaymentAttempt.objects.values(), *PaymentMethod.objects.values(), *Activity.objects.values()]
    assert "4242424242424242" not in repr(rows)


def test_autopay_goes_on_and_off_by_the_contact(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00", save_card="on")
    method = PaymentMethod.objects.get()
    assert portal.post(f"/portal/pay/cards/{method.pk}/autopay/").status_code == 302
    method.refresh_from_db()
    assert method.autopay and method.is_default
    assert portal.post(f"/portal/pay/cards/{method.pk}/autopay/").status_code == 302
    method.refresh_from_db()
    assert not method.autopay
    entries = Activity.objects.filter(kind="payment_method.default_set").order_by("id")
    changes = [(e.actor_type, e.details["autopay"]) for e in entries]
    assert changes == [("customer", True), ("customer", False)]


def test_a_saved_card_can_be_removed(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00", save_card="on")
    method = PaymentMethod.objects.get()
    assert portal.post(f"/portal/pay/cards/{method.pk}/remove/").status_code == 302
    assert not PaymentMethod.objects.exists()


def test_another_customers_card_is_not_found(portal, other_customer):
    theirs = PaymentMethod.objects.create(
        provider=other_customer.provider, customer=other_customer, kind="card", token="tok_theirs",
        last4="1111", created_at=other_customer.created_at,
    )  # fmt: skip
    assert portal.post(f"/portal/pay/cards/{theirs.pk}/autopay/").status_code == 404
    assert portal.post(f"/portal/pay/cards/{theirs.pk}/remove/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.autopay


def test_signed_out_the_pay_pages_send_to_sign_in(client, invoice):
    assert client.get("/portal/pay/")["Location"].startswith("/portal/sign-in/")


def test_a_bill_already_paid_is_not_offered(portal, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00")
    response = portal.get(f"/portal/pay/?invoice={invoice.pk}")
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing to pay right now" in page
    assert f'<option value="{invoice.pk}"' not in page and 'name="amount" value' not in page


def _open_as(client, user, customer, contact):
    client.force_login(user)
    response = client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/portal/open/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    return client


def test_staff_in_the_portal_without_billing_payment_cannot_pay(client, staff, customer, contact, invoice):
    agent_portal = _open_as(client, staff["agent"], customer, contact)
    page = agent_portal.get("/portal/pay/").content.decode()
    assert "Your role cannot take payments" in page and 'name="amount"' not in page
    assert start(agent_portal, amount="40.00").status_code == 403
    assert not PaymentAttempt.objects.exists()


def test_staff_in_the_portal_with_billing_payment_pay_as_themselves_for_the_contact(
    client, staff, customer, contact, invoice
):
    admin = staff["admin"]
    pay(_open_as(client, admin, customer, contact), invoice=str(invoice.pk), amount="40.00")
    entry = Activity.objects.get(kind="payment.recorded")
    assert (entry.actor_type, entry.actor_id) == ("staff", admin.pk)
    assert entry.actor_name.endswith("for Bob Contact")
    assert PaymentAttempt.objects.get().actor_user == admin


def test_staff_see_the_card_payment_with_its_gateway_reference(portal, client, staff, customer, invoice):
    pay(portal, invoice=str(invoice.pk), amount="40.00")
    reference = PaymentAttempt.objects.get().gateway_reference
    client.force_login(staff["agent"])
    tab = client.get(f"/customers/{customer.pk}/payments/").content.decode()
    assert f'<td class="mono">{reference}</td>' in tab and "<td>Card</td>" in tab
