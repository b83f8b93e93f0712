"""The same seed gives the same invoices."""

import pytest
from django.db import transaction

from accountdesk.billing.models import Invoice
from tests.demo.conftest import load_demo


@pytest.mark.django_db
def test_it_gives_the_same_invoices_for_the_same_seed():
    def load() -> list:
        savepoint = transaction.savepoint()
        load_demo("--customers", "8", "--heavy", "0", "--seed", "3", apps=["billing", "subscriptions"])
        rows = list(
            Invoice.objects.order_by("provider__slug", "number").values_list(
                "provider__slug",
                "number",
                "customer__number",
                "issued_on",
                "total",
                "balance",
                "lines__description",
            )
        )
        transaction.savepoint_rollback(savepoint)
        return rows

    first = load()
    assert first and load() == first
