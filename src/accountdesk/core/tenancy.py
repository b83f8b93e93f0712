"""Object lookups scoped to a provider: another provider's id is simply not found."""

from typing import Any, Protocol, TypeVar

from django.db import models

from accountdesk.core.actors import Actor
from accountdesk.core.errors import ModuleNotEnabled, NotFound

M = TypeVar("M", bound=models.Model)


class HasModules(Protocol):
    """A Provider, as core sees it."""

    def has_module(self, module: str) -> bool: ...


def scoped_pk(pk: object) -> int:
    """An id from a URL or a form as a row id; anything that cannot be one is not found."""
    try:
        pk_int = int(str(pk))
    except (TypeError, ValueError):
        raise NotFound() from None
    if pk_int <= 0 or pk_int > 2**63 - 1:
        raise NotFound()
    return pk_int


def get_scoped(queryset: models.QuerySet[M] | type[M], *, provider: object, pk: object) -> M:
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    obj = qs.filter(provider=provider, pk=scoped_pk(pk)).first()
    if obj is None:
        raise NotFound()
    return obj


def require_module(provider: HasModules, module: str) -> None:
    if not provider.has_module(module):
        raise ModuleNotEnabled()


def _provider_id_of(obj: Any) -> int:
    if isinstance(obj, Actor):
        return int(obj.provider.pk)
    if isinstance(obj, models.Model) and obj._meta.label_lower == "tenancy.provider":
        return int(obj.pk)
    provider_id = getattr(obj, "provider_id", None)
    if provider_id is None:
        raise TypeError(f"{obj!r} belongs to no provider")
    return int(provider_id)


def require_same_provider(*objs: Any) -> None:
    """Every object belongs to one provider, else NotFound: another provider's data is invisible,
    not forbidden. Each is a row with a provider, a Provider, or an Actor (its provider); None is
    skipped (an optional relation left empty)."""
    ids = {_provider_id_of(obj) for obj in objs if obj is not None}
    if len(ids) > 1:
        raise NotFound()
