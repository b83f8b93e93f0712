"""The /api/v1 router: auth, errors, and each app's endpoints."""

import importlib

from django.conf import settings
from ninja import NinjaAPI

from accountdesk.api.auth import BearerToken, BrowserSession
from accountdesk.api.errors import install_error_handlers

api = NinjaAPI(
    title="accountdesk API",
    version="1",
    description="The customer-account API of accountdesk. Authenticate with `Authorization: Bearer <token>`.",
    auth=[BearerToken(), BrowserSession()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)


def _register_routers() -> None:
    """Mount the `router` of each domain app's api.py under /api/v1/."""
    for app in settings.DOMAIN_APPS:
        try:
            module = importlib.import_module(f"accountdesk.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"accountdesk.{app}.api":
                raise
            continue
        api.add_router("/v1/", module.router)


_register_routers()
