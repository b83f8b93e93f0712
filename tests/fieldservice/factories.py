import datetime as dt

import factory

from accountdesk.fieldservice.models import Job
from tests.factories import CustomerFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    customer = factory.SubFactory(CustomerFactory)
    provider = factory.SelfAttribute("customer.provider")
    # Numbers the provider's counter never gives (it starts at J-000001), so a job booked through
    # the service beside factory jobs never collides with one, whatever ran before.
    number = factory.Sequence(lambda n: f"J-9{n + 1:05d}")
    kind = "service"
    status = "scheduled"
    scheduled_start = dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC)
    scheduled_end = factory.LazyAttribute(
        lambda o: o.scheduled_start + dt.timedelta(hours=1) if o.scheduled_start else None
    )
    address = "1 Main St"
    created_at = factory.Sequence(lambda n: dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n))
    updated_at = factory.SelfAttribute("created_at")
