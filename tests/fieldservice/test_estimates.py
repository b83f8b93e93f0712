from decimal import Decimal

import pytest

from accountdesk.billing.models import Agreement
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.fieldservice.services import (
    agreement_create,
    estimate_accept,
    estimate_create,
    estimate_status_change,
)


def test_it_turns_an_accepted_estimate_into_an_invoice(customer, actor_as):
    estimate = estimate_create(
        customer=customer, description="New boiler", total="1200.00", actor=actor_as("agent")
    )
    estimate_status_change(estimate=estimate, status="sent", actor=actor_as("agent"))
    invoice = estimate_accept(estimate=estimate, actor=actor_as("billing"))
    estimate.refresh_from_db()
    assert estimate.status == "accepted" and estimate.invoice_id == invoice.pk
    assert invoice.number.startswith("INV-") and invoice.total == Decimal("1200.00")
    with pytest.raises(Conflict):
        estimate_accept(estimate=estimate, actor=actor_as("billing"))


def test_it_refuses_a_declined_estimate_going_back_to_sent(customer, actor_as):
    estimate = estimate_create(
        customer=customer, description="Survey", total="80.00", actor=actor_as("agent")
    )
    estimate_status_change(estimate=estimate, status="declined", actor=actor_as("agent"))
    with pytest.raises(Conflict):
        estimate_status_change(estimate=estimate, status="sent", actor=actor_as("agent"))


def test_it_refuses_an_agreement_that_ends_before_it_starts(customer, actor_as):
    with pytest.raises(ValidationFailed) as error:
        agreement_create(
            customer=customer,
            name="Annual service",
            starts_on="2025-06-01",
            ends_on="2025-05-31",
            value="240.00",
            actor=actor_as("agent"),
        )
    assert error.value.fields == {"ends_on": "On or after the start."}
    assert not Agreement.objects.exists()
