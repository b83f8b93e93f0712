import datetime as dt

import factory

from accountdesk.contracts.models import Contract, ContractTemplate
from tests.factories import ContactFactory, ProviderFactory

NOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


class ContractTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractTemplate

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Service agreement {n}")
    body = "Agreement between {provider.name} and {customer.name}, signed by {contact.name} on {today}."
    created_at = NOW
    updated_at = NOW


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    contact = factory.SubFactory(ContactFactory)
    customer = factory.SelfAttribute("contact.customer")
    provider = factory.SelfAttribute("customer.provider")
    template = factory.SubFactory(ContractTemplateFactory, provider=factory.SelfAttribute("..provider"))
    contact_name = factory.SelfAttribute("contact.name")
    body = "Text"
    queued_at = factory.Sequence(lambda n: NOW + dt.timedelta(hours=n))
