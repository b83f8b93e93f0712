"""The demo's portal: some customers' primary contacts may sign in (password: the demo's)."""

from django.contrib.auth.hashers import make_password

from accountdesk.core.errors import DomainError
from accountdesk.customers.models import Contact, Status
from accountdesk.portal import services

EVERY = 7  # one customer in so many
MOST = 25  # at most so many contacts per provider: each grant is audited, so keep the demo quick


def demo_finish(ctx) -> None:
    password_hash = make_password(ctx.password)  # once per provider: Argon2 is slow by design
    actor = ctx.actor("admin")
    chosen = [c.pk for c in ctx.customers[::EVERY] if c.status != Status.ARCHIVED]
    contacts = (
        Contact.objects.filter(customer_id__in=chosen, is_primary=True)
        .exclude(email="")
        .select_related("customer__provider")
        .order_by("customer_id")
    )
    granted = 0
    for contact in contacts[: MOST * 2]:
        try:
            services.portal_access_grant(contact=contact, actor=actor, password_hash=password_hash)
        except DomainError:
            continue  # an address another contact of the provider already signs in with
        granted += 1
        if granted >= MOST:
            break
