"""Concurrent credits by one agent cannot both fit under the 30-day limit: the window is measured
under the customer's row lock. PostgreSQL only (SQLite serialises every writer anyway)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from accountdesk.billing import services
from accountdesk.billing.models import Credit, CreditRequest
from accountdesk.core.actors import Actor

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what is under test: needs PostgreSQL (set DATABASE_URL)",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_credits_by_one_agent_respect_the_30_day_limit(customer, agent):
    provider = customer.provider
    provider.agent_credit_limit = Decimal("50.00")
    provider.agent_credit_limit_30d = Decimal("100.00")
    provider.save()
    actor = Actor.staff(agent)
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait()
            services.credit_issue(customer=customer, amount="40.00", reason=f"c{n}", actor=actor)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Credit.objects.filter(customer=customer).count() == 2  # 80.00; a third would make 120.00
    assert CreditRequest.objects.filter(customer=customer, status="pending").count() == 4
