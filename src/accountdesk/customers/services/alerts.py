"""Alert banners: the manual alerts agents add on an account, and the provider's banner rules."""

from typing import Any

from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import AlertDefinition, AlertLevel, AlertRule, Customer, ManualAlert, Status
from accountdesk.customers.services.catalogues import _require_manage
from accountdesk.tenancy.models import Provider


@transaction.atomic
def manual_alert_add(*, customer: Customer, level: str, message: str, actor: Actor) -> ManualAlert:
    require(actor, "customers.alerts")
    message = (message or "").strip()
    if not message:
        raise ValidationFailed(fields={"message": "Write the alert's message."})
    if len(message) > 200:
        raise ValidationFailed(fields={"message": "At most 200 characters."})
    if level not in {"info", "warning", "danger"}:
        raise ValidationFailed(fields={"level": "Choose info, warning or danger."})
    alert = ManualAlert.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        level=level,
        message=message,
        created_at=clock.now(),
        created_by=actor.user,
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.alert_added",
        summary=f"Alert added: {message}",
        subject=alert,
    )
    return alert


@transaction.atomic
def manual_alert_dismiss(*, alert: ManualAlert, actor: Actor) -> None:
    require(actor, "customers.alerts")
    if alert.dismissed_at is not None:
        raise Conflict("The alert was already dismissed.")
    alert.dismissed_at = clock.now()
    alert.save(update_fields=["dismissed_at"])
    event_record(
        customer=alert.customer,
        actor=actor,
        kind="customer.alert_dismissed",
        summary=f"Alert dismissed: {alert.message}",
        subject=alert,
    )


@transaction.atomic
def alert_definition_save(
    *, provider: Provider, data: dict[str, Any], definition: AlertDefinition | None = None, actor: Actor
) -> AlertDefinition:
    _require_manage(actor, provider)
    name = (data.get("name") or "").strip()
    message = refuse_card_number((data.get("message") or "").strip(), "message")
    errors = {}
    if not name:
        errors["name"] = "Give the rule a name."
    if not message:
        errors["message"] = "Write the banner's message."
    if data.get("rule") not in AlertRule.values:
        errors["rule"] = "Choose a rule."
    if data.get("level") not in AlertLevel.values:
        errors["level"] = "Choose a level."
    value = (data.get("value") or "").strip()
    if not value:
        errors["value"] = "Say what the rule matches."
    elif data.get("rule") == AlertRule.STATUS_IS and value.lower() not in Status.values:
        errors["value"] = f"Use one of: {', '.join(Status.values)}."
    elif data.get("rule") == AlertRule.CUSTOM_FIELD_IS and "=" not in value:
        errors["value"] = "Write it as field=value."
    if errors:
        raise ValidationFailed(fields=errors)
    values = {
        "name": name[:80],
        "rule": data["rule"],
        "value": value[:200],
        "level": data["level"],
        "message": message[:200],
        "is_active": bool(data.get("is_active", True)),
    }
    before = None if definition is None else {key: getattr(definition, key) for key in values}
    if definition is None:
        definition = AlertDefinition.objects.create(provider=provider, **values)
    else:
        for key, val in values.items():
            setattr(definition, key, val)
        definition.save()
    verb = "added" if before is None else "changed"
    settings_record(
        provider=provider,
        actor=actor,
        summary=f"Alert banner rule {values['name']} {verb}",
        old=before,
        new=values,
    )
    return definition
