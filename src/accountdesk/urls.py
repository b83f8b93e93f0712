import importlib

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from accountdesk.api.api import api
from accountdesk.core import views as core_views
from accountdesk.tenancy import views as tenancy_views


def _app_urls(apps: list[str], attribute: str) -> list[URLPattern | URLResolver]:
    """The `attribute` list of each app's urls.py, in order: `customer_urlpatterns` are the tabs
    mounted under /customers/<id>/, `settings_urlpatterns` the Settings pages under /settings/."""
    patterns: list[URLPattern | URLResolver] = []
    for app in apps:
        try:
            module = importlib.import_module(f"accountdesk.{app}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"accountdesk.{app}.urls":
                raise
            continue
        patterns += getattr(module, attribute, [])
    return patterns


urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", tenancy_views.sign_in, name="login"),
    path("login/code/", tenancy_views.sign_in_code, name="login_code"),
    path("logout/", tenancy_views.sign_out, name="logout"),
    path("password-reset/", tenancy_views.password_reset, name="password_reset"),
    path("password-reset/sent/", tenancy_views.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        tenancy_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("account/exports/", include("accountdesk.exports.urls")),
    path("account/", include("accountdesk.tenancy.account_urls")),
    path("settings/contracts/", include("accountdesk.contracts.urls")),
    path(
        "settings/",
        include((_app_urls(["tenancy", "audit", *settings.DOMAIN_APPS], "settings_urlpatterns"), "settings")),
    ),
    path("account/tokens/", include("accountdesk.tenancy.token_urls")),
    path("customers/", include("accountdesk.customers.urls")),
    path(
        "customers/<int:customer_id>/",
        include((_app_urls(settings.DOMAIN_APPS, "customer_urlpatterns"), "tabs")),
    ),
    path("portal/", include("accountdesk.portal.urls")),
    path("payments/", include("accountdesk.payments.urls")),
    path("api/", api.urls),
]

handler403 = "accountdesk.core.views.permission_denied"
handler404 = "accountdesk.core.views.page_not_found"
handler500 = "accountdesk.core.views.server_error"
