"""The /api/v1 router: auth, errors, and each app's endpoints."""

import importlib
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import URLPattern, re_path
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError

from accountdesk.api.auth import BearerToken, BrowserSession
from accountdesk.api.body import JsonBodyParser
from accountdesk.api.errors import install_error_handlers
from accountdesk.api.throttling import UserRateThrottle
from accountdesk.core.redirects import safe_next


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _json_method_not_allowed(view):
    """Ninja answers a wrong method with plain text; ours says it in the error format."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = _error(405, "method_not_allowed", f"Use one of: {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapped


def _docs_access(view):
    """The API's description is for the provider's staff: the docs page wants a signed-in session
    (else sign-in, then back), the OpenAPI document a session or a Bearer token (else 401).
    ACCOUNTDESK_PUBLISH_API_DOCS=1 publishes both."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.ACCOUNTDESK_PUBLISH_API_DOCS or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            try:
                if BearerToken()(request) is not None:
                    return view(request, *args, **kwargs)
            except AuthenticationError:
                pass  # an unknown, revoked or expired token: the same answer as none
            return _error(401, "unauthorized", "Sign in or send `Authorization: Bearer <token>`.")
        return redirect_to_login(safe_next(request.get_full_path(), "/api/docs"))

    return wrapped


def _unknown_path(request, *args, **kwargs):
    return _error(404, "not_found", "No such API endpoint.")


class AccountdeskAPI(NinjaAPI):
    """Every answer under /api/ is JSON in the error format, even for unknown paths and methods."""

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_method_not_allowed(pattern.callback)
        return [*patterns, re_path(r"^.*$", _unknown_path)]


api = AccountdeskAPI(
    title="accountdesk API",
    version="1",
    description="The customer-account API of accountdesk. Authenticate with `Authorization: Bearer <token>`.",
    auth=[BearerToken(), BrowserSession()],
    parser=JsonBodyParser(),
    throttle=[UserRateThrottle()],
    urls_namespace="api",
    docs_url="/docs",
    # Bundled Swagger UI (ninja's static files) with its online validator badge switched off,
    # so the docs page makes no request outside this server. No persistAuthorization: a token
    # typed into "Authorize" is not kept in the browser's localStorage.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=_docs_access,
    openapi_url="/openapi.json",
)
install_error_handlers(api)


def _register_routers() -> None:
    """Mount the `router` of each domain app's api.py, and the security log's, under /api/v1/.

    Exports go first: `/customers/{id}/{tab}/export` must be tried before a tab's own
    `/customers/{id}/invoices/{invoice_id}`, which would otherwise take "export" for an id."""
    apps = ["exports", *(app for app in settings.DOMAIN_APPS if app != "exports"), "audit"]
    for app in apps:
        try:
            module = importlib.import_module(f"accountdesk.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"accountdesk.{app}.api":
                raise
            continue
        api.add_router("/v1/", module.router)


_register_routers()
