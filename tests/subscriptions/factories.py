import datetime as dt
from decimal import Decimal

import factory

from accountdesk.subscriptions.models import Package, Subscription
from tests.factories import CustomerFactory


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    provider = factory.SubFactory("tests.factories.ProviderFactory")
    name = factory.Sequence(lambda n: f"Fibre {n * 100}")
    price = Decimal("31.00")
    frequency = "monthly"
    usage_allowance = None
    usage_unit = None


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    customer = factory.SubFactory(CustomerFactory)
    provider = factory.SelfAttribute("customer.provider")
    package = factory.SubFactory(PackageFactory, provider=factory.SelfAttribute("..provider"))
    status = "active"
    started_on = dt.date(2025, 1, 1)
    price = factory.SelfAttribute("package.price")
    next_bill_on = factory.SelfAttribute("started_on")
