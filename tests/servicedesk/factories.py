import datetime as dt

import factory

from accountdesk.servicedesk.models import CallLog, Ticket
from tests.factories import CustomerFactory

BASE = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    customer = factory.SubFactory(CustomerFactory)
    provider = factory.SelfAttribute("customer.provider")
    number = factory.Sequence(lambda n: f"T-{n + 1:06d}")
    subject = factory.Faker("sentence", nb_words=4)
    created_by_name = "Ada Agent"
    created_at = factory.Sequence(lambda n: BASE + dt.timedelta(hours=n))
    updated_at = factory.SelfAttribute("created_at")


class CallLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallLog

    customer = factory.SubFactory(CustomerFactory)
    provider = factory.SelfAttribute("customer.provider")
    at = factory.Sequence(lambda n: BASE + dt.timedelta(hours=n))
    direction = "inbound"
    duration_s = 120
    summary = "Asked about the bill"
    staff_name = "Ada Agent"
