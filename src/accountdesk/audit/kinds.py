"""The kinds of security-log entry, with the label the Security log page shows."""

SECURITY_KINDS: dict[str, str] = {
    "signin.succeeded": "Signed in",
    "signin.failed": "Sign-in failed",
    "signin.locked": "Sign-in locked out",
    "signout": "Signed out",
    "password.changed": "Password changed",
    "password.reset_requested": "Password reset requested",
    "password.reset_completed": "Password reset completed",
    "mfa.enabled": "Two-factor enabled",
    "mfa.disabled": "Two-factor disabled",
    "mfa.recovery_used": "Recovery code used",
    "mfa.recovery_regenerated": "Recovery codes regenerated",
    "staff.added": "Staff added",
    "staff.role_changed": "Role changed",
    "staff.deactivated": "Staff deactivated",
    "staff.reactivated": "Staff reactivated",
    "module.switched": "Module switched",
    "settings.changed": "Settings changed",
    "token.created": "API token created",
    "token.revoked": "API token revoked",
    "export.downloaded": "Export",
    "credit.approval_requested": "Credit awaiting approval",
}


def register_security_kind(kind: str, label: str) -> None:
    """A kind added by an app above tenancy (the portal), from its AppConfig.ready()."""
    SECURITY_KINDS.setdefault(kind, label)


def security_kind_label(kind: str) -> str:
    return SECURITY_KINDS[kind]
