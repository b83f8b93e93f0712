"""Helpers for page views: permission checks and turning domain errors into answers."""

from functools import wraps

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from accountdesk.core.actors import Actor


def actor_for(request) -> Actor:
    return Actor.staff(request.user)


def require_perm(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.can(permission):
                raise DjangoPermissionDenied()
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
