"""The provider's security log, as the layers under the audit app reach it.

Tenancy records sign-ins, staff and settings changes, but the audit app (which keeps the log and its
hash chain) sits above tenancy, so tenancy cannot import it. The audit app installs its writer here
in AuditConfig.ready(); tenancy calls `security_record` and `settings_record` from this module. Apps
above audit call accountdesk.audit.services.security_record directly: the same writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from accountdesk.core.actors import Actor
    from accountdesk.tenancy.models import Provider


class SecurityRecorder(Protocol):
    def __call__(
        self,
        *,
        provider: Provider,
        kind: str,
        summary: str,
        actor: Actor | None = None,
        details: dict[str, Any] | None = None,
        request: Any = None,
    ) -> object: ...


_recorder: SecurityRecorder | None = None


def security_recorder_install(recorder: SecurityRecorder) -> None:
    global _recorder
    _recorder = recorder


def security_record(
    *,
    provider: Provider,
    kind: str,
    summary: str,
    actor: Actor | None = None,
    details: dict[str, Any] | None = None,
    request: Any = None,
) -> object:
    """Append an entry to the provider's security log, inside the change's transaction (see
    accountdesk.audit.services.security_record)."""
    if _recorder is None:
        raise RuntimeError("no security log writer installed: is accountdesk.audit in INSTALLED_APPS?")
    return _recorder(
        provider=provider, kind=kind, summary=summary, actor=actor, details=details, request=request
    )


def settings_record(
    *,
    provider: Provider,
    actor: Actor,
    summary: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> object | None:
    """A settings change in the security log: details hold `[old, new]` for each field that
    changed (`old` None for something added, `new` None for something removed). No change: no
    entry."""
    old, new = old or {}, new or {}
    changes = {
        name: [old.get(name), new.get(name)]
        for name in [*old, *(n for n in new if n not in old)]
        if old.get(name) != new.get(name)
    }
    if not changes:
        return None
    return security_record(
        provider=provider, kind="settings.changed", summary=summary, actor=actor, details=changes
    )
