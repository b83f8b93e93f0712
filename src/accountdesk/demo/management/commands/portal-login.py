"""`accountdesk portal-login --customer ID`: a demo customer's portal sign-in, "email password" on
the last line. Grants one of the customer's contacts access first when none has it."""

from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError

from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.customers.models import Contact, Customer
from accountdesk.demo.data import DEMO_PASSWORD
from accountdesk.demo.marks import is_demo_provider
from accountdesk.portal import services
from accountdesk.portal.models import AccountStatus, PortalAccount


class Command(BaseCommand):
    help = "Print a demo customer's portal sign-in (email and password), granting access if needed."

    def add_arguments(self, parser):
        parser.add_argument("--customer", type=int, required=True, help="the customer's id")

    def handle(self, *args, customer: int, **options):
        found = Customer.objects.select_related("provider").filter(pk=customer).first()
        if found is None:
            raise CommandError(f"No customer {customer}.")
        if not is_demo_provider(found.provider):
            raise CommandError(
                f"Customer {customer} is not demo data ({found.provider.name}): portal-login only sets "
                "passwords on the demo's customers."
            )
        actor = Actor.system(found.provider)
        account = (
            PortalAccount.objects.select_related("contact__customer__provider")
            .filter(customer=found, status__in=[AccountStatus.ACTIVE, AccountStatus.INVITED])
            .order_by("status", "id")  # "active" sorts before "invited"
            .first()
        )
        try:
            if account is None:
                account = self._grant(found, actor)
            elif not account.is_active or not check_password(DEMO_PASSWORD, account.password):
                services.portal_password_set(
                    account=account, password_hash=make_password(DEMO_PASSWORD), actor=actor
                )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{account.contact.name} of {found.name} ({found.number}), {found.provider.name}:")
        self.stdout.write(f"{account.email} {DEMO_PASSWORD}")

    def _grant(self, customer: Customer, actor: Actor) -> PortalAccount:
        contacts = (
            Contact.objects.select_related("customer__provider").filter(customer=customer).exclude(email="")
        )
        contact = contacts.order_by("-is_primary", "id").first()
        if contact is None:
            raise CommandError(f"Customer {customer.pk} has no contact with an email address.")
        return services.portal_access_grant(
            contact=contact, actor=actor, password_hash=make_password(DEMO_PASSWORD)
        )
