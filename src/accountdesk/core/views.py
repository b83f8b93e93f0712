import sys

from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.views import defaults


def home(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        return redirect("customers:list")
    return redirect("login")


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse(
            {"status": "unavailable"},
            status=503,
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
        )
    return JsonResponse({"status": "ok"})


# Error pages: ours (templates/403.html, 404.html, 500.html) for pages, the API's error format for
# anything under /api/, so a client never gets HTML.


def _api_error(request: HttpRequest, status: int, code: str, message: str) -> JsonResponse | None:
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    answer = _api_error(request, 403, "permission_denied", "You do not have permission to do this.")
    return answer or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    answer = _api_error(request, 404, "not_found", "Not found.")
    return answer or defaults.page_not_found(request, exception)


# How long a client is asked to wait when the database cannot be reached (a restart, a failover).
UNAVAILABLE_RETRY_AFTER = 5


def _database_unavailable() -> bool:
    """Whether the error being handled is the database being out of reach (connection refused or
    dropped, a server shutting down, a lock or a serialisation conflict that outlasted its
    retries): a moment's outage, not a bug."""
    error = sys.exc_info()[1]
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without a context: 500.html and 503.html must not need the request, the user or
    the database. An unreachable database answers 503 with Retry-After: connections are checked
    at the start of each request, so the next one after the database is back succeeds."""
    if _database_unavailable():
        message = "The service is briefly unavailable. Try again in a few seconds."
        response = _api_error(request, 503, "unavailable", message) or defaults.server_error(
            request, template_name="503.html"
        )
        response.status_code = 503
        response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
        return response
    answer = _api_error(request, 500, "server_error", "Something went wrong on our side.")
    return answer or defaults.server_error(request)
