"""Tenancy reads."""

from django.db.models import Case, IntegerField, Value, When

from accountdesk.tenancy.models import ApiToken, Provider, Role, User

# The roles that take work (tickets, jobs): who the assignee and technician selects offer.
ASSIGNABLE_ROLES = (Role.TECHNICIAN, Role.ADMIN, Role.AGENT)


def token_list(*, user: User, limit: int = 200) -> list[ApiToken]:
    """A user's API tokens, newest first (revoked and expired ones too, marked by their state)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def token_get(*, user: User, pk: object) -> ApiToken | None:
    """One of the user's own tokens; another user's id is None, as if it did not exist."""
    try:
        return ApiToken.objects.select_related("user__provider").filter(user=user, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def staff_assignable(*, provider: Provider, limit: int = 200) -> list[User]:
    """The provider's active staff who can be assigned work (technicians, admins, agents):
    technicians first, then by name and id."""
    technicians_first = Case(
        When(role=Role.TECHNICIAN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    qs = User.objects.filter(provider=provider, is_active=True, role__in=ASSIGNABLE_ROLES)
    return list(qs.order_by(technicians_first, "name", "id")[:limit])
