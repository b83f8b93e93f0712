"""Every API error has one shape: {"error": {"code", "message", "fields"}}."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accountdesk.core.errors import DomainError, NotFound
from accountdesk.core.limits import RateLimited
from accountdesk.core.tenancy import scoped_pk

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "throttled",
}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return api.create_response(request, body, status=status)


def _field_name(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "data")]
    return ".".join(parts) or "body"


def _names_no_record(request: HttpRequest, exc: ValidationError) -> bool:
    """Whether the path cannot point at a record: a path segment that fails its type ("/customers/abc",
    "/contracts/1/explode"), or an id no row can have (0, negative, past 2**63-1) while the body or
    query is also invalid. Either way the answer is the not_found of an id that does not exist."""
    if any(list(err.get("loc", []))[:1] == ["path"] for err in exc.errors):
        return True
    match = getattr(request, "resolver_match", None)
    for name, value in (match.kwargs if match else {}).items():
        if name.endswith("_id"):
            try:
                scoped_pk(value)
            except NotFound:
                return True
    return False


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        response = error_response(api, request, exc.status, exc.code, exc.message, exc.fields)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        if _names_no_record(request, exc):
            return error_response(api, request, 404, "not_found", "Not found.")
        fields: dict[str, str] = {}
        for err in exc.errors:
            fields.setdefault(_field_name(list(err.get("loc", []))), err.get("msg", "Invalid value."))
        return error_response(api, request, 422, "validation_error", "Some fields are not valid.", fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(
            api, request, 401, "unauthorized", "Authentication required: send a Bearer token."
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        status = exc.status_code
        message = str(exc)
        if status == 400 and message.startswith("Cannot parse"):
            message = "The request body is not valid JSON."
        return error_response(api, request, status, STATUS_CODES.get(status, "error"), message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, "not_found", "Not found.")
