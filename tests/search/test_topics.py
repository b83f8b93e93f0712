"""The topics added to the ask box: each answer's figures against the selectors' truth, its
citations, and what a role that may not see them gets. Today is Friday 31 January 2025."""

import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.billing import selectors as billing_selectors
from accountdesk.billing import services as billing
from accountdesk.billing.models import Payment
from accountdesk.core.actors import Actor
from accountdesk.customers.models import CustomFieldDefinition, CustomFieldValue
from accountdesk.search.engine import DENIED, TOPICS
from accountdesk.usage.services import usage_ingest
from tests.contracts.factories import ContractFactory
from tests.factories import ContactFactory
from tests.fieldservice.factories import JobFactory
from tests.network.factories import DeviceTypeFactory, EquipmentFactory
from tests.search.builders import invoice, pay
from tests.servicedesk.factories import TicketFactory
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory

UTC = dt.UTC


def labels(answer) -> list[str]:
    return [c.label for c in answer.citations]


@pytest.fixture
def books(customer, system):
    """Paid, part paid and unpaid invoices over two years, one of them overdue since 31 Dec."""
    paid = invoice(customer, system, "50.00", dt.date(2024, 3, 5))
    pay(customer, system, "50.00", on=dt.date(2024, 3, 10), invoice=paid, reference="R-1")
    old = invoice(customer, system, "120.00", dt.date(2024, 12, 1))  # due 31 Dec 2024
    pay(customer, system, "20.00", on=dt.date(2025, 1, 5), invoice=old)
    recent = invoice(customer, system, "80.50", dt.date(2025, 1, 20))  # due 19 Feb 2025
    pay(customer, system, "10.00", on=dt.date(2025, 1, 28), invoice=recent, reference="R-3")
    voided = invoice(customer, system, "500.00", dt.date(2025, 1, 10))
    billing.invoice_void(invoice=voided, reason="Wrong customer", actor=system)
    return {"paid": paid, "old": old, "recent": recent}


# ---------------------------------------------------------------- money


def test_overdue_says_how_much_and_since_when(ask_as, books):
    answer = ask_as("agent", "are they behind on payments")
    assert answer.intent == "overdue"
    assert answer.text == (
        "Grace Hopper is in arrears: $100.00 is overdue on 1 invoice, "
        "the oldest due 31 Dec 2024 (31 days ago)."
    )
    assert labels(answer) == [books["old"].number]


def test_overdue_says_when_nothing_is_late(ask_as, customer, system):
    invoice(customer, system, "30.00", dt.date(2025, 1, 25))
    answer = ask_as("agent", "is the account in arrears")
    assert (
        answer.text
        == "Grace Hopper is not behind: no invoice is past its due date; $30.00 is owed and not yet due."
    )
    assert answer.citations == []


def test_lifetime_value_is_the_summary_figure(ask_as, customer, books):
    answer = ask_as("billing", "how much have they paid us since they joined")
    assert answer.intent == "lifetime"
    truth = billing_selectors.account_metrics(customer=customer).lifetime_value
    assert truth == Decimal("80.00")
    assert answer.text.startswith("Grace Hopper has paid $80.00 in all since the account was opened on ")
    assert [(c.type, c.url) for c in answer.citations] == [
        ("payments", f"/customers/{customer.pk}/payments/")
    ]


def test_payments_in_a_period_are_counted_and_summed(ask_as, customer, books):
    answer = ask_as("billing", "how much did they pay this month")
    assert answer.intent == "payments"
    january = Payment.objects.filter(customer=customer, received_on__gte=dt.date(2025, 1, 1))
    assert sum(p.amount for p in january) == Decimal("30.00")
    assert answer.text == (
        "Grace Hopper made 2 payments this month (01 Jan 2025 to 31 Jan 2025), $30.00 in all: "
        "$10.00 on 28 Jan 2025 and $20.00 on 05 Jan 2025."
    )
    assert labels(answer) == ["R-3", "Payment of 05 Jan 2025"]


def test_payments_since_a_month(ask_as, books):
    answer = ask_as("billing", "payments since march")
    assert answer.text.startswith("Grace Hopper made 3 payments since 01 Mar 2024 (")
    assert "$80.00 in all" in answer.text


def test_invoices_counted_in_a_period_leave_out_void_ones(ask_as, books):
    answer = ask_as("billing", "how many invoices this year")
    assert answer.intent == "invoice_count"
    assert answer.text == (
        f"Grace Hopper was issued 1 invoice this year (01 Jan 2025 to 31 Dec 2025), $80.50 in all: "
        f"{books['recent'].number} of 20 Jan 2025."
    )
    assert labels(answer) == [books["recent"].number]


def test_invoices_counted_in_the_last_90_days(ask_as, books):
    answer = ask_as("billing", "how many invoices in the last 90 days")
    assert "was issued 2 invoices in the last 90 days" in answer.text
    assert labels(answer) == [books["recent"].number, books["old"].number]


