"""What the demo generator hands each app's `demo_populate(ctx)`.

Every domain app may have `accountdesk/<app>/demo.py` with `demo_populate(ctx: DemoContext)`;
the generator calls them in settings.DOMAIN_APPS order, once per provider, after customers,
contacts and staff exist. Use ctx.rng (never the global random) so a seed gives the same data.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker


@dataclass
class DemoContext:
    provider: object  # tenancy.Provider
    customers: list  # customers.Customer, every status and type
    heavy_customers: list  # a few accounts with years of history (subset of customers)
    staff: dict  # role -> tenancy.User
    rng: random.Random
    faker: Faker
    today: dt.date
    extra: dict = field(default_factory=dict)  # what one app leaves for the next

    def actor(self, role: str = "agent"):
        from accountdesk.core.actors import Actor

        return Actor.staff(self.staff[role])

    def system(self):
        from accountdesk.core.actors import Actor

        return Actor.system(self.provider)
