"""How payments are named: one list of means, in words wherever a person reads them."""

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import entry_summary
from accountdesk.billing import services
from accountdesk.billing.models import LedgerEntry, PaymentMeans
from accountdesk.core.actors import Actor


def test_payment_means_read_as_words_ours_and_imported_ones():
    assert PaymentMeans.label_of("bank_transfer") == "Bank transfer"
    assert PaymentMeans.label_of("cheque") == "Cheque"
    assert PaymentMeans.label_of("mobile_money") == "Mobile money"
    assert PaymentMeans.label_of("") == ""


def test_the_ledger_and_the_log_say_how_a_payment_came_in_words(customer):
    system = Actor.system(customer.provider)
    services.payment_record(
        customer=customer, amount="5.00", method="bank_transfer", reference="PAY-1", actor=system
    )
    assert LedgerEntry.objects.get(customer=customer).description == "Payment by bank transfer (PAY-1)"
    entry = Activity.objects.get(customer=customer, kind="payment.recorded")
    assert entry_summary(entry, viewer=system) == "Payment of $5.00 by bank transfer (PAY-1)"
