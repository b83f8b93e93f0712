from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.tenancy import services
from accountdesk.tenancy.models import ApiToken, User


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = (
        "Manage API tokens. `token create --email E` prints a new token alone on its last line; "
        "`token list --email E` lists a user's tokens; `token revoke TOKEN` revokes one by its value."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a staff user")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="")
        create.add_argument("--read-only", action="store_true", help="The token may only read (GET)")
        create.add_argument("--days", type=int, default=None, help="Days until it expires")
        listing = sub.add_parser("list", help="List a staff user's tokens")
        listing.add_argument("--email", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token, given its full value")
        revoke.add_argument("token")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as error:
            fields = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
            raise CommandError(fields or error.message) from None

    def _user(self, email: str, *, active_only: bool) -> User:
        users = User.objects.select_related("provider").filter(email=email.strip().lower())
        user = users.filter(is_active=True).first() if active_only else users.first()
        if user is None:
            raise CommandError(f"No {'active ' if active_only else ''}staff user with email {email}.")
        return user

    def _create(self, *, email: str, name: str, read_only: bool, days: int | None, **options):
        user = self._user(email, active_only=True)
        row, token = services.token_create(
            user=user, name=name, read_only=read_only, days=days, actor=Actor.system(user.provider)
        )
        scope = row.get_scope_display().lower()
        self.stderr.write(
            f"Token for {user.email} ({user.role}, {user.provider.name}), {scope}, "
            f"expires {_when(row.expires_at)}:"
        )
        self.stdout.write(token)

    def _list(self, *, email: str, **options):
        user = self._user(email, active_only=False)
        rows = ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:500]
        now = timezone.now()
        header = ("PREFIX", "NAME", "CREATED", "EXPIRES", "LAST USED", "SCOPE", "REVOKED")
        lines = [header]
        for row in rows:
            expires = _when(row.expires_at) + (" (expired)" if row.expires_at <= now else "")
            revoked = _when(row.revoked_at) if row.revoked_at else "no"
            lines.append(
                (
                    row.prefix,
                    row.name or "-",
                    _when(row.created_at),
                    expires,
                    _when(row.last_used_at),
                    row.scope,
                    revoked,
                )
            )
        if len(lines) == 1:
            self.stdout.write(f"No API tokens for {user.email}.")
            return
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        for line in lines:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())

    def _revoke(self, *, token: str, **options):
        row = ApiToken.objects.by_value(token.strip())
        if row is None:
            raise CommandError("No such API token (give the full token, e.g. adk_…).")
        if row.revoked_at is not None:
            self.stdout.write(
                f"Token {row.prefix}… of {row.user.email} was already revoked on {_when(row.revoked_at)}."
            )
            return
        services.token_revoke(token=row, actor=Actor.system(row.user.provider))
        self.stdout.write(f"Revoked token {row.prefix}… of {row.user.email}.")
