"""Provider settings: modules, credit limits, what invoices print (address, tax number, how to
pay, logo), which roles must sign in with a second factor."""

import logging
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest

from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import security_record, settings_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.tenancy.models import MODULE_LABELS, MODULES, Provider, ProviderLogo, Role

logger = logging.getLogger("accountdesk.security")


_SETTING_LABELS = {
    "agent_credit_limit": "Agent credit limit",
    "agent_credit_limit_30d": "Agent credit limit per customer over 30 days",
    "credit_auto_apply": "Automatic credit application",
    "address": "Address",
    "tax_number": "Tax number",
    "payment_instructions": "How to pay",
}
_INVOICE_TEXTS = ("address", "tax_number", "payment_instructions")


def _shown(value: object) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


@transaction.atomic
def provider_update(*, provider: Provider, modules: dict[str, bool], agent_credit_limit: Decimal,
                    actor: Actor, agent_credit_limit_30d: Decimal | None = None,
                    credit_auto_apply: bool | None = None,
                    invoice_texts: dict[str, str] | None = None, logo: tuple[bytes, str] | None = None,
                    logo_remove: bool = False) -> Provider:  # fmt: skip
    """Modules, the agents' credit limits (per credit, and per customer over 30 days), whether
    credit is applied automatically, and what invoices print: `invoice_texts` (address, tax_number,
    payment_instructions) and the logo (`logo` as (bytes, content type) replaces it, `logo_remove`
    removes it). None leaves a setting as it is."""
    require(actor, "provider.manage")
    require_same_provider(actor, provider)
    if agent_credit_limit < 0:
        raise ValidationFailed(fields={"agent_credit_limit": "The limit cannot be negative."})
    if agent_credit_limit_30d is not None and agent_credit_limit_30d < 0:
        raise ValidationFailed(fields={"agent_credit_limit_30d": "The limit cannot be negative."})
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    fields = ("agent_credit_limit", "agent_credit_limit_30d", "credit_auto_apply", *_INVOICE_TEXTS)
    old_values = {name: getattr(provider, name) for name in fields}
    for module in MODULES:
        if module in modules and getattr(provider, module) != bool(modules[module]):
            old = getattr(provider, module)
            setattr(provider, module, not old)
            security_record(
                provider=provider,
                kind="module.switched",
                summary=f"{MODULE_LABELS[module]} switched {'off' if old else 'on'}",
                actor=actor,
                details={module: [old, not old]},
            )
    provider.agent_credit_limit = agent_credit_limit
    if agent_credit_limit_30d is not None:
        provider.agent_credit_limit_30d = agent_credit_limit_30d
    if credit_auto_apply is not None:
        provider.credit_auto_apply = credit_auto_apply
    for name, value in (invoice_texts or {}).items():
        if name in _INVOICE_TEXTS:
            setattr(provider, name, (value or "").strip())
    provider.save(update_fields=[*MODULES, *fields])
    new_values = {name: getattr(provider, name) for name in fields}
    changed = [
        f"{_SETTING_LABELS[name]} changed from {_shown(old_values[name])} to {_shown(new_values[name])}"
        for name in fields
        if old_values[name] != new_values[name] and name not in _INVOICE_TEXTS
    ]
    changed += [f"{_SETTING_LABELS[n]} changed" for n in _INVOICE_TEXTS if old_values[n] != new_values[n]]
    logo_change = _logo_set(provider, logo, remove=logo_remove)
    if logo_change:
        changed.append(f"Logo {logo_change}")
        old_values["logo"], new_values["logo"] = None, logo_change
    settings_record(
        provider=provider,
        actor=actor,
        summary="; ".join(changed),
        old=old_values,
        new=new_values,
    )
    return provider


def _logo_set(provider: Provider, logo: tuple[bytes, str] | None, *, remove: bool) -> str:
    """Replace or remove the logo; what happened ("replaced", "removed"), or "" for nothing."""
    if logo is not None:
        image, content_type = logo
        ProviderLogo.objects.update_or_create(
            provider=provider, defaults={"image": image, "content_type": content_type}
        )
        return "replaced"
    if remove and ProviderLogo.objects.filter(provider=provider).delete()[0]:
        return "removed"
    return ""


@transaction.atomic
def provider_mfa_roles_set(
    *, provider: Provider, roles: list[str], actor: Actor, request: HttpRequest | None = None
) -> Provider:
    """Which roles must sign in with a second factor."""
    require(actor, "provider.manage")
    require_same_provider(actor, provider)
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise ValidationFailed(fields={"mfa_required_roles": "Choose roles from the list."})
    chosen = [role for role in Role.values if role in roles]  # one order, no repeats
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    old = list(provider.mfa_required_roles or [])
    if old == chosen:
        return provider
    provider.mfa_required_roles = chosen
    provider.save(update_fields=["mfa_required_roles"])
    labels = ", ".join(Role(role).label for role in chosen) or "no role"
    security_record(
        provider=provider, kind="settings.changed", actor=actor, request=request,
        summary=f"Two-factor sign-in required for {labels}",
        details={"mfa_required_roles": [old, chosen]},
    )  # fmt: skip
    return provider
