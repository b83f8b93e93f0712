"""Tenancy reads."""

from accountdesk.tenancy.models import ApiToken, User


def token_list(*, user: User, limit: int = 200) -> list[ApiToken]:
    """A user's API tokens, newest first (revoked and expired ones too, marked by their state)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def token_get(*, user: User, pk: object) -> ApiToken | None:
    """One of the user's own tokens; another user's id is None, as if it did not exist."""
    try:
        return ApiToken.objects.select_related("user__provider").filter(user=user, pk=int(str(pk))).first()
    except (TypeError, ValueError):
        return None
