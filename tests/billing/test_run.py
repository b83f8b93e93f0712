import datetime as dt
from io import StringIO

from django.core.management import call_command

from accountdesk.activity.models import Activity
from accountdesk.billing import services
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import Invoice, InvoiceLine
from accountdesk.billing.run import billing_run, register_billable
from accountdesk.billing.services import next_run_after
from tests.billing.factories import D


def test_it_issues_what_is_due_once_even_when_run_twice(customer, actors):
    recurring = services.recurring_invoice_create(
        customer=customer,
        description="Backup 100 GB",
        amount="9.00",
        tax_rate="0.2",
        next_run_on=dt.date(2025, 3, 1),
        actor=actors["billing"],
    )
    purchase = services.instalment_create(
        customer=customer,
        description="Router",
        total="100.00",
        instalments_total=3,
        purchased_on=dt.date(2025, 3, 1),
        actor=actors["agent"],
    )
    first = billing_run(provider=customer.provider, on=dt.date(2025, 3, 1))
    again = billing_run(provider=customer.provider, on=dt.date(2025, 3, 1))
    assert first["recurring_invoices"] == 1 and first["instalments"] == 1
    assert again == {name: 0 for name in again}
    assert Invoice.objects.count() == 2
    recurring.refresh_from_db()
    purchase.refresh_from_db()
    assert recurring.next_run_on == dt.date(2025, 4, 1)
    assert purchase.instalments_billed == 1 and purchase.next_bill_on == dt.date(2025, 4, 1)
    assert Invoice.objects.get(source_key__startswith="recurring").total == D("10.80")
    assert set(Activity.objects.filter(kind="invoice.approved").values_list("actor_type", flat=True)) == {
        "system"
    }
    assert account_summary_verify(customer) == {}


def test_it_bills_the_last_instalment_for_the_remainder(customer, actors):
    services.instalment_create(
        customer=customer,
        description="Phone",
        total="100.00",
        instalments_total=3,
        purchased_on=dt.date(2025, 1, 1),
        actor=actors["agent"],
    )
    billing_run(provider=customer.provider, on=dt.date(2025, 3, 1))
    amounts = sorted(InvoiceLine.objects.values_list("unit_price", flat=True))
    assert amounts == [D("33.33"), D("33.33"), D("33.34")]


def test_it_skips_instalments_without_the_module(customer, actors):
    services.instalment_create(
        customer=customer,
        description="Phone",
        total="100.00",
        instalments_total=2,
        purchased_on=dt.date(2025, 1, 1),
        actor=actors["agent"],
    )
    customer.provider.instalments = False
    customer.provider.save()
    assert billing_run(provider=customer.provider, on=dt.date(2025, 3, 1))["instalments"] == 0


def test_it_runs_from_the_command_line(customer, actors):
    services.recurring_invoice_create(
        customer=customer,
        description="Hosting",
        amount="20.00",
        next_run_on=dt.date(2025, 3, 1),
        actor=actors["billing"],
    )
    out = StringIO()
    call_command("bill", "--date", "2025-03-01", "--provider", customer.provider.slug, stdout=out)
    call_command("bill", "--date", "2025-03-01", stdout=out)
    assert Invoice.objects.count() == 1
    assert "1 invoices issued" in out.getvalue()


def test_it_lets_other_apps_register_what_they_bill(customer):
    calls = []
    register_billable(
        "test_probe", lambda *, provider, on, actor: calls.append((provider, on, actor.type)) or 0
    )
    try:
        billing_run(provider=customer.provider, on=dt.date(2025, 3, 1))
    finally:
        from accountdesk.billing.run import BILLABLES

        BILLABLES.pop("test_probe")
    assert calls == [(customer.provider, dt.date(2025, 3, 1), "system")]


def test_it_keeps_the_anchor_day_across_short_months():
    assert next_run_after(run_on=dt.date(2025, 1, 31), months=1, anchor_day=31) == dt.date(2025, 2, 28)
    assert next_run_after(run_on=dt.date(2025, 2, 28), months=1, anchor_day=31) == dt.date(2025, 3, 31)
    assert next_run_after(run_on=dt.date(2025, 11, 15), months=3, anchor_day=15) == dt.date(2026, 2, 15)


def test_it_catches_up_a_recurring_invoice_ten_years_behind_a_capped_number_of_periods_per_run(
    customer, actors
):
    from accountdesk.billing.run import MAX_RECURRING_PERIODS_PER_RUN

    recurring = services.recurring_invoice_create(
        customer=customer,
        description="Hosting",
        amount="5.00",
        next_run_on=dt.date(2015, 3, 1),
        actor=actors["billing"],
    )
    today = dt.date(2025, 3, 15)
    assert billing_run(provider=customer.provider, on=today)["recurring_invoices"] == 36
    assert MAX_RECURRING_PERIODS_PER_RUN == 36
    recurring.refresh_from_db()
    assert recurring.next_run_on == dt.date(2018, 3, 1)
    assert Invoice.objects.count() == 36
    # The next runs go on where this one stopped, each invoice once, until the schedule is current.
    runs = [billing_run(provider=customer.provider, on=today)["recurring_invoices"] for _ in range(3)]
    assert runs == [36, 36, 13]
    recurring.refresh_from_db()
    assert recurring.next_run_on == dt.date(2025, 4, 1)
    assert Invoice.objects.count() == 121
    assert account_summary_verify(customer) == {}
