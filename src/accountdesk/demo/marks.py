"""How to tell the demo's data from real data: the demo's providers have its slugs and its staff,
whose addresses are under the reserved `.test` domain (`admin@acme.test`), which no real mailbox has."""

from accountdesk.demo import data
from accountdesk.tenancy.models import User


def is_demo_provider(provider) -> bool:
    if provider.slug not in {spec.slug for spec in data.PROVIDERS}:
        return False
    return User.objects.filter(provider=provider, email=f"admin@{provider.slug}.test").exists()
