"""Grow an endpoint's delivery log (and a provider's endpoints) in bulk, for the query-count pins."""

import datetime as dt

from accountdesk.webhooks.models import Attempt, Delivery, Endpoint

BASE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def grow_log(endpoint: Endpoint, deliveries: int, attempts_each: int = 3) -> None:
    start = Delivery.objects.count()
    rows = Delivery.objects.bulk_create(
        Delivery(
            provider_id=endpoint.provider_id,
            endpoint=endpoint,
            event_id=f"evt_{start + n:012d}",
            event_type="customer.updated",
            created_at=BASE + dt.timedelta(minutes=start + n),
            body="{}",
            status="failed",
            attempt_count=attempts_each,
            tries=attempts_each,
        )
        for n in range(deliveries)
    )
    Attempt.objects.bulk_create(
        Attempt(
            delivery=d,
            at=d.created_at + dt.timedelta(seconds=k),
            status_code=500,
            duration_ms=12,
            response_head="no",
        )
        for d in rows
        for k in range(attempts_each)
    )


def grow_endpoints(provider, count: int) -> None:
    Endpoint.objects.bulk_create(
        Endpoint(
            provider=provider,
            url=f"https://h{n}.example.com/",
            events=["customer.updated"],
            secret="whsec_AAAA",
            created_at=BASE,
            updated_at=BASE,
        )
        for n in range(count)
    )
