"""Domain errors. Services raise them; the API and the pages turn them into 4xx answers."""


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.fields = fields or {}

    default_message = "The request could not be processed."


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = "Not found."


class ModuleNotEnabled(DomainError):
    status = 404
    code = "module_not_enabled"
    default_message = "This module is not enabled for your provider."


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = "You do not have permission to do this."


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"
    default_message = "Some fields are not valid."
