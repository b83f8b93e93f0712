from django.core.management.base import BaseCommand, CommandError

from accountdesk.tenancy.models import ApiToken, User


class Command(BaseCommand):
    help = "Manage API tokens. `token create --email E` prints a new token alone on its last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a staff user")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="")

    def handle(self, *args, action: str, email: str, name: str = "", **options):
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active staff user with email {email}.")
        _, token = ApiToken.objects.issue(user, name=name)
        self.stderr.write(f"Token for {user.email} ({user.role}, {user.provider.name}):")
        self.stdout.write(token)
