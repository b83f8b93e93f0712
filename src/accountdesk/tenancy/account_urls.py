from django.urls import path

from accountdesk.tenancy import account_views

app_name = "account"
urlpatterns = [
    path("security/", account_views.security, name="security"),
    path("security/totp/start/", account_views.totp_start, name="totp_start"),
    path("security/totp/confirm/", account_views.totp_confirm, name="totp_confirm"),
    path("security/recovery-codes/", account_views.recovery_regenerate, name="recovery_regenerate"),
    path("security/disable/", account_views.mfa_disable, name="mfa_disable"),
    path("security/password/", account_views.password_change, name="password_change"),
]
