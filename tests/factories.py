"""factory_boy factories shared by the tests."""

import datetime as dt

import factory

from accountdesk.customers.models import Contact, Customer, CustomerGroup, Tag
from accountdesk.tenancy.models import MODULES, Provider, User


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Provider {n}")
    slug = factory.Sequence(lambda n: f"provider-{n}")
    currency = "USD"
    # Credit waits to be applied by hand, so tests see each step; the automatic mode (a new
    # provider's default) has tests of its own in tests/billing/test_credit_auto_apply.py.
    credit_auto_apply = False

    @classmethod
    def with_all_modules(cls, **kwargs) -> Provider:
        return cls(**{m: True for m in MODULES}, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    email = factory.Sequence(lambda n: f"user{n}@example.test")
    name = factory.Faker("name")
    role = "agent"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerGroup

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"tag-{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    number = factory.Sequence(lambda n: f"C-{n + 1:06d}")
    name = factory.Faker("name")
    status = "active"
    email = factory.Faker("email")
    phone = factory.Faker("numerify", text="555-###-####")
    joined_on = dt.date(2020, 1, 15)
    currency = "USD"

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            from accountdesk.customers.search_index import customer_search_refresh

            customer_search_refresh(obj)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    provider = factory.SelfAttribute("customer.provider")
    name = factory.Faker("name")
    email = factory.Faker("email")
    phone = factory.Faker("numerify", text="555-###-####")
