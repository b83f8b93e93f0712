"""Tenancy reads."""

from django.db.models import Case, IntegerField, Value, When

from accountdesk.core.permissions import ROLE_PERMISSIONS
from accountdesk.tenancy.models import ApiToken, Provider, ProviderLogo, Role, User

# Work is a job (Field Service) or a ticket (Service Desk): the roles that may take either.
ASSIGNABLE_ROLES = tuple(
    role for role, granted in ROLE_PERMISSIONS.items() if granted & {"fieldservice.edit", "servicedesk.edit"}
)


def staff_assignable(*, provider: Provider, limit: int = 200) -> list[User]:
    """The provider's active staff who can be assigned work, for a select box: technicians first,
    then by name and id; bounded by `limit`."""
    qs = User.objects.filter(provider=provider, is_active=True, role__in=ASSIGNABLE_ROLES)
    technicians_first = Case(
        When(role=Role.TECHNICIAN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(qs.order_by(technicians_first, "name", "id")[:limit])


def token_list(*, user: User, limit: int = 200) -> list[ApiToken]:
    """A user's API tokens, newest first (revoked and expired ones too, marked by their state)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def token_get(*, user: User, pk: object) -> ApiToken | None:
    """One of the user's own tokens; another user's id is None, as if it did not exist."""
    try:
        return ApiToken.objects.select_related("user__provider").filter(user=user, pk=int(str(pk))).first()
    except (TypeError, ValueError):
        return None


def provider_logo(*, provider: Provider) -> ProviderLogo | None:
    """The provider's logo, or None when it has none."""
    return ProviderLogo.objects.filter(provider=provider).first()
