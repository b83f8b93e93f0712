import datetime as dt

import factory

from accountdesk.network.models import DeviceType, Equipment
from tests.factories import CustomerFactory, ProviderFactory


class DeviceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeviceType

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Router {n}")
    vendor = "MikroTik"


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    customer = factory.SubFactory(CustomerFactory)
    provider = factory.SelfAttribute("customer.provider")
    name = "CPE"
    mac = factory.Sequence(lambda n: ":".join(f"{n:012X}"[i : i + 2] for i in range(0, 12, 2)))
    ip = "192.0.2.10"
    status = "online"
    created_at = factory.Sequence(lambda n: dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n))
