"""The /api/v1 router: auth, errors, and each app's endpoints."""

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
    from accountdesk.activity.api import router as activity_router
    from accountdesk.customers.api import router as customers_router
    from accountdesk.notes.api import router as notes_router

    for router in (customers_router, notes_router, activity_router):
        api.add_router("/v1/", router)


_register_routers()
