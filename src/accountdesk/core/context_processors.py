from typing import Any

from django.http import HttpRequest

from accountdesk.core.permissions import ROLE_PERMISSIONS
from accountdesk.core.templatetags.accountdesk import DEFAULT_DATE_FORMAT, current_date_format
from accountdesk.core.visibility import sees_money


def accountdesk(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        current_date_format.set(DEFAULT_DATE_FORMAT)
        return {}
    # The `ad_date` filter cannot read the context; it reads the user's format from here.
    current_date_format.set(user.date_format or DEFAULT_DATE_FORMAT)
    return {
        "perms_set": ROLE_PERMISSIONS.get(user.role, frozenset()),
        "provider": user.provider,
        # Pages leave money columns out when this is false; {% money %} hides any it is still given.
        "shows_money": sees_money(user),
    }