def test_the_latest_invoice_with_what_is_still_owed(ask_as, books):
    answer = ask_as("billing", "latest invoice")
    assert answer.intent == "invoice_latest"
    recent = books["recent"]
    assert answer.text == (
        f"The latest invoice of Grace Hopper, {recent.number}, was issued on 20 Jan 2025 for $80.50: "
        f"$70.50 still owed, due 19 Feb 2025."
    )
    assert answer.citations[0].url == f"/customers/{recent.customer_id}/invoices/{recent.pk}/"


def test_an_invoice_by_its_number_typed_without_padding(ask_as, books):
    paid = books["paid"]
    digits = str(int(paid.number.split("-")[1]))
    answer = ask_as("billing", f"invoice inv-{digits}")
    assert answer.text == f"Invoice {paid.number} was issued on 05 Mar 2024 for $50.00: paid in full."
    assert labels(answer) == [paid.number]


def test_an_invoice_number_the_customer_does_not_have(ask_as, books):
    answer = ask_as("billing", "invoice INV-9999")
    assert answer.text == "Grace Hopper has no invoice numbered INV-9999."
    assert answer.citations == []


def test_next_bill_names_the_active_subscriptions_charges(ask_as, customer, system):
    billing.billing_profile_update(customer=customer, actor=system, next_bill_date=dt.date(2025, 2, 1))
    for name, price in (("Fibre 300", "45.00"), ("Voice", "10.50")):
        package = PackageFactory(provider=customer.provider, name=name)
        SubscriptionFactory(customer=customer, package=package, price=price)
    SubscriptionFactory(customer=customer, status="suspended", price="99.00")
    answer = ask_as("billing", "how much will the next bill be")
    assert answer.intent == "next_bill"
    assert "is 01 Feb 2025" in answer.text
    assert "its active subscriptions charge $55.50 monthly (" in answer.text
    assert [c.type for c in answer.citations] == ["billing_profile", "subscription", "subscription"]


def test_instalments_remaining_and_payoff_date(ask_as, customer, staff):
    actor = Actor.staff(staff["billing"])
    purchase = billing.instalment_create(
        customer=customer, description="Router", total="240.00", instalments_total=12,
        purchased_on=dt.date(2024, 11, 1), actor=actor,
    )  # fmt: skip
    billing.instalment_bill(purchase=purchase, on=dt.date(2024, 11, 1), actor=actor)
    billing.instalment_bill(purchase=purchase, on=dt.date(2024, 12, 1), actor=actor)
    answer = ask_as("billing", "when will the payment plan be paid off")
    assert answer.intent == "instalments"
    assert answer.text == (
        "Grace Hopper is paying off Router: $200.00 left in 10 instalments of $20.00, "
        "paid off by 30 Nov 2025."
    )
    assert [(c.type, c.id) for c in answer.citations] == [("instalment", purchase.pk)]


# ---------------------------------------------------------------- the account


def test_the_number_to_ring_is_the_primary_contacts(ask_as, customer):
    ContactFactory(customer=customer, name="Ada First", phone="555-2000")
    primary = ContactFactory(customer=customer, name="Linus Primary", phone="555-1000", is_primary=True)
    answer = ask_as("technician", "which number to ring")
    assert answer.intent == "contacts"
    assert (
        answer.text == "The phone number for Grace Hopper is 555-1000 (Linus Primary, the primary contact)."
    )
    assert [(c.type, c.id) for c in answer.citations] == [("contact", primary.pk)]


def test_the_email_falls_back_to_a_contact_that_has_one(ask_as, customer):
    ContactFactory(customer=customer, name="Linus Primary", email="", is_primary=True)
    other = ContactFactory(customer=customer, name="Ada Other", email="ada@example.test")
    answer = ask_as("agent", "what's their email address")
    assert answer.text == "The email address for Grace Hopper is ada@example.test (Ada Other, a contact)."
    assert answer.citations[0].id == other.pk


def test_the_address_is_the_service_address(ask_as, customer):
    customer.service_line1, customer.service_city = "1 Harbour St", "Sydney"
    customer.save()
    answer = ask_as("agent", "where do they live")
    assert answer.text == f"The service address of Grace Hopper is {customer.service_address}."
    assert "1 Harbour St" in answer.text


def test_the_account_manager(ask_as, customer, staff):
    customer.account_manager = staff["agent"]
    customer.save()
    answer = ask_as("readonly", "who manages this account")
    assert answer.intent == "account_manager"
    assert answer.text == f"The account manager of Grace Hopper is {staff['agent'].display_name}."
    assert answer.citations[0].url == f"/customers/{customer.pk}/details/"


def test_the_latest_ticket(ask_as, customer):
    TicketFactory(customer=customer, subject="Old fault", created_at=dt.datetime(2025, 1, 2, tzinfo=UTC))
    latest = TicketFactory(
        customer=customer, subject="No dial tone", created_at=dt.datetime(2025, 1, 30, tzinfo=UTC)
    )
    answer = ask_as("agent", "what was their last ticket about")
    assert answer.intent == "tickets"
    assert answer.text.startswith(
        f"The latest ticket of Grace Hopper is {latest.number} \u201cNo dial tone\u201d ("
    )
    assert labels(answer) == [latest.number]


