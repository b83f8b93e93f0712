"""Provider administration and staff accounts: modules, limits, staff, sign-in, passwords, two-factor,
API tokens, one module per concern; everything is importable from here as before.

These change the provider or a staff account, not a customer: they write the provider's security log
(`security_record`) in the same transaction, with the request for the address and user agent.
"""

from accountdesk.tenancy.services.mfa import (
    RECOVERY_CODE_COUNT,
    mfa_device_throttled,
    mfa_disable,
    mfa_recovery_regenerate,
    mfa_sign_in_verify,
    mfa_state,
    mfa_totp_confirm,
    mfa_totp_start,
    recovery_codes_left,
    staff_mfa_reset,
    totp_device_pending,
)
from accountdesk.tenancy.services.passwords import (
    password_change,
    password_check,
    password_reset_complete,
    password_reset_request,
    staff_password_reset_send,
)
from accountdesk.tenancy.services.provider import provider_mfa_roles_set, provider_update
from accountdesk.tenancy.services.signin import signin_failure_record, signin_record, signout_record
from accountdesk.tenancy.services.staff import EMAIL_UNAVAILABLE, staff_add, staff_update
from accountdesk.tenancy.services.tokens import TOKEN_MAX_DAYS, token_create, token_revoke

__all__ = [
    "EMAIL_UNAVAILABLE",
    "RECOVERY_CODE_COUNT",
    "TOKEN_MAX_DAYS",
    "mfa_device_throttled",
    "mfa_disable",
    "mfa_recovery_regenerate",
    "mfa_sign_in_verify",
    "mfa_state",
    "mfa_totp_confirm",
    "mfa_totp_start",
    "password_change",
    "password_check",
    "password_reset_complete",
    "password_reset_request",
    "provider_mfa_roles_set",
    "provider_update",
    "recovery_codes_left",
    "signin_failure_record",
    "signin_record",
    "signout_record",
    "staff_add",
    "staff_mfa_reset",
    "staff_password_reset_send",
    "staff_update",
    "token_create",
    "token_revoke",
    "totp_device_pending",
]
