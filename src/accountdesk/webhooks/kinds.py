"""The security-log kinds of webhook endpoints: a provider-level change, like a token's."""

from accountdesk.audit.kinds import register_security_kind

for _kind, _label in [
    ("webhook.created", "Webhook endpoint added"),
    ("webhook.updated", "Webhook endpoint changed"),
    ("webhook.deleted", "Webhook endpoint deleted"),
    ("webhook.secret_rotated", "Webhook secret rotated"),
    ("webhook.enabled", "Webhook endpoint enabled"),
    ("webhook.disabled", "Webhook endpoint disabled"),
    ("webhook.replayed", "Webhook delivery replayed"),
]:
    register_security_kind(_kind, _label)