def test_the_technician_of_the_next_job(ask_as, customer, staff):
    staff["technician"].name = "Tess Tech"
    staff["technician"].save()
    job = JobFactory(customer=customer, technician=staff["technician"],
                     scheduled_start=dt.datetime(2025, 2, 4, 9, tzinfo=UTC))  # fmt: skip
    answer = ask_as("agent", "when is the engineer coming out")
    assert answer.intent == "jobs"
    assert (
        answer.text
        == f"Grace Hopper has 1 upcoming job: {job.number} Service call on 04 Feb 2025 09:00 with Tess Tech."
    )
    assert labels(answer) == [job.number]


def test_equipment_mac_and_ip(ask_as, customer):
    kind = DeviceTypeFactory(provider=customer.provider, name="Eero Pro")
    router = EquipmentFactory(customer=customer, name="Router", device_type=kind, mac="AA:BB:CC:00:11:22",
                              ip="192.0.2.7")  # fmt: skip
    answer = ask_as("technician", "what's their ip address")
    assert answer.intent == "equipment"
    assert (
        answer.text == "Grace Hopper has one device, Router (Eero Pro): MAC AA:BB:CC:00:11:22, IP 192.0.2.7."
    )
    assert [(c.type, c.id) for c in answer.citations] == [("equipment", router.pk)]


def test_usage_against_the_allowance(ask_as, customer):
    package = PackageFactory(provider=customer.provider, name="Mobile 10 GB", usage_allowance=10_000_000_000,
                             usage_unit="bytes")  # fmt: skip
    subscription = SubscriptionFactory(customer=customer, package=package, started_on=dt.date(2025, 1, 1))
    start = dt.datetime(2025, 1, 10, tzinfo=UTC)
    rows = [
        {"at": (start + dt.timedelta(minutes=i)).isoformat(), "quantity": 1_000_000_000} for i in range(3)
    ]
    usage_ingest(provider=customer.provider, subscription=subscription, rows=rows,
                 actor=Actor.system(customer.provider))  # fmt: skip
    answer = ask_as("agent", "are they over their allowance")
    assert answer.intent == "usage"
    assert answer.text == (
        "Grace Hopper has used 3.0 GB of the 10.0 GB allowance (30%) this billing period "
        "(01 Jan 2025 to 31 Jan 2025) on Mobile 10 GB."
    )
    assert [(c.type, c.id) for c in answer.citations] == [("subscription", subscription.pk)]


def test_contract_status(ask_as, customer):
    contact = ContactFactory(customer=customer, name="Linus")
    contract = ContractFactory(
        contact=contact, status="sent", sent_at=dt.datetime(2025, 1, 20, 9, tzinfo=UTC)
    )
    answer = ask_as("agent", "have they signed the contract")
    assert answer.intent == "contract"
    assert answer.text.startswith(
        f"The latest contract of Grace Hopper, {contract.template.name}, was sent to Linus on "
    )
    assert answer.text.endswith("and is not signed yet.")
    assert [(c.type, c.id) for c in answer.citations] == [("contract", contract.pk)]


def test_a_custom_field_by_its_name(ask_as, customer):
    field = CustomFieldDefinition.objects.create(provider=customer.provider, name="Gate or building code")
    CustomFieldValue.objects.create(
        provider=customer.provider, customer=customer, definition=field, value="4711#"
    )
    answer = ask_as("technician", "gate code")
    assert answer.intent == "custom_field"
    assert answer.text == "The \u201cGate or building code\u201d of Grace Hopper is 4711#."
    assert [(c.type, c.id, c.url) for c in answer.citations] == [
        ("custom_field", field.pk, f"/customers/{customer.pk}/custom-fields/")
    ]


# ---------------------------------------------------------------- who may see what


MONEY_TOPICS = [t for t in TOPICS.values() if t.permission == "billing.view"]


@pytest.mark.parametrize("topic", MONEY_TOPICS, ids=[t.name for t in MONEY_TOPICS])
def test_a_technician_gets_no_figure_for_any_money_topic(ask_as, books, topic):
    answer = ask_as("technician", topic.example)
    assert answer.intent == topic.name
    assert answer.text == DENIED["billing.view"]
    assert answer.citations == []
    assert "$" not in answer.text


@pytest.mark.parametrize("question", ["what is still owed", "whats left to pay", "how far behind are they"])
def test_a_technician_asking_about_the_balance_in_other_words_gets_no_figure(ask_as, books, question):
    answer = ask_as("technician", question)
    assert answer.text == DENIED["billing.view"] and answer.citations == []


@pytest.mark.parametrize(
    ("module", "question", "label"),
    [
        ("network", "mac address", "Network"),
        ("usage", "usage this period", "Usage"),
        ("contracts", "contract status", "Contracts"),
        ("instalments", "instalments remaining", "Instalments"),
    ],
)
def test_a_disabled_module_is_named(ask_as, customer, module, question, label):
    setattr(customer.provider, module, False)
    customer.provider.save()
    answer = ask_as("admin", question)
    assert answer.text == f"{label} is not enabled for your provider, so I cannot answer that."
    assert answer.citations == []
