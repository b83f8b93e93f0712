from accountdesk.core.permissions import ROLE_PERMISSIONS


def accountdesk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"perms_set": ROLE_PERMISSIONS.get(user.role, frozenset()), "provider": user.provider}
