"""Object lookups scoped to a provider: another provider's id is simply not found."""

from typing import TypeVar

from django.db import models

from accountdesk.core.errors import ModuleNotEnabled, NotFound

M = TypeVar("M", bound=models.Model)


def scoped_pk(pk: object) -> int:
    """An id from a URL or a form as a row id; anything that cannot be one is not found."""
    try:
        pk_int = int(str(pk))
    except (TypeError, ValueError):
        raise NotFound() from None
    if pk_int <= 0 or pk_int > 2**63 - 1:
        raise NotFound()
    return pk_int


def get_scoped(queryset: models.QuerySet[M] | type[M], *, provider, pk: object) -> M:
    qs = queryset.objects.all() if isinstance(queryset, type) else queryset
    obj = qs.filter(provider=provider, pk=scoped_pk(pk)).first()
    if obj is None:
        raise NotFound()
    return obj


def require_module(provider, module: str) -> None:
    if not provider.has_module(module):
        raise ModuleNotEnabled()
